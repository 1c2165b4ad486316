/**
 * @module Patient merges, honoured: when an EHR merges two patients (HL7 ADT A34/A36/A39/A40,
 * an identifier change A46/A47, FHIR Patient.link replaced-by/replaces), every later use of the
 * retired patient must mean the survivor. The router records each merge (`recordMerge`, in its
 * batch transaction) as retired reference → merge event; `survivingPatient` follows those from
 * any event's patient to the patient that survives now, reading the sealed merge event for the
 * survivor. Workflows cite events, not patients, so resolving when a patient is used (drafting a
 * proposal) covers events from before and after the merge alike.
 *
 * References only: `Patient/<EHR id>` and `PatientIdentifier/<sha-256 prefix of system|value>`,
 * never an identifier value. Known limits: an unmerge (A37) is not modelled; account-only
 * changes (A35/A41/A49, scope `account`) change no patient and are not recorded.
 */
import { createHash } from 'node:crypto';
import type { EhrEvent, PatientRef } from '@steward/core';
import type { Sql } from '@steward/store';

/** How many merges are followed at most (a chain of merges; a cycle stops at the first repeat). */
const MAX_HOPS = 10;

/** The references a patient is found by: its EHR id and a hash of each identifier. */
export function patientRefsOf(patient: PatientRef): string[] {
  const refs = patient.identifiers.map(
    (i) => `PatientIdentifier/${createHash('sha256').update(`${i.system}|${i.value}`).digest('hex').slice(0, 40)}`,
  );
  if (patient.ehrId !== undefined) refs.unshift(`Patient/${patient.ehrId}`);
  return refs;
}

/**
 * Records a merge event's retired references (in the router's transaction). A reference the
 * survivor also carries is not retired (a sender that repeats an identifier on both sides), and
 * the survivor's own references stop being retired by any earlier merge (a merge undone by the
 * reverse merge). Idempotent: the latest merge of a reference wins; the same event twice is one row.
 */
export async function recordMerge(tx: Sql, event: EhrEvent): Promise<number> {
  const f = event.facts;
  if (f.kind !== 'Merge' || f.scope !== 'patient') return 0;
  const survivor = patientRefsOf(event.patient);
  const surviving = new Set(survivor);
  const retired = patientRefsOf(f.retired).filter((r) => !surviving.has(r));
  await tx.query(
    `delete from workflow_patient_merges
      where connection_id = $1 and retired_ref = any($2::text[]) and merged_at <= $3`,
    [event.connectionId, survivor, event.occurredAt],
  );
  for (const ref of retired) {
    await tx.query(
      `insert into workflow_patient_merges (connection_id, retired_ref, merge_event_id, merged_at)
       values ($1, $2, $3, $4)
       on conflict (connection_id, retired_ref) do update
         set merge_event_id = excluded.merge_event_id, merged_at = excluded.merged_at
         where workflow_patient_merges.merged_at <= excluded.merged_at`,
      [event.connectionId, ref, event.id, event.occurredAt],
    );
  }
  return retired.length;
}

/**
 * The patient that survives `patient` on this connection: itself when it was never merged away,
 * else the survivor of the latest merge that retired it (followed through further merges).
 * `readEvent` reads a stored (sealed) event by id, as whoever may read the connection's journal.
 */
export async function survivingPatient(
  sql: Sql,
  connectionId: string,
  patient: PatientRef,
  readEvent: (eventId: string) => Promise<EhrEvent | undefined>,
): Promise<PatientRef> {
  let current = patient;
  const seen = new Set<string>();
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const refs = patientRefsOf(current);
    if (refs.length === 0) return current;
    const { rows } = await sql.query<{ merge_event_id: string }>(
      `select merge_event_id::text as merge_event_id from workflow_patient_merges
        where connection_id = $1 and retired_ref = any($2::text[])
        order by merged_at desc limit 1`,
      [connectionId, refs],
    );
    const id = rows[0]?.merge_event_id;
    if (id === undefined || seen.has(id)) return current;
    seen.add(id);
    const merge = await readEvent(id);
    if (merge === undefined) return current;
    current = merge.patient;
  }
  return current;
}

/**
 * Whether the EHR patient `Patient/<ehrId>` was merged away on this connection (the writer's
 * wrong-chart guard asks before every write: a proposal drafted before a merge never lands on
 * the retired chart). Merges known only by identifiers (HL7) are not seen by EHR id: a known limit.
 */
export async function isRetired(sql: Sql, connectionId: string, patientEhrId: string): Promise<boolean> {
  const { rows } = await sql.query(
    'select 1 from workflow_patient_merges where connection_id = $1 and retired_ref = $2 limit 1',
    [connectionId, `Patient/${patientEhrId}`],
  );
  return rows.length > 0;
}
