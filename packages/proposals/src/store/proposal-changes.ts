/**
 * @module The proposals' status changes in the order they were committed, for the events outbox
 * (issue 18: proposal outcomes published to subscribers). Ids and codes only, no sealed column:
 * the history row's move, with the proposal's site, patient (Steward id), action and target.
 * Every move is written inside an audited transaction, and the audit writer holds its lock from
 * before the first write to the commit, so `seq` is handed out in commit order: reading after the
 * last seq seen never skips a move committed late.
 */
import type { Sql } from '@steward/store';
import type { ProposalStatus } from '../model/proposal.js';

export interface ProposalChange {
  /** The history row's position: read on from the last one seen. */
  readonly seq: number;
  readonly proposalId: string;
  readonly revision: number;
  readonly from: ProposalStatus | undefined;
  readonly to: ProposalStatus;
  readonly at: Date;
  /** The move's machine reason (`rebased`, `exhausted`, `read-back`), never text. */
  readonly reasonCode: string | undefined;
  readonly actionType: string;
  readonly site: string;
  readonly patientId: string | undefined;
  readonly connectionId: string | undefined;
  /** The EHR resource written or to be written (its type, and its id once known). */
  readonly targetType: string;
  readonly targetId: string | undefined;
  readonly workflow: string | undefined;
  readonly draftedBy: { readonly kind: string; readonly id: string };
}

interface ChangeRow {
  seq: string | number;
  proposal_id: string;
  revision: number;
  from_status: ProposalStatus | null;
  to_status: ProposalStatus;
  at: Date;
  reason_code: string | null;
  action_type: string;
  site: string;
  patient_id: string | null;
  connection_id: string | null;
  target_type: string;
  target_id: string | null;
  workflow: string | null;
  drafted_by_kind: string;
  drafted_by_id: string;
}

/** The moves after `afterSeq`, oldest first, at most `limit` (1..10,000). */
export async function proposalChangesSince(sql: Sql, afterSeq: number, limit: number): Promise<ProposalChange[]> {
  const { rows } = await sql.query<ChangeRow>(
    `select h.seq, h.proposal_id::text as proposal_id, h.revision, h.from_status, h.to_status, h.at, h.reason_code,
            p.action_type, p.site, p.patient_id::text as patient_id, p.connection_id::text as connection_id,
            p.target_type, coalesce(p.committed_id, p.target_id) as target_id, p.workflow,
            p.drafted_by_kind, p.drafted_by_id
       from proposal_history h join proposals p on p.id = h.proposal_id
      where h.seq > $1 order by h.seq limit $2`,
    [afterSeq, Math.max(1, Math.min(limit, 10_000))],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    proposalId: r.proposal_id,
    revision: r.revision,
    from: r.from_status ?? undefined,
    to: r.to_status,
    at: r.at,
    reasonCode: r.reason_code ?? undefined,
    actionType: r.action_type,
    site: r.site,
    patientId: r.patient_id ?? undefined,
    connectionId: r.connection_id ?? undefined,
    targetType: r.target_type,
    targetId: r.target_id ?? undefined,
    workflow: r.workflow ?? undefined,
    draftedBy: { kind: r.drafted_by_kind, id: r.drafted_by_id },
  }));
}
