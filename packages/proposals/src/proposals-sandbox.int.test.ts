/**
 * Proposals end to end against the sandbox EHR over real HTTP, through the one EHR writer:
 * commit and verify; a conflict (the appointment changed in the EHR while the proposal waited)
 * caught, diffed and re-reviewed; a rollback restoring the prior version; and creates landing
 * exactly once while the EHR drops responses.
 *
 * A flow test (`flowTargets`): a scenario above the store, run on one store per run (PostgreSQL when
 * the run has one; CI runs it on PGlite under Node 22); the applier's SQL runs on both stores in
 * commit/proposal-applier.int.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK } from 'jose';
import type { RequestContext } from '@steward/core';
import {
  ConnectionRegistry,
  FhirClient,
  FhirR4Channel,
  GovernedEhr,
  SmartBackendAuth,
  stewardWriteSystem,
  type EhrConnection,
  type PrivateJwk,
} from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, makeKey, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import type { ProposalApplier } from './commit/index.js';
import type { ProposalDraft, ProposalPatient } from './model/index.js';
import { ENTERPRISE, MRN, appointmentStatusDraft, openProposalKit, type ProposalKit } from './test-kit.js';

const scopes = ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'];

for (const target of flowTargets()) {
  describe(`proposals against the sandbox EHR on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let ehr: SandboxEhr;
    let ehrToken: string;
    let connection: EhrConnection;
    let applier: ProposalApplier;
    let workflow: RequestContext;
    let reviewer: RequestContext;
    let secondReviewer: RequestContext;
    let patient: ProposalPatient;

    /** The EHR's own users changing the record (not Steward). */
    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };
    const meta = (r: Record<string, unknown>): string => (r['meta'] as { versionId: string }).versionId;

    before(async () => {
      k = await openProposalKit(await target.open());
      ehr = await startSandboxEhr({ faultSeed: 11 });
      ehrToken = await tokenFor(ehr, ['system/*.*']);
      const admin = await k.as('ehr-admin', 'admin', '*');
      const registry = new ConnectionRegistry(k.db, k.deps.cipher, k.deps.policy, k.audit, k.accounts, k.grants);
      const key = await makeKey('ES384');
      ehr.registerClient({ clientId: 'steward-north', jwks: { keys: [key.publicJwk] }, allowedScopes: scopes });
      connection = await registry.add(admin, {
        name: 'north-sandbox',
        site: 'north',
        vendor: 'generic-r4',
        fhirBaseUrl: ehr.fhirBaseUrl,
        clientId: 'steward-north',
        privateKey: { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk,
        scopes,
        facilityTimeZone: 'America/New_York',
      });
      const privateKey = await registry.privateKey(connection);
      assert.ok(privateKey !== undefined);
      const transport = (url: string, init: RequestInit): Promise<Response> => fetch(url, init);
      const client = new FhirClient({
        baseUrl: ehr.fhirBaseUrl,
        transport,
        auth: new SmartBackendAuth({
          fhirBaseUrl: ehr.fhirBaseUrl,
          clientId: 'steward-north',
          privateKey,
          scopes,
          transport,
        }),
        budget: { requestsPerSecond: 200, burst: 50, maxConcurrent: 8 },
        resilience: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 500 },
        breaker: { coolDownMs: 20 },
      });
      const port = new GovernedEhr({
        channel: new FhirR4Channel((id) => {
          assert.equal(id, connection.id);
          return Promise.resolve(client);
        }),
        policy: k.deps.policy,
        audit: k.audit,
        cipher: k.deps.cipher,
        connection: () => Promise.resolve({ site: connection.site, actor: registry.actorOf(connection) }),
      }).writer;
      applier = k.applier(port);
      workflow = await k.as('no-show-workflow', 'automation');
      reviewer = await k.as('coord-north', 'coordinator');
      secondReviewer = await k.as('clin-north', 'clinician_reviewer');
      const p = await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: [
          { system: MRN, value: 'MRN-2001' },
          { system: ENTERPRISE, value: 'E-2001' },
        ],
        name: [{ family: 'Synthetic', given: ['Proposal'] }],
      });
      patient = {
        ehrId: String(p['id']),
        identifiers: [
          { system: MRN, value: 'MRN-2001' },
          { system: ENTERPRISE, value: 'E-2001' },
        ],
      };
    });
    after(async () => {
      await ehr?.close();
      await k?.close();
    });

    const bookAppointment = (): Promise<Record<string, unknown>> =>
      ehrSide('POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-12-01T14:00:00-05:00',
        end: '2026-12-01T14:30:00-05:00',
        participant: [{ actor: { reference: `Patient/${patient.ehrId}` }, status: 'accepted' }],
      });

    const draftFor = (a: Record<string, unknown>, status: string): ProposalDraft => ({
      ...appointmentStatusDraft(a, meta(a), status),
      connectionId: connection.id,
      patient,
    });

    it('commits an approved change through the one writer, verifies it, and rolls it back', async () => {
      const a = await bookAppointment();
      const p = await k.desk.draft(workflow, draftFor(a, 'cancelled'));
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      const r = await applier.commit(reviewer, p.id);
      assert.equal(r.status, 'verified');
      const written = await ehrSide('GET', `Appointment/${String(a['id'])}`);
      assert.equal(written['status'], 'cancelled');
      assert.equal(r.proposal.committed?.version, meta(written));

      const back = await applier.rollback(reviewer, p.id);
      assert.equal(back.status, 'rolled_back');
      const restored = await ehrSide('GET', `Appointment/${String(a['id'])}`);
      assert.equal(restored['status'], 'booked', 'the prior version is restored');
      assert.notEqual(meta(restored), meta(written), 'by a new version: a compensating change');
      await k.audit.flush();
      const { rows } = await k.db.query<{ event: string }>(
        `select event from audit_log where event in ('ehr.written', 'proposal.committed', 'proposal.verified', 'proposal.rolled_back') order by seq`,
      );
      assert.deepEqual(
        rows.map((x) => x.event),
        ['ehr.written', 'proposal.committed', 'proposal.verified', 'ehr.written', 'proposal.rolled_back'],
      );
    });

    it('catches a change made in the EHR while the proposal waited, and sends it back to review with a diff', async () => {
      const a = await bookAppointment();
      const p = await k.desk.draft(workflow, draftFor(a, 'noshow'));
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      // Front desk reschedules it in the EHR before Steward commits.
      await ehrSide('PUT', `Appointment/${String(a['id'])}`, {
        ...a,
        start: '2026-12-03T09:00:00-05:00',
        end: '2026-12-03T09:30:00-05:00',
      });
      const r = await applier.commit(reviewer, p.id);
      assert.equal(r.status, 'conflicted');
      const unchanged = await ehrSide('GET', `Appointment/${String(a['id'])}`);
      assert.equal(unchanged['status'], 'booked', 'nothing was overwritten');
      assert.ok(r.next !== undefined);
      assert.equal(r.next.status, 'pending_review');
      assert.equal(r.next.baseVersion, meta(unchanged));
      const detail = await k.desk.get(secondReviewer, r.next.id);
      assert.deepEqual(
        detail.diff?.changes.map((c) => c.path),
        ['/end', '/start'],
      );
      assert.equal(detail.diff?.changes.find((c) => c.path === '/start')?.current, '2026-12-03T09:00:00-05:00');
      // Re-reviewed by hash, then committed on top of the EHR's change, keeping it.
      await k.desk.approve(secondReviewer, r.next.id, { contentHash: r.next.contentHash });
      assert.equal((await applier.commit(secondReviewer, r.next.id)).status, 'verified');
      const final = await ehrSide('GET', `Appointment/${String(a['id'])}`);
      assert.equal(final['status'], 'noshow');
      assert.equal(final['start'], '2026-12-03T09:00:00-05:00');
      const conflicted = await k.desk.get(reviewer, p.id);
      assert.equal(conflicted.status, 'conflicted');
      assert.equal(conflicted.supersededBy, r.next.id);
    });

    it('lands each approved create exactly once while the EHR loses responses', async () => {
      const proposals = [];
      for (let i = 0; i < 6; i++) {
        const p = await k.desk.draft(workflow, {
          action: 'task.create',
          connectionId: connection.id,
          site: 'north',
          patient,
          target: { resourceType: 'Task' },
          payload: {
            resourceType: 'Task',
            status: 'requested',
            intent: 'order',
            for: { reference: `Patient/${patient.ehrId}` },
          },
          evidence: { eventIds: [], resources: [], reasonCode: 'referral-follow-up' },
        });
        await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
        proposals.push(p);
      }
      ehr.faults.setRules([{ pathPrefix: '/fhir/R4/Task', rate: 0.3, kind: 'lost-response' }] as never);
      for (const p of proposals) {
        // The applier's loop: commit; a passing failure goes back to approved and is tried again.
        for (let round = 0; ; round++) {
          const r = await applier.commit(reviewer, p.id);
          if (r.status === 'verified' || r.status === 'committed') break;
          assert.equal(r.error?.retryable, true, `${r.status} ${r.error?.code ?? ''}`);
          assert.ok(round < 30, 'it settles');
          await applier.retry(reviewer, p.id);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
      const injected = ehr.faults.counters;
      ehr.faults.clear();
      assert.ok(JSON.stringify(injected).match(/[1-9]/), 'faults were injected');
      for (const p of proposals) {
        const found = (await ehrSide(
          'GET',
          `Task?identifier=${encodeURIComponent(`${stewardWriteSystem}|${p.id}.r1`)}`,
        )) as { entry?: unknown[] };
        assert.equal((found.entry ?? []).length, 1, 'exactly once');
      }
    });
  });
}
