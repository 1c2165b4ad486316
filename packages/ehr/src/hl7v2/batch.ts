/**
 * @module HL7 v2 batches (chapter 2, "batch protocol"): `[FHS] BHS {MSH …} BTS [FTS]`, possibly
 * several BHS…BTS groups in one file, sent in one MLLP frame. Each message in it is processed on
 * its own; the reply is one response batch holding one ACK per message (the "acknowledge every
 * message" option, which interface engines match message by message through MSA-2), under a BHS
 * whose BHS-12 names the batch acknowledged (its BHS-11), and a BTS with the count.
 *
 * The envelope is read leniently: a missing BTS/FTS or a BTS-1 count that does not match the
 * messages found is a problem reported (log and BTS-2 comment), not a refusal — the messages are
 * there and each gets its outcome. An envelope with no message in it, or with something other
 * than a message between its header and trailer, is refused as a whole with a reason naming the
 * batch.
 */
import { escapeHl7 } from './ack.js';

export interface Hl7Batch {
  /** The messages found, each as text with CR segment separators, in order. */
  readonly messages: readonly string[];
  /** Set when the envelope cannot be processed at all: names the batch, never content. */
  readonly refusal?: string;
  /** Envelope problems that did not stop processing. */
  readonly problems: readonly string[];
  /** FHS given: the reply is wrapped in FHS/FTS too. */
  readonly file: boolean;
  /** Header fields echoed (swapped) in the reply, already escaped: sending/receiving app and facility. */
  readonly header: {
    readonly sendingApplication: string;
    readonly sendingFacility: string;
    readonly receivingApplication: string;
    readonly receivingFacility: string;
  };
  /** BHS-11 (or FHS-11 without BHS): the batch control id, for BHS-12 of the reply. */
  readonly controlId: string;
}

const envelope = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/** Undefined when the text is not a batch (it does not start with FHS or BHS). */
export function splitBatch(raw: string): Hl7Batch | undefined {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (!text.startsWith('FHS') && !text.startsWith('BHS')) return undefined;
  const sep = text.charAt(3);
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.length > 0);
  const name = (line: string): string => line.slice(0, 3);
  const head = lines.find((l) => name(l) === 'BHS') ?? lines[0] ?? '';
  const f = head.split(sep); // f[n] is xHS-(n+1)
  const plain = (n: number): string => {
    const v = (f[n - 1] ?? '').split(text.charAt(4))[0] ?? '';
    return /^[\x20-\x7e]{0,199}$/.test(v) ? escapeHl7(v) : '';
  };
  const base = {
    file: text.startsWith('FHS'),
    header: {
      sendingApplication: plain(3),
      sendingFacility: plain(4),
      receivingApplication: plain(5),
      receivingFacility: plain(6),
    },
    controlId: plain(11),
  };
  const refuse = (refusal: string): Hl7Batch => ({ ...base, messages: [], problems: [], refusal });
  if (/[A-Za-z0-9\s]/.test(sep) || sep === '') return refuse('batch header (FHS/BHS) has no valid field separator');

  const messages: string[] = [];
  const problems: string[] = [];
  let current: string[] | undefined;
  let declared = 0;
  let counted: number | undefined;
  let trailer = false;
  for (const [i, line] of lines.entries()) {
    const seg = name(line);
    if (seg === 'MSH') {
      if (current !== undefined) messages.push(current.join('\r'));
      current = [line];
      continue;
    }
    if (envelope.has(seg) && line.charAt(3) === sep) {
      if (current !== undefined) messages.push(current.join('\r'));
      current = undefined;
      if (seg === 'BTS') {
        trailer = true;
        const n = (line.split(sep)[1] ?? '').trim();
        if (n !== '') {
          declared += 1;
          counted = (counted ?? 0) + Number(n);
        }
      }
      continue;
    }
    if (current === undefined)
      return refuse(`batch segment ${i + 1} is outside any message (expected MSH, BHS, BTS or FTS)`);
    current.push(line);
  }
  if (current !== undefined) messages.push(current.join('\r'));
  if (messages.length === 0) return refuse('batch (FHS/BHS) contains no message');
  if (!trailer) problems.push('batch has no trailer (BTS)');
  if (declared > 0 && counted !== messages.length)
    problems.push(`batch trailer (BTS-1) counts ${String(counted)} messages, ${messages.length} found`);
  return { ...base, messages, problems };
}

/**
 * The response batch: `[FHS] BHS ACK… BTS [FTS]` with the sender and receiver swapped, BHS-12 the
 * batch control id acknowledged, BTS-1 the number of ACKs and BTS-2 the envelope problems, if any.
 */
export function buildBatchAck(options: {
  readonly batch: Hl7Batch;
  readonly acks: readonly string[];
  readonly ackControlId: string;
  readonly now: Date;
}): string {
  const { batch, acks } = options;
  const h = batch.header;
  const iso = options.now.toISOString();
  const ts = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
  const headerOf = (seg: 'FHS' | 'BHS'): string =>
    [
      seg,
      '^~\\&',
      h.receivingApplication,
      h.receivingFacility,
      h.sendingApplication,
      h.sendingFacility,
      ts,
      '',
      '',
      '',
      escapeHl7(options.ackControlId),
      batch.controlId,
    ].join('|');
  const comment = escapeHl7(batch.problems.join('; ')).slice(0, 512);
  const segments = [
    ...(batch.file ? [headerOf('FHS')] : []),
    headerOf('BHS'),
    ...acks,
    ['BTS', String(acks.length), comment].join('|').replace(/\|$/, ''),
    ...(batch.file ? ['FTS|1'] : []),
  ];
  return segments.join('\r');
}
