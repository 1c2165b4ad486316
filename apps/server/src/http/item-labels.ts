/**
 * @module What a person needs to recognise a list item, added to the services' answers at the HTTP
 * edge: the patient as the clinic's minimum-necessary rule lets the reader see it (`PatientLabels`,
 * an audited PHI read when anything is shown) and actors' names instead of bare ids.
 */
import type { PatientIdentifier, RequestContext } from '@steward/core';
import type { LabelRequest, PatientLabel } from '@steward/clinic';
import type { Kernel } from '../kernel.js';

type Deps = Pick<Kernel, 'patientLabels' | 'roster' | 'workflowPatients' | 'workflowPatientsByKey'>;
type WorkflowDeps = Pick<Kernel, 'patientLabels' | 'workflowPatients'>;

interface ProposalLike {
  readonly site: string;
  readonly patientId?: string | undefined;
  readonly workflow?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly draftedBy: { readonly kind: string; readonly id: string };
  readonly approvedBy?: { readonly kind: string; readonly id: string } | undefined;
  readonly assigneeId?: string | undefined;
  readonly history?: readonly { readonly actor: { readonly kind: string; readonly id: string } }[];
}

/** Proposals with their patient labelled and their drafter, approver, assignee and history's actors named. */
export async function labelProposals<T extends ProposalLike>(
  deps: Deps,
  ctx: RequestContext,
  items: readonly T[],
  identifiersOf: (item: T) => readonly PatientIdentifier[] | undefined = () => undefined,
): Promise<(T & { patientLabel?: PatientLabel; assigneeName?: string })[]> {
  // A proposal a workflow drafted without a Steward patient is for its workflow's patient.
  const unmatched = items.flatMap((p) =>
    p.patientId === undefined && p.workflow !== undefined && p.correlationId !== undefined
      ? [{ type: p.workflow, key: p.correlationId }]
      : [],
  );
  const viaWorkflow = await deps.workflowPatientsByKey(unmatched);
  const patientOf = (p: T): string | undefined =>
    p.patientId ?? (p.workflow !== undefined ? viaWorkflow.get(`${p.workflow} ${p.correlationId ?? ''}`) : undefined);
  const asked = items.flatMap((p): LabelRequest[] => {
    const patientId = patientOf(p);
    if (patientId === undefined) return [];
    const identifiers = identifiersOf(p);
    return [{ patientId, site: p.site, ...(identifiers !== undefined ? { identifiers } : {}) }];
  });
  const labels = await deps.patientLabels.label(ctx, asked);
  const byItem = new Map(asked.map((a, i) => [a, labels[i]]));
  const names = await deps.roster.actorNames(
    items.flatMap((p) => [
      p.draftedBy.id,
      ...(p.approvedBy !== undefined ? [p.approvedBy.id] : []),
      p.assigneeId ?? '',
      ...(p.history ?? []).map((h) => h.actor.id),
    ]),
  );
  const named = <A extends { readonly id: string }>(a: A): A & { name?: string } => {
    const name = names.get(a.id);
    return name !== undefined ? { ...a, name } : a;
  };
  let next = 0;
  return items.map((p) => {
    const label = patientOf(p) !== undefined ? byItem.get(asked[next++]!) : undefined;
    const assigneeName = p.assigneeId !== undefined ? names.get(p.assigneeId) : undefined;
    return {
      ...p,
      draftedBy: named(p.draftedBy),
      ...(p.approvedBy !== undefined ? { approvedBy: named(p.approvedBy) } : {}),
      ...(p.history !== undefined ? { history: p.history.map((h) => ({ ...h, actor: named(h.actor) })) } : {}),
      ...(label !== undefined ? { patientLabel: label } : {}),
      ...(assigneeName !== undefined ? { assigneeName } : {}),
    };
  });
}

/** Workflow items (referrals, follow-ups) with the patient of the event they were started by, labelled. */
export async function labelWorkflowItems<T extends { readonly site: string | null }>(
  deps: WorkflowDeps,
  ctx: RequestContext,
  items: readonly T[],
  idOf: (item: T) => string,
): Promise<(T & { patientLabel?: PatientLabel })[]> {
  const patients = await deps.workflowPatients(items.map(idOf));
  const asked = items.flatMap((item): LabelRequest[] => {
    const patientId = patients.get(idOf(item));
    return patientId !== undefined && item.site !== null ? [{ patientId, site: item.site }] : [];
  });
  const labels = await deps.patientLabels.label(ctx, asked);
  const byWorkflow = new Map<string, PatientLabel>();
  let i = 0;
  for (const item of items) {
    const patientId = patients.get(idOf(item));
    if (patientId === undefined || item.site === null) continue;
    const label = labels[i++];
    if (label !== undefined) byWorkflow.set(idOf(item), label);
  }
  return items.map((item) => {
    const label = byWorkflow.get(idOf(item));
    return label !== undefined ? { ...item, patientLabel: label } : item;
  });
}

/**
 * Audit entries with their patients named where the reader may see them (a user holding both an
 * audit grant and a coordinator's at the entry's site); a reader without PHI read gets ids only.
 */
export async function labelAuditEntries<
  T extends { readonly patientIds: readonly string[]; readonly site?: string | undefined },
>(
  deps: Pick<Kernel, 'patientLabels'>,
  ctx: RequestContext,
  entries: readonly T[],
): Promise<(T & { patients?: PatientLabel[] })[]> {
  const asked = entries.flatMap((e): LabelRequest[] =>
    e.site === undefined ? [] : e.patientIds.map((patientId) => ({ patientId, site: e.site! })),
  );
  if (asked.length === 0) return [...entries];
  const labels = await deps.patientLabels.label(ctx, asked);
  let i = 0;
  return entries.map((e) => {
    if (e.site === undefined) return e;
    const mine = labels.slice(i, i + e.patientIds.length);
    i += e.patientIds.length;
    return mine.some((l) => l.name !== undefined) ? { ...e, patients: mine } : e;
  });
}
