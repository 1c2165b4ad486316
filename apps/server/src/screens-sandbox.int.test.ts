/**
 * Writes through an EHR's screens, end to end through the kernel's own wiring (issue 17): a
 * connection whose channel is `screens` on the sandbox's web EHR (the Lakeside clinic), its screen
 * map proposed by one person and approved by another, the automation account's credentials sealed
 * in Steward, the EHR's web origin registered with a BAA. A task proposal approved by a
 * coordinator is typed into the clinic's task form by the executor, read back, verified, and lands
 * in the EHR as a Task; the run is recorded with the proposal, the approver and the patient. A
 * proposal carrying what the form cannot enter is refused before any browser run; one whose
 * patient guard does not match the chart's banner halts before any input. One store, a flow test's
 * (`flowTargets`: PostgreSQL when the run has one): the run store's SQL is tested on both stores in
 * packages/automation; here the browser is the cost, and PGlite's WebAssembly would add to it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RequestContext } from '@steward/core';
import type { EhrConnection } from '@steward/ehr';
import type { ProposalDraft, ProposalPatient, ProposalSummary } from '@steward/proposals';
import { browserUnavailable } from '@steward/automation';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const MRN = 'http://hospital.smarthealthit.org';
const PERSON = 'https://github.com/synthetichealth/synthea';
const TOTP = 'JBSWY3DPEHPK3PXP';
const mapFile = new URL('../../../packages/automation/maps/sandbox-lakeside.json', import.meta.url);

interface Outcome {
  status: string;
  proposal: ProposalSummary;
  error?: { code: string; message: string };
}

const store = flowTargets()[0];
const noBrowser = browserUnavailable();

describe('writes and reads through an EHR’s screens, through the kernel', { skip: noBrowser ?? store?.skip }, () => {
  let t: TestApp;
  let ehr: SandboxEhr;
  let token: string;
  let connection: EhrConnection;
  let flow: RequestContext;
  let coord: TestPrincipal;
  let admin: TestPrincipal;
  let officerCtx: RequestContext;
  const patients: ProposalPatient[] = [];

  const ctxOf = (p: TestPrincipal, name: string, purposeOfUse: RequestContext['purposeOfUse']): RequestContext => ({
    actor: { kind: 'user', id: p.id, name, authMethod: 'api-token' },
    ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
  });
  const tasksOf = async (p: ProposalPatient): Promise<Record<string, unknown>[]> => {
    const r = await fhirFetch(ehr, token, 'GET', `Task?patient=Patient/${p.ehrId}`);
    return ((r.json as { entry?: { resource: Record<string, unknown> }[] }).entry ?? []).map((e) => e.resource);
  };
  const draft = (p: ProposalPatient, task: Record<string, unknown>): Promise<ProposalSummary> => {
    const d: ProposalDraft = {
      action: 'task.create',
      connectionId: connection.id,
      site: 'north',
      workflow: 'referral-tracking',
      patient: p,
      target: { resourceType: 'Task' },
      payload: {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        for: { reference: `Patient/${p.ehrId}` },
        ...task,
      },
      evidence: { eventIds: [], resources: [], reasonCode: 'referral-overdue' },
    };
    return t.kernel.proposals.draft(flow, d);
  };
  const approve = async (p: ProposalSummary): Promise<Outcome> => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/review/${p.id}/approve`,
      headers: bearer(coord),
      payload: { contentHash: p.contentHash },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json<Outcome>();
  };

  before(async () => {
    t = await openTestApp(await store!.open());
    ehr = await startSandboxEhr({
      webUsers: [{ username: 'steward-bot', password: 'bot-passphrase-1', totpSecret: TOTP }],
    });
    token = await tokenFor(ehr, ['system/*.*']);
    for (const n of [1, 2]) {
      const identifiers = [
        { system: MRN, value: `MRN-710${n}` },
        { system: PERSON, value: `person-710${n}` },
      ];
      const r = await fhirFetch(ehr, token, 'POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: identifiers,
        name: [{ family: 'Screens', given: [`Patient${n}`] }],
        birthDate: '1970-01-0' + String(n),
        gender: 'female',
      });
      patients.push({ ehrId: String((r.json as { id: string }).id), identifiers });
    }
    admin = await principalWith(t.kernel, 'screens-admin', { role: 'admin' });
    const adminCtx = ctxOf(admin, 'screens-admin', 'HSYSADMIN');
    const officer = await principalWith(t.kernel, 'screens-officer', { role: 'compliance_officer' });
    officerCtx = ctxOf(officer, 'screens-officer', 'HCOMPL');
    await t.kernel.egress.register(adminCtx.actor, {
      name: 'lakeside-web',
      kind: 'ehr',
      baseUrl: ehr.url,
      baaOnRecord: true,
      baaReference: 'sandbox EHR on loopback: synthetic data only',
      allowPrivateNetwork: true,
    });
    connection = await t.kernel.connections.add(adminCtx, {
      name: 'lakeside-web',
      site: 'north',
      vendor: 'generic-r4',
      facilityTimeZone: 'America/New_York',
      channel: 'screens',
    });
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as Record<string, unknown>;
    const proposed = await t.kernel.screenMaps.propose(adminCtx, {
      ...map,
      connectionId: connection.id,
      site: 'north',
      origin: ehr.url,
    });
    // Four eyes: the proposer may not approve; the compliance officer does.
    await assert.rejects(t.kernel.screenMaps.review(adminCtx, connection.id, 'north', proposed.version, 'approve'));
    await t.kernel.screenMaps.review(officerCtx, connection.id, 'north', proposed.version, 'approve');
    await t.kernel.automationCredentials.set(adminCtx, {
      connectionId: connection.id,
      site: 'north',
      username: 'steward-bot',
      password: 'bot-passphrase-1',
      totpSecret: TOTP,
    });
    const automation = await principalWith(t.kernel, 'referral-flow', { role: 'automation' });
    flow = { actor: { kind: 'service', id: automation.id, name: 'referral-flow', authMethod: 'api-token' } };
    coord = await principalWith(t.kernel, 'coord-lakeside', { role: 'coordinator', site: 'north' });
  });
  after(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('types an approved task into the clinic’s form, reads it back, and records the run with the approver', async () => {
    const [ada] = patients;
    const p = await draft(ada!, {
      description: 'Call the cardiology office about the referral',
      priority: 'urgent',
      restriction: { period: { end: '2027-01-15' } },
      note: [{ text: 'Prefers *mornings*; speaks Portuguese' }],
    });
    const r = await approve(p);
    assert.equal(r.status, 'verified', JSON.stringify(r.error));
    const [task, ...more] = await tasksOf(ada!);
    assert.equal(more.length, 0);
    assert.equal(task?.['description'], 'Call the cardiology office about the referral');
    assert.equal(task?.['priority'], 'urgent');
    assert.deepEqual(task?.['restriction'], { period: { end: '2027-01-15' } });
    assert.deepEqual(task?.['note'], [{ text: 'Prefers *mornings*; speaks Portuguese' }]);
    const page = await t.kernel.automationRuns.list(officerCtx, { proposal: p.id });
    assert.equal(page.runs.length, 1);
    const run = page.runs[0]!;
    assert.equal(run.status, 'done');
    assert.equal(run.kind, 'write');
    assert.equal(run.identity.approvedBy, coord.id);
    assert.equal(run.identity.accountId, t.kernel.connections.actorOf(connection).id);
    const detail = await t.kernel.automationRuns.show(officerCtx, run.id);
    const actions = detail.steps.map((s) => s.action);
    assert.ok(actions.indexOf('check-banner') < actions.indexOf('fill'), 'the banner is checked before any field');
    assert.ok(detail.steps.filter((s) => s.action === 'read-back').every((s) => s.outcome === 'ok'));
    const report = await t.kernel.automationRuns.verifyRun(officerCtx, run.id);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.verified, detail.steps.length);
  });

  it('refuses, before any run, a task the form cannot hold whole; halts on a chart that is not the patient’s', async () => {
    const [ada, bea] = patients;
    const owner = await draft(ada!, {
      description: 'Book the scan',
      priority: 'routine',
      owner: { reference: 'Practitioner/p-1' },
    });
    const refused = await approve(owner);
    assert.equal(refused.status, 'failed');
    assert.equal(refused.error?.code, 'SCREEN_FIELDS_MISSING');
    assert.equal((await t.kernel.automationRuns.list(officerCtx, { proposal: owner.id })).runs.length, 0);

    // The guard names Bea's person id with Ada's MRN: the chart the MRN opens is not that patient.
    const mixed: ProposalPatient = { ehrId: ada!.ehrId, identifiers: [ada!.identifiers[0]!, bea!.identifiers[1]!] };
    const before = (await tasksOf(ada!)).length;
    const wrong = await approve(await draft(mixed, { description: 'Fax the records', priority: 'routine' }));
    assert.equal(wrong.status, 'failed', JSON.stringify(wrong));
    assert.equal(wrong.error?.code, 'EHR_WRONG_PATIENT');
    assert.equal((await tasksOf(ada!)).length, before, 'nothing written to the chart');
    const run = (await t.kernel.automationRuns.list(officerCtx, { proposal: wrong.proposal.id })).runs[0];
    assert.equal(run?.status, 'halted');
    assert.equal(run?.halt?.reason, 'wrong-patient');

    // All of Bea's identifiers for Ada's EHR id: Bea's chart would open and pass its own banner
    // check. Once the patient index knows both, the write is refused before any run.
    const feed: RequestContext = { actor: t.kernel.connections.actorOf(connection) };
    for (const p of [ada!, bea!])
      await t.kernel.patients.resolve(feed, {
        connectionId: connection.id,
        site: 'north',
        ehrId: p.ehrId,
        identifiers: p.identifiers,
      });
    const beaTasks = (await tasksOf(bea!)).length;
    const swapped: ProposalPatient = { ehrId: ada!.ehrId, identifiers: bea!.identifiers };
    const other = await approve(await draft(swapped, { description: 'Send the letter', priority: 'routine' }));
    assert.equal(other.status, 'failed');
    assert.equal(other.error?.code, 'EHR_WRONG_PATIENT');
    assert.equal((await t.kernel.automationRuns.list(officerCtx, { proposal: other.proposal.id })).runs.length, 0);
    assert.equal((await tasksOf(bea!)).length, beaTasks, 'nothing written to the other chart');
  });

  it('reads the clinic’s schedule from its screens into the governed journal, once', async () => {
    const [ada] = patients;
    await fhirFetch(ehr, token, 'POST', 'Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      start: '2026-12-08T14:00:00-05:00',
      end: '2026-12-08T14:30:00-05:00',
      participant: [{ actor: { reference: `Patient/${ada!.ehrId}` }, status: 'accepted' }],
    });
    // `steward automation run`: an administrator reads the schedule now; a coordinator may not.
    const read = (who: TestPrincipal) =>
      t.app.inject({
        method: 'POST',
        url: '/automation/reads',
        headers: bearer(who),
        payload: { connection: 'lakeside-web', read: 'schedule', day: '2026-12-08' },
      });
    assert.equal((await read(coord)).statusCode, 403);
    const answer = await read(admin);
    assert.equal(answer.statusCode, 200, answer.body);
    const first = answer.json<{ runId: string; rows: number; events: number; refused: number }>();
    assert.deepEqual([first.rows, first.events, first.refused], [1, 1, 0]);
    const again = await t.kernel.screenReads.read(connection.id, 'schedule', '2026-12-08');
    assert.deepEqual([again.events, again.duplicates], [0, 1]);
    const run = await t.kernel.automationRuns.show(officerCtx, first.runId);
    assert.equal(run.kind, 'read');
    assert.equal(run.status, 'done');
  });
});
