#!/usr/bin/env node
/**
 * @module Runs the screens example agent against a Steward server. `npm start` on the sandbox makes
 * the demo agent's account and key and, when Chromium is installed, the `sandbox-screens` connection;
 * both are named in .steward/demo-agent.json:
 *
 *   node examples/agent-screens-followup-task/dist/main.js                 follow the event stream
 *   … --agent-file <path>   another account file; --screens <connection id>   another screens connection
 *
 * It resumes after the last event it handled (kept beside the agent file); Ctrl-C stops it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { agentAccount, stewardForAccount } from '@steward/sdk';
import { ScreensFollowupAgent } from './agent.js';

const say = (line: Record<string, unknown>) => void process.stdout.write(`${JSON.stringify(line)}\n`);

const { values } = parseArgs({
  options: {
    'agent-file': { type: 'string', default: '.steward/demo-agent.json' },
    screens: { type: 'string' },
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
const screensConnectionId = values.screens ?? account.screensConnectionId;
if (screensConnectionId === undefined) {
  process.stderr.write(
    `${file} names no screens connection: Steward registers sandbox-screens only when Chromium is installed ` +
      '(see its log at start: "screens demo skipped: …"), or pass --screens <connection id>\n',
  );
  process.exit(2);
}
const agent = new ScreensFollowupAgent(stewardForAccount(account), {
  site: account.site,
  workflow: account.workflow,
  connection: account.connection,
  screensConnectionId,
});
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

const stateFile = `${file}.screens-last-event`;
const after = existsSync(stateFile) ? readFileSync(stateFile, 'utf8').trim() : undefined;
say({
  following: `${account.stewardUrl} events`,
  writesThrough: account.screensConnection ?? screensConnectionId,
  after: after ?? 'the last hour',
});
await agent.run({
  signal: stop.signal,
  // A first run catches up on the last hour (the demo clinic's no-shows happen while it replays).
  ...(after !== undefined && after !== '' ? { after } : { since: new Date(Date.now() - 3_600_000) }),
  onHandled: (id) => writeFileSync(stateFile, id),
});
