/**
 * @module The effect every workflow uses to act: draft a proposal. A workflow never writes to the
 * EHR or sends a message itself; it asks for a proposal (what to write, why, by when), which waits
 * for review (or an approval policy) and is committed by the applier.
 *
 * The workflow's input holds references only. Here, outside the workflow, the patient is found
 * from the sealed event the workflow cites, and completed from the EHR's Patient resource (the
 * wrong-chart guard needs two identifiers); an update is based on the EHR's current version,
 * read now, so the proposal states exactly what it would change and from which version. Both
 * reads go through the governed EHR reader as the drafting account: allowed by policy
 * (`phi.read` at the site), audited under the patient. The reader cannot write. An event whose
 * patient no EHR Patient (or two) carries is refused and reported (`patientNotFound`), so it reaches
 * a person instead of staying a failed step in the workflow's state.
 * Idempotent by the effect key: the same key drafts the same proposal once (ProposalDesk.draftKey).
 */
import {
  s,
  ValidationError,
  type EhrIdentifier,
  type Infer,
  type JsonValue,
  type PatientRef,
  type RequestContext,
} from '@steward/core';
import type { EhrReader } from '@steward/ehr';
import { builtinActions, type ActionRegistry, type ProposalDesk } from '@steward/proposals';
import { defineEffect, defineSignal, type EffectHandler } from '../engine/index.js';

const references = s.array(s.string());

/** What a workflow asks for (JSON in the engine's outbox: references and codes only). */
const draftRequest = s.object({
  /** A registered action type (`defineAction`); checked when the effect runs. */
  action: s.string(),
  connectionId: s.string(),
  workflow: s.string(),
  correlationId: s.string(),
  /** The event whose patient the proposal is for. */
  patientEventId: s.string(),
  /**
   * What is written. An update names its resource by `id`, or by `identifier` (`system|value`) when
   * the workflow never learnt the id (a Task it proposed, marked with its own identifier): found by a
   * governed search when the effect runs (none yet: refused, VALIDATION_FAILED).
   */
  target: s.object({ resourceType: s.string(), id: s.string().optional(), identifier: s.string().optional() }),
  /** For updates: the fields to change on the EHR's current version (e.g. `{ "status": "cancelled" }`). */
  changes: s.record(s.json()).optional(),
  /** For creates and channel actions: the whole payload. `{{patient}}` in a reference is the patient's EHR id. */
  payload: s.record(s.json()).optional(),
  evidence: s.object({ eventIds: references, resources: references, reasonCode: s.string() }),
  priority: s.number({ integer: true }).optional(),
  dueAt: s.string().optional(),
  reversible: s.boolean().optional(),
  irreversibleReason: s.string().optional(),
});
export type DraftRequest = Infer<typeof draftRequest>;

/** What the workflow gets back: the proposal drafted (or drafted before, for the same key) and its status. */
const drafted = s.object({ proposalId: s.string(), status: s.string() });
export type DraftedProposal = Infer<typeof drafted>;

/** The one effect through which a workflow acts: declared once, used by workflows and by the handler below. */
export const draftProposal = defineEffect('proposal.draft', { input: draftRequest, output: drafted });

/**
 * What became of a proposal a workflow drafted, when it did not land: conflicted, or failed with no
 * retry left. Sent by the applier's wiring in the server, received by the workflow that drafted it.
 */
export const proposalOutcome = defineSignal(
  'proposal-outcome',
  s.object({
    proposalId: s.string(),
    action: s.string(),
    status: s.string(),
    code: s.nullable(s.string()).optional(),
  }),
);
export type ProposalOutcomeSignal = Infer<typeof proposalOutcome.payload>;

export interface DraftProposalDeps {
  readonly desk: Pick<ProposalDesk, 'draft'>;
  /** The automation account that drafts (it may propose, never approve or write). */
  readonly ctx: RequestContext;
  readonly siteOf: (connectionId: string) => Promise<string>;
  /** The patient of a stored event (read sealed, as the connection). */
  readonly patientOf: (connectionId: string, eventId: string) => Promise<PatientRef>;
  /**
   * The patient that survives a patient now (merges honoured: `survivingPatient` in routing).
   * Without it, the event's patient is used as it was (only for tests without merges).
   */
  readonly surviving?: (connectionId: string, patient: PatientRef) => Promise<PatientRef>;
  /** The EHR, read-only and governed; read as `ctx`. */
  readonly ehr: EhrReader;
  /** The registered actions (default: the built-in ones); an update is based on the EHR's current version. */
  readonly actions?: ActionRegistry;
  /**
   * An event's patient was not found in the EHR by its identifiers (an HL7 event: none or two EHR
   * Patients carry them): called before the draft is refused, so a person sees it (the server puts
   * the event's message on the connection's attention list). The reason names no patient.
   */
  readonly patientNotFound?: (connectionId: string, eventId: string, reason: string) => Promise<void>;
}

export function draftProposalHandler(deps: DraftProposalDeps): EffectHandler {
  return draftProposal.handler(async (input, request) => {
    const actions = deps.actions ?? builtinActions;
    if (!actions.has(input.action))
      throw new ValidationError('unknown action', [{ path: 'action', message: 'not a proposal action type' }]);
    const spec = actions.get(input.action).commit;
    const ehr = spec.via === 'ehr' ? spec : undefined;
    const site = await deps.siteOf(input.connectionId);
    const cited = await deps.patientOf(input.connectionId, input.patientEventId);
    // The cited event may predate a merge (or name a retired identifier): the survivor is meant.
    const ref = deps.surviving !== undefined ? await deps.surviving(input.connectionId, cited) : cited;
    const patient = await patientGuard(deps, input.connectionId, ref).catch(async (e: unknown) => {
      // Refused, not failed: only a person can settle which chart (or that there is none).
      if (e instanceof ValidationError && ref.ehrId === undefined)
        await deps.patientNotFound?.(
          input.connectionId,
          input.patientEventId,
          `${e.message}: the ${input.workflow} workflow's ${input.action} proposal was not drafted; ` +
            "check the patient's identifiers in the EHR",
        );
      throw e;
    });
    let payload: Record<string, unknown> = fillPatient(input.payload ?? {}, patient.ehrId);
    let baseVersion: string | undefined;
    let target: { resourceType: string; id?: string } = {
      resourceType: input.target.resourceType,
      ...(input.target.id !== undefined ? { id: input.target.id } : {}),
    };
    if (ehr?.write === 'update') {
      const id = input.target.id ?? (await idByIdentifier(deps, input.connectionId, ehr.resourceType, input.target));
      if (id === undefined)
        throw new ValidationError('an update needs its target', [
          {
            path: input.target.identifier !== undefined ? 'target.identifier' : 'target.id',
            message: 'not in the EHR',
          },
        ]);
      target = { resourceType: input.target.resourceType, id };
      const current = await deps.ehr.read(deps.ctx, input.connectionId, { resourceType: ehr.resourceType, id });
      baseVersion = current.versionId;
      payload = { ...current.resource, ...(input.changes ?? {}) };
    }
    const summary = await deps.desk.draft(deps.ctx, {
      action: input.action,
      ...(ehr !== undefined ? { connectionId: input.connectionId } : {}),
      site,
      workflow: input.workflow,
      correlationId: input.correlationId,
      // The engine's key (`<workflow>/<step>/<n>`) in the proposal's key alphabet: same key, same draft.
      draftKey: request.key.replaceAll('/', ':'),
      patient,
      target,
      ...(baseVersion !== undefined ? { baseVersion } : {}),
      payload,
      evidence: input.evidence,
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.dueAt !== undefined ? { dueAt: new Date(input.dueAt) } : {}),
      ...(input.reversible !== undefined ? { reversible: input.reversible } : {}),
      ...(input.irreversibleReason !== undefined ? { irreversibleReason: input.irreversibleReason } : {}),
    });
    return { proposalId: summary.id, status: summary.status };
  });
}

/** The one resource carrying the target's identifier (none or several: undefined). */
async function idByIdentifier(
  deps: DraftProposalDeps,
  connectionId: string,
  resourceType: string,
  target: { readonly identifier?: string | undefined },
): Promise<string | undefined> {
  if (target.identifier === undefined) return undefined;
  const found = await deps.ehr.search(deps.ctx, connectionId, resourceType, { identifier: target.identifier });
  const ids = new Set(found.flatMap((r) => (typeof r.resource['id'] === 'string' ? [r.resource['id']] : [])));
  const [id] = ids;
  return ids.size === 1 ? id : undefined;
}

/** What finding a chart needs: the governed EHR reader and who reads. */
export interface ChartReads {
  readonly ehr: Pick<EhrReader, 'search' | 'patient'>;
  readonly ctx: RequestContext;
}

/**
 * EHR id and two identifiers (the wrong-chart guard's): from the event, completed from the EHR's
 * Patient when it has fewer. Also how intake finds the chart a document is filed in.
 */
export async function patientGuard(
  deps: ChartReads,
  connectionId: string,
  ref: PatientRef,
): Promise<{ ehrId: string; identifiers: readonly EhrIdentifier[] }> {
  let identifiers = ref.identifiers.filter((i) => i.system !== '' && i.value !== '');
  const ehrId = ref.ehrId ?? (await ehrIdByIdentifier(deps, connectionId, identifiers));
  if (identifiers.length < 2) {
    identifiers = [...(await deps.ehr.patient(deps.ctx, connectionId, ehrId)).identifiers];
  }
  return { ehrId, identifiers };
}

/**
 * An HL7 v2 event knows its patient by identifiers (PID-3: an MRN and its authority), not by the
 * EHR's id: the EHR's Patient carrying one of them is the patient, found by a governed search. None,
 * or two different patients for one identifier, is refused (never a guess at the chart).
 */
async function ehrIdByIdentifier(
  deps: ChartReads,
  connectionId: string,
  identifiers: readonly EhrIdentifier[],
): Promise<string> {
  if (identifiers.length === 0)
    throw new ValidationError('the event names no EHR patient id', [{ path: 'patient.ehrId', message: 'required' }]);
  for (const i of identifiers) {
    const found = await deps.ehr.search(deps.ctx, connectionId, 'Patient', { identifier: `${i.system}|${i.value}` });
    const ids = new Set(found.flatMap((r) => (typeof r.resource['id'] === 'string' ? [r.resource['id']] : [])));
    if (ids.size > 1)
      throw new ValidationError("the event's patient identifier matches more than one EHR patient", [
        { path: 'patient.identifiers', message: 'ambiguous' },
      ]);
    const [id] = ids;
    if (id !== undefined) return id;
  }
  throw new ValidationError("no EHR patient carries the event's patient identifiers", [
    { path: 'patient.identifiers', message: 'not found in the EHR' },
  ]);
}

function fillPatient(value: Readonly<Record<string, JsonValue>>, ehrId: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value).replaceAll('{{patient}}', ehrId)) as Record<string, unknown>;
}
