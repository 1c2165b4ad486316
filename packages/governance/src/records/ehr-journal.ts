/**
 * @module The governed inbound journal: what EHRs send Steward (HL7 v2 messages, FHIR
 * notifications and poll results) and the normalized events made from it. Raw messages and events
 * are PHI, so they are sealed with the field cipher (row-bound), each receipt is allowed by the
 * policy decision point (`ehr.ingest` at the connection's site) and audited in the same
 * transaction as the rows: a receipt that cannot be audited is not stored, and the sender is not
 * acknowledged. Patients are keyed by a blind index of their first identifier, so events can be
 * read per patient in arrival order without storing an identifier in the clear.
 */
import {
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
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { PolicyDecisionPoint } from '../policy/decision-point.js';
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

export class EhrJournal {
  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The journal as one connection's listener sees it: every call acts as `ctx` at the connection's site. */
  forConnection(ctx: RequestContext, connection: JournalConnection): InboundJournal {
    return {
      receive: (message, events) => this.receive(ctx, connection, message, events),
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
    checkConnection(connection, message);
    for (const e of events) {
      if (e.connectionId !== connection.id)
        throw new UnexpectedError('an event names another connection than its message');
    }
    const decision = await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const messageId = newId();
    const now = this.clock.now();
    const rawSealed = this.cipher.encrypt(message.raw, `ehr_inbound:${messageId}`);
    const prepared = events.map((e) => {
      const id = newId();
      return {
        id,
        input: e,
        sealed: this.cipher.encrypt(JSON.stringify(e), `ehr_events:${id}`),
        patientKey: this.patientKey(e.patient),
      };
    });
    return this.audit.transact(
      async (tx): Promise<ReceiveOutcome> => {
        const inserted = await insertInbound(tx, messageId, message, 'stored', null, rawSealed);
        if (!inserted) return { status: 'duplicate', messageId: await existingId(tx, message) };
        const stored: EhrEvent[] = [];
        for (const p of prepared) {
          // The same change can arrive twice by different routes (a notification and a poll): one event.
          const { rows } = await tx.query<{ seq: string | number }>(
            `insert into ehr_events (id, connection_id, inbound_id, type, dedup_key, patient_key, occurred_at, data_enc, recorded_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (connection_id, dedup_key) do nothing
             returning seq`,
            [
              p.id,
              connection.id,
              messageId,
              p.input.type,
              p.input.dedupKey,
              p.patientKey ?? null,
              p.input.occurredAt,
              p.sealed,
              now,
            ],
          );
          const row = rows[0];
          if (row !== undefined) stored.push({ ...p.input, id: p.id, seq: Number(row.seq), recordedAt: now });
        }
        return { status: 'stored', messageId, events: stored };
      },
      (outcome) => [
        this.entry(ctx, connection, 'ehr.received', message, outcome.messageId, decision.purposeOfUse, {
          reason:
            outcome.status === 'duplicate'
              ? 'duplicate'
              : `events:${outcome.status === 'stored' ? outcome.events.length : 0}`,
        }),
      ],
    );
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

function checkConnection(connection: JournalConnection, message: InboundMessage): void {
  if (message.connectionId !== connection.id)
    throw new UnexpectedError('a message names another connection than its journal');
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
