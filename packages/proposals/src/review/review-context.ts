/** What the review desk, the policy book and the applier share: their dependencies and the audit entry shape. */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type FieldCipher,
  type GrantStore,
  type PatientLookup,
  type PolicyDecisionPoint,
  type TransactionalAudit,
} from '@steward/governance';
import type { Database } from '@steward/store';
import { builtinActions, type ActionRegistry } from '../actions/index.js';
import type { Evidence, ProposalActor, ProposalPatient } from '../model/index.js';
import type { ProposalRow } from '../store/index.js';

export interface ProposalDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  /** Read to check the role an approval policy names (the decision point answers yes or no, not which role). */
  readonly grants: Pick<GrantStore, 'forPrincipal' | 'ofActor'>;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
  /** The actions proposals may take. Default: the built-in ones; a deployment adds its own (docs/extending.md). */
  readonly actions?: ActionRegistry;
  /**
   * Finds the Steward patient of a draft that came without one (its EHR id on the connection,
   * its identifiers), so every audit entry about the proposal names it. Without: only drafts that
   * carry `patient.stewardId` name a patient.
   */
  readonly patients?: PatientLookup;
  /**
   * Where the events a draft cites come from (site, Steward patient), by id: an outside draft's
   * `evidence.eventIds` must each be an event of its site and patient. Without: not checked.
   */
  readonly evidence?: EvidenceEvents;
}

/** Looks up cited events (the EHR journal's, or events out's made from them); unknown ids are left out. */
export interface EvidenceEvents {
  origins(ids: readonly string[]): Promise<ReadonlyMap<string, { readonly site: string; readonly patientId?: string }>>;
}

export function clockOf(deps: ProposalDeps): Clock {
  return deps.clock ?? systemClock;
}

export function actionsOf(deps: ProposalDeps): ActionRegistry {
  return deps.actions ?? builtinActions;
}

export function actorOf(ctx: RequestContext): ProposalActor {
  return { kind: ctx.actor.kind, id: ctx.actor.id };
}

/**
 * The Steward patients a read of a proposal names: the one recorded when it was drafted, else
 * (a proposal drafted before the index knew its patient) the one the index finds now.
 */
export async function patientIdsOf(
  deps: ProposalDeps,
  row: Pick<ProposalRow, 'patient_id' | 'connection_id' | 'site'>,
  patient: ProposalPatient,
): Promise<readonly string[]> {
  if (row.patient_id !== null) return [row.patient_id];
  const found =
    patient.stewardId ??
    (await deps.patients?.patientIdOf({
      connectionId: row.connection_id ?? '',
      site: row.site,
      ...(row.connection_id !== null ? { ehrId: patient.ehrId } : {}),
      identifiers: patient.identifiers,
    }));
  return found !== undefined ? [found] : [];
}

type Event = Extract<AuditEntryInput['event'], `proposal.${string}`>;

/** One `proposal.*` audit entry about `row`: ids and codes only. */
export function proposalEntry(
  ctx: RequestContext,
  event: Event,
  row: Pick<ProposalRow, 'id' | 'revision' | 'site' | 'workflow' | 'patient_id' | 'action_type'>,
  options: {
    readonly outcome?: AuditEntryInput['outcome'];
    readonly reason?: string;
    readonly purposeOfUse?: AuditEntryInput['purposeOfUse'];
  } = {},
): AuditEntryInput {
  const workflow = row.workflow ?? ctx.workflow;
  return {
    actor: ctx.actor,
    event,
    action: event === 'proposal.drafted' ? 'C' : event === 'proposal.committed' ? 'U' : 'E',
    outcome: options.outcome ?? 'success',
    ...(row.patient_id !== null ? { patientIds: [row.patient_id] } : {}),
    entity: { kind: 'Proposal', id: row.id, version: row.revision },
    fields: [row.action_type],
    site: row.site,
    ...(workflow !== undefined ? { workflow } : {}),
    ...((options.purposeOfUse ?? ctx.purposeOfUse) !== undefined
      ? { purposeOfUse: options.purposeOfUse ?? ctx.purposeOfUse }
      : {}),
    source: sourceOf(ctx),
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
  };
}

/** The sealed part of a proposal: what it writes, for whom, and why. */
export interface SealedBody {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly patient: ProposalPatient;
  readonly evidence: Evidence;
}
