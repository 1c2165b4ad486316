/**
 * @module Parses one HL7 v2 (ER7, pipe-delimited) message with `@medplum/core`'s `Hl7Message` and
 * checks the header fields Steward relies on. Everything that is wrong becomes
 * `UserError('HL7_INVALID', reason)`, where the reason names the segment and field, never a value.
 *
 * Known limits: the XML encoding of HL7 v2 is not supported (rejected with a clear reason); the
 * character set (MSH-18) is not honoured — the listener decodes frames as UTF-8.
 */
import { Hl7Context, Hl7Message, Hl7Segment } from '@medplum/core';
import { UserError } from '@steward/core';

/** A parsed message with its validated header values. */
export interface ParsedHl7 {
  readonly message: Hl7Message;
  /** MSH-9.1, e.g. `SIU`. */
  readonly code: string;
  /** MSH-9.2, e.g. `S12`. */
  readonly trigger: string;
  /** MSH-9.3 when given, e.g. `SIU_S12`. */
  readonly structure: string;
  /** `SIU^S12`: a short label, never PHI. */
  readonly type: string;
  /** MSH-10, the sender's unique id for this message (escape sequences resolved). */
  readonly controlId: string;
  /** MSH-12.1, e.g. `2.5.1`. */
  readonly version: string;
  /** The text that was parsed: BOM removed, segments separated by CR. */
  readonly normalized: string;
}

/** Longest MSH-10 accepted (ST, 199 in v2.5+; older versions said 20 but senders exceed it). */
const maxControlIdLength = 199;
const segmentName = /^[A-Z][A-Z0-9]{2}$/;
const versionPattern = /^2\.\d{1,2}(\.\d{1,2})?$/;
const messageCodePattern = /^[A-Z][A-Z0-9]{2}$/;
const triggerPattern = /^[A-Z0-9]{3}$/;

function invalid(reason: string): UserError {
  return new UserError('HL7_INVALID', reason);
}

/**
 * Parses and validates. Accepts CR (the standard), LF and CRLF segment separators, blank lines
 * between segments and a leading UTF-8 byte-order mark, because real feeds and test suites use all
 * of them; everything else about the structure must be right.
 */
export function parseHl7(raw: string): ParsedHl7 {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length === 0) throw invalid('message is empty');
  if (text.startsWith('<')) throw invalid('message is XML; only the ER7 (pipe-delimited) encoding is supported');
  if (!text.startsWith('MSH')) throw invalid('message does not start with an MSH segment');
  checkEncodingCharacters(text);

  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.length > 0);
  const normalized = lines.join('\r');
  const fieldSeparator = text.charAt(3);
  lines.forEach((line, index) => {
    const name = line.split(fieldSeparator, 1)[0] ?? '';
    if (!segmentName.test(name)) throw invalid(`segment ${index + 1} has no valid segment name`);
    if (index > 0 && name === 'MSH') throw invalid(`segment ${index + 1} is a second MSH segment`);
  });

  const context = contextOf(text);
  const message = new Hl7Message(
    lines.map((line) => Hl7Segment.parse(line, context)),
    context,
  );
  const msh = message.header;
  const code = component(msh, 9, 1);
  const trigger = component(msh, 9, 2);
  const structure = component(msh, 9, 3);
  if (code === '') throw invalid('MSH-9 (message type) is missing');
  if (!messageCodePattern.test(code)) throw invalid('MSH-9.1 (message code) is not a valid code');
  if (trigger === '') throw invalid('MSH-9.2 (trigger event) is missing');
  if (!triggerPattern.test(trigger)) throw invalid('MSH-9.2 (trigger event) is not a valid code');
  const controlId = value(msh, 10);
  if (controlId.trim() === '') throw invalid('MSH-10 (message control id) is missing');
  if (controlId.length > maxControlIdLength) throw invalid('MSH-10 (message control id) is too long');
  const version = component(msh, 12, 1);
  if (version === '') throw invalid('MSH-12 (version id) is missing');
  if (!versionPattern.test(version)) throw invalid('MSH-12 (version id) is not an HL7 v2 version');

  return { message, code, trigger, structure, type: `${code}^${trigger}`, controlId, version, normalized };
}

/** Stands for an encoding character the sender did not declare: it never occurs in text, so never splits. */
const absent = '\u0000';

/**
 * The delimiters as declared. Real feeds send MSH-2 with 3 characters (no subcomponent or no
 * escape character) and, from v2.7, with 5 (the truncation character, which only marks truncated
 * values and needs no handling here). With 3, the third is read by what it conventionally is:
 * `&` is the subcomponent separator (no escape character), anything else the escape character (no
 * subcomponent separator), as its position says. Medplum's own parse reads 4 positions blindly.
 */
function contextOf(text: string): Hl7Context {
  const fieldSeparator = text.charAt(3);
  const msh2 = text.slice(4, text.indexOf(fieldSeparator, 4));
  const [comp = '^', rep = '~', third, fourth] = [...msh2];
  if (fourth !== undefined) return new Hl7Context('\r', fieldSeparator, comp, rep, third, fourth);
  return third === '&'
    ? new Hl7Context('\r', fieldSeparator, comp, rep, absent, '&')
    : new Hl7Context('\r', fieldSeparator, comp, rep, third ?? absent, absent);
}

/**
 * MSH-1 is the field separator and MSH-2 the component, repetition, escape and subcomponent
 * characters (plus the v2.7 truncation character); 3 are accepted (see `contextOf`). They must be
 * distinct and must not be letters, digits, whitespace or segment separators, or the rest of the
 * message cannot be read reliably.
 */
function checkEncodingCharacters(text: string): void {
  const fieldSeparator = text.charAt(3);
  const end = text.indexOf(fieldSeparator, 4);
  const msh2 = end === -1 ? '' : text.slice(4, end);
  if (fieldSeparator === '' || msh2.length < 3 || msh2.length > 5) {
    throw invalid('MSH-1/MSH-2 (encoding characters) are missing or incomplete');
  }
  const chars = fieldSeparator + msh2;
  if (new Set(chars).size !== chars.length) throw invalid('MSH-1/MSH-2 (encoding characters) are not distinct');
  if (/[A-Za-z0-9\s]/.test(chars)) throw invalid('MSH-1/MSH-2 (encoding characters) contain a letter, digit or space');
}

// ---- Safe accessors. Medplum's getters index arrays without bounds checks; these never throw. ----

/** Field `index` (1-based, MSH numbering honoured) as raw text, or '' when absent. */
export function rawField(segment: Hl7Segment | undefined, index: number): string {
  if (segment === undefined) return '';
  return segment.getField(index)?.toString() ?? '';
}

/** Repetition `rep` (0-based) of a field, component `comp` (1-based), unescaped; '' when absent. */
export function component(segment: Hl7Segment | undefined, index: number, comp: number, rep = 0): string {
  if (segment === undefined) return '';
  const field = segment.getField(index);
  const value = field?.components[rep]?.[comp - 1];
  return value === undefined ? '' : unescapeHl7(value, segment.context);
}

/** Subcomponent `sub` (1-based) of a component, unescaped. */
export function subcomponent(
  segment: Hl7Segment | undefined,
  index: number,
  comp: number,
  sub: number,
  rep = 0,
): string {
  if (segment === undefined) return '';
  const raw = segment.getField(index)?.components[rep]?.[comp - 1];
  if (raw === undefined) return '';
  const part = raw.split(segment.context.subcomponentSeparator)[sub - 1];
  return part === undefined ? '' : unescapeHl7(part, segment.context);
}

/** The first component of a field, unescaped: the whole value for simple (ST, ID, TS) fields. */
export function value(segment: Hl7Segment | undefined, index: number): string {
  return component(segment, index, 1);
}

/** How many repetitions a field has (0 when absent or empty). */
export function repetitions(segment: Hl7Segment | undefined, index: number): number {
  if (segment === undefined) return 0;
  const field = segment.getField(index);
  if (field === undefined) return 0;
  if (field.components.length === 1 && field.components[0]?.every((c) => c === '')) return 0;
  return field.components.length;
}

/**
 * Resolves the standard escape sequences (\F\ \S\ \T\ \R\ \E\) of a component. Other sequences
 * (highlighting \H\ \N\, hex \Xhh\, character sets \C..\ \M..\) are dropped: they carry formatting,
 * not identity, and Steward only reads short operational values.
 */
export function unescapeHl7(text: string, context: Hl7Context): string {
  const esc = context.escapeCharacter;
  if (esc === '' || esc === absent || !text.includes(esc)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch !== esc) {
      out += ch;
      i++;
      continue;
    }
    const close = text.indexOf(esc, i + 1);
    if (close === -1) {
      out += text.slice(i);
      break;
    }
    const seq = text.slice(i + 1, close);
    if (seq === 'F') out += context.fieldSeparator;
    else if (seq === 'S') out += context.componentSeparator;
    else if (seq === 'T') out += context.subcomponentSeparator;
    else if (seq === 'R') out += context.repetitionSeparator;
    else if (seq === 'E') out += esc;
    i = close + 1;
  }
  return out;
}
