/**
 * Issue 15: a patient the sandbox seeded before Steward followed the EHR is named on the console.
 * A FHIR ServiceRequest carries only a Patient reference; the patient index learns the person's
 * name from the EHR's own Patient resource (read once through the governed reader), so the
 * referral's patient label shows the name, not "Patient <short id>".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Bundle, Patient, Practitioner } from '@medplum/fhirtypes';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import type { ReferralListItem } from '@steward/workflows';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
import { bearer, principalWith } from './testing.js';

type Labelled = ReferralListItem & { patientLabel?: { id: string; name?: string } };

for (const target of flowTargets()) {
  describe(`patient demographics learned from the EHR (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let ehr: ReturnType<typeof ehrSide>;

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start();
      ehr = ehrSide(server, await tokenFor(server.sandbox!.ehr, ['system/*.*']));
    });
    after(async () => {
      await server?.stop();
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('names the patient of a ServiceRequest that only points at a seeded Patient', async () => {
      const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      const doctors = ((await ehr('GET', 'Practitioner?_count=2')) as Bundle<Practitioner>).entry!;
      const [connection] = await server.kernel.connections.all();
      const sighting = { connectionId: connection!.id, site: connection!.site, ehrId: patient.id!, identifiers: [] };
      // Seeded before Steward followed: no event has described this patient yet.
      const before = await server.kernel.patients.patientIdOf(sighting);
      if (before !== undefined) assert.deepEqual(await server.kernel.patients.withoutDemographics([before]), [before]);

      const order = (performer: string) =>
        ehr('POST', 'ServiceRequest', {
          resourceType: 'ServiceRequest',
          status: 'active',
          intent: 'order',
          code: { text: 'Cardiology consult' },
          subject: { reference: `Patient/${patient.id!}` },
          requester: { reference: `Practitioner/${doctors[0]!.resource!.id!}` },
          performer: [{ reference: `Practitioner/${performer}` }],
          authoredOn: new Date().toISOString(),
        });
      const sr = await order(doctors[1]!.resource!.id!);
      const coordinator = await principalWith(server.kernel, 'names-coordinator', {
        role: 'coordinator',
        site: 'sandbox',
      });
      const item = await until('the referral to be listed with its patient named', async () => {
        await server.workflows!.settle();
        const r = await fetch(`${server.url}/referrals?site=sandbox&limit=100`, { headers: bearer(coordinator) });
        assert.equal(r.status, 200);
        const { items } = (await r.json()) as { items: Labelled[] };
        const mine = items.find((i) => i.serviceRequest === `ServiceRequest/${sr.id!}`);
        return mine?.patientLabel?.name !== undefined ? mine : undefined;
      });
      const family = patient.name![0]!.family!;
      assert.ok(item.patientLabel!.name!.includes(family), 'the label carries the EHR patient name');

      // Given once, sealed and audited as the connection's own account filing what the EHR said.
      const patientId = (await server.kernel.patients.patientIdOf(sighting))!;
      assert.deepEqual(await server.kernel.patients.withoutDemographics([patientId]), []);
      const entries = async (event: string, actorId: string) => {
        await server.kernel.audit.flush();
        return (
          await db.query<{ entry: string }>(
            'select entry from audit_log where event = $1 and actor_id = $2 and $3 = any(patient_ids)',
            [event, actorId, patientId],
          )
        ).rows.map((r) => JSON.parse(r.entry) as { entity?: { kind: string }; fields?: string[] });
      };
      const filer = server.kernel.connections.actorOf(connection!).id;
      assert.ok(
        (await entries('phi.update', filer)).some((e) => e.fields?.includes('name')),
        'the index was given the name, audited',
      );
      // Read as steward-workflows through the governed reader, audited naming the patient.
      const drafter = server.workflows!.drafter.actor.id;
      const reads = async (): Promise<number> =>
        (await entries('phi.read', drafter)).filter((e) => e.entity?.kind === 'Patient').length;
      assert.ok((await reads()) >= 1);

      // A later event for the same patient does not read the Patient again.
      const readsBefore = await reads();
      const again = await order(doctors[0]!.resource!.id!);
      await until('the second referral', async () => {
        await server.workflows!.settle();
        const r = await fetch(`${server.url}/referrals?site=sandbox&limit=100`, { headers: bearer(coordinator) });
        const { items } = (await r.json()) as { items: Labelled[] };
        return items.find((i) => i.serviceRequest === `ServiceRequest/${again.id!}`);
      });
      assert.equal(await reads(), readsBefore);
    });
  });
}
