/**
 * Per-patient contact preferences: language, preferred channel, opt-outs per channel, a quiet
 * hours override and the addresses to use. Governed like every PHI store: sealed with the
 * row-bound field cipher, the patient found by a keyed blind index of (site, EHR patient id),
 * `phi.read`/`phi.write` at the site checked before, and every access audited (writes in the
 * same transaction as the row).
 *
 * The committer reads them with `forCommit`: the applier has already authorized the commit
 * (review.decide), and that read is audited under the committing actor with reason
 * `message-commit`.
 */
import { ConflictError, newId, systemClock, ValidationError, type Clock, type RequestContext } from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type FieldCipher,
  type PolicyDecisionPoint,
  type TransactionalAudit,
} from '@steward/governance';
import type { Database } from '@steward/store';
import type { QuietHours } from './quiet-hours.js';
import { channelKinds, type ChannelKind } from './message-channel.js';

export interface ContactPreferences {
  /** BCP 47 (`en`, `es-MX`). */
  readonly language?: string;
  readonly channel?: ChannelKind;
  /** Channels the patient opted out of; `all` stops every message. */
  readonly optOut: readonly (ChannelKind | 'all')[];
  readonly quietHours?: QuietHours;
  readonly addresses: { readonly sms?: string; readonly email?: string };
}

export interface StoredPreferences extends ContactPreferences {
  readonly version: number;
  readonly updatedAt: Date;
}

export interface MessagingGovernance {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
}

interface Row {
  id: string;
  site: string;
  version: number;
  data_enc: Uint8Array;
  updated_at: Date;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ContactPreferenceStore {
  readonly #g: MessagingGovernance;
  readonly #clock: Clock;

  constructor(governance: MessagingGovernance) {
    this.#g = governance;
    this.#clock = governance.clock ?? systemClock;
  }

  async get(ctx: RequestContext, site: string, patientEhrId: string): Promise<StoredPreferences | undefined> {
    const decision = await this.#g.policy.enforce(ctx, 'phi.read', { site });
    const row = await this.#row(site, patientEhrId);
    if (row === undefined) return undefined;
    await this.#g.audit.append(this.#entry(ctx, 'phi.read', 'R', row, decision.purposeOfUse));
    return this.#open(row);
  }

  /**
   * Read for a commit the applier authorized; audited with reason `message-commit`, naming the
   * proposal's Steward patient when it has one.
   */
  async forCommit(
    ctx: RequestContext,
    site: string,
    patientEhrId: string,
    patientId?: string,
  ): Promise<StoredPreferences | undefined> {
    const row = await this.#row(site, patientEhrId);
    if (row === undefined) return undefined;
    await this.#g.audit.append({
      ...this.#entry(ctx, 'phi.read', 'R', row, undefined),
      ...(patientId !== undefined ? { patientIds: [patientId] } : {}),
      reason: 'message-commit',
    });
    return this.#open(row);
  }

  /** Creates or replaces them; `expectedVersion` (when given) guards a concurrent change. */
  async set(
    ctx: RequestContext,
    site: string,
    patientEhrId: string,
    prefs: ContactPreferences,
    expectedVersion?: number,
  ): Promise<StoredPreferences> {
    check(prefs);
    const decision = await this.#g.policy.enforce(ctx, 'phi.write', { site });
    const now = this.#clock.now();
    const digest = this.#digest(site, patientEhrId);
    return this.#g.audit
      .transact(
        async (tx) => {
          const existing = (
            await tx.query<Row>(
              'select id, site, version, data_enc, updated_at from message_preferences where site = $1 and patient_digest = $2 for update',
              [site, digest],
            )
          ).rows[0];
          if (expectedVersion !== undefined && (existing?.version ?? 0) !== expectedVersion)
            throw new ConflictError(
              'VERSION_CONFLICT',
              'the preferences were changed by someone else: read them again',
            );
          const id = existing?.id ?? newId();
          const version = (existing?.version ?? 0) + 1;
          const sealed = this.#g.cipher.encrypt(JSON.stringify(prefs), `message_preferences:${id}`);
          if (existing === undefined)
            await tx.query(
              `insert into message_preferences (id, site, patient_digest, version, data_enc, updated_at)
             values ($1, $2, $3, 1, $4, $5)`,
              [id, site, digest, sealed, now],
            );
          else
            await tx.query(
              'update message_preferences set version = $2, data_enc = $3, updated_at = $4 where id = $1',
              [id, version, sealed, now],
            );
          return { id, site, version, created: existing === undefined };
        },
        (r) => [
          {
            ...this.#entry(
              ctx,
              r.created ? 'phi.create' : 'phi.update',
              r.created ? 'C' : 'U',
              r,
              decision.purposeOfUse,
            ),
            fields: Object.keys(prefs),
          },
        ],
      )
      .then((r) => ({ ...prefs, version: r.version, updatedAt: now }));
  }

  #digest(site: string, patientEhrId: string): Buffer {
    return this.#g.cipher.blindIndex('message_preferences.patient', `${site}|${patientEhrId}`);
  }

  async #row(site: string, patientEhrId: string): Promise<Row | undefined> {
    const r = await this.#g.db.query<Row>(
      'select id, site, version, data_enc, updated_at from message_preferences where site = $1 and patient_digest = $2',
      [site, this.#digest(site, patientEhrId)],
    );
    return r.rows[0];
  }

  #open(row: Row): StoredPreferences {
    const data = JSON.parse(
      this.#g.cipher.decrypt(row.data_enc, `message_preferences:${row.id}`).toString('utf8'),
    ) as ContactPreferences;
    return { ...data, version: row.version, updatedAt: new Date(row.updated_at) };
  }

  #entry(
    ctx: RequestContext,
    event: 'phi.read' | 'phi.create' | 'phi.update',
    action: 'C' | 'R' | 'U',
    row: { id: string; site: string; version: number },
    purposeOfUse: RequestContext['purposeOfUse'],
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action,
      outcome: 'success',
      entity: { kind: 'ContactPreferences', id: row.id, version: row.version },
      site: row.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
      source: sourceOf(ctx),
    };
  }
}

function check(p: ContactPreferences): void {
  const problems: { path: string; message: string }[] = [];
  if (p.channel !== undefined && !(channelKinds as readonly string[]).includes(p.channel))
    problems.push({ path: 'channel', message: 'sms or email' });
  for (const o of p.optOut)
    if (o !== 'all' && !(channelKinds as readonly string[]).includes(o))
      problems.push({ path: 'optOut', message: 'sms, email or all' });
  if (p.quietHours !== undefined && (!HHMM.test(p.quietHours.start) || !HHMM.test(p.quietHours.end)))
    problems.push({ path: 'quietHours', message: 'HH:mm' });
  if (p.language !== undefined && !/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(p.language))
    problems.push({ path: 'language', message: 'a BCP 47 tag' });
  if (problems.length > 0) throw new ValidationError('invalid contact preferences', problems);
}
