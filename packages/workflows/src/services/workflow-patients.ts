/**
 * @module The Steward patient of each workflow instance: the patient the journal resolved for the
 * event its proposals are for (a referral's first event, a follow-up's order). Ids only; showing the
 * patient is the clinic's `PatientLabels` (a governed, audited read). Instances whose event has no
 * resolved patient are left out.
 */
import { eventPatients } from '@steward/governance';
import type { Sql } from '@steward/store';

export async function workflowPatients(db: Sql, workflowIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
  if (workflowIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; event: string }>(
    `select id::text as id, coalesce(nullif(state->>'patientEventId', ''), state->>'orderEventId') as event
       from workflow_instances
      where id::text = any($1::text[]) and coalesce(nullif(state->>'patientEventId', ''), state->>'orderEventId') is not null`,
    [[...new Set(workflowIds)]],
  );
  const patients = await eventPatients(
    db,
    rows.map((r) => r.event),
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    const patientId = patients.get(r.event);
    if (patientId !== undefined) out.set(r.id, patientId);
  }
  return out;
}
