/**
 * @module The journal's side of the patient index: every event of a filing gets its Steward
 * patient from the `PatientResolver` in the filing transaction, and receipts, reads and their
 * audit entries name those patients.
 */
import type { EhrEvent, RequestContext } from '@steward/core';
import type { Sql } from '@steward/store';
import type { Filing, PreparedEvent } from './ehr-inbound-rows.js';
import type { PatientKeyCheck, PatientResolver, ResolvableSubject } from './patient-resolver.js';

type Group = { ctx: RequestContext; site: string; items: (PreparedEvent | ResolvableSubject)[] };

/** The filings' patients to resolve, one group per filer and site (the filings of one writer transaction usually share both). */
function groupsOf(filings: readonly Filing[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of filings) {
    const subject = f.events.length === 0 ? f.message.subject : undefined;
    if (f.filedBy === undefined || (f.events.length === 0 && subject === undefined)) continue;
    const key = `${f.filedBy.ctx.actor.id}\u0000${f.filedBy.site}`;
    const group = groups.get(key) ?? { ctx: f.filedBy.ctx, site: f.filedBy.site, items: [] };
    if (subject !== undefined) group.items.push({ id: f.messageId, connectionId: f.message.connectionId, subject });
    else group.items.push(...f.events);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The filings with the ids resolved (by event id, or by message id for a subject). */
function withIds(filings: readonly Filing[], ids: ReadonlyMap<string, string | undefined>): readonly Filing[] {
  return filings.map((f) =>
    f.events.length === 0
      ? ids.has(f.messageId)
        ? { ...f, subjectPatientId: ids.get(f.messageId) }
        : f
      : { ...f, events: f.events.map((e) => ({ ...e, patientId: ids.get(e.id) })) },
  );
}

/**
 * Gives every event of the filings its Steward patient, and every filing without events the
 * patient its message is about (`subject`, when it says), one resolver call per filer and site
 * (the filings of one writer transaction usually share both), inside the filing transaction.
 */
export async function resolvePatients(
  resolver: PatientResolver,
  tx: Sql,
  filings: readonly Filing[],
): Promise<readonly Filing[]> {
  const ids = new Map<string, string | undefined>();
  for (const g of groupsOf(filings)) {
    const resolved = await resolver.resolveEvents(tx, g.ctx, g.site, g.items);
    g.items.forEach((e, i) => ids.set(e.id, resolved[i]));
  }
  return withIds(filings, ids);
}

/**
 * The same, outside any transaction, when no filing's patient needs a write
 * (`PatientResolver.resolveKnown`): the filings with their patients and what the resolution read,
 * for the one-round-trip statement to verify under the audit lock. Undefined when the resolver
 * cannot (no `resolveKnown`) or some patient needs a write: the filings then take the general path.
 */
export async function resolveKnownPatients(
  resolver: PatientResolver,
  filings: readonly Filing[],
): Promise<{ readonly filings: readonly Filing[]; readonly checks: readonly PatientKeyCheck[] } | undefined> {
  if (resolver.resolveKnown === undefined) return undefined;
  const ids = new Map<string, string | undefined>();
  const checks: PatientKeyCheck[] = [];
  for (const g of groupsOf(filings)) {
    const known = await resolver.resolveKnown(g.ctx, g.site, g.items);
    if (known === undefined || known.ids.length !== g.items.length) return undefined;
    g.items.forEach((e, i) => ids.set(e.id, known.ids[i]));
    checks.push(...known.checks);
  }
  return { filings: withIds(filings, ids), checks };
}

/**
 * The Steward patients a filing's receipt names, each once: those its events resolved to (filed
 * now, or before under the same change: the message about them was received all the same), or
 * the patient the message is about when it files no event.
 */
export function patientsOf(filing: Filing): readonly string[] {
  const ids = filing.events.flatMap((e) => (e.patientId === undefined ? [] : [e.patientId]));
  if (filing.subjectPatientId !== undefined) ids.push(filing.subjectPatientId);
  return [...new Set(ids)];
}

export const patientIdsOf = (events: readonly EhrEvent[]): { patientIds?: readonly string[] } => {
  const ids = [...new Set(events.flatMap((e) => (e.patientId === undefined ? [] : [e.patientId])))];
  return ids.length === 0 ? {} : { patientIds: ids };
};

export const patientOf = (r: { patient_id: string | null }): { patientId?: string } =>
  r.patient_id === null ? {} : { patientId: r.patient_id };

/**
 * The Steward patient each filed event resolved to, by event id (events without one, or unknown,
 * are left out). Ids only, no PHI read: callers that show the patient go through the clinic's
 * governed, audited `PatientLabels`.
 */
export async function eventPatients(db: Sql, eventIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const ids = [...new Set(eventIds)].filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; patient_id: string }>(
    `select id::text as id, patient_id::text as patient_id from ehr_events
      where id = any($1::uuid[]) and patient_id is not null`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.patient_id]));
}

/**
 * The ids of the events filed for these Steward patients (ids only, no PHI read), newest first, at
 * most `limit`: how a workflow finds the workflows of one patient (the patient page).
 */
export async function patientEventIds(
  db: Sql,
  patientIds: readonly string[],
  limit = 5000,
): Promise<readonly string[]> {
  if (patientIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    'select id::text as id from ehr_events where patient_id = any($1::uuid[]) order by seq desc limit $2',
    [patientIds, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Where each filed event came from: its connection and the Steward patient it resolved to, by
 * event id (unknown ids left out). Ids only, no PHI read: what a draft's cited evidence is checked
 * against (the caller finds the connection's site).
 */
export async function eventOrigins(
  db: Sql,
  eventIds: readonly string[],
): Promise<ReadonlyMap<string, { readonly connectionId: string; readonly patientId?: string }>> {
  const ids = [...new Set(eventIds)].filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; connection_id: string; patient_id: string | null }>(
    `select id::text as id, connection_id::text as connection_id, patient_id::text as patient_id
       from ehr_events where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { connectionId: r.connection_id, ...(r.patient_id !== null ? { patientId: r.patient_id } : {}) },
    ]),
  );
}
