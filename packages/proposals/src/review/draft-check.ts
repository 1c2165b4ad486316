/** Checks a draft before anything is stored: the write it describes must be one the applier can make. */
import { isStewardError, ValidationError, type ErrorDetail } from '@steward/core';
import type { ActionDefinition, ActionRegistry, EhrCommit, PayloadOf } from '../actions/index.js';
import type { ProposalDraft } from '../model/index.js';

const code = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const siteName = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const key = /^[A-Za-z0-9._:-]{1,200}$/;
const reference = /^[A-Za-z]{1,64}\/[A-Za-z0-9.-]{1,64}$/;
/** The longest rationale a drafter may give (characters). */
export const MAX_RATIONALE = 8000;

/** The registered definition of a draft's action, or undefined (reported as a problem by checkDraft). */
function definitionOf(actions: ActionRegistry, type: string): ActionDefinition | undefined {
  try {
    return actions.get(type);
  } catch (e) {
    if (isStewardError(e) && e.code === 'ACTION_UNKNOWN') return undefined;
    throw e;
  }
}

export function checkDraft(d: ProposalDraft, actions: ActionRegistry): ActionDefinition {
  const problems: ErrorDetail[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  const action = typeof d.action === 'string' ? definitionOf(actions, d.action) : undefined;
  if (action === undefined) bad('action', 'not a known action type');
  if (!siteName.test(d.site)) bad('site', 'a site name');
  if (d.workflow !== undefined && !code.test(d.workflow)) bad('workflow', 'a workflow name');
  if (d.correlationId !== undefined && !key.test(d.correlationId)) bad('correlationId', '1–200 of A-Z a-z 0-9 . _ : -');
  if (d.draftKey !== undefined && !key.test(d.draftKey)) bad('draftKey', '1–200 of A-Z a-z 0-9 . _ : -');
  if (d.patient.stewardId !== undefined && !uuid.test(d.patient.stewardId)) bad('patient.stewardId', 'a uuid');
  if (typeof d.patient.ehrId !== 'string' || d.patient.ehrId === '') bad('patient.ehrId', 'required');
  if (!code.test(d.evidence.reasonCode)) bad('evidence.reasonCode', 'a short machine code');
  if (!d.evidence.eventIds.every((e) => uuid.test(e))) bad('evidence.eventIds', 'event ids (uuids)');
  if (!d.evidence.resources.every((r) => reference.test(r))) bad('evidence.resources', 'references like Type/id');
  if (d.priority !== undefined && !(Number.isInteger(d.priority) && d.priority >= 1 && d.priority <= 5))
    bad('priority', '1 (most urgent) to 5');
  if (d.dueAt !== undefined && Number.isNaN(d.dueAt.getTime())) bad('dueAt', 'a date');
  if (d.reversible === false && (d.irreversibleReason === undefined || d.irreversibleReason.trim() === ''))
    bad('irreversibleReason', 'required when the change cannot be undone: the reviewer sees it before approving');
  if (d.irreversibleReason !== undefined && d.irreversibleReason.length > 200)
    bad('irreversibleReason', 'at most 200 characters');
  if (
    d.rationale !== undefined &&
    (typeof d.rationale !== 'string' || d.rationale.trim() === '' || d.rationale.length > MAX_RATIONALE)
  )
    bad('rationale', `1–${MAX_RATIONALE} characters of reasoning`);
  if (action !== undefined) {
    if (action.commit.via === 'channel') {
      if (!reference.test(`${d.target.resourceType}/x`)) bad('target.resourceType', 'a resource type');
      checkPayload(action, d.target.id, d.payload, bad);
    } else {
      checkEhrDraft(d, action, action.commit, bad);
    }
  }
  if (problems.length > 0 || action === undefined) throw new ValidationError('the proposal is not valid', problems);
  return action;
}

function checkEhrDraft(
  d: ProposalDraft,
  action: ActionDefinition,
  spec: EhrCommit,
  bad: (path: string, message: string) => void,
): void {
  if (d.connectionId === undefined || !uuid.test(d.connectionId)) bad('connectionId', 'required for EHR actions');
  if (d.patient.identifiers.length < 2) bad('patient.identifiers', 'at least two, for the wrong-chart guard');
  if (d.target.resourceType !== spec.resourceType) bad('target.resourceType', `${spec.resourceType} for ${d.action}`);
  checkPayload(action, d.target.id, d.payload, bad);
  if (spec.write === 'update') {
    if (d.target.id === undefined) bad('target.id', 'required for an update');
    if (d.baseVersion === undefined || d.baseVersion === '') bad('baseVersion', 'required for an update');
  } else if (d.target.id !== undefined || d.baseVersion !== undefined) {
    bad('target.id', 'a create has no target id or base version');
  }
}

/**
 * The payload of an action: for an EHR action, a resource of the action's type about the target;
 * for every action, what its definition's payload schema asks (paths under `payload`).
 */
export function checkPayload(
  action: ActionDefinition,
  targetId: string | undefined,
  payload: PayloadOf,
  bad: (path: string, message: string) => void,
): void {
  const spec = action.commit;
  if (spec.via === 'ehr') {
    if (payload['resourceType'] !== spec.resourceType)
      bad('payload.resourceType', `${spec.resourceType} for ${action.type}`);
    if (spec.write === 'update' && payload['id'] !== targetId) bad('payload.id', 'the target id');
    if (spec.write === 'create' && payload['id'] !== undefined) bad('payload.id', 'none: the EHR assigns it');
  }
  const problems: ErrorDetail[] = [];
  action.payload.check(payload, '', problems);
  for (const p of problems) bad(`payload${(p.path ?? '').replaceAll('/', '.')}`, p.message);
}

/**
 * Payload fields an edit keeps: who the proposal is about (subject, for, patient, beneficiary),
 * what it acts on (id, focus, basedOn, about, the appointment a reminder is for), who receives it
 * (recipient), where replies go (correlationKey), and what kind of act it is (resourceType, the
 * message template). An edit corrects the act; changing any of these is a new proposal.
 */
const keptOnEdit = [
  'resourceType',
  'id',
  'subject',
  'for',
  'patient',
  'beneficiary',
  'focus',
  'basedOn',
  'about',
  'appointment',
  'recipient',
  'correlationKey',
  'template',
] as const;

/** Checks an edited payload against the one it replaces, for every action type (messages too). */
export function checkEdit(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  bad: (path: string, message: string) => void,
): void {
  for (const key of keptOnEdit) {
    if (canonical(before[key]) !== canonical(after[key]))
      bad(`payload.${key}`, 'an edit cannot change this: draft a new proposal instead');
  }
  // Patients named anywhere else (an appointment's participants, a contained resource) stay too.
  if (canonical(patientReferences(before)) !== canonical(patientReferences(after)))
    bad('payload', 'an edit cannot change the patients the proposal refers to');
}

function patientReferences(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (/^Patient\//.test(value) || /\/Patient\/[^/]+$/.test(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) patientReferences(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) patientReferences(v, out);
  }
  return out.sort();
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? 'undefined'
  );
}
