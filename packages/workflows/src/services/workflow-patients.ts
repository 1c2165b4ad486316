/**
 * @module The Steward patients a workflow is about, for the audit entries of its reads: the
 * patients of the journal events that drove it (each step's input names its event's id; the
 * journal filed each event with the Steward patient it resolved to). Looked up once per read for
 * every workflow it shows, ids only.
 */
import { patientsOfEvents } from '@steward/governance';
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
  const patients = await patientsOfEvents(db, [...new Set(rows.map((r) => r.event_id))]);
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
