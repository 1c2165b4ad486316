/**
 * Issue 15, "every PHI access names its patients", against the sandbox clinic as `npm start` runs
 * it: a referral and a recheck ordered in the EHR flow in, a coordinator works them through the
 * API as the console does (review queue and detail, EHR state, approve, referrals, follow-ups),
 * and then every audit entry of a PHI read or write names at least one Steward patient, and the
 * audit search by the patient's MRN lists the coordinator's accesses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Bundle, Patient, Practitioner } from '@medplum/fhirtypes';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { listFollowups, listReferrals } from '@steward/workflows';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { isPhiAccess, phiAccessEvents } from './phi-access.js';
import { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
import { bearer, principalWith, type TestPrincipal } from './testing.js';

const phiAccess = phiAccessEvents;

interface Entry {
  seq: number;
  event: string;
  actor: { id: string };
  outcome: string;
  patientIds: string[];
  entity?: { kind: string };
  reason?: string;
}

for (const target of flowTargets()) {
  describe(`every PHI access names its patients, on the sandbox clinic (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let ehr: ReturnType<typeof ehrSide>;
    let coordinator: TestPrincipal;
    let officer: TestPrincipal;

    const get = async <T>(who: TestPrincipal, url: string): Promise<T> => {
      const r = await fetch(`${server.url}${url}`, { headers: bearer(who) });
      assert.equal(r.status, 200, `${url}: ${await r.clone().text()}`);
      return (await r.json()) as T;
    };
    const entries = async (query = ''): Promise<Entry[]> => {
      const all: Entry[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await get<{ items: Entry[]; next?: number }>(
          officer,
          `/audit/events?limit=1000${query}${after !== undefined ? `&after=${after}` : ''}`,
        );
        all.push(...page.items);
        if (page.next === undefined) return all;
        after = page.next;
      }
    };

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start();
      ehr = ehrSide(server, await tokenFor(server.sandbox!.ehr, ['system/*.*']));
      coordinator = await principalWith(server.kernel, 'names-coordinator', { role: 'coordinator', site: 'sandbox' });
      officer = await principalWith(server.kernel, 'names-officer', { role: 'compliance_officer' });
    });
    after(async () => {
      await server?.stop(); // closes the store it was given
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('names a patient on every PHI entry, and the MRN search lists what the coordinator did', async () => {
      const seeded = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      // Synthea's MRN is the Patient's FHIR id; the EHR gives this one an MRN of its own. Steward
      // follows orders, not Patients: it learns the MRN only from the Patient the order points at.
      const patient = (await ehr('PUT', `Patient/${seeded.id!}`, {
        ...seeded,
        identifier: seeded.identifier!.map((i) =>
          i.type?.coding?.some((c) => c.code === 'MR') === true ? { ...i, value: 'MRN-AUDIT-0001' } : i,
        ),
      })) as Patient;
      const doctors = ((await ehr('GET', 'Practitioner?_count=2')) as Bundle<Practitioner>).entry!;
      const [pcp, specialist] = [doctors[0]!.resource!, doctors[1]!.resource!];
      const referral = await ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        code: { text: 'Cardiology consult' },
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${pcp.id!}` },
        performer: [{ reference: `Practitioner/${specialist.id!}` }],
        authoredOn: new Date().toISOString(),
      });
      const recheck = await ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        category: [{ text: 'follow-up' }],
        code: { text: 'recheck' },
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${pcp.id!}` },
        occurrenceDateTime: new Date(Date.now() + 42 * 86_400_000).toISOString(),
        authoredOn: new Date().toISOString(),
      });
      await until('the referral and the booking request', async () => {
        await server.workflows!.settle();
        const r = (await listReferrals(db, { limit: 50 })).items.find(
          (i) => i.serviceRequest === `ServiceRequest/${referral.id!}`,
        );
        const f = (await listFollowups(db, { limit: 50 })).find(
          (i) => i.orderRef === `ServiceRequest/${recheck.id!}` && i.proposals >= 1,
        );
        return r !== undefined && f !== undefined ? true : undefined;
      });

      // The coordinator works through the console's calls.
      const queue = await get<{ items: { id: string; contentHash: string }[] }>(coordinator, '/review?site=sandbox');
      assert.ok(queue.items.length >= 1);
      const proposal = queue.items[0]!;
      await get(coordinator, `/review/${proposal.id}`);
      await get(coordinator, `/review/${proposal.id}/ehr-state`);
      const approve = await fetch(`${server.url}/review/${proposal.id}/approve`, {
        method: 'POST',
        headers: { ...bearer(coordinator), 'content-type': 'application/json' },
        body: JSON.stringify({ contentHash: proposal.contentHash }),
      });
      assert.equal(approve.status, 200, await approve.clone().text());
      // The board lists what needs action first; the coordinator opens this patient's referral.
      const referrals = await get<{ items: { workflowId: string; serviceRequest: string | null }[] }>(
        coordinator,
        '/referrals?site=sandbox&limit=200',
      );
      const opened = referrals.items.find((i) => i.serviceRequest === `ServiceRequest/${referral.id!}`);
      assert.ok(opened !== undefined, 'the referral is on the board');
      await get(coordinator, `/referrals/${opened.workflowId}`);
      const followups = await get<{ items: { id: string }[] }>(coordinator, '/followups?site=sandbox');
      await get(coordinator, `/followups/${followups.items[0]!.id}/timeline`);
      await get(coordinator, '/reports/followups?site=sandbox');
      await get(coordinator, '/reports/operations?site=sandbox');

      const all = await entries();
      const phi = all.filter(isPhiAccess);
      const unnamed = phi.filter((e) => e.patientIds.length === 0);
      const counts = (es: Entry[]): Record<string, number> =>
        es.reduce<Record<string, number>>((m, e) => {
          const k = `${e.event} ${e.entity?.kind ?? ''}`;
          m[k] = (m[k] ?? 0) + 1;
          return m;
        }, {});
      assert.ok(phi.length > 20, `enough PHI access to mean something (${phi.length})`);
      assert.deepEqual(counts(unnamed), {}, `unnamed PHI entries, of ${phi.length}`);

      // "Who accessed this patient": the MRN finds the coordinator's reads, the approval's write.
      const mrn = patient.identifier!.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))!.value!;
      const byMrn = await entries(`&patient=${encodeURIComponent(mrn)}`);
      const theirs = new Set(
        byMrn
          .filter((e) => e.actor.id === coordinator.id && phiAccess.has(e.event))
          .map((e) => `${e.event} ${e.entity?.kind ?? ''}`),
      );
      for (const access of [
        'phi.search Proposal',
        'phi.read Proposal',
        'phi.search Referral',
        'phi.read Referral',
        'phi.search Followup',
        'phi.read Followup',
      ])
        assert.ok(theirs.has(access), `${access} in ${JSON.stringify([...theirs])}`);
      assert.ok(
        byMrn.some((e) => e.event === 'ehr.written'),
        'the approved change written to the chart is found by the MRN too',
      );

      // The BALP export carries the patient as the AuditEvent's patient entity.
      const exported = await fetch(`${server.url}/audit/export?patient=${encodeURIComponent(mrn)}`, {
        headers: bearer(officer),
      });
      assert.equal(exported.status, 200);
      const events = (await exported.text())
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { entity?: { what?: { reference?: string }; role?: { code?: string } }[] });
      const patientIds = new Set(byMrn.flatMap((e) => e.patientIds));
      assert.ok(events.length >= byMrn.length, `${events.length} AuditEvents for ${byMrn.length} entries`);
      for (const ev of events) {
        const patient = ev.entity?.find((x) => x.what?.reference?.startsWith('Patient/') === true);
        assert.ok(patient !== undefined && patientIds.has(patient.what!.reference!.slice(8)), JSON.stringify(ev));
      }
    });
  });
}
