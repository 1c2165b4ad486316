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

/**
 * The same by workflow type and correlation key (what a drafted proposal carries as `workflow` and
 * `correlationId`), keyed `<type> <key>`: a proposal a workflow drafted is for its patient.
 */
export async function workflowPatientsByKey(
  db: Sql,
  keys: readonly { readonly type: string; readonly key: string }[],
): Promise<ReadonlyMap<string, string>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; type: string; key: string }>(
    `select w.id::text as id, w.type, w.correlation_key as key
       from workflow_instances w
       join unnest($1::text[], $2::text[]) as k(type, key) on w.type = k.type and w.correlation_key = k.key`,
    [keys.map((k) => k.type), keys.map((k) => k.key)],
  );
  const byId = await workflowPatients(
    db,
    rows.map((r) => r.id),
  );
  const out = new Map<string, string>();
  for (const r of rows) {
    const patientId = byId.get(r.id);
    if (patientId !== undefined) out.set(`${r.type} ${r.key}`, patientId);
  }
  return out;
}
