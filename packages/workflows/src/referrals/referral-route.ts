/**
 * @module Which EHR events belong to which referral. A request the connection's referral rules
 * call a referral (`@steward/ehr` referral-rules: category, intent, performerType, code systems,
 * how it arrived; vendor defaults, overridden per site) starts a workflow keyed
 * `referral:<connectionId>:<ServiceRequest id>`, with the rule that decided it in its start.
 * Tasks (focus/basedOn), appointments (basedOn), encounters (basedOn), documents
 * (context.related) and results (their order numbers) that name the referral signal it. An
 * appointment based on the referral is linked to it, and so is an encounter found through it, so
 * that later events naming only `Appointment/<id>` or `Encounter/<id>` still find it.
 *
 * A referral is found the same way whichever way it arrived: by its FHIR id (`ServiceRequest/<id>`
 * is linked too, so an HL7-started referral is found by a FHIR appointment), and by each of its
 * identifiers. HL7 v2 carries identifiers, not EHR ids: a REF referral or ORM order is keyed by a
 * hash of its first identifier, and every identifier is linked by its hash (`Identifier/<sha-256
 * prefix>`, so no identifier value lands in workflow tables) with and without the HL7 role
 * suffix (`#placer-order`, `#originating-referral`): a REF's referral number and a SIU's placer
 * order number from the same assigning authority are the same number. The same order brought by
 * the EHR's FHIR API and by its HL7 interface (whose systems are spelled differently) is one
 * referral by the narrow rule of `referral-numbers.ts` (same number, same Steward patient, one
 * HL7-local system and one explicit, same site); the later copy is a `referral` signal on it whose
 * facts fill what the referral did not know (its ServiceRequest, owner, named destination).
 */
import { createHash } from 'node:crypto';
import type { ParticipantRef } from '@steward/core';
import {
  decideReferral,
  defaultReferralRules,
  effectiveRules,
  emptyOverride,
  orderCandidate,
  referralCandidate,
  type EffectiveReferralRules,
  type ReferralDecision,
} from '@steward/ehr';
import type { Route, RouteAction } from '../routing/index.js';
import {
  encodeReferralSignal,
  participantNoteOf,
  referralStart,
  REFERRAL_WORKFLOW,
  type ParticipantNote,
  type Recognition,
  type ReferralCalendar,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from './referral-model.js';
import { crossChannelReferral, freeNumberLinks, referralNumbers } from './referral-numbers.js';

export interface ReferralRouteOptions {
  /** The site of a connection (kept in the workflow's state for lists and reports). */
  readonly siteOf?: (connectionId: string) => Promise<string | undefined>;
  /** The referral rules in force on a connection (default: the generic vendor defaults). */
  readonly rulesOf?: (connectionId: string) => Promise<EffectiveReferralRules>;
  /** The business calendar of a connection's site, when the site has a record (due times in business days). */
  readonly calendarOf?: (connectionId: string, from: Date) => Promise<ReferralCalendar | undefined>;
  /**
   * The directory's word on participants (in or out of the clinic's network, null when it cannot
   * say), one answer per participant. Absent: the workflow's declared network rule decides.
   */
  readonly networkOf?: (
    connectionId: string,
    participants: readonly ParticipantRef[],
  ) => Promise<readonly ('in' | 'out' | null)[]>;
  /**
   * The Steward ids of one person: the live patient an id means now and every id merged into it,
   * the live one first (the patient index). Absent: the event's own patient id alone.
   */
  readonly patientIdsOf?: (patientId: string) => Promise<readonly string[]>;
  /** The connections of a connection's site, itself included. Absent: the connection alone. */
  readonly siteConnectionsOf?: (connectionId: string) => Promise<readonly string[]>;
  /** Whether a site mirrors referral handoffs to the EHR as FHIR Tasks (fixed in the start). Absent: no. */
  readonly mirrorTasksOf?: (site: string | null) => Promise<boolean>;
}

const genericRules = effectiveRules(defaultReferralRules, emptyOverride);

/** The correlation key of a referral. `id` is the ServiceRequest's EHR id (or `h-<hash>` for HL7). */
export function referralKey(connectionId: string, id: string): string {
  return `referral:${connectionId}:${id}`;
}

/** `Identifier/<hash>`: how an identifier is linked without storing its value. */
export function identifierLink(token: string): string {
  return `Identifier/${createHash('sha256').update(token).digest('hex').slice(0, 40)}`;
}

/** The links of an identifier token (`system|value`): as sent, and without an HL7 role suffix. */
export function identifierLinks(token: string): string[] {
  const bar = token.lastIndexOf('|');
  const system = token.slice(0, bar);
  const hash = system.lastIndexOf('#');
  const bare = hash > 0 ? `${system.slice(0, hash)}${token.slice(bar)}` : token;
  return bare === token ? [identifierLink(token)] : [identifierLink(token), identifierLink(bare)];
}

/** The key of a referral that arrived with identifiers only (HL7). */
function hashedKey(connectionId: string, token: string): string {
  return referralKey(connectionId, `h-${identifierLink(token).slice('Identifier/'.length, 'Identifier/'.length + 24)}`);
}

const srPrefix = 'ServiceRequest/';

/** Result/document outputs that close a referral's loop when a completed Task names them. */
export const closingOutputTypes = ['Procedure', 'DiagnosticReport', 'Encounter', 'DocumentReference', 'Observation'];

export function createReferralRoute(options: ReferralRouteOptions = {}): Route {
  const notes = async (connectionId: string, parts: readonly ParticipantRef[]): Promise<ParticipantNote[]> => {
    if (options.networkOf === undefined) return parts.map(participantNoteOf);
    const marks = await options.networkOf(connectionId, parts);
    return parts.map((p, i) => {
      const id = p.identifiers[0];
      return {
        ...participantNoteOf(p),
        identifier: id !== undefined ? `${id.system}|${id.value}` : null,
        network: marks[i] ?? null,
      };
    });
  };
  const rulesOf = options.rulesOf ?? (() => Promise.resolve(genericRules));
  const calendarField = async (
    connectionId: string,
    occurredAt: string,
  ): Promise<{ calendar?: ReferralCalendar; mirrorTasks?: boolean }> => {
    const from = new Date(occurredAt);
    const calendar = await options.calendarOf?.(connectionId, Number.isNaN(from.getTime()) ? new Date() : from);
    const site = await options.siteOf?.(connectionId);
    const mirrorTasks = (await options.mirrorTasksOf?.(site ?? null)) === true;
    return { ...(calendar !== undefined ? { calendar } : {}), ...(mirrorTasks ? { mirrorTasks } : {}) };
  };
  return async (event, links) => {
    const f = event.facts;
    /** The referral a reference or identifier token was linked to (however the referral arrived). */
    const linked = async (refs: readonly string[]): Promise<string | undefined> => {
      for (const r of refs) {
        for (const link of r.includes('|') ? identifierLinks(r) : [r]) {
          const key = await links(link);
          if (key !== undefined) return key;
        }
      }
      return undefined;
    };
    /** By link first, else by the ServiceRequest id it names. */
    const find = async (refs: readonly string[]): Promise<string | undefined> => {
      const key = await linked(refs);
      if (key !== undefined) return key;
      const sr = refs.find((r) => r.startsWith(srPrefix));
      return sr !== undefined ? referralKey(event.connectionId, sr.slice(srPrefix.length)) : undefined;
    };
    const signal = (key: string, name: string, payload: ReferralSignalPayload): RouteAction => ({
      kind: 'signal',
      type: REFERRAL_WORKFLOW,
      correlationKey: key,
      name,
      payload: encodeReferralSignal(payload),
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
    /** Start (when the rules say referral) and link every way it can be named; else signal a known one. */
    const request = async (
      ehrId: string | undefined,
      tokens: readonly string[],
      decision: ReferralDecision,
      status: string,
      start: () => Promise<ReferralStartPayload>,
    ): Promise<RouteAction[]> => {
      const own =
        ehrId !== undefined
          ? referralKey(event.connectionId, ehrId)
          : tokens[0] !== undefined
            ? hashedKey(event.connectionId, tokens[0])
            : undefined;
      // Already tracked under another key (arrived first over HL7, or with the same identifier)?
      const exact = await linked([...tokens, ...(ehrId !== undefined ? [`${srPrefix}${ehrId}`] : [])]);
      // Else the same number of the same patient brought by the other channel (referral-numbers.ts),
      // for a request the rules call a referral (a lab order never joins one this way).
      const numbers = decision.referral ? referralNumbers(tokens) : [];
      const person =
        event.patientId === undefined || numbers.length === 0
          ? []
          : ((await options.patientIdsOf?.(event.patientId)) ?? [event.patientId]);
      const across =
        person.length === 0 ? [] : ((await options.siteConnectionsOf?.(event.connectionId)) ?? [event.connectionId]);
      const known =
        exact ?? (person.length > 0 ? await crossChannelReferral(numbers, person, links, across) : undefined);
      const key = known ?? own;
      if (key === undefined) return [];
      const actions: RouteAction[] = [];
      let facts: ReferralStartPayload | undefined;
      if (decision.referral) {
        facts = await start();
        actions.push({
          kind: 'start',
          type: REFERRAL_WORKFLOW,
          correlationKey: key,
          payload: referralStart.encode(facts),
        });
        const refs = [
          ...(ehrId !== undefined ? [`${srPrefix}${ehrId}`] : []),
          ...tokens.flatMap(identifierLinks),
          ...(person[0] !== undefined ? await freeNumberLinks(numbers, person[0], links, across) : []),
        ];
        for (const ref of refs) actions.push({ kind: 'link', ref, correlationKey: key });
      }
      if (event.type !== 'referral.created' || known !== undefined) {
        // A tracked referral hears of the request again (an update, or the other channel's copy):
        // what this one names fills what the referral does not know yet (the workflow's `joinRequest`).
        const payload = base(status);
        actions.push(
          signal(key, 'referral', facts !== undefined ? { ...payload, request: requestFacts(facts) } : payload),
        );
      }
      return actions;
    };

    switch (f.kind) {
      case 'Referral': {
        const decision = decideReferral(await rulesOf(event.connectionId), referralCandidate(f, event.sourceRef));
        return request(
          f.ehrId,
          f.identifiers.map((i) => `${i.system}|${i.value}`),
          decision,
          f.status,
          async () => ({
            eventId: event.id,
            occurredAt: event.occurredAt,
            connectionId: event.connectionId,
            site: (await options.siteOf?.(event.connectionId)) ?? null,
            serviceRequest: f.ehrId !== undefined ? `${srPrefix}${f.ehrId}` : null,
            service: f.service ?? null,
            status: f.status,
            priority: f.priority ?? null,
            requester: f.requester !== undefined ? participantNoteOf(f.requester).ref : null,
            performers: await notes(event.connectionId, f.performers),
            requesterNote:
              f.requester !== undefined ? ((await notes(event.connectionId, [f.requester]))[0] ?? null) : null,
            recognisedBy: recognition(decision),
            ...(await calendarField(event.connectionId, event.occurredAt)),
          }),
        );
      }
      case 'Order': {
        const candidate = orderCandidate(f, event.sourceRef);
        const decision = decideReferral(await rulesOf(event.connectionId), candidate);
        const status = candidate.status ?? 'active';
        return request(
          undefined,
          f.identifiers.map((i) => `${i.system}|${i.value}`),
          decision,
          status,
          async () => ({
            eventId: event.id,
            occurredAt: event.occurredAt,
            connectionId: event.connectionId,
            site: (await options.siteOf?.(event.connectionId)) ?? null,
            serviceRequest: null,
            service: f.service ?? null,
            status,
            priority: null,
            requester: null,
            performers: [],
            recognisedBy: recognition(decision),
            ...(await calendarField(event.connectionId, event.occurredAt)),
          }),
        );
      }
      case 'Task': {
        const key = await find([...(f.focus !== undefined ? [f.focus] : []), ...f.basedOn]);
        if (key === undefined) return [];
        const payload: ReferralSignalPayload = {
          ...base(f.status),
          outputs: (f.outputs ?? []).filter((o) => closingOutputTypes.includes(o.split('/')[0] ?? '')),
          reason: f.statusReason ?? null,
        };
        return [signal(key, 'task', payload)];
      }
      case 'Appointment': {
        const own = f.ehrId !== undefined ? `Appointment/${f.ehrId}` : undefined;
        const ownTokens = f.identifiers.flatMap((i) => identifierLinks(`${i.system}|${i.value}`));
        // Its own id and identifiers first: a later change names only them once the booking is linked.
        const key = (await find([...(own !== undefined ? [own] : []), ...ownTokens])) ?? (await find(f.basedOn));
        if (key === undefined) return [];
        const payload: ReferralSignalPayload = {
          ...base(f.status),
          ref: own ?? null,
          start: f.start ?? null,
          participants: await notes(event.connectionId, f.participants),
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
        const own = f.ehrId !== undefined ? `Encounter/${f.ehrId}` : undefined;
        const key = await find([...f.basedOn, ...(own !== undefined ? [own] : [])]);
        if (key === undefined) return [];
        const payload: ReferralSignalPayload = {
          ...base(f.status),
          ref: own ?? null,
          participants: f.serviceProvider !== undefined ? await notes(event.connectionId, [f.serviceProvider]) : [],
        };
        return [
          ...(own !== undefined ? [{ kind: 'link', ref: own, correlationKey: key } as const] : []),
          signal(key, 'encounter', payload),
        ];
      }
      case 'Document': {
        if (event.type !== 'document.received') return [];
        const key = await find(f.related);
        return key === undefined ? [] : [signal(key, 'document', base(f.status))];
      }
      case 'Result': {
        const tokens = f.orderIdentifiers.map((i) => `${i.system}|${i.value}`);
        const key = tokens.length > 0 ? await find(tokens) : undefined;
        return key === undefined ? [] : [signal(key, 'result', base(f.status ?? 'final'))];
      }
      case 'Patient':
      case 'Merge':
        return [];
    }
  };
}

/** What a repeated request names (its EHR id, priority, requester, performers), for `joinRequest`. */
function requestFacts(p: ReferralStartPayload): NonNullable<ReferralSignalPayload['request']> {
  return {
    serviceRequest: p.serviceRequest,
    priority: p.priority,
    requester: p.requester,
    requesterNote: p.requesterNote ?? null,
    performers: p.performers,
  };
}

function recognition(d: ReferralDecision): Recognition {
  return { rule: d.rule, origin: d.origin, description: d.description };
}

/** The default route: no site lookup (state.site stays null), the default referral rule. */
export const referralRoute: Route = createReferralRoute();
