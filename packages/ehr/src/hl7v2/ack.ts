/**
 * @module Builds the HL7 ACK for a received message: MSH with sending and receiving application and
 * facility swapped, MSH-9 `ACK^<trigger>^ACK`, its own control id, the message's version;
 * MSA-1 the acknowledgment code, MSA-2 the message's MSH-10, MSA-3 the reason text (deprecated
 * after v2.4 but still what most engines show); for AR/AE also an ERR segment with an HL7 table
 * 0357 code and the reason. Reasons are Steward's own (never message content) and are escaped.
 */
import type { Hl7Segment } from '@medplum/core';
import { rawField, value } from './parse.js';

export type AckCode = 'AA' | 'AE' | 'AR';

/** The header fields an ACK echoes; read leniently when the message itself did not parse. */
export interface AckSource {
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
  readonly trigger: string;
  readonly controlId: string;
  readonly processingId: string;
  readonly version: string;
}

export interface AckOptions {
  readonly code: AckCode;
  readonly source: AckSource;
  /** The ACK's own MSH-10. */
  readonly ackControlId: string;
  readonly now: Date;
  readonly reason?: string;
  /** HL7 table 0357 error code for ERR-3, e.g. 200 unsupported message type, 207 internal error. */
  readonly errorCode?: string;
}

const fs = '|';
const encoding = '^~\\&';

/** Escapes text for an ACK built with the standard delimiters. */
export function escapeHl7(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]/g, ' ');
}

/** The header of a parsed message, re-encoded with the standard delimiters. */
export function ackSourceFromHeader(msh: Hl7Segment): AckSource {
  const ctx = msh.context;
  const reencode = (index: number): string => reencodeField(rawField(msh, index), ctx);
  return {
    sendingApplication: reencode(3),
    sendingFacility: reencode(4),
    receivingApplication: reencode(5),
    receivingFacility: reencode(6),
    trigger: escapeHl7(msh.getField(9)?.components[0]?.[1] ?? ''),
    controlId: value(msh, 10),
    processingId: escapeHl7(value(msh, 11)),
    version: escapeHl7(value(msh, 12)),
  };
}

/**
 * Best effort for a message that did not parse: reads MSH fields by splitting the first line on
 * the character after `MSH`, so the sender still gets an ACK it can match (MSA-2) when possible.
 */
export function ackSourceFromRaw(raw: string): AckSource {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const empty: AckSource = {
    sendingApplication: '',
    sendingFacility: '',
    receivingApplication: '',
    receivingFacility: '',
    trigger: '',
    controlId: '',
    processingId: '',
    version: '',
  };
  if (!text.startsWith('MSH') || text.length < 8) return empty;
  const sep = text.charAt(3);
  const comp = text.charAt(4);
  if (/[A-Za-z0-9\s]/.test(sep) || sep === comp) return empty;
  const line = text.slice(0, Math.min(text.length, 4096)).split(/[\r\n]/, 1)[0] ?? '';
  const f = line.split(sep); // f[n] is MSH-(n+1)
  const plain = (n: number): string => {
    const v = (f[n - 1] ?? '').split(comp)[0] ?? '';
    return /^[\x20-\x7e]{0,199}$/.test(v) ? v : '';
  };
  return {
    sendingApplication: escapeHl7(plain(3)),
    sendingFacility: escapeHl7(plain(4)),
    receivingApplication: escapeHl7(plain(5)),
    receivingFacility: escapeHl7(plain(6)),
    trigger: escapeHl7(((f[8] ?? '').split(comp)[1] ?? '').slice(0, 3)),
    controlId: plain(10),
    processingId: escapeHl7(plain(11)),
    version: escapeHl7(plain(12)),
  };
}

function reencodeField(text: string, ctx: Hl7Segment['context']): string {
  if (
    ctx.fieldSeparator === '|' &&
    ctx.componentSeparator === '^' &&
    ctx.repetitionSeparator === '~' &&
    ctx.subcomponentSeparator === '&' &&
    ctx.escapeCharacter === '\\'
  )
    return text;
  // Non-standard delimiters: keep the first component only, escaped, rather than mistranslate.
  const first = text.split(ctx.repetitionSeparator)[0]?.split(ctx.componentSeparator)[0] ?? '';
  return escapeHl7(first);
}

function hl7Now(now: Date): string {
  const iso = now.toISOString(); // 2026-01-01T10:20:30.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
}

/** The ACK message text, segments separated by CR. */
export function buildAck(options: AckOptions): string {
  const { source: s, code } = options;
  const type = s.trigger === '' ? 'ACK' : `ACK^${s.trigger}^ACK`;
  const msh = [
    'MSH',
    encoding,
    s.receivingApplication,
    s.receivingFacility,
    s.sendingApplication,
    s.sendingFacility,
    hl7Now(options.now),
    '',
    type,
    escapeHl7(options.ackControlId),
    s.processingId === '' ? 'P' : s.processingId,
    s.version === '' ? '2.5.1' : s.version,
  ].join(fs);
  const reason = options.reason === undefined ? '' : escapeHl7(options.reason).slice(0, 512);
  const segments = [msh, ['MSA', code, escapeHl7(s.controlId), reason].join(fs)];
  if (code !== 'AA') {
    const errorCode = options.errorCode ?? (code === 'AE' ? '207' : '102');
    segments.push(['ERR', '', '', `${errorCode}^^HL70357`, 'E', '', '', '', reason].join(fs));
  }
  return segments.join('\r');
}
