/**
 * @module The inbound journal's SQL: filing messages and their events in one statement, dead
 * letters, and the content hash that tells a resend from a reused control id. Rows only: policy,
 * sealing and audit are `EhrJournal`'s.
 */
import { createHash } from 'node:crypto';
import type {
  EhrEvent,
  EhrEventInput,
  InboundFlag,
  InboundMessage,
  ReceiveOutcome,
  RequestContext,
} from '@steward/core';
import type { Sql } from '@steward/store';

/** One message ready to file: sealed, with its sealed events. */
export interface Filing {
  readonly messageId: string;
  readonly message: InboundMessage;
  readonly rawSealed: Uint8Array;
  readonly recordedAt: Date;
  readonly events: readonly PreparedEvent[];
  /** `stored` (routed, with its events) or `ignored` (kept and acknowledged, not routed). */
  readonly status: 'stored' | 'ignored';
  readonly reason: string | null;
  /** sha256 of the message with its line breaks normalized: tells a resend from a reused key. */
  readonly contentHash: string;
  readonly flag: InboundFlag | null;
  /** Who files it, at which site: the patient resolver acts as them (absent: patients not resolved). */
  readonly filedBy?: { readonly ctx: RequestContext; readonly site: string };
  /** The Steward patient of `message.subject`, resolved when the message files no event. */
  readonly subjectPatientId?: string | undefined;
}

export interface PreparedEvent {
  readonly id: string;
  readonly input: EhrEventInput;
  readonly sealed: Uint8Array;
  readonly patientKey: Uint8Array | undefined;
  /** The Steward patient it resolved to, once resolved. */
  readonly patientId?: string | undefined;
}

/**
 * sha256 of a message with a leading byte-order mark removed and line breaks normalized to CR
 * (trailing ones dropped), so a resend that differs only in CR/LF/CRLF is still the same message.
 */
export function contentHashOf(raw: string): string {
  let text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.includes('\n')) text = text.replace(/\r\n|\n/g, '\r');
  // Trailing CRs by hand: a /\r+$/ search tries every position of the message (a third of the cost).
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  return createHash('sha256')
    .update(end === text.length ? text : text.slice(0, end), 'utf8')
    .digest('hex');
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Files messages and their events with ONE statement: a multi-row insert of the messages (a
 * message already filed under its (connection, channel, key) is skipped: a duplicate) feeding a
 * multi-row insert of the events of the messages actually inserted (an event whose (connection,
 * dedup key) exists, from an earlier message or an earlier item of this call, is skipped: one
 * event per change). Rows go in in item order, so event seqs follow arrival order. A second
 * statement runs only when there are duplicates, to name the message filed before.
 */
export async function fileRows(tx: Sql, items: readonly Filing[]): Promise<readonly ReceiveOutcome[]> {
  const events = items.flatMap((f) => f.events.map((e) => ({ f, e })));
  const { rows } = await tx.query<{ kind: 'message' | 'event'; id: string; seq: string | number | null }>(
    `with ib as (
       insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, reason, raw_enc, received_at,
                                content_hash, flag)
       select t.id, t.connection_id, t.channel, t.message_key, t.message_type, t.status, t.reason, decode(t.raw, 'hex'),
              t.received_at::timestamptz, t.content_hash, t.flag
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $17::text[], $18::text[], $19::text[], $20::text[])
              with ordinality as t(id, connection_id, channel, message_key, message_type, raw, received_at,
                                   status, reason, content_hash, flag, ord)
        order by t.ord
       on conflict (connection_id, channel, message_key) do nothing
       returning id
     ), ev as (
       insert into ehr_events (id, connection_id, inbound_id, type, dedup_key, patient_key, occurred_at, data_enc, recorded_at,
                               patient_id)
       select e.id, e.connection_id, e.inbound_id, e.type, e.dedup_key,
              case when e.patient_key = '' then null else decode(e.patient_key, 'hex') end,
              e.occurred_at::timestamptz, decode(e.data, 'hex'), e.recorded_at::timestamptz, e.patient_id
         from unnest($8::uuid[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[],
                     $21::uuid[])
              with ordinality as e(id, inbound_id, connection_id, type, dedup_key, patient_key, occurred_at, data, recorded_at,
                                   patient_id, ord)
         join ib on ib.id = e.inbound_id
        order by e.ord
       on conflict (connection_id, dedup_key) do nothing
       returning id, seq
     )
     select 'message' as kind, id::text as id, null::int8 as seq from ib
     union all
     select 'event', id::text, seq from ev`,
    [
      items.map((f) => f.messageId),
      items.map((f) => f.message.connectionId),
      items.map((f) => f.message.channel),
      items.map((f) => f.message.messageKey),
      items.map((f) => f.message.messageType),
      items.map((f) => hex(f.rawSealed)),
      items.map((f) => f.message.receivedAt.toISOString()),
      events.map(({ e }) => e.id),
      events.map(({ f }) => f.messageId),
      events.map(({ e }) => e.input.connectionId),
      events.map(({ e }) => e.input.type),
      events.map(({ e }) => e.input.dedupKey),
      events.map(({ e }) => (e.patientKey === undefined ? '' : hex(e.patientKey))),
      events.map(({ e }) => e.input.occurredAt),
      events.map(({ e }) => hex(e.sealed)),
      events.map(({ f }) => f.recordedAt.toISOString()),
      items.map((f) => f.status),
      items.map((f) => f.reason),
      items.map((f) => f.contentHash),
      items.map((f) => f.flag),
      events.map(({ e }) => e.patientId ?? null),
    ],
  );
  const inserted = new Set<string>();
  const seqs = new Map<string, number>();
  for (const r of rows) {
    if (r.kind === 'message') inserted.add(r.id);
    else seqs.set(r.id, Number(r.seq));
  }
  const duplicates = items.filter((f) => !inserted.has(f.messageId));
  const existing = duplicates.length === 0 ? new Map<number, string>() : await existingIds(tx, duplicates);
  return items.map((f): ReceiveOutcome => {
    if (!inserted.has(f.messageId)) {
      return { status: 'duplicate', messageId: existing.get(duplicates.indexOf(f)) ?? '' };
    }
    const flag = f.flag === null ? {} : { flag: f.flag };
    if (f.status === 'ignored') return { status: 'ignored', messageId: f.messageId, ...flag };
    const stored: EhrEvent[] = [];
    for (const e of f.events) {
      const seq = seqs.get(e.id);
      if (seq === undefined) continue;
      const patient = e.patientId === undefined ? {} : { patientId: e.patientId };
      stored.push({ ...e.input, id: e.id, seq, recordedAt: f.recordedAt, ...patient });
    }
    return { status: 'stored', messageId: f.messageId, events: stored, ...flag };
  });
}

/** The ids the duplicates were filed under before, by the duplicates' positions. */
async function existingIds(tx: Sql, duplicates: readonly Filing[]): Promise<Map<number, string>> {
  const { rows } = await tx.query<{ id: string; ord: string | number }>(
    `select i.id::text as id, t.ord
       from unnest($1::uuid[], $2::text[], $3::text[]) with ordinality as t(connection_id, channel, message_key, ord)
       join ehr_inbound i
         on i.connection_id = t.connection_id and i.channel = t.channel and i.message_key = t.message_key`,
    [
      duplicates.map((f) => f.message.connectionId),
      duplicates.map((f) => f.message.channel),
      duplicates.map((f) => f.message.messageKey),
    ],
  );
  return new Map(rows.map((r) => [Number(r.ord) - 1, r.id]));
}

/** Files a dead letter once per (connection, channel, key); false when it was filed before. */
export async function insertDeadLetter(
  tx: Sql,
  id: string,
  message: InboundMessage,
  reason: string,
  rawSealed: Uint8Array,
): Promise<boolean> {
  const status = 'dead-letter';
  const { rowCount } = await tx.query(
    `insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, reason, raw_enc, received_at,
       content_hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (connection_id, channel, message_key) do nothing`,
    [
      id,
      message.connectionId,
      message.channel,
      message.messageKey,
      message.messageType,
      status,
      reason,
      rawSealed,
      message.receivedAt,
      contentHashOf(message.raw),
    ],
  );
  return rowCount !== 0;
}

export async function existingId(tx: Sql, message: InboundMessage): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'select id from ehr_inbound where connection_id = $1 and channel = $2 and message_key = $3',
    [message.connectionId, message.channel, message.messageKey],
  );
  return rows[0]?.id ?? '';
}

const fileNewTypes = [
  'uuid[]',
  'uuid[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'text[]',
  'bytea',
  'int4[]',
  'int4[]',
  'uuid[]',
  'uuid[]',
  'uuid[]',
  'text[]',
  'text[]',
  'bytea[]',
  'text[]',
  'text[]',
  'uuid[]',
  'bytea',
  'int4[]',
  'int4[]',
];

/** Values concatenated into one binary parameter, with each one's offset and length. */
function packed(values: readonly Uint8Array[]): { blob: Buffer; at: number[]; len: number[] } {
  const at: number[] = [];
  const len: number[] = [];
  let offset = 0;
  for (const v of values) {
    at.push(offset);
    len.push(v.byteLength);
    offset += v.byteLength;
  }
  return { blob: Buffer.concat(values), at, len };
}

/**
 * The journal's arguments of `ehr_file_audited` (migration 67), from parameter `$first` on: new
 * messages and their events, the sealed values as one binary parameter per table.
 */
export function fileNewArgs(items: readonly Filing[], first: number): { placeholders: string; params: unknown[] } {
  const events = items.flatMap((f) => f.events.map((e) => ({ f, e })));
  const raw = packed(items.map((f) => f.rawSealed));
  const data = packed(events.map(({ e }) => e.sealed));
  return {
    placeholders: fileNewTypes.map((t, i) => `$${first + i}::${t}`).join(', '),
    params: [
      items.map((f) => f.messageId),
      items.map((f) => f.message.connectionId),
      items.map((f) => f.message.channel),
      items.map((f) => f.message.messageKey),
      items.map((f) => f.message.messageType),
      items.map((f) => f.message.receivedAt.toISOString()),
      items.map((f) => f.status),
      items.map((f) => f.reason),
      items.map((f) => f.contentHash),
      raw.blob,
      raw.at,
      raw.len,
      events.map(({ e }) => e.id),
      events.map(({ f }) => f.messageId),
      events.map(({ e }) => e.input.connectionId),
      events.map(({ e }) => e.input.type),
      events.map(({ e }) => e.input.dedupKey),
      events.map(({ e }) => (e.patientKey === undefined ? null : Buffer.from(e.patientKey))),
      events.map(({ e }) => e.input.occurredAt),
      events.map(({ f }) => f.recordedAt.toISOString()),
      events.map(({ e }) => e.patientId ?? null),
      data.blob,
      data.at,
      data.len,
    ],
  };
}

/**
 * The outcomes of messages filed as new (every message stored or ignored as prepared, every event
 * stored), with the events' sequence numbers when known (`seqs`, by event id; 0 before the write).
 */
export function newOutcomes(items: readonly Filing[], seqs?: ReadonlyMap<string, number>): ReceiveOutcome[] {
  return items.map((f): ReceiveOutcome => {
    const flag = f.flag === null ? {} : { flag: f.flag };
    if (f.status === 'ignored') return { status: 'ignored', messageId: f.messageId, ...flag };
    const stored = f.events.map((e): EhrEvent => {
      const seq = seqs === undefined ? 0 : seqs.get(e.id);
      if (seq === undefined) throw new Error('an event filed as new did not come back from the store');
      const patient = e.patientId === undefined ? {} : { patientId: e.patientId };
      return { ...e.input, id: e.id, seq, recordedAt: f.recordedAt, ...patient };
    });
    return { status: 'stored', messageId: f.messageId, events: stored, ...flag };
  });
}
