/**
 * A proposal names its Steward patient in every audit entry about it even when its drafter knew
 * only the EHR patient: the patient index (here a lookup by EHR id on the connection) is asked
 * when it is drafted, and again when it is read if it did not know the patient then.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import type { PatientLookup, PatientSighting } from '@steward/governance';
import { storeTargets } from '@steward/store/testing';
import { ProposalDesk } from './proposal-desk.js';
import { appointmentStatusDraft, bookedAppointment, openProposalKit, type ProposalKit } from '../test-kit.js';

/** The index as far as the desk sees it: Steward ids by `connection|ehrId`, learned as the test goes. */
class KnownPatients implements PatientLookup {
  readonly known = new Map<string, string>();
  patientIdOf(s: PatientSighting): Promise<string | undefined> {
    return Promise.resolve(s.ehrId !== undefined ? this.known.get(`${s.connectionId}|${s.ehrId}`) : undefined);
  }
}

for (const target of storeTargets()) {
  describe(`proposals name their Steward patient on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let desk: ProposalDesk;
    let workflow: RequestContext;
    let coordinator: RequestContext;
    const patients = new KnownPatients();
    const patientsOf = async (id: string, event: string): Promise<string[][]> => {
      await k.audit.flush();
      const { rows } = await k.db.query<{ patient_ids: string[] }>(
        `select patient_ids from audit_log where (entry::jsonb -> 'entity' ->> 'id') = $1 and event = $2 order by seq`,
        [id, event],
      );
      return rows.map((r) => r.patient_ids);
    };

    before(async () => {
      k = await openProposalKit(await target.open());
      desk = new ProposalDesk({ ...k.deps, patients });
      workflow = await k.as('names-workflow', 'automation');
      coordinator = await k.as('names-coordinator', 'coordinator');
    });
    after(async () => k?.close());

    const draft = (ehrId: string) => {
      const a = k.ehr.put(bookedAppointment());
      const d = appointmentStatusDraft(a.resource, a.versionId, 'cancelled');
      // The drafter knows the EHR patient only (no `stewardId`).
      return { ...d, patient: { ehrId, identifiers: d.patient.identifiers } };
    };

    it('takes the patient from the index when drafted, and every entry names it', async () => {
      const d = draft('ehr-known');
      patients.known.set(`${d.connectionId ?? ''}|ehr-known`, 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b');
      const p = await desk.draft(workflow, d);
      await desk.get(coordinator, p.id);
      assert.deepEqual(await patientsOf(p.id, 'proposal.drafted'), [['a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b']]);
      assert.deepEqual(await patientsOf(p.id, 'phi.read'), [['a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b']]);
      const queue = await desk.list(coordinator, { site: 'north' });
      assert.ok(queue.items.some((i) => i.id === p.id));
      await k.audit.flush();
      const search = await k.db.query<{ patient_ids: string[] }>(
        `select patient_ids from audit_log where event = 'phi.search' order by seq desc limit 1`,
      );
      assert.ok(search.rows[0]?.patient_ids.includes('a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b'));
    });

    it('names a patient the index met only after the draft when the proposal is read', async () => {
      const d = draft('ehr-later');
      const p = await desk.draft(workflow, d);
      assert.deepEqual(await patientsOf(p.id, 'proposal.drafted'), [[]], 'nobody to name yet');
      patients.known.set(`${d.connectionId ?? ''}|ehr-later`, 'b4e2d3c5-6c7f-4081-9bac-1d2e3f4a5b6c');
      await desk.get(coordinator, p.id);
      assert.deepEqual(await patientsOf(p.id, 'phi.read'), [['b4e2d3c5-6c7f-4081-9bac-1d2e3f4a5b6c']]);
    });
  });
}
