/**
 * @module The `HandoffSink` port: how intake raises a handoff (a person, pool or role at a site is
 * asked to do something about a document by a deadline), and its in-memory implementation. The
 * server wires the handoff service (`HandoffService.create`) behind it; intake only asks.
 */
import { newId, type RequestContext } from '@steward/core';

/** The handoffs intake raises. */
export const intakeHandoffKinds = [
  /** The classifier abstained: a person sets the type. */
  'intake.sort',
  /** No certain patient: a person finds the patient. */
  'intake.match',
  /** The checklist found something missing: ask the sender for it. */
  'intake.incomplete',
  /** A consult note or result whose referral intake could not choose (several await a report): link it. */
  'intake.link-referral',
  /** A referral letter was filed: the referral's next step is someone's. */
  'referral.next-step',
  /** A filed result, records request or prior authorization: someone acts on it. */
  'intake.follow-up',
] as const;
export type IntakeHandoffKind = (typeof intakeHandoffKinds)[number];

export type HandoffTarget =
  /** A pool; `orRole` is who gets it at the site while the pool has no one in it (default the front desk). */
  | { readonly kind: 'pool'; readonly id: string; readonly orRole?: string }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'person'; readonly id: string };

export interface HandoffRequest {
  readonly site: string;
  readonly kind: IntakeHandoffKind;
  /** What it is about: always the intake document (its page names the patient, if matched). */
  readonly subject: { readonly kind: 'document'; readonly id: string; readonly patientId?: string };
  readonly to: HandoffTarget;
  /** What is asked, for the recipient to read: names what is missing and whom to ask. */
  readonly ask: string;
  readonly due: Date;
}

export interface HandoffSink {
  create(ctx: RequestContext, request: HandoffRequest): Promise<{ readonly id: string }>;
}

/** Keeps the handoffs raised, in order: for tests, and a deployment without the handoff service yet. */
export class InMemoryHandoffs implements HandoffSink {
  readonly raised: (HandoffRequest & { readonly id: string; readonly by: string })[] = [];

  create(ctx: RequestContext, request: HandoffRequest): Promise<{ readonly id: string }> {
    const id = newId();
    this.raised.push({ ...request, id, by: ctx.actor.id });
    return Promise.resolve({ id });
  }

  of(kind: IntakeHandoffKind): (HandoffRequest & { readonly id: string })[] {
    return this.raised.filter((h) => h.kind === kind);
  }
}
