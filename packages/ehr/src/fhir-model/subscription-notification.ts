/**
 * @module Topic-based subscription notifications (FHIR Subscriptions R5 Backport IG for R4, and
 * R4B/R5): a `history` (R4/R4B) or `subscription-notification` (R5) Bundle whose first entry is
 * the status — a `Parameters` profiled as backport-subscription-status-r4, or a
 * `SubscriptionStatus` resource (R4B/R5; athenahealth sends this one inside R4 bundles).
 * Gives the subscription, topic, notification type, the running event count and, per event, its
 * number, focus and — for `full-resource` payloads — the resource itself; `id-only` events leave
 * the read to the caller. `detectGap` tells the caller when event numbers skipped, i.e. some
 * notifications never arrived and it must poll to catch up.
 * Known limit: `additional-context` is not followed; vendor hooks read context entries themselves.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { EhrIdentifier } from '@steward/core';
import { parseReferenceString } from './map-reference.js';
import { checkResource } from './parse-resource.js';
import {
  fhirInvalid,
  isObject,
  objectsOf,
  opt,
  optObject,
  optString,
  readIdentifier,
  reqString,
  elementsOf,
} from './read-elements.js';
import type { JsonObject } from './read-elements.js';

export const notificationTypes = [
  'handshake',
  'heartbeat',
  'event-notification',
  'query-status',
  'query-event',
] as const;
export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationFocus {
  /** The reference as sent (absolute or relative). */
  readonly reference?: string;
  /** `Type/id`, when the reference gives one. */
  readonly relative?: string;
  readonly type?: string;
  readonly id?: string;
  /** A logical reference by identifier (athenahealth sends one for non-FHIR objects). */
  readonly identifier?: EhrIdentifier;
}

export interface NotificationEvent {
  readonly eventNumber: number;
  readonly timestamp?: string;
  readonly focus?: NotificationFocus;
  /** The focus resource when the bundle carries it (`full-resource`); else the caller reads it. */
  readonly resource?: Resource;
  readonly payload: 'full-resource' | 'id-only' | 'empty';
  /** Other entries the server tied to this event (same id or fullUrl); vendor hooks read them. */
  readonly context: readonly Resource[];
  /** The patient, when the server names it beside the event (vendor hooks fill this in). */
  readonly patient?: string;
}

export interface SubscriptionNotification {
  /** The Subscription reference as sent. */
  readonly subscription: string;
  readonly topic?: string;
  readonly status?: string;
  readonly type: NotificationType;
  /** How many events the server has sent since the subscription started; absent when not given. */
  readonly eventsSinceSubscriptionStart?: number;
  readonly timestamp?: string;
  readonly events: readonly NotificationEvent[];
}

/** Parses a notification Bundle (already JSON-decoded, e.g. by `parseFhirJson`). Throws only FHIR_INVALID. */
export function parseSubscriptionNotification(bundle: unknown): SubscriptionNotification {
  const b = elementsOf(checkResource(bundle, { expectedType: 'Bundle' }, 'Bundle'));
  const type = optString(b, 'type', 'Bundle');
  if (type !== 'history' && type !== 'subscription-notification') {
    throw fhirInvalid('Bundle.type', 'must be history (R4/R4B) or subscription-notification (R5)');
  }
  const entries = objectsOf(b, 'entry', 'Bundle');
  const first = entries[0];
  if (!first) throw fhirInvalid('Bundle.entry', 'must start with the subscription status');
  const status = statusOf(first['resource'], 'Bundle.entry[0].resource');
  const rest = entries.slice(1).map((e, i) => {
    const path = `Bundle.entry[${i + 1}]`;
    const fullUrl = optString(e, 'fullUrl', path);
    const resource = e['resource'] === undefined ? undefined : checkResource(e['resource'], {}, `${path}.resource`);
    return { fullUrl, resource, id: optString(e, 'id', path) };
  });
  const events = status.events.map((ev) => {
    const targets = [ev.focus?.reference, ev.focus?.relative].filter((x): x is string => x !== undefined);
    const focusEntry = rest.find(
      (e) =>
        e.resource !== undefined &&
        ((e.fullUrl !== undefined && targets.includes(e.fullUrl)) ||
          (ev.focus?.relative !== undefined && `${e.resource.resourceType}/${e.resource.id}` === ev.focus.relative)),
    );
    const context = rest
      .filter((e) => e !== focusEntry && e.resource !== undefined && ev.id !== undefined)
      .filter((e) => e.resource?.id === ev.id || e.fullUrl === `urn:uuid:${ev.id}` || e.id === ev.id)
      .map((e) => e.resource as Resource);
    const payload: NotificationEvent['payload'] = focusEntry?.resource
      ? 'full-resource'
      : ev.focus
        ? 'id-only'
        : 'empty';
    return {
      eventNumber: ev.eventNumber,
      ...opt('timestamp', ev.timestamp),
      ...opt('focus', ev.focus),
      ...opt('resource', focusEntry?.resource),
      payload,
      context,
    } satisfies NotificationEvent;
  });
  return { ...status.header, ...opt('timestamp', optString(b, 'timestamp', 'Bundle')), events };
}

interface RawEvent {
  readonly eventNumber: number;
  readonly id?: string;
  readonly timestamp?: string;
  readonly focus?: NotificationFocus;
}

interface ParsedStatus {
  readonly header: Omit<SubscriptionNotification, 'events' | 'timestamp'>;
  readonly events: readonly RawEvent[];
}

/** Reads a status: R4 backport `Parameters`, or an R4B/R5 `SubscriptionStatus`. */
export function statusOf(value: unknown, path: string): ParsedStatus {
  const res = elementsOf(checkResource(value, { expectedType: ['Parameters', 'SubscriptionStatus'] }, path));
  return res['resourceType'] === 'Parameters' ? fromParameters(res, path) : fromSubscriptionStatus(res, path);
}

function fromParameters(p: JsonObject, path: string): ParsedStatus {
  const params = objectsOf(p, 'parameter', path);
  const one = (name: string): JsonObject | undefined => params.find((x) => x['name'] === name);
  const sub = one('subscription');
  const subRef = sub ? optObject(sub, 'valueReference', `${path}.parameter(subscription)`) : undefined;
  if (!subRef) throw fhirInvalid(`${path}.parameter(subscription)`, 'is required');
  const header = {
    subscription: reqString(subRef, 'reference', `${path}.parameter(subscription).valueReference`),
    ...opt('topic', strValue(one('topic'), ['valueCanonical', 'valueUri', 'valueString'], `${path}.parameter(topic)`)),
    ...opt('status', strValue(one('status'), ['valueCode'], `${path}.parameter(status)`)),
    type: notificationType(valueOf(one('type'), ['valueCode'], `${path}.parameter(type)`), `${path}.parameter(type)`),
    ...opt(
      'eventsSinceSubscriptionStart',
      count(
        valueOf(
          one('events-since-subscription-start'),
          ['valueString', 'valueInteger64', 'valueInteger', 'valueUnsignedInt'],
          `${path}.parameter(events-since-subscription-start)`,
        ),
        `${path}.parameter(events-since-subscription-start)`,
      ),
    ),
  };
  const events = params
    .map((x, i) => ({ x, i }))
    .filter(({ x }) => x['name'] === 'notification-event')
    .map(({ x, i }) => {
      const ep = `${path}.parameter[${i}]`;
      const parts = objectsOf(x, 'part', ep);
      const part = (name: string): JsonObject | undefined => parts.find((q) => q['name'] === name);
      const eventNumber = count(
        valueOf(
          part('event-number'),
          ['valueString', 'valueInteger64', 'valueInteger', 'valueUnsignedInt'],
          `${ep}.part(event-number)`,
        ),
        `${ep}.part(event-number)`,
      );
      if (eventNumber === undefined) throw fhirInvalid(`${ep}.part(event-number)`, 'is required');
      const focusPart = part('focus');
      const focusRef = focusPart ? optObject(focusPart, 'valueReference', `${ep}.part(focus)`) : undefined;
      return {
        eventNumber,
        ...opt('timestamp', strValue(part('timestamp'), ['valueInstant', 'valueDateTime'], `${ep}.part(timestamp)`)),
        ...opt('focus', focusRef ? readFocus(focusRef, `${ep}.part(focus).valueReference`) : undefined),
      } satisfies RawEvent;
    });
  return { header, events };
}

function fromSubscriptionStatus(s: JsonObject, path: string): ParsedStatus {
  const subRef = optObject(s, 'subscription', path);
  if (!subRef) throw fhirInvalid(`${path}.subscription`, 'is required');
  const header = {
    subscription: reqString(subRef, 'reference', `${path}.subscription`),
    ...opt('topic', optString(s, 'topic', path)),
    ...opt('status', optString(s, 'status', path)),
    type: notificationType(optString(s, 'type', path), `${path}.type`),
    ...opt(
      'eventsSinceSubscriptionStart',
      count(s['eventsSinceSubscriptionStart'], `${path}.eventsSinceSubscriptionStart`),
    ),
  };
  const events = objectsOf(s, 'notificationEvent', path).map((ev, i) => {
    const ep = `${path}.notificationEvent[${i}]`;
    const eventNumber = count(ev['eventNumber'], `${ep}.eventNumber`);
    if (eventNumber === undefined) throw fhirInvalid(`${ep}.eventNumber`, 'is required');
    const focus = optObject(ev, 'focus', ep);
    return {
      eventNumber,
      ...opt('id', optString(ev, 'id', ep)),
      ...opt('timestamp', optString(ev, 'timestamp', ep)),
      ...opt('focus', focus ? readFocus(focus, `${ep}.focus`) : undefined),
    } satisfies RawEvent;
  });
  return { header, events };
}

function readFocus(ref: JsonObject, path: string): NotificationFocus | undefined {
  const reference = optString(ref, 'reference', path);
  const idObj = optObject(ref, 'identifier', path);
  const identifier = idObj ? readIdentifier(idObj, `${path}.identifier`) : undefined;
  if (reference === undefined && identifier === undefined) return undefined;
  const parsed = reference ? parseReferenceString(reference) : {};
  return { ...opt('reference', reference), ...parsed, ...opt('identifier', identifier) };
}

function valueOf(param: JsonObject | undefined, keys: readonly string[], path: string): unknown {
  if (!param) return undefined;
  for (const k of keys) if (param[k] !== undefined) return param[k];
  throw fhirInvalid(path, `must carry ${keys.join(' or ')}`);
}

function strValue(param: JsonObject | undefined, keys: readonly string[], path: string): string | undefined {
  const v = valueOf(param, keys, path);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw fhirInvalid(path, 'must be a string');
  return v;
}

function notificationType(value: unknown, path: string): NotificationType {
  if (typeof value !== 'string' || !(notificationTypes as readonly string[]).includes(value)) {
    throw fhirInvalid(path, `must be one of ${notificationTypes.join(', ')}`);
  }
  return value as NotificationType;
}

/** Event counters are int64 sent as strings in R4/R4B; Steward keeps them within safe integers. */
function count(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  throw fhirInvalid(path, 'must be a non-negative integer');
}

export interface NotificationGap {
  /** Event numbers that never arrived (first..last inclusive); the caller should poll. */
  readonly missedFrom: number;
  readonly missedTo: number;
}

/**
 * Compares a notification with the last event number Steward processed for the subscription.
 * A heartbeat or handshake whose running count is ahead, or events that start past the next
 * expected number, mean notifications were lost. Returns [] when nothing is missing.
 */
export function detectGaps(lastSeen: number | undefined, n: SubscriptionNotification): NotificationGap[] {
  const gaps: NotificationGap[] = [];
  let expected = (lastSeen ?? 0) + 1;
  const numbers = [...n.events.map((e) => e.eventNumber)].sort((a, b) => a - b);
  for (const num of numbers) {
    if (num > expected) gaps.push({ missedFrom: expected, missedTo: num - 1 });
    if (num >= expected) expected = num + 1;
  }
  const total = n.eventsSinceSubscriptionStart;
  if (total !== undefined && total >= expected) gaps.push({ missedFrom: expected, missedTo: total });
  return gaps;
}

/** The `$status` operation's answer: a searchset of statuses. */
export function parseSubscriptionStatusBundle(
  bundle: unknown,
): Omit<SubscriptionNotification, 'events' | 'timestamp'>[] {
  const b = elementsOf(checkResource(bundle, { expectedType: 'Bundle' }, 'Bundle'));
  if (optString(b, 'type', 'Bundle') !== 'searchset') throw fhirInvalid('Bundle.type', 'must be searchset');
  return objectsOf(b, 'entry', 'Bundle').map((e, i) => statusOf(e['resource'], `Bundle.entry[${i}].resource`).header);
}

export function isNotificationBundle(value: unknown): boolean {
  return (
    isObject(value) &&
    value['resourceType'] === 'Bundle' &&
    (value['type'] === 'history' || value['type'] === 'subscription-notification')
  );
}
