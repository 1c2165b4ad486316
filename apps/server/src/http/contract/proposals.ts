/**
 * @module Proposals from outside (issue 18, ADR 0017): what an agent or automation service sends to
 * draft one, and how it follows what it drafted — ids, codes, times and the outcome in platform
 * words (`proposalOutcome` of packages/proposals), never the patient or the payload back.
 */
import { Type, type Static } from 'typebox';
import { MAX_RATIONALE, proposalOutcomes, proposalStatuses, type ActionRegistry } from '@steward/proposals';
import { DateTime, Maybe, Page, SiteCode, Strict, Uuid, uuidPattern } from './common.js';
import { ActionName, actionTypeOf, ProposalStatus } from './review.js';

const code = '^[a-z0-9][a-z0-9._-]{0,63}$';
const reference = '^[A-Za-z]{1,64}/[A-Za-z0-9.-]{1,64}$';
const statusList = `^(${proposalStatuses.join('|')})(,(${proposalStatuses.join('|')}))*$`;
const outcomeList = `^(${proposalOutcomes.join('|')})(,(${proposalOutcomes.join('|')}))*$`;

/** A draft from an outside service; the action type is one the server's registry holds. */
export const draftBody = (actions: ActionRegistry) =>
  Strict({
    action: actionTypeOf(actions),
    connectionId: Type.Optional(
      Type.String({ pattern: uuidPattern, description: 'the EHR connection; required for EHR actions' }),
    ),
    site: SiteCode,
    workflow: Type.String({
      pattern: code,
      description: 'the workflow it drafts in: the grant must cover it (X-Steward-Workflow, if sent, must be the same)',
    }),
    patient: Strict({
      ehrId: Type.String({ minLength: 1, maxLength: 200, description: "the patient's id in the EHR" }),
      identifiers: Type.Array(
        Strict({
          system: Type.String({ minLength: 1, maxLength: 300 }),
          value: Type.String({ minLength: 1, maxLength: 300 }),
        }),
        {
          minItems: 1,
          maxItems: 20,
          description: "the patient's identifiers (MRN and another): at least two for an EHR write's wrong-chart guard",
        },
      ),
    }),
    target: Strict({
      resourceType: Type.String({ pattern: '^[A-Za-z]{1,64}$' }),
      id: Type.Optional(
        Type.String({ pattern: '^[A-Za-z0-9.-]{1,64}$', description: 'for an update; none for a create' }),
      ),
    }),
    baseVersion: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'the EHR version the payload is based on (updates)' }),
    ),
    payload: Type.Unsafe<Record<string, unknown>>(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description:
            "what would be written: a FHIR R4 resource for an EHR action, checked by the action's definition",
        },
      ),
    ),
    evidence: Strict(
      {
        eventIds: Type.Optional(
          Type.Array(Uuid, {
            maxItems: 100,
            uniqueItems: true,
            description:
              "EHR event ids (the journal's, or the events-out event made from one): each must be filed at the draft's site and of its patient, else 400 naming its index (evidence/eventIds/<i>)",
          }),
        ),
        resources: Type.Optional(
          Type.Array(Type.String({ pattern: reference }), {
            maxItems: 100,
            uniqueItems: true,
            description: 'FHIR references, like Appointment/123',
          }),
        ),
        reasonCode: Type.Optional(
          Type.String({ pattern: code, description: 'a short machine code (default outside-draft), never PHI' }),
        ),
      },
      { description: 'why: at least one event id or resource reference' },
    ),
    rationale: Type.String({
      minLength: 1,
      maxLength: MAX_RATIONALE,
      description: 'the reasoning, shown to the reviewer (free text: may name the patient; sealed at rest)',
    }),
    draftKey: Type.String({
      pattern: '^[A-Za-z0-9._:-]{1,150}$',
      description:
        'idempotency key: a retry with the same key and content returns the same proposal (200); other content under it is refused (409)',
    }),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: '1 most urgent; default 3' })),
    dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  });
export type DraftBody = Static<ReturnType<typeof draftBody>>;

/** The outcome in platform words (packages/proposals `proposalOutcome`). */
export const ProposalOutcome = Type.Object({
  outcome: Type.Enum(proposalOutcomes),
  settled: Type.Boolean({ description: 'the proposal will not move again by itself' }),
  reason: Maybe(Type.String({ description: "rejected: the reviewer's reason; rolled-back: why it was undone" })),
  nextId: Maybe(Type.String({ description: 'conflicted or superseded: the revision that replaced this one' })),
  error: Maybe(Type.Object({ code: Type.String(), retryable: Type.Boolean(), willRetry: Type.Boolean() })),
});

/** A proposal as its outside drafter follows it. */
export const DraftedProposal = Type.Object({
  id: Type.String(),
  lineageId: Type.String(),
  revision: Type.Integer(),
  status: ProposalStatus,
  outcome: ProposalOutcome,
  action: ActionName,
  connectionId: Maybe(Type.String()),
  site: Type.String(),
  workflow: Maybe(Type.String()),
  draftKey: Maybe(Type.String()),
  target: Type.Object({ resourceType: Type.String(), id: Maybe(Type.String()) }),
  baseVersion: Maybe(Type.String()),
  contentHash: Type.String(),
  reasonCode: Type.String(),
  supersedes: Maybe(Type.String()),
  supersededBy: Maybe(Type.String()),
  approvedAt: Maybe(DateTime),
  committed: Maybe(Type.Object({ id: Maybe(Type.String()), version: Maybe(Type.String()) })),
  createdAt: DateTime,
  updatedAt: DateTime,
  links: Type.Object({
    self: Type.String(),
    /** The revision that replaced this one (after a conflict, the rebased one). */
    next: Maybe(Type.String()),
    previous: Maybe(Type.String()),
  }),
});
export type DraftedProposal = Static<typeof DraftedProposal>;

export const DraftedPage = Page(DraftedProposal);

export const DraftedQuery = Strict({
  status: Type.Optional(Type.String({ pattern: statusList, description: 'comma-separated statuses' })),
  outcome: Type.Optional(Type.String({ pattern: outcomeList, description: 'comma-separated outcomes' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'changed at or after' })),
  cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' })),
});
