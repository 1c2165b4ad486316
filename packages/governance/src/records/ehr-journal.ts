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
 * reuses its allowed decision for at most a second (`decisionTtlMs`). On PostgreSQL, new messages
 * and their audit entries go in ONE round trip (`fileOneTrip`, `ehr_file_audited`), with a patient
 * resolver too when every patient named is known (`ehr_file_resolved`).
 */
import {
  ConfigError,
  identifierKey,
  newId,
  systemClock,
  UnexpectedError,
  type AttentionItem,
  type AttentionList,
  type Clock,
  type DeadLetter,
  type EhrEvent,
  type EhrEventInput,
  type InboundFlag,
  type InboundJournal,
  type InboundMessage,
  type PatientRef,
  type ReceiveOutcome,
  type RequestContext,
} from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { BatchingAudit, OneTripWrite, UnitBatch } from '../audit/audit-log.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Decision, PolicyDecisionPoint } from '../policy/decision-point.js';
import { sourceOf } from '../policy/decision-point.js';
import type { TransactionalAudit } from './record-store.js';
import type { PatientKeyCheck, PatientResolver } from './patient-resolver.js';
import { patientIdsOf, patientOf, patientsOf, resolveKnownPatients, resolvePatients } from './ehr-patients.js';
import {
  contentHashOf,
  existingId,
  fileNewArgs,
  fileRows,
  newOutcomes,
  insertDeadLetter,
  type Filing,
  type PreparedEvent,
} from './ehr-inbound-rows.js';

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
  patient_id: string | null;
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

interface AttentionRow extends DeadLetterRow {
  status: 'stored' | 'dead-letter' | 'ignored';
  flag: InboundFlag | null;
}

/** Why a message filed under a reused control id is on the attention list (no content, no id). */
const reusedReason = 'the control id was used before for a different message; filed as its own message, check it';

export interface EhrJournalOptions {
  /**
   * How long one connection's journal (`forConnection`) reuses its allowed `ehr.ingest` decision
   * for receipts, in ms, 0..1,000 (default 1,000; 0 decides every time). A revoked grant therefore
   * stops a connection's ingest within this time, not at once. Denials are never reused, and
   * reads (`events`, `deadLetters`) always decide afresh.
   */
  readonly decisionTtlMs?: number;
  /**
   * Resolves each stored event's patient to a Steward patient (the patient index) in the filing
   * transaction (or just before it, checked under the audit lock, when every patient is known: see
   * `fileOneTrip`): the event carries the id and the receipt's audit entry names it. Absent, events
   * are filed with their patient key only.
   */
  readonly patients?: PatientResolver;
}

type Allowed = Extract<Decision, { allowed: true }>;

export class EhrJournal {
  private readonly decisionTtlMs: number;
  private readonly patients: PatientResolver | undefined;
  /** The journal's unit batch: every message filed in one audit writer transaction is written by one `fileAll`. */
  private readonly filings: UnitBatch<Filing, Filed> = {
    writeAll: (tx, items) => this.fileAll(tx, items),
    oneTrip: (items) => this.fileOneTrip(items),
  };

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
    this.patients = options.patients;
  }

  /** The journal as one connection's listener sees it: every call acts as `ctx` at the connection's site. */
  forConnection(ctx: RequestContext, connection: JournalConnection): InboundJournal {
    const allow = this.rememberedDecision(ctx, connection);
    return {
      receive: async (message, events) => first(await this.file(ctx, connection, [{ message, events }], allow)),
      receiveMany: (items) => this.file(ctx, connection, items, allow),
      deadLetter: (message, reason) => this.deadLetter(ctx, connection, message, reason),
      deadLetters: () => this.deadLetters(ctx, connection),
      ignore: async (message, reason) =>
        first(await this.file(ctx, connection, [{ message, events: [] }], allow, reason)),
      attention: (limit) => this.attention(ctx, connection, limit),
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
    ignoredReason?: string,
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
        this.audit.transactBatch(
          this.filings,
          { ...this.prepare(message, events, ignoredReason), filedBy: { ctx, site: connection.site } },
          ({ outcome, patientIds }) => [
            this.entry(ctx, connection, 'ehr.received', message, outcome.messageId, decision.purposeOfUse, {
              reason: receivedReason(outcome),
              patientIds,
            }),
          ],
        ),
      ),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return settled.map((r) => (r as PromiseFulfilledResult<Filed>).value.outcome);
  }

  /** Seals the raw message and each event under its own row id (the AAD binds ciphertext to row). */
  private prepare(message: InboundMessage, events: readonly EhrEventInput[], ignoredReason?: string): Filing {
    const messageId = newId();
    return {
      messageId,
      message,
      rawSealed: this.cipher.encrypt(message.raw, `ehr_inbound:${messageId}`),
      recordedAt: this.clock.now(),
      events: events.map((e) => this.prepareEvent(newId(), e)),
      status: ignoredReason === undefined ? 'stored' : 'ignored',
      reason: ignoredReason === undefined ? null : ignoredReason.slice(0, 500),
      contentHash: contentHashOf(message.raw),
      flag: null,
    };
  }

  private prepareEvent(id: string, input: EhrEventInput): PreparedEvent {
    return {
      id,
      input,
      sealed: this.cipher.encrypt(JSON.stringify(input), `ehr_events:${id}`),
      patientKey: this.patientKey(input.patient),
    };
  }

  /** Resolves the filings' patients (when the journal has a resolver), then files them. */
  private async fileAll(tx: Sql, filings: readonly Filing[]): Promise<readonly Filed[]> {
    const items = this.patients === undefined ? filings : await resolvePatients(this.patients, tx, filings);
    const outcomes = await this.fileOrRefile(tx, items);
    // The receipt names the patients the message is about, whatever became of its events.
    return outcomes.map((outcome, i) => ({ outcome, patientIds: patientsOf(items[i] as Filing) }));
  }

  /**
   * The filings as new messages, written with their audit entries in ONE statement
   * (`ehr_file_audited`, which checks the audit head under the lock first): the common case, where
   * no key was seen before. A message or event key already taken fails the statement, and the
   * audit writer files the batch again through `fileAll` (resends, reused control ids). With a
   * patient resolver, the patients are resolved first, outside the transaction, when that writes
   * nothing (`resolveKnown`: every patient known); the statement (`ehr_file_resolved`) then also
   * checks under the lock that every key read still finds the same patient (SQLSTATE SA002 when
   * not: the batch goes the general way, which resolves in the transaction). A patient that needs a
   * write (new, a new key, demographics, a merge) sends the batch the general way at once.
   */
  private fileOneTrip(
    filings: readonly Filing[],
  ): OneTripWrite<Filed> | undefined | Promise<OneTripWrite<Filed> | undefined> {
    if (filings.some((f) => f.flag !== null)) return undefined;
    if (this.patients === undefined) return this.oneTripWrite(filings, []);
    return resolveKnownPatients(this.patients, filings).then((known) =>
      known === undefined ? undefined : this.oneTripWrite(known.filings, known.checks),
    );
  }

  private oneTripWrite(filings: readonly Filing[], checks: readonly PatientKeyCheck[]): OneTripWrite<Filed> {
    const filed = (outcomes: readonly ReceiveOutcome[]): Filed[] =>
      outcomes.map((outcome, i) => ({ outcome, patientIds: patientsOf(filings[i] as Filing) }));
    return {
      expected: filed(newOutcomes(filings)),
      statement: (audit) => {
        const own = fileNewArgs(filings, audit.params.length + 1);
        if (checks.length === 0)
          return {
            text: `select event_id::text, event_seq from ehr_file_audited(${audit.placeholders}, ${own.placeholders})`,
            params: [...audit.params, ...own.params],
          };
        const at = audit.params.length + own.params.length + 1;
        return {
          text:
            `select event_id::text, event_seq from ehr_file_resolved(${audit.placeholders}, ${own.placeholders}, ` +
            `$${at}::bytea[], $${at + 1}::uuid[], $${at + 2}::bool[])`,
          params: [
            ...audit.params,
            ...own.params,
            checks.map((c) => Buffer.from(c.key)),
            checks.map((c) => c.patientId),
            checks.map((c) => c.withDemographics),
          ],
        };
      },
      results: (rows) => filed(newOutcomes(filings, new Map(rows.map((r) => [String(r[0]), Number(r[1])])))),
    };
  }

  /**
   * Files messages with `fileRows`; then every message whose key was taken and whose key may
   * repeat (HL7 MSH-10) is compared with the message filed under that key. Same content: a
   * duplicate (a resend). Different content: a different message that reused the control id. It
   * is FILED, not refused, under `<key>#<content hash>` and flagged `control-id-reused`: refusing
   * it (AE) would make the sender resend the same id forever or stop its queue, while filing it
   * means nothing is lost and the workflows see it, and the flag puts it in front of a person.
   * Its events' dedup keys get the same suffix, since keys derived from the reused control id
   * would otherwise collide with the first message's events and be skipped.
   */
  private async fileOrRefile(tx: Sql, items: readonly Filing[]): Promise<readonly ReceiveOutcome[]> {
    const outcomes = [...(await fileRows(tx, items))];
    const taken = items.flatMap((f, i) => {
      const o = outcomes[i];
      return o?.status === 'duplicate' && f.message.keyMayRepeat === true && f.flag === null ? [{ f, i, o }] : [];
    });
    if (taken.length === 0) return outcomes;
    const earlier = await this.hashesOf(
      tx,
      taken.map((t) => t.o.messageId),
    );
    const refile: { i: number; filing: Filing }[] = [];
    for (const { f, i, o } of taken) {
      if (earlier.get(o.messageId) === f.contentHash) continue; // a resend: a true duplicate
      const suffix = `#${f.contentHash}`;
      refile.push({
        i,
        filing: {
          ...f,
          message: { ...f.message, messageKey: `${f.message.messageKey}${suffix}` },
          events: f.events.map((e) => ({
            ...this.prepareEvent(e.id, { ...e.input, dedupKey: `${e.input.dedupKey}${suffix}` }),
            patientId: e.patientId,
          })),
          flag: 'control-id-reused',
          reason: f.reason ?? reusedReason,
        },
      });
    }
    if (refile.length === 0) return outcomes;
    const again = await fileRows(
      tx,
      refile.map((r) => r.filing),
    );
    refile.forEach((r, k) => {
      const o = again[k];
      if (o !== undefined) outcomes[r.i] = o;
    });
    return outcomes;
  }

  /** The content hashes of filed messages; rows filed before hashes were kept are hashed from their sealed text. */
  private async hashesOf(tx: Sql, ids: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await tx.query<{ id: string; content_hash: string | null; raw_enc: Uint8Array | null }>(
      `select id::text as id, content_hash, case when content_hash is null then raw_enc end as raw_enc
         from ehr_inbound where id = any($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        r.content_hash ??
          (r.raw_enc === null
            ? ''
            : contentHashOf(this.cipher.decrypt(r.raw_enc, `ehr_inbound:${r.id}`).toString('utf8'))),
      ]),
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
        const inserted = await insertDeadLetter(tx, messageId, message, shortReason, rawSealed);
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

  /**
   * The attention list: dead letters, messages filed with a flag (a reused control id) and
   * messages kept but not routed (ignored), newest `limit` (default 200) in arrival order, with
   * the counts of each kind. Read as the connection; no message content.
   */
  async attention(ctx: RequestContext, connection: JournalConnection, limit = 200): Promise<AttentionList> {
    await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const where = `connection_id = $1 and (status <> 'stored' or flag is not null)`;
    const counted = await this.db.query<{ dead: number; reused: number; unfound: number; ignored: number }>(
      `select count(*) filter (where status = 'dead-letter')::int as dead,
              count(*) filter (where flag = 'control-id-reused')::int as reused,
              count(*) filter (where flag = 'patient-not-found')::int as unfound,
              count(*) filter (where status = 'ignored')::int as ignored
         from ehr_inbound where ${where}`,
      [connection.id],
    );
    const { rows } = await this.db.query<AttentionRow>(
      `select id, connection_id, channel, message_key, message_type, received_at, reason, status, flag
         from ehr_inbound where ${where} order by received_at desc, id desc limit $2`,
      [connection.id, Math.max(1, Math.min(limit, 10_000))],
    );
    const c = counted.rows[0];
    return {
      counts: {
        deadLetter: c?.dead ?? 0,
        controlIdReused: c?.reused ?? 0,
        patientNotFound: c?.unfound ?? 0,
        ignored: c?.ignored ?? 0,
      },
      items: rows.reverse().map((r): AttentionItem => ({
        kind: r.status === 'dead-letter' ? 'dead-letter' : (r.flag ?? 'ignored'),
        messageId: r.id,
        connectionId: r.connection_id,
        channel: r.channel as DeadLetter['channel'],
        messageKey: r.message_key,
        messageType: r.message_type,
        receivedAt: r.received_at,
        reason: r.reason ?? '',
      })),
    };
  }

  /**
   * Puts the message that carried an event on the attention list, flagged with what a person must
   * settle and why (a reason without content), as the connection that filed it: a workflow that
   * could not act on the event (`patient-not-found`: no EHR patient, or two, carry the identifiers it
   * names) says so here rather than only in its own state. A message flagged before keeps its first
   * flag. Resolves false when the event has no stored message to flag (then the caller must say so).
   */
  async flagEvent(
    ctx: RequestContext,
    connection: JournalConnection,
    eventId: string,
    flag: InboundFlag,
    reason: string,
  ): Promise<boolean> {
    await this.policy.enforce(ctx, 'ehr.ingest', { site: connection.site });
    const { rows } = await this.db.query<{ id: string }>(
      `update ehr_inbound i set flag = $3, reason = $4
         from ehr_events e
        where e.id = $2 and e.connection_id = $1 and i.id = e.inbound_id and i.status = 'stored'
          and (i.flag is null or i.flag = $3)
       returning i.id`,
      [connection.id, eventId, flag, reason.slice(0, 500)],
    );
    return rows.length > 0;
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
      `select seq, id, connection_id, data_enc, recorded_at, patient_id from ehr_events
        where connection_id = $1 and seq > $2 order by seq limit $3`,
      [connection.id, afterSeq, Math.max(1, Math.min(limit, 10_000))],
    );
    const events = rows.map((r) => {
      const input = JSON.parse(this.cipher.decrypt(r.data_enc, `ehr_events:${r.id}`).toString('utf8')) as EhrEventInput;
      return { ...input, id: r.id, seq: Number(r.seq), recordedAt: r.recorded_at, ...patientOf(r) };
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
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      source: sourceOf(ctx),
      reason: `events:${events.length}`,
      ...patientIdsOf(events),
    });
    return events;
  }

  /**
   * A patient's recent events (newest first, every id merged into them given by the caller), for
   * the patient page: `phi.read` at the patient's site (the journal is PHI), audited as one read
   * naming the patients, with the count as its reason. Events of connections at other sites are
   * left out: the decision covers this site only. An empty read is still audited (the page was opened).
   */
  async patientEvents(
    ctx: RequestContext,
    query: {
      readonly site: string;
      readonly patientIds: readonly string[];
      readonly connectionIds: readonly string[];
      readonly limit?: number;
    },
  ): Promise<readonly EhrEvent[]> {
    const decision = await this.policy.enforce(ctx, 'phi.read', { site: query.site });
    const { rows } = await this.db.query<EventRow>(
      `select seq, id, connection_id, data_enc, recorded_at, patient_id from ehr_events
        where patient_id = any($1::uuid[]) and connection_id = any($2::uuid[]) order by seq desc limit $3`,
      [query.patientIds, query.connectionIds, Math.max(1, Math.min(query.limit ?? 50, 200))],
    );
    const events = rows.map((r) => {
      const input = JSON.parse(this.cipher.decrypt(r.data_enc, `ehr_events:${r.id}`).toString('utf8')) as EhrEventInput;
      return { ...input, id: r.id, seq: Number(r.seq), recordedAt: r.recorded_at, ...patientOf(r) };
    });
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      entity: { kind: 'EhrEvent', id: '*' },
      fields: ['type', 'occurredAt', 'facts.kind', 'facts.status', 'sourceRef'],
      site: query.site,
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      source: sourceOf(ctx),
      reason: `patient-events:${events.length}`,
      patientIds: query.patientIds,
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
      'select seq, id, connection_id, data_enc, recorded_at, patient_id from ehr_events where connection_id = $1 and id = $2',
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
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      source: sourceOf(ctx),
      ...(row.patient_id !== null ? { patientIds: [row.patient_id] } : {}),
    });
    return { ...input, id: row.id, seq: Number(row.seq), recordedAt: row.recorded_at, ...patientOf(row) };
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
    extra: { reason: string; patientIds?: readonly string[] },
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
      ...(extra.patientIds !== undefined && extra.patientIds.length > 0 ? { patientIds: extra.patientIds } : {}),
    };
  }
}

/** A filed message's outcome and the Steward patients its receipt names. */
interface Filed {
  readonly outcome: ReceiveOutcome;
  readonly patientIds: readonly string[];
}

/** The `ehr.received` audit reason: counts and flags, never content. */
function receivedReason(outcome: ReceiveOutcome): string {
  switch (outcome.status) {
    case 'duplicate':
      return 'duplicate';
    case 'ignored':
      return outcome.flag === undefined ? 'ignored' : `ignored;${outcome.flag}`;
    case 'stored':
      return `events:${outcome.events.length}${outcome.flag === undefined ? '' : `;${outcome.flag}`}`;
    case 'dead-letter':
      return 'dead-letter';
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
