/**
 * @module Which EHR events start or move a follow-up. A recheck order starts one: a ServiceRequest
 * whose category is a follow-up (or whose code is `recheck`), or a Task with the `recheck` code.
 * An appointment based on the order (the order is linked at the start) signals it, and links the appointment, so later events that
 * name only the appointment (an SIU without the order) still find it. A change of the order's
 * status (completed, revoked) signals it too.
 *
 * The order's requester is kept in the start (the follow-up's owner, named by the directory when
 * listed); a recheck Task has no requester, so its follow-up has no owner recorded.
 *
 * Known limit: the codes that mean "recheck" are a small fixed list (`recheckCodes`); a clinic
 * whose EHR uses others passes its own to `followupRoute`.
 */
import type { EhrEvent, ParticipantRef } from '@steward/core';
import { participantNoteOf, type ParticipantNote } from '../referrals/referral-model.js';
import { eventRef, resourceRefOf, type Route, type RouteAction } from '../routing/index.js';
import { defaultFollowupSettings, FOLLOWUP } from './followup-workflow.js';
import {
  appointmentSignal,
  followupStart,
  orderSignal,
  type AppointmentSignal,
  type FollowupSettings,
  type FollowupStart,
} from './followup-signals.js';

/** Category or order codes that make a ServiceRequest (or a Task) a recheck order. */
export const recheckCodes: readonly string[] = ['follow-up', 'followup', 'recheck', '390906007'];

export interface FollowupRouteOptions {
  /** The site of a connection, kept in state for lists and reports. */
  readonly siteOf?: (connectionId: string) => Promise<string | undefined>;
  /** Per-connection settings (zone, offsets, quiet hours); defaults otherwise. */
  readonly settingsOf?: (connectionId: string) => Promise<FollowupSettings | undefined>;
  readonly codes?: readonly string[];
}

/**
 * `followup:<connection id>:<Type>:<id>`: the order reference with `:` for `/`, since the key is
 * also the proposals' correlation id (letters, digits, `._:-`).
 */
export const followupKey = (connectionId: string, orderRef: string): string =>
  `followup:${connectionId}:${orderRef.replace('/', ':')}`;

/** `ServiceRequest/1` from `ServiceRequest/1`, `https://ehr/fhir/ServiceRequest/1` or `…/_history/2`. */
export function orderRefOf(reference: string): string | undefined {
  const m = /(?:^|\/)(ServiceRequest|Task)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m === null ? undefined : `${m[1]}/${m[2]}`;
}

export function isRecheckOrder(event: EhrEvent, codes: readonly string[] = recheckCodes): boolean {
  const f = event.facts;
  const is = (v: string | undefined): boolean => v !== undefined && codes.includes(v.toLowerCase());
  if (f.kind === 'Referral') return is(f.category) || is(f.service);
  if (f.kind === 'Task') return is(f.code);
  return false;
}

export function followupRoute(options: FollowupRouteOptions = {}): Route {
  const codes = options.codes ?? recheckCodes;
  return async (event, links) => {
    const f = event.facts;
    const ref = resourceRefOf(event);
    if ((f.kind === 'Referral' || f.kind === 'Task') && ref !== undefined && isRecheckOrder(event, codes)) {
      const key = followupKey(event.connectionId, ref);
      const status = f.status;
      const open = f.kind === 'Referral' ? status === 'active' : status === 'requested' || status === 'ready';
      if (!open)
        return [
          {
            kind: 'signal',
            type: FOLLOWUP,
            correlationKey: key,
            name: orderSignal.name,
            payload: orderSignal.encode({ event: eventRef(event), status }),
          },
        ];
      const start: FollowupStart = {
        event: eventRef(event),
        orderRef: ref,
        service: (f.kind === 'Referral' ? f.service : f.code) ?? null,
        site: (await options.siteOf?.(event.connectionId)) ?? null,
        requester: f.kind === 'Referral' && f.requester !== undefined ? requesterNote(f.requester) : null,
        occurrence:
          f.kind === 'Referral' ? (f.occurrence ?? null) : f.dueDate !== undefined ? { start: f.dueDate } : null,
        settings: (await options.settingsOf?.(event.connectionId)) ?? defaultFollowupSettings,
      };
      return [
        { kind: 'start', type: FOLLOWUP, correlationKey: key, payload: followupStart.encode(start) },
        // The order itself is linked, so an appointment based on it is known to be a recheck's.
        { kind: 'link', ref, correlationKey: key },
      ];
    }
    if (f.kind !== 'Appointment' || ref === undefined) return [];
    const keys = new Set<string>();
    for (const b of f.basedOn) {
      const order = orderRefOf(b);
      const linked = order !== undefined ? await links(order) : undefined;
      // Only orders a follow-up started on: an appointment for a referral is not ours.
      if (linked !== undefined && linked.startsWith(`${FOLLOWUP}:`)) keys.add(linked);
    }
    if (keys.size === 0) {
      const linked = await links(ref);
      if (linked !== undefined && linked.startsWith(`${FOLLOWUP}:`)) keys.add(linked);
    }
    const payload: AppointmentSignal = {
      event: eventRef(event),
      appointmentRef: ref,
      status: f.status,
      start: f.start ?? null,
    };
    return [...keys].flatMap((correlationKey): RouteAction[] => [
      { kind: 'link', ref, correlationKey },
      {
        kind: 'signal',
        type: FOLLOWUP,
        correlationKey,
        name: appointmentSignal.name,
        payload: appointmentSignal.encode(payload),
      },
    ]);
  };
}

/**
 * The order's requester as the follow-up keeps it: its reference, or (an HL7 order) its first
 * identifier, which is what the directory names it by.
 */
function requesterNote(p: ParticipantRef): ParticipantNote {
  const id = p.identifiers[0];
  return { ...participantNoteOf(p), identifier: id !== undefined ? `${id.system}|${id.value}` : null };
}
