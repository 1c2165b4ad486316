/**
 * Issue 18's proof, end to end, with the example agent against a Steward like `npm start`'s (the
 * sandbox EHR in-process, the demo agent's account, key and webhook destination as the server made
 * them): the agent signs in with SMART Backend Services, hears a no-show on the event stream, reads
 * the missed appointment, the patient and their upcoming appointments through the FHIR facade,
 * and proposes a rebooking task with its reasoning; the proposal waits in the review queue; a
 * coordinator approves exactly what was shown; Steward writes and verifies the task; the agent is
 * told `verified` on the stream and its webhook receiver gets the outcome signed, while a delivery
 * with a wrong signature is refused and never handled.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Appointment, Bundle, Patient, Task } from '@medplum/fhirtypes';
import type { Steward, StewardEvent } from '@steward/sdk';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { demoAgentFile, type RunningServer } from '@steward/server';
import { bearer, ehrSide, principalWith, sandboxServer, smallSeed, until } from '@steward/server/testing';
import { agentAccount, stewardForAccount, type AgentAccount } from '@steward/sdk';
import { RebookingAgent, type Handled } from './agent.js';
import { receiveWebhooks, type WebhookReceiver } from './webhooks.js';

const target = storeTargets()[0]!;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });

describe('the example agent against the sandbox', () => {
  const seedDir = smallSeed();
  let db: TestDatabase;
  let server: RunningServer;
  let ehr: ReturnType<typeof ehrSide>;
  let steward: Steward;
  let account: AgentAccount;
  const handled: Handled[] = [];
  const hooked: StewardEvent[] = [];
  let receiver: WebhookReceiver;
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    db = await target.open();
    const harness = sandboxServer(db, seedDir);
    server = await harness.start();
    ehr = ehrSide(server, await tokenFor(server.sandbox!.ehr, ['system/*.*']));
    account = agentAccount(readFileSync(demoAgentFile(harness.config.store.dataDir), 'utf8'));
    steward = stewardForAccount(account, server.url);
    // The test's own receiver port (the demo's is 8475), registered as an administrator would.
    const port = await freePort();
    await server.kernel.egress.register(
      { kind: 'service', id: '00000000-0000-4000-8000-000000000000', name: 'test', authMethod: 'local-operator' },
      {
        name: 'agent-test-hooks',
        kind: 'other',
        baseUrl: `http://127.0.0.1:${port}/`,
        baaOnRecord: false,
        allowPrivateNetwork: true,
      },
    );
    receiver = await receiveWebhooks(steward, {
      port,
      types: ['proposal.verified'],
      onEvent: (e) => Promise.resolve(void hooked.push(e)),
    });
    const agent = new RebookingAgent(
      steward,
      { site: account.site, workflow: account.workflow, connection: account.connection },
      (line) => handled.push(line),
    );
    running = agent.run({ signal: stop.signal });
  });
  after(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await receiver?.close();
    await server?.stop();
    rmSync(seedDir, { recursive: true, force: true });
  });

  it('hears a no-show, proposes a rebooking for review, and is told verified once a person approves', async () => {
    const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
    const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const visit = (status: Appointment['status'], start: string, service: string): Appointment => ({
      resourceType: 'Appointment',
      status,
      serviceType: [{ text: service }],
      start,
      end: new Date(Date.parse(start) + 1_200_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' }],
    });
    await ehr('POST', 'Appointment', visit('booked', at(9), 'Dermatology'));
    const missed = (await ehr('POST', 'Appointment', visit('booked', at(-0.1), 'Recheck'))) as Appointment;
    await ehr('PUT', `Appointment/${missed.id!}`, { ...missed, status: 'noshow' });

    const proposed = await until(
      'the agent to propose',
      () => Promise.resolve(handled.find((h) => h.outcome !== 'told')),
      30_000,
    );
    assert.equal(proposed.outcome, 'proposed', JSON.stringify(proposed));
    if (proposed.outcome !== 'proposed') return;
    assert.equal(proposed.status, 'pending-review');

    // In the review queue, with the agent's reasoning; the agent itself may not approve.
    const coordinator = await principalWith(server.kernel, 'agent-test-coordinator', {
      role: 'coordinator',
      site: account.site,
    });
    const shown = await fetch(`${server.url}/review/${proposed.proposal}`, { headers: bearer(coordinator) });
    assert.equal(shown.status, 200);
    const detail = (await shown.json()) as { contentHash: string; rationale?: string; payload: Task };
    assert.match(detail.rationale ?? '', /Recheck .*no-show.*Dermatology.*rebook/s);
    assert.equal(detail.payload.focus?.reference, `Appointment/${missed.id!}`);
    const approved = await fetch(`${server.url}/review/${proposed.proposal}/approve`, {
      method: 'POST',
      headers: { ...bearer(coordinator), 'content-type': 'application/json' },
      body: JSON.stringify({ contentHash: detail.contentHash }),
    });
    assert.equal(approved.status, 200, await approved.clone().text());

    const ended = await steward.proposals.awaitOutcome(proposed.proposal, { timeoutMs: 20_000, pollMs: 100 });
    assert.equal(ended.outcome.outcome, 'verified');
    const told = await until(
      'the stream to tell the agent',
      () => Promise.resolve(handled.find((h) => h.outcome === 'told')),
      20_000,
    );
    assert.deepEqual(told, { event: told.event, outcome: 'told', proposal: proposed.proposal, result: 'verified' });
    const signed = await until(
      'the webhook',
      () => Promise.resolve(hooked.find((e) => e.data.references.proposalId === proposed.proposal)),
      20_000,
    );
    assert.equal(signed.type, 'proposal.verified');
    assert.equal(signed.data.phi, false, 'no BAA on record: references only');
    assert.equal(signed.data.patient, undefined);

    // Nothing else was proposed for that visit (the draft key is the missed appointment).
    const mine = await steward.proposals.list({ outcome: 'verified' });
    assert.equal(mine.items.filter((p) => p.id === proposed.proposal).length, 1);
  });

  it('refuses a delivery that Steward did not sign, and never hands it to the agent', async () => {
    const before = { refused: receiver.refused(), hooked: hooked.length };
    const forged = JSON.stringify({
      type: 'proposal.verified',
      timestamp: new Date().toISOString(),
      data: { id: 'x', site: 'sandbox' },
    });
    const r = await fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJlIG1hZGUgd2l0aCB0aGUgc2VjcmV0',
      },
      body: forged,
    });
    assert.equal(r.status, 401);
    assert.equal(receiver.refused(), before.refused + 1);
    assert.equal(hooked.length, before.hooked);
  });
});
