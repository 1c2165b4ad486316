/**
 * @module The governed inbound journal: what EHRs send Steward (HL7 v2 messages, FHIR
 * notifications and poll results) and the normalized events made from it. Raw messages and events
 * are PHI, so they are sealed with the field cipher (row-bound), each receipt is allowed by the
 * policy decision point (`ehr.ingest` at the connection's site) and audited in the same
 * transaction as the rows: a receipt that cannot be audited is not stored, and the sender is not
 * acknowledged. Patients are keyed by a blind index of their first identifier, so events can be
 * read per patient in arrival order without storing an identifier in the clear.
 *
 * Throughput: every message is its own audited unit, but the units that meet in one audit writer
 * transaction are written together by one statement (`fileAll`), and a connection's journal
 * reuses its allowed decision for at most a second (`decisionTtlMs`).
 */
import {
  ConfigError,
  identifierKey,
  newId,
  systemClock,
  UnexpectedError,
  type Clock,
  type DeadLetter,
  type EhrEvent,
  type EhrEventInput,
  type InboundJournal,
  type InboundMessage,
  type PatientRef,
  type ReceiveOutcome,
  type RequestContext,
} from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { BatchingAudit, UnitBatch } from '../audit/audit-log.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Decision, PolicyDecisionPoint } from '../policy/decision-point.js';
import { sourceOf } from '../policy/decision-point.js';
import type { TransactionalAudit } from './record-store.js';

/** The connection a journal writes for: its id and the site whose grants cover it. */
export interface JournalConnection {
  readonly id: string;
  readonly site: string;
}

interface EventRow {
  seq: string | number;
  id: string;
  connection_id: string;
  data_enc: Uint8Array;
  recorded_at: Date;
}

interface DeadLetterRow {
  id: string;
  connection_id: string;
  channel: string;
  message_key: string;
  message_type: string;
  received_at: Date;
  reason: string;
}

/** One message ready to file: sealed, with its sealed events. */
interface Filing {
  readonly messageId: string;
  readonly message: InboundMessage;
  readonly rawSealed: Uint8Array;
  readonly recordedAt: Date;
  readonly events: readonly PreparedEvent[];
}

interface PreparedEvent {
  readonly id: string;
  readonly input: EhrEventInput;
  readonly sealed: Uint8Array;
  readonly patientKey: Uint8Array | undefined;
}

export interface EhrJournalOptions {
  /**
   * How long one connection's journal (`forConnection`) reuses its allowed `ehr.ingest` decision
   * for receipts, in ms, 0..1,000 (default 1,000; 0 decides every time). A revoked grant therefore
   * stops a connection's ingest within this time, not at once. Denials are never reused, and
   * reads (`events`, `deadLetters`) always decide afresh.
   */
  readonly decisionTtlMs?: number;
}

type Allowed = Extract<Decision, { allowed: true }>;

export class EhrJournal {
  private readonly decisionTtlMs: number;
  /** The journal's unit batch: every message filed in one audit writer transaction is written by one `fileAll`. */
  private readonly filings: UnitBatch<Filing, ReceiveOutcome> = { writeAll: fileAll };

  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit & BatchingAudit,
    private readonly clock: Clock = systemClock,
    options: EhrJournalOptions = {},
  ) {
    const ttl = options.decisionTtlMs ?? 1_000;
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 1_000)
      throw new ConfigError([{ path: 'decisionTtlMs', message: 'must be an integer from 0 to 1000' }]);
    this.decisionTtlMs = ttl;
  }

  /** The journal as one connection's listener sees it: every call acts as `ctx` at the connection's site. */
  forConnection(ctx: RequestContext, connection: JournalConnection): InboundJournal {
    const allow = this.rememberedDecision(ctx, connection);
    return {
      receive: async (message, events) => first(await this.file(ctx, connection, [{ message, events }], allow)),
      receiveMany: (items) => this.file(ctx, connection, items, allow),
      deadLetter: (message, reason) => this.deadLetter(ctx, connection, message, reason),
      deadLetters: () => this.deadLetters(ctx, connection),
      events: (afterSeq, limit) => this.events(ctx, connection, afterSeq, limit),
    };
  }

  async receive(
    ctx: RequestContext,
    connection: JournalConnection,
    message: InboundMessage,
    events: readonly EhrEventInput[],
  ): Promise<ReceiveOutcome> {
    return first(await this.receiveMany(ctx, connection, [{ message, events }]));
  }

  /**
   * Files several messages (a search page, or whatever arrives together): one policy decision,
   * then one audited unit per message. Concurrent units land in the same audit writer
   * transaction, where all of them are written by one statement (`fileAll`); each message and its
   * audit entry still commit together, and a message that fails does not keep the others from
   * being stored (the writer retries them one by one). Rejects, once every item is settled, with
   * the first failure.
   */
  receiveMany(
    ctx: RequestContext,
    connection: JournalConnection,
    items: readonly { readonly message: InboundMessage; readonly events: readonly EhrEventInput[] }[],
  ): Promise<readonly ReceiveOutcome[]> {
    return this.file(ctx, connection, items, () => this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site }));
  }

  /**
   * One connection's `ehr.ingest` decision, reused for up to `decisionTtlMs` (the grant read per
   * message cost 15-25 % of ingest throughput). Concurrent callers share one pending decision; a
   * denial or an error is not kept, so the next call decides (and audits the denial) again.
   */
  private rememberedDecision(ctx: RequestContext, connection: JournalConnection): () => Promise<Allowed> {
    let kept: { readonly decision: Promise<Allowed>; readonly until: number } | undefined;
    return () => {
      const now = this.clock.now().getTime();
      if (kept !== undefined && now < kept.until) return kept.decision;
      const decision = this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
      if (this.decisionTtlMs === 0) return decision;
      const entry = { decision, until: now + this.decisionTtlMs };
      kept = entry;
      decision.catch(() => {
        if (kept === entry) kept = undefined;
      });
      return decision;
    };
  }

  private async file(
    ctx: RequestContext,
    connection: JournalConnection,
    items: readonly { readonly message: InboundMessage; readonly events: readonly EhrEventInput[] }[],
    allow: () => Promise<Allowed>,
  ): Promise<readonly ReceiveOutcome[]> {
    for (const { message, events } of items) {
      checkConnection(connection, message);
      for (const e of events) {
        if (e.connectionId !== connection.id)
          throw new UnexpectedError('an event names another connection than its message');
      }
    }
    if (items.length === 0) return [];
    const decision = await allow();
    const settled = await Promise.allSettled(
      items.map(({ message, events }) =>
        this.audit.transactBatch(this.filings, this.prepare(message, events), (outcome) => [
          this.entry(ctx, connection, 'ehr.received', message, outcome.messageId, decision.purposeOfUse, {
            reason:
              outcome.status === 'duplicate'
                ? 'duplicate'
                : `events:${outcome.status === 'stored' ? outcome.events.length : 0}`,
          }),
        ]),
      ),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<ReceiveOutcome>).value);
  }

  /** Seals the raw message and each event under its own row id (the AAD binds ciphertext to row). */
  private prepare(message: InboundMessage, events: readonly EhrEventInput[]): Filing {
    const messageId = newId();
    return {
      messageId,
      message,
      rawSealed: this.cipher.encrypt(message.raw, `ehr_inbound:${messageId}`),
      recordedAt: this.clock.now(),
      events: events.map((e) => {
        const id = newId();
        return {
          id,
          input: e,
          sealed: this.cipher.encrypt(JSON.stringify(e), `ehr_events:${id}`),
          patientKey: this.patientKey(e.patient),
        };
      }),
    };
  }

  async deadLetter(
    ctx: RequestContext,
    connection: JournalConnection,
    message: InboundMessage,
    reason: string,
  ): Promise<ReceiveOutcome> {
    checkConnection(connection, message);
    const decision = await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const messageId = newId();
    const rawSealed = this.cipher.encrypt(message.raw, `ehr_inbound:${messageId}`);
    const shortReason = reason.slice(0, 500);
    return this.audit.transact(
      async (tx): Promise<ReceiveOutcome> => {
        const inserted = await insertInbound(tx, messageId, message, 'dead-letter', shortReason, rawSealed);
        if (!inserted) return { status: 'duplicate', messageId: await existingId(tx, message) };
        return { status: 'dead-letter', messageId };
      },
      (outcome) => [
        this.entry(ctx, connection, 'ehr.dead_letter', message, outcome.messageId, decision.purposeOfUse, {
          reason: outcome.status === 'duplicate' ? 'duplicate' : 'dead-letter',
        }),
      ],
    );
  }

  /** The dead-letter list: what was received but not processed, and why. No message content. */
  async deadLetters(ctx: RequestContext, connection: JournalConnection): Promise<readonly DeadLetter[]> {
    await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const { rows } = await this.db.query<DeadLetterRow>(
      `select id, connection_id, channel, message_key, message_type, received_at, reason from ehr_inbound
        where connection_id = $1 and status = 'dead-letter' order by received_at, id`,
      [connection.id],
    );
    return rows.map((r) => ({
      messageId: r.id,
      connectionId: r.connection_id,
      channel: r.channel as DeadLetter['channel'],
      messageKey: r.message_key,
      messageType: r.message_type,
      receivedAt: r.received_at,
      reason: r.reason,
    }));
  }

  /** A connection's events after `afterSeq`, in arrival order. Reading them is audited like a search. */
  async events(
    ctx: RequestContext,
    connection: JournalConnection,
    afterSeq: number,
    limit: number,
  ): Promise<readonly EhrEvent[]> {
    const decision = await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const { rows } = await this.db.query<EventRow>(
      `select seq, id, connection_id, data_enc, recorded_at from ehr_events
        where connection_id = $1 and seq > $2 order by seq limit $3`,
      [connection.id, afterSeq, Math.max(1, Math.min(limit, 10_000))],
    );
    const events = rows.map((r) => {
      const input = JSON.parse(this.cipher.decrypt(r.data_enc, `ehr_events:${r.id}`).toString('utf8')) as EhrEventInput;
      return { ...input, id: r.id, seq: Number(r.seq), recordedAt: r.recorded_at };
    });
    // An empty read disclosed nothing: the router polls often, and its empty rounds are not audited.
    if (events.length === 0) return events;
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      entity: { kind: 'EhrEvent', id: '*' },
      site: connection.site,
      purposeOfUse: decision.purposeOfUse,
      source: sourceOf(ctx),
      reason: `events:${events.length}`,
    });
    return events;
  }

  /**
   * One stored event by id, for automation acting on it (drafting a proposal for its patient).
   * Allowed for whoever may read the connection's journal; audited as a read of that event.
   */
  async event(ctx: RequestContext, connection: JournalConnection, id: string): Promise<EhrEvent | undefined> {
    const decision = await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const { rows } = await this.db.query<EventRow>(
      'select seq, id, connection_id, data_enc, recorded_at from ehr_events where connection_id = $1 and id = $2',
      [connection.id, id],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const input = JSON.parse(
      this.cipher.decrypt(row.data_enc, `ehr_events:${row.id}`).toString('utf8'),
    ) as EhrEventInput;
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      entity: { kind: 'EhrEvent', id: row.id },
      site: connection.site,
      purposeOfUse: decision.purposeOfUse,
      source: sourceOf(ctx),
    });
    return { ...input, id: row.id, seq: Number(row.seq), recordedAt: row.recorded_at };
  }

  private patientKey(patient: PatientRef): Uint8Array | undefined {
    const first = patient.identifiers[0];
    if (first !== undefined) return this.cipher.blindIndex('ehr_events.patient', identifierKey(first));
    if (patient.ehrId !== undefined) return this.cipher.blindIndex('ehr_events.patient', `ehr-id|${patient.ehrId}`);
    return undefined;
  }

  private entry(
    ctx: RequestContext,
    connection: JournalConnection,
    event: 'ehr.received' | 'ehr.dead_letter',
    message: InboundMessage,
    messageId: string,
    purposeOfUse: AuditEntryInput['purposeOfUse'],
    extra: { reason: string },
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action: 'C',
      outcome: 'success',
      entity: { kind: `ehr:${message.channel}`, id: messageId },
      fields: [message.messageType],
      site: connection.site,
      ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason: extra.reason,
    };
  }
}

function first(outcomes: readonly ReceiveOutcome[]): ReceiveOutcome {
  const outcome = outcomes[0];
  if (outcome === undefined) throw new UnexpectedError('no outcome for a filed message');
  return outcome;
}

function checkConnection(connection: JournalConnection, message: InboundMessage): void {
  if (message.connectionId !== connection.id)
    throw new UnexpectedError('a message names another connection than its journal');
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
async function fileAll(tx: Sql, items: readonly Filing[]): Promise<readonly ReceiveOutcome[]> {
  const events = items.flatMap((f) => f.events.map((e) => ({ f, e })));
  const { rows } = await tx.query<{ kind: 'message' | 'event'; id: string; seq: string | number | null }>(
    `with ib as (
       insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, reason, raw_enc, received_at)
       select t.id, t.connection_id, t.channel, t.message_key, t.message_type, 'stored', null, decode(t.raw, 'hex'),
              t.received_at::timestamptz
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
              with ordinality as t(id, connection_id, channel, message_key, message_type, raw, received_at, ord)
        order by t.ord
       on conflict (connection_id, channel, message_key) do nothing
       returning id
     ), ev as (
       insert into ehr_events (id, connection_id, inbound_id, type, dedup_key, patient_key, occurred_at, data_enc, recorded_at)
       select e.id, e.connection_id, e.inbound_id, e.type, e.dedup_key,
              case when e.patient_key = '' then null else decode(e.patient_key, 'hex') end,
              e.occurred_at::timestamptz, decode(e.data, 'hex'), e.recorded_at::timestamptz
         from unnest($8::uuid[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
              with ordinality as e(id, inbound_id, connection_id, type, dedup_key, patient_key, occurred_at, data, recorded_at, ord)
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
    const stored: EhrEvent[] = [];
    for (const e of f.events) {
      const seq = seqs.get(e.id);
      if (seq !== undefined) stored.push({ ...e.input, id: e.id, seq, recordedAt: f.recordedAt });
    }
    return { status: 'stored', messageId: f.messageId, events: stored };
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

/** Files a message once per (connection, channel, key); false when it was filed before. */
async function insertInbound(
  tx: Sql,
  id: string,
  message: InboundMessage,
  status: 'stored' | 'dead-letter',
  reason: string | null,
  rawSealed: Uint8Array,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, reason, raw_enc, received_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
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
    ],
  );
  return rowCount !== 0;
}

async function existingId(tx: Sql, message: InboundMessage): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'select id from ehr_inbound where connection_id = $1 and channel = $2 and message_key = $3',
    [message.connectionId, message.channel, message.messageKey],
  );
  return rows[0]?.id ?? '';
}
