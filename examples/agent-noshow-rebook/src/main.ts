#!/usr/bin/env node
/**
 * @module Runs the example agent against a Steward server (`npm start` makes the demo agent's account,
 * key and webhook destination, and writes them to .steward/demo-agent.json):
 *
 *   node examples/agent-noshow-rebook/dist/main.js                 follow the event stream
 *   node examples/agent-noshow-rebook/dist/main.js --webhooks      receive signed webhooks on :8475 instead
 *   … --agent-file <path>   another account file; --ai <destination>:<model>   rationale by a model via Steward
 *
 * It resumes after the last event it handled (kept beside the agent file); Ctrl-C stops it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { agentAccount, stewardForAccount } from '@steward/sdk';
import { parseArgs } from 'node:util';
import { listensTo, RebookingAgent, type AgentConfig } from './agent.js';
import { receiveWebhooks } from './webhooks.js';

const say = (line: Record<string, unknown>) => void process.stdout.write(`${JSON.stringify(line)}\n`);

const { values } = parseArgs({
  options: {
    'agent-file': { type: 'string', default: '.steward/demo-agent.json' },
    webhooks: { type: 'boolean', default: false },
    ai: { type: 'string' },
  },
});
const file = values['agent-file'];
if (!existsSync(file)) {
  process.stderr.write(
    `no agent file at ${file}: start Steward on the sandbox first (npm start), or pass --agent-file\n`,
  );
  process.exit(2);
}
const account = agentAccount(readFileSync(file, 'utf8'));
const steward = stewardForAccount(account);
const [destination, model] = values.ai?.split(':') ?? [];
const config: AgentConfig = {
  site: account.site,
  workflow: account.workflow,
  connection: account.connection,
  ...(destination !== undefined && model !== undefined ? { ai: { destination, model } } : {}),
};
const agent = new RebookingAgent(steward, config);
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

if (values.webhooks) {
  const receiver = await receiveWebhooks(steward, {
    port: Number(new URL(account.webhookBase ?? 'http://127.0.0.1:8475/').port),
    types: listensTo,
    onEvent: (event) => agent.handle(event),
  });
  say({ listening: receiver.url, subscription: receiver.subscriptionId });
  await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
  await receiver.close();
} else {
  const stateFile = `${file}.last-event`;
  const after = existsSync(stateFile) ? readFileSync(stateFile, 'utf8').trim() : undefined;
  say({ following: `${account.stewardUrl} events`, after: after ?? 'the last hour' });
  await agent.run({
    signal: stop.signal,
    // A first run catches up on the last hour (the demo clinic's no-shows happen while it replays).
    ...(after !== undefined && after !== '' ? { after } : { since: new Date(Date.now() - 3_600_000) }),
    onHandled: (id) => writeFileSync(stateFile, id),
  });
}
