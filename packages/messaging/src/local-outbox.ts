/**
 * The local outbox: embedded mode's message channel. A message is kept in `message_outbox`,
 * sealed with the row-bound field cipher (address and text are PHI), and never leaves the
 * machine. Sending is idempotent by the proposal's commit key. Listing shows metadata only (the
 * bodies stay sealed); opening one body needs `phi.read` at its site and is audited. A reply
 * typed in by staff (or a test) for a message is read into an intent and returned with the
 * workflow it belongs to, for the caller to signal.
 */
import { newId, systemClock, type Clock, type RequestContext } from '@steward/core';
import { sourceOf, type AuditEntryInput } from '@steward/governance';
import type { MessagingGovernance } from './contact-preferences.js';
import type { ChannelKind, MessageChannel, OutboundMessage } from './message-channel.js';
import { replyIntent } from './message-templates.js';

export interface OutboxItem {
  readonly id: string;
  readonly site: string;
  readonly channel: ChannelKind;
  readonly status: string;
  readonly proposalId: string | null;
  readonly correlationKey: string | null;
  readonly notBefore: string;
  readonly createdAt: string;
  /** The address and text are sealed; `open` reads them. */
  readonly sealed: true;
}

export interface OpenedMessage extends Omit<OutboxItem, 'sealed'> {
  readonly to: string;
  readonly subject?: string;
  readonly body: string;
  readonly language: string;
  readonly template: string;
}

/** A patient's reply read into an intent: what the caller signals to the workflow that sent the message (`reply`). */
export type PatientReply = { intent: 'confirm' | 'cancel' | 'reschedule'; at: string; messageId?: string };

/** One message of a workflow's thread: metadata, its template and language, and its text only when asked. */
export interface ThreadMessage extends Omit<OutboxItem, 'sealed' | 'site' | 'correlationKey'> {
  readonly template: string;
  readonly language: string;
  readonly subject?: string;
  readonly body?: string;
}

interface Row {
  id: string;
  site: string;
  channel: ChannelKind;
  status: string;
  proposal_id: string | null;
  correlation_key: string | null;
  body_enc: Uint8Array;
  not_before: Date;
  created_at: Date;
}

interface SealedBody {
  to: string;
  subject?: string;
  body: string;
  language: string;
  template: string;
  patientId?: string;
}

export class LocalOutbox implements MessageChannel {
  readonly #g: MessagingGovernance;
  readonly #clock: Clock;

  constructor(governance: MessagingGovernance) {
    this.#g = governance;
    this.#clock = governance.clock ?? systemClock;
  }

  async send(ctx: RequestContext, m: OutboundMessage): Promise<{ readonly messageId: string }> {
    const existing = await this.#g.db.query<{ id: string }>(
      'select id from message_outbox where idempotency_key = $1',
      [m.idempotencyKey],
    );
    if (existing.rows[0] !== undefined) return { messageId: existing.rows[0].id };
    const id = newId();
    const body: SealedBody = {
      to: m.to,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      body: m.body,
      language: m.language,
      template: m.template,
      ...(m.patientId !== undefined ? { patientId: m.patientId } : {}),
    };
    const sealed = this.#g.cipher.encrypt(JSON.stringify(body), `message_outbox:${id}`);
    const now = this.#clock.now();
    return this.#g.audit
      .transact(
        async (tx) => {
          // A concurrent send of the same key inserts nothing and answers the first one's id.
          const r = await tx.query<{ id: string }>(
            `insert into message_outbox (id, site, channel, idempotency_key, proposal_id, correlation_key, status, body_enc, not_before, created_at)
           values ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9)
           on conflict (idempotency_key) do nothing returning id`,
            [
              id,
              m.site,
              m.channel,
              m.idempotencyKey,
              m.proposalId ?? null,
              m.correlationKey ?? null,
              sealed,
              m.notBefore,
              now,
            ],
          );
          if (r.rows[0] !== undefined) return { messageId: id, created: true };
          const first = await tx.query<{ id: string }>('select id from message_outbox where idempotency_key = $1', [
            m.idempotencyKey,
          ]);
          return { messageId: first.rows[0]?.id ?? id, created: false };
        },
        (r) =>
          r.created
            ? [
                {
                  ...this.#entry(ctx, 'phi.create', 'C', { id, site: m.site }),
                  ...(m.patientId !== undefined ? { patientIds: [m.patientId] } : {}),
                  fields: Object.keys(body),
                },
              ]
            : [],
      )
      .then((r) => ({ messageId: r.messageId }));
  }

  /** Metadata of the messages at `site`, newest first; bodies stay sealed. Needs `phi.search` there. */
  async list(
    ctx: RequestContext,
    options: { readonly site: string; readonly limit?: number; readonly correlationKey?: string },
  ): Promise<OutboxItem[]> {
    const decision = await this.#g.policy.enforce(ctx, 'phi.search', { site: options.site });
    const r = await this.#g.db.query<Row>(
      `select id, site, channel, status, proposal_id, correlation_key, body_enc, not_before, created_at from message_outbox
       where site = $1 and ($2::text is null or correlation_key = $2) order by created_at desc, id limit $3`,
      [options.site, options.correlationKey ?? null, Math.min(Math.max(options.limit ?? 50, 1), 500)],
    );
    // The patients the listed messages are for (sealed with each body): the search names them all.
    const patients = [
      ...new Set(
        r.rows.flatMap((row) => {
          const id = this.#open(row).patientId;
          return id !== undefined ? [id] : [];
        }),
      ),
    ];
    await this.#g.audit.append({
      ...this.#entry(ctx, 'phi.search', 'R', { id: '*', site: options.site }),
      ...(patients.length > 0 ? { patientIds: patients } : {}),
      ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
      ...(options.correlationKey !== undefined ? { query: { correlationKey: options.correlationKey } } : {}),
    });
    return r.rows.map((row) => ({ ...meta(row), sealed: true as const }));
  }

  /** One message with its address and text. Needs `phi.read` at its site; audited. */
  async open(ctx: RequestContext, id: string): Promise<OpenedMessage> {
    const { row, decision } = await this.#g.policy.visible(ctx, 'phi.read', 'message', await this.#row(id), (r) => ({
      site: r.site,
      entity: { kind: 'Message', id },
    }));
    const body = this.#open(row);
    await this.#g.audit.append({
      ...this.#entry(ctx, 'phi.read', 'R', { id, site: row.site }),
      ...(body.patientId !== undefined ? { patientIds: [body.patientId] } : {}),
      ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
    });
    const { patientId: _omit, ...shown } = body;
    void _omit;
    return { ...meta(row), ...shown };
  }

  /**
   * The messages sent for one workflow (by its correlation key) at `site`, oldest first, with
   * their template and language; the subject and text only when `bodies` is asked (minimum
   * necessary: a timeline needs what was sent and when, not the words). Needs `phi.read` at the
   * site (denied looks like not found); audited as one read naming the fields opened and the
   * patients the messages were for.
   */
  async thread(
    ctx: RequestContext,
    options: {
      readonly site: string;
      readonly correlationKey: string;
      readonly bodies?: boolean;
      readonly limit?: number;
    },
  ): Promise<ThreadMessage[]> {
    const { decision } = await this.#g.policy.visible(ctx, 'phi.read', 'message', options, (o) => ({
      site: o.site,
      entity: { kind: 'Message', id: '*' },
    }));
    const r = await this.#g.db.query<Row>(
      `select id, site, channel, status, proposal_id, correlation_key, body_enc, not_before, created_at from message_outbox
       where site = $1 and correlation_key = $2 order by created_at, id limit $3`,
      [options.site, options.correlationKey, Math.min(Math.max(options.limit ?? 100, 1), 500)],
    );
    const patients = new Set<string>();
    const messages = r.rows.map((row): ThreadMessage => {
      const b = this.#open(row);
      if (b.patientId !== undefined) patients.add(b.patientId);
      const { site: _site, correlationKey: _key, ...m } = meta(row);
      void _site;
      void _key;
      return {
        ...m,
        template: b.template,
        language: b.language,
        ...(options.bodies === true
          ? { ...(b.subject !== undefined ? { subject: b.subject } : {}), body: b.body }
          : {}),
      };
    });
    if (r.rows.length > 0)
      await this.#g.audit.append({
        ...this.#entry(ctx, 'phi.read', 'R', { id: '*', site: options.site }),
        ...(patients.size > 0 ? { patientIds: [...patients] } : {}),
        ...(decision.purposeOfUse !== undefined ? { purposeOfUse: decision.purposeOfUse } : {}),
        fields: options.bodies === true ? ['template', 'language', 'subject', 'body'] : ['template', 'language'],
        query: { correlationKey: options.correlationKey },
      });
    return messages;
  }

  /**
   * A reply to `messageId`, read into an intent. Answers the workflow to signal (`reply`, or for
   * STOP the opt-out the caller records in the preferences), or undefined when the text is unclear.
   * Needs `phi.read` at the message's site (the reply is about that patient).
   */
  async reply(
    ctx: RequestContext,
    messageId: string,
    text: string,
  ): Promise<
    | { readonly correlationKey: string | null; readonly channel: ChannelKind; readonly signal: PatientReply }
    | { readonly correlationKey: string | null; readonly channel: ChannelKind; readonly stop: true }
    | undefined
  > {
    const { row } = await this.#g.policy.visible(ctx, 'phi.read', 'message', await this.#row(messageId), (r) => ({
      site: r.site,
      entity: { kind: 'Message', id: messageId },
    }));
    const intent = replyIntent(text);
    if (intent === undefined) return undefined;
    if (intent === 'stop') return { correlationKey: row.correlation_key, channel: row.channel, stop: true };
    return {
      correlationKey: row.correlation_key,
      channel: row.channel,
      signal: { intent, at: this.#clock.now().toISOString(), messageId },
    };
  }

  async #row(id: string): Promise<Row | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return (
      await this.#g.db.query<Row>(
        `select id, site, channel, status, proposal_id, correlation_key, body_enc, not_before, created_at
         from message_outbox where id = $1`,
        [id],
      )
    ).rows[0];
  }

  #open(row: Row): SealedBody {
    return JSON.parse(this.#g.cipher.decrypt(row.body_enc, `message_outbox:${row.id}`).toString('utf8')) as SealedBody;
  }

  #entry(
    ctx: RequestContext,
    event: 'phi.create' | 'phi.read' | 'phi.search',
    action: 'C' | 'R',
    m: { id: string; site: string },
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action,
      outcome: 'success',
      entity: { kind: 'Message', id: m.id },
      site: m.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      source: sourceOf(ctx),
    };
  }
}

function meta(row: Row): Omit<OutboxItem, 'sealed'> {
  return {
    id: row.id,
    site: row.site,
    channel: row.channel,
    status: row.status,
    proposalId: row.proposal_id,
    correlationKey: row.correlation_key,
    notBefore: new Date(row.not_before).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
