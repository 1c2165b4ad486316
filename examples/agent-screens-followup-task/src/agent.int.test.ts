/**
 * Issue 18's second example, end to end, against a Steward like `npm start`'s (the sandbox EHR
 * in-process, the demo agent's account, and the `sandbox-screens` connection as the server made it:
 * the Lakeside web EHR, its map approved by demo.admin and demo.compliance, the automation account's
 * credentials sealed): the agent hears a no-show on the stream, reads the visit and the patient
 * through the facade, and proposes a follow-up task on the screens connection; a coordinator
 * approves it over HTTP; Steward's executor types it into the clinic's task form, reads it back and
 * verifies it; the Task is in the EHR (asked through its FHIR API), the automation run is recorded
 * for the proposal, and the agent is told `verified` on the stream. One browser run. Skipped, with
 * the reason, where no Chromium is installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import type { Appointment, Bundle, Patient, Task } from '@medplum/fhirtypes';
import { agentAccount, stewardForAccount, type AgentAccount, type Steward } from '@steward/sdk';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import { demoAgentFile, type RunningServer } from '@steward/server';
import {
  bearer,
  browserUnavailable,
  ehrSide,
  principalWith,
  sandboxServer,
  smallSeed,
  until,
} from '@steward/server/testing';
import { ScreensFollowupAgent, type Handled } from './agent.js';

// A flow test's store: PostgreSQL when the run has one (PGlite's WebAssembly beside the server otherwise).
const target = flowTargets()[0]!;
const noBrowser = browserUnavailable();

describe('the screens example agent against the sandbox', { skip: noBrowser ?? target.skip }, () => {
  const seedDir = smallSeed();
  let db: TestDatabase;
  let server: RunningServer;
  let ehr: ReturnType<typeof ehrSide>;
  let account: AgentAccount;
  let steward: Steward;
  const handled: Handled[] = [];
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    db = await target.open();
    const harness = sandboxServer(db, seedDir);
    server = await harness.start();
    ehr = ehrSide(server, await tokenFor(server.sandbox!.ehr, ['system/*.*']));
    account = agentAccount(readFileSync(demoAgentFile(harness.config.store.dataDir), 'utf8'));
    steward = stewardForAccount(account, server.url);
    const agent = new ScreensFollowupAgent(
      steward,
      {
        site: account.site,
        workflow: account.workflow,
        connection: account.connection,
        screensConnectionId: account.screensConnectionId ?? 'no screens connection in the agent file',
      },
      (line) => handled.push(line),
    );
    running = agent.run({ signal: stop.signal });
  });
  after(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await server?.stop();
    rmSync(seedDir, { recursive: true, force: true });
  });

  it('proposes through the screens connection; once approved, the task is typed into the EHR, verified, and the agent told', async () => {
    assert.equal(account.screensConnection, 'sandbox-screens', 'npm start registered the screens connection');
    const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
    const start = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const missed = (await ehr('POST', 'Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      serviceType: [{ text: 'Recheck' }],
      start,
      end: new Date(Date.parse(start) + 1_200_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' }],
    })) as Appointment;
    await ehr('PUT', `Appointment/${missed.id!}`, { ...missed, status: 'noshow' });

    const proposed = await until(
      'the agent to propose',
      () => Promise.resolve(handled.find((h) => h.outcome !== 'told')),
      30_000,
    );
    assert.equal(proposed.outcome, 'proposed', JSON.stringify(proposed));
    if (proposed.outcome !== 'proposed') return;
    assert.equal(proposed.status, 'pending-review');

    const coordinator = await principalWith(server.kernel, 'screens-agent-coordinator', {
      role: 'coordinator',
      site: account.site,
    });
    const shown = await fetch(`${server.url}/review/${proposed.proposal}`, { headers: bearer(coordinator) });
    assert.equal(shown.status, 200);
    const detail = (await shown.json()) as { contentHash: string; rationale?: string; payload: Task };
    assert.match(detail.rationale ?? '', /no-show.*through\s+its screens/s);
    const approved = await fetch(`${server.url}/review/${proposed.proposal}/approve`, {
      method: 'POST',
      headers: { ...bearer(coordinator), 'content-type': 'application/json' },
      body: JSON.stringify({ contentHash: detail.contentHash }),
    });
    assert.equal(approved.status, 200, await approved.clone().text());
    // Written by the applier (the approval's own attempt or the worker's, whichever takes it first).
    const ended = await steward.proposals.awaitOutcome(proposed.proposal, { timeoutMs: 30_000, pollMs: 100 });
    assert.equal(ended.outcome.outcome, 'verified', JSON.stringify(ended.outcome));

    // In the EHR, as the clinic's own FHIR API shows it: typed through the screens, not posted.
    const tasks = ((await ehr('GET', `Task?patient=Patient/${patient.id!}`)) as Bundle<Task>).entry ?? [];
    const typed = tasks.map((e) => e.resource!).filter((t) => t.description === detail.payload.description);
    assert.equal(typed.length, 1, 'the task is in the EHR, once');
    const task = typed[0]!;
    assert.equal(task.priority, 'routine');
    assert.deepEqual(task.restriction, detail.payload.restriction);
    assert.deepEqual(task.note, detail.payload.note);

    // The run is recorded for the proposal, with the approver; the executor checked the chart first.
    const officer = await principalWith(server.kernel, 'screens-agent-officer', { role: 'compliance_officer' });
    const officerCtx = {
      actor: { kind: 'user' as const, id: officer.id, name: 'screens-agent-officer', authMethod: 'api-token' as const },
      purposeOfUse: 'HCOMPL' as const,
    };
    // The map it followed: proposed by demo.admin, approved by demo.compliance (four eyes), as npm start did it.
    const users = new Map((await server.kernel.bootstrap.users.list()).map((u) => [u.id, u.username]));
    const map = (await server.kernel.screenMaps.list(officerCtx)).find(
      (m) => m.connectionId === account.screensConnectionId,
    );
    assert.equal(map?.status, 'approved');
    assert.deepEqual([users.get(map.proposedBy), users.get(map.reviewedBy ?? '')], ['demo.admin', 'demo.compliance']);
    assert.equal(
      (await server.kernel.screenMaps.current(account.screensConnectionId!, account.site))?.reads?.some(
        (r) => r.id === 'schedule',
      ),
      false,
      'the demo map reads no schedule (the FHIR connection files those events)',
    );
    const runs = await server.kernel.automationRuns.list(officerCtx, { proposal: proposed.proposal });
    // (The approval's own commit and the write-back worker may both take it: the second run finds the
    // task by its Source ID and types nothing; the EHR holds it once, as checked above.)
    const written = runs.runs.filter((r) => r.kind === 'write' && r.status === 'done');
    assert.ok(written.length >= 1, JSON.stringify(runs.runs.map((r) => [r.kind, r.status, r.halt?.reason])));
    assert.ok(runs.runs.every((r) => r.identity.approvedBy === coordinator.id));
    assert.equal(written[0]!.connectionId, account.screensConnectionId);
    const steps = (await server.kernel.automationRuns.show(officerCtx, written[0]!.id)).steps.map((s) => s.action);
    assert.ok(steps.indexOf('check-banner') < steps.indexOf('fill'), 'the chart is checked before any field');

    const told = await until(
      'the stream to tell the agent',
      () =>
        Promise.resolve(
          handled.find((h) => h.outcome === 'told' && h.proposal === proposed.proposal && h.result === 'verified'),
        ),
      20_000,
    );
    assert.deepEqual(told, { event: told.event, outcome: 'told', proposal: proposed.proposal, result: 'verified' });
  });
});
