/**
 * @module Where proposals stand now, by id: status codes and the revision that replaced each (no
 * payload, no PHI). A workflow's own record of a proposal is what it was when drafted; its
 * timeline asks here so it shows the proposal's real state (written, rejected, revised, failed).
 */
import type { Sql } from '@steward/store';
import type { ProposalStatus } from '../model/proposal.js';

export interface ProposalState {
  readonly status: ProposalStatus;
  /** The last revision of the lineage (this id when it was never revised). */
  readonly latestId: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Revisions followed at most (an edit makes one; a chain this long is a runaway). */
const MAX_HOPS = 20;

/** Each known proposal's current state, following edits to the latest revision. */
export async function proposalStates(db: Sql, ids: readonly string[]): Promise<ReadonlyMap<string, ProposalState>> {
  const asked = [...new Set(ids.filter((id) => uuid.test(id)))];
  const rows = new Map<string, { status: ProposalStatus; next: string | null }>();
  let todo = asked;
  for (let hop = 0; hop < MAX_HOPS && todo.length > 0; hop++) {
    const { rows: found } = await db.query<{ id: string; status: ProposalStatus; superseded_by: string | null }>(
      'select id::text as id, status, superseded_by::text as superseded_by from proposals where id = any($1::uuid[])',
      [todo],
    );
    for (const r of found) rows.set(r.id, { status: r.status, next: r.superseded_by });
    todo = found.flatMap((r) => (r.superseded_by !== null && !rows.has(r.superseded_by) ? [r.superseded_by] : []));
  }
  const out = new Map<string, ProposalState>();
  for (const id of asked) {
    let at = id;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const next = rows.get(at)?.next;
      if (next === null || next === undefined || !rows.has(next)) break;
      at = next;
    }
    const row = rows.get(at);
    if (row !== undefined) out.set(id, { status: row.status, latestId: at });
  }
  return out;
}
