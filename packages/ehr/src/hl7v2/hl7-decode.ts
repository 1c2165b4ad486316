/**
 * @module The per-message CPU of HL7 v2 intake, as one pure function: parse, check the sender,
 * route by type, map to events, and find the PID's patient. Its result is plain data, so it can
 * run on a worker thread (`Hl7DecodePool`) as well as inline; `Hl7Intake` files what it says.
 */
import { isStewardError, type EhrEventInput, type PatientRef } from '@steward/core';
import { ackSourceFromHeader, ackSourceFromRaw, type AckSource } from './ack.js';
import { mapHl7 } from './map.js';
import { patientFrom, type Hl7MapContext } from './map-common.js';
import { component, parseHl7, type ParsedHl7 } from './parse.js';

/**
 * Which message types a connection routes. Patterns are `ADT` (every trigger), `ADT^A01` or `*`.
 * A type matching `ignore`, or not matching `route`, is acknowledged AA and kept as ignored.
 * Default: route every type (those Steward has no mapper for are ignored the same way).
 */
export interface Hl7Routing {
  readonly route?: readonly string[];
  readonly ignore?: readonly string[];
}

/** Who may send on a connection: MSH-3.1 / MSH-4.1 values. An empty or absent list allows any. */
export interface Hl7SenderRules {
  readonly sendingApplications?: readonly string[];
  readonly sendingFacilities?: readonly string[];
}

/** What decoding needs: all plain data (it is sent to worker threads). */
export interface Hl7DecodeOptions {
  readonly mapContext: Hl7MapContext;
  readonly routing?: Hl7Routing;
  readonly senders?: Hl7SenderRules;
}

/** What one message is, for filing: plain data. */
export type Hl7Decoded =
  /** Not parseable: dead letter, AR 102. */
  | { readonly kind: 'unparseable'; readonly reason: string; readonly source: AckSource }
  /** A sender the connection does not allow: dead letter, AR 103. */
  | { readonly kind: 'refused'; readonly type: string; readonly reason: string; readonly source: AckSource }
  /** Parsed but not mappable: dead letter, AR 102. */
  | { readonly kind: 'unmappable'; readonly type: string; readonly reason: string; readonly source: AckSource }
  /** To file: its events, or `ignored` with the reason it is kept and not routed. */
  | {
      readonly kind: 'message';
      readonly type: string;
      readonly code: string;
      readonly controlId: string;
      readonly source: AckSource;
      readonly events: readonly EhrEventInput[];
      readonly ignored?: string;
      /** The PID's patient, when the message makes no event (its receipt names the patient). */
      readonly subject?: PatientRef;
    };

/** A reason from the message's type or the mapper that means "Steward has no mapper for this type". */
const unsupportedPrefix = 'unsupported message type';

export function decodeHl7(raw: string, o: Hl7DecodeOptions): Hl7Decoded {
  let parsed: ParsedHl7;
  try {
    parsed = parseHl7(raw);
  } catch (err) {
    return { kind: 'unparseable', reason: reasonOf(err), source: ackSourceFromRaw(raw) };
  }
  const source = ackSourceFromHeader(parsed.message.header);
  const refusedSender = senderRefusal(parsed, o.senders);
  if (refusedSender !== undefined) return { kind: 'refused', type: parsed.type, reason: refusedSender, source };
  let ignored = notRouted(parsed, o.routing);
  let events: EhrEventInput[] = [];
  if (ignored === undefined) {
    try {
      events = mapHl7(parsed, o.mapContext);
    } catch (err) {
      const reason = reasonOf(err);
      if (!reason.startsWith(unsupportedPrefix)) return { kind: 'unmappable', type: parsed.type, reason, source };
      ignored = `message type ${parsed.type} is not supported by Steward; kept, not routed`;
    }
  }
  // A message that makes no event (a type not routed, an A08 with nothing new) still brought a
  // patient's data: its receipt names the PID's patient.
  const subject = events.length === 0 ? pidPatient(parsed, o.mapContext) : undefined;
  return {
    kind: 'message',
    type: parsed.type,
    code: parsed.code,
    controlId: parsed.controlId,
    source,
    events,
    ...(ignored === undefined ? {} : { ignored }),
    ...(subject === undefined ? {} : { subject }),
  };
}

function senderRefusal(parsed: ParsedHl7, rules: Hl7SenderRules | undefined): string | undefined {
  const msh = parsed.message.header;
  const apps = rules?.sendingApplications ?? [];
  if (apps.length > 0 && !apps.includes(component(msh, 3, 1)))
    return 'MSH-3 (sending application) is not allowed on this connection';
  const facilities = rules?.sendingFacilities ?? [];
  if (facilities.length > 0 && !facilities.includes(component(msh, 4, 1)))
    return 'MSH-4 (sending facility) is not allowed on this connection';
  return undefined;
}

function notRouted(parsed: ParsedHl7, routing: Hl7Routing | undefined): string | undefined {
  const { route, ignore } = routing ?? {};
  if (ignore !== undefined && matchesAny(ignore, parsed))
    return `message type ${parsed.type} is ignored on this connection; kept, not routed`;
  if (route !== undefined && !matchesAny(route, parsed))
    return `message type ${parsed.type} is not routed on this connection; kept, not routed`;
  return undefined;
}

function matchesAny(patterns: readonly string[], parsed: ParsedHl7): boolean {
  return patterns.some((p) => {
    const [code, trigger] = p.toUpperCase().split('^');
    if (code === '*') return true;
    if (code !== parsed.code) return false;
    return trigger === undefined || trigger === '*' || trigger === parsed.trigger;
  });
}

/** A UserError names the field; anything else is a bug in a mapper, kept visible, not thrown. */
function reasonOf(err: unknown): string {
  return isStewardError(err) && err.category === 'user'
    ? err.message
    : 'the message could not be mapped (internal error)';
}

/** The PID's patient, when the message has a usable one (never a refusal: the events decide that). */
function pidPatient(parsed: ParsedHl7, ctx: Hl7MapContext): PatientRef | undefined {
  const pid = parsed.message.getSegment('PID');
  if (pid === undefined) return undefined;
  try {
    return patientFrom(ctx, pid);
  } catch {
    return undefined;
  }
}
