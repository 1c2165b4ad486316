/**
 * @module Which EHR events belong to which referral. A referral ServiceRequest starts a workflow
 * keyed `referral:<connectionId>:<ServiceRequest id>`; Tasks (focus/basedOn), appointments
 * (basedOn), encounters (basedOn) and documents (context.related) that name the ServiceRequest
 * signal it directly. An appointment based on the referral is linked to it, and so is an
 * encounter found through it, so that later events naming only `Appointment/<id>` (an encounter's
 * `appointment`, a status change) or `Encounter/<id>` (a consult note's context) still find it.
 *
 * HL7 v2 carries identifiers, not EHR ids: a REF referral is keyed and linked by a hash of its
 * identifier (`Identifier/<sha-256 prefix>`, so no identifier value lands in workflow tables),
 * and SIU/MDM order tokens (`system|value`) are looked up by the same hash.
 *
 * Known limit: ReferralFacts carry no ServiceRequest.category, so telling a referral from a lab
 * or imaging order uses the intent and the service label (see `looksLikeReferral`); pass
 * `isReferral` to decide otherwise.
 */
import { createHash } from 'node:crypto';
import type { EhrEvent, ParticipantRef, ReferralFacts } from '@steward/core';
import type { Route, RouteAction } from '../routing/index.js';
import {
  asJson,
  REFERRAL_WORKFLOW,
  type ParticipantNote,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from './referral-model.js';

export interface ReferralRouteOptions {
  /** The site of a connection (kept in the workflow's state for lists and reports). */
  readonly siteOf?: (connectionId: string) => Promise<string | undefined>;
  readonly isReferral?: (facts: ReferralFacts, event: EhrEvent) => boolean;
}

const orderIntents = new Set(['order', 'original-order', 'plan', 'directive']);

/**
 * The default rule: an active request with an ordering intent that arrived as an HL7 REF message
 * or whose service label says referral or consult.
 */
export function looksLikeReferral(facts: ReferralFacts, event: EhrEvent): boolean {
  if (facts.status !== 'active') return false;
  if (facts.intent !== undefined && !orderIntents.has(facts.intent)) return false;
  return event.sourceRef.startsWith('REF^') || /\b(referr|consult)/i.test(facts.service ?? '');
}

/** The correlation key of a referral. `id` is the ServiceRequest's EHR id (or `h-<hash>` for HL7). */
export function referralKey(connectionId: string, id: string): string {
  return `referral:${connectionId}:${id}`;
}

/** `Identifier/<hash>`: how an identifier is linked without storing its value. */
export function identifierLink(token: string): string {
  return `Identifier/${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}

const srPrefix = 'ServiceRequest/';

export function createReferralRoute(options: ReferralRouteOptions = {}): Route {
  const isReferral = options.isReferral ?? looksLikeReferral;
  return async (event, links) => {
    const f = event.facts;
    const direct = (refs: readonly string[]): string | undefined => {
      const sr = refs.find((r) => r.startsWith(srPrefix));
      return sr !== undefined ? referralKey(event.connectionId, sr.slice(srPrefix.length)) : undefined;
    };
    /** The referral of the first reference (or identifier token) that was linked to one. */
    const linked = async (refs: readonly string[]): Promise<string | undefined> => {
      for (const r of refs) {
        const key = await links(r.includes('|') ? identifierLink(r) : r);
        if (key !== undefined) return key;
      }
      return undefined;
    };
    const signal = (key: string, name: string, payload: ReferralSignalPayload): RouteAction => ({
      kind: 'signal',
      type: REFERRAL_WORKFLOW,
      correlationKey: key,
      name,
      payload: asJson(payload),
    });
    const base = (status: string): ReferralSignalPayload => ({
      eventId: event.id,
      eventType: event.type,
      occurredAt: event.occurredAt,
      status,
      ref: null,
      start: null,
      participants: [],
    });

    switch (f.kind) {
      case 'Referral': {
        const tokens = f.identifiers.map((i) => `${i.system}|${i.value}`);
        const own =
          f.ehrId !== undefined
            ? referralKey(event.connectionId, f.ehrId)
            : tokens[0] !== undefined
              ? referralKey(
                  event.connectionId,
                  `h-${identifierLink(tokens[0]).slice('Identifier/'.length, 'Identifier/'.length + 24)}`,
                )
              : undefined;
        const key = (await linked(tokens)) ?? own;
        if (key === undefined) return [];
        const actions: RouteAction[] = [];
        if (isReferral(f, event)) {
          const start: ReferralStartPayload = {
            eventId: event.id,
            occurredAt: event.occurredAt,
            connectionId: event.connectionId,
            site: (await options.siteOf?.(event.connectionId)) ?? null,
            serviceRequest: f.ehrId !== undefined ? `${srPrefix}${f.ehrId}` : null,
            status: f.status,
            priority: f.priority ?? null,
            requester: f.requester !== undefined ? participantNote(f.requester).ref : null,
            performers: f.performers.map(participantNote),
          };
          actions.push({ kind: 'start', type: REFERRAL_WORKFLOW, correlationKey: key, payload: asJson(start) });
          for (const t of tokens) actions.push({ kind: 'link', ref: identifierLink(t), correlationKey: key });
        }
        if (event.type === 'referral.updated') actions.push(signal(key, 'referral', base(f.status)));
        return actions;
      }
      case 'Task': {
        const refs = [...(f.focus !== undefined ? [f.focus] : []), ...f.basedOn];
        const key = direct(refs) ?? (await linked(refs));
        return key === undefined ? [] : [signal(key, 'task', base(f.status))];
      }
      case 'Appointment': {
        const own = f.ehrId !== undefined ? `Appointment/${f.ehrId}` : undefined;
        const ownTokens = f.identifiers.map((i) => identifierLink(`${i.system}|${i.value}`));
        const key =
          direct(f.basedOn) ?? (await linked([...f.basedOn, ...(own !== undefined ? [own] : []), ...ownTokens]));
        if (key === undefined) return [];
        const payload: ReferralSignalPayload = {
          ...base(f.status),
          ref: own ?? null,
          start: f.start ?? null,
          participants: f.participants.map(participantNote),
        };
        return [
          ...[...(own !== undefined ? [own] : []), ...ownTokens].map((ref): RouteAction => ({
            kind: 'link',
            ref,
            correlationKey: key,
          })),
          signal(key, 'appointment', payload),
        ];
      }
      case 'Encounter': {
        const key = direct(f.basedOn) ?? (await linked(f.basedOn));
        if (key === undefined) return [];
        const payload: ReferralSignalPayload = {
          ...base(f.status),
          ref: f.ehrId !== undefined ? `Encounter/${f.ehrId}` : null,
          participants: f.serviceProvider !== undefined ? [participantNote(f.serviceProvider)] : [],
        };
        return [
          ...(f.ehrId !== undefined
            ? [{ kind: 'link', ref: `Encounter/${f.ehrId}`, correlationKey: key } as const]
            : []),
          signal(key, 'encounter', payload),
        ];
      }
      case 'Document': {
        if (event.type !== 'document.received') return [];
        const key = direct(f.related) ?? (await linked(f.related));
        return key === undefined ? [] : [signal(key, 'document', base(f.status))];
      }
      case 'Order':
      case 'Result':
      case 'Patient':
      case 'Merge':
        return [];
    }
  };
}

/** The default route: no site lookup (state.site stays null), the default referral rule. */
export const referralRoute: Route = createReferralRoute();

function participantNote(p: ParticipantRef): ParticipantNote {
  return {
    kind: p.kind,
    ref: p.ehrId !== undefined ? `${p.kind}/${p.ehrId}` : null,
    systems: [...new Set(p.identifiers.map((i) => i.system))],
  };
}
