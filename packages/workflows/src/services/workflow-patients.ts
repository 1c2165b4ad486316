/**
 * @module The Steward patients of workflow instances, ids only (the journal filed each event with
 * the Steward patient it resolved to):
 * - for the audit entries of a workflow read, every patient of the events that drove it (each
 *   step's input names its event's id);
 * - for display, the one patient a workflow is for: the patient of the event its proposals are for
 *   (a referral's first event, a follow-up's order); showing it is the clinic's `PatientLabels`.
 * Instances whose events have no resolved patient are left out.
 */
import { eventPatients, patientEventIds } from '@steward/governance';
import type { Sql } from '@steward/store';

const uuid = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Each workflow's Steward patients (workflows that name none are absent). */
export async function patientsOfWorkflows(
  db: Sql,
  workflowIds: readonly string[],
): Promise<ReadonlyMap<string, readonly string[]>> {
  if (workflowIds.length === 0) return new Map();
  // Any `eventId` in a step's input, at any depth (a start names it at the top, a signal in `event`).
  const { rows } = await db.query<{ workflow_id: string; event_id: string }>(
    `select distinct h.workflow_id::text as workflow_id, v #>> '{}' as event_id
       from workflow_history h
       cross join lateral jsonb_path_query(h.input, '$.**.eventId') as v
      where h.workflow_id = any($1::uuid[]) and v #>> '{}' ~ '${uuid}'`,
    [workflowIds],
  );
  const patients = await eventPatients(db, [...new Set(rows.map((r) => r.event_id))]);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const patient = patients.get(r.event_id);
    const known = out.get(r.workflow_id) ?? [];
    if (patient !== undefined && !known.includes(patient)) out.set(r.workflow_id, [...known, patient]);
  }
  return out;
}

/** Every patient of these workflows, once. */
export async function patientsOf(db: Sql, workflowIds: readonly string[]): Promise<readonly string[]> {
  return [...new Set([...(await patientsOfWorkflows(db, workflowIds)).values()].flat())];
}

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

/**
 * The workflows of `type` that are for these Steward patients (the event their proposals are for
 * was filed for one of them): how the patient page finds a patient's referrals and follow-ups.
 */
export async function workflowsOfPatients(
  db: Sql,
  type: string,
  patientIds: readonly string[],
): Promise<readonly string[]> {
  const events = await patientEventIds(db, patientIds);
  if (events.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `select id::text as id from workflow_instances
      where type = $1 and coalesce(nullif(state->>'patientEventId', ''), state->>'orderEventId') = any($2::text[])`,
    [type, events],
  );
  return rows.map((r) => r.id);
}
