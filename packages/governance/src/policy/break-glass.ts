/**
 * @module Break-glass: emergency access beyond a user's grants. Only users marked eligible may
 * use it; a reason is required; it lasts at most an hour; every start and every use is audited
 * and logged loudly; and every episode stays on the compliance officer's list until reviewed.
 */
import {
  newId,
  ValidationError,
  UserError,
  NotFoundError,
  UnexpectedError,
  systemClock,
  type Actor,
  type Clock,
} from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { anySite, type SiteCheck } from './site-check.js';

export const BREAK_GLASS_MAX_MINUTES = 60;
const siteCode = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface BreakGlassEpisode {
  readonly id: string;
  readonly userId: string;
  readonly username: string;
  readonly site: string;
  readonly reason: string;
  readonly startedAt: Date;
  readonly expiresAt: Date;
  readonly reviewedAt: Date | undefined;
  readonly reviewedBy: string | undefined;
}

/** Something that must hear about break-glass at once (the log, a pager). */
export type BreakGlassAlarm = (event: {
  episodeId: string;
  userId: string;
  site: string;
  kind: 'start' | 'use';
}) => void;

/**
 * What break-glass asks identity about users (identity's `UserRoster` answers it): policy sits
 * beside identity, not above it, so it names the questions instead of reading the users table.
 */
export interface BreakGlassRoster {
  /** The user's username when the user is enabled and on the break-glass list. */
  breakGlassEligible(userId: string): Promise<string | undefined>;
  /** Usernames by user id. */
  usernames(userIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** No roster: nobody is eligible, and no episode's user can be named (stores used only by the decision point). */
const noRoster: BreakGlassRoster = {
  breakGlassEligible: () => Promise.resolve(undefined),
  usernames: () => Promise.resolve(new Map()),
};

export class BreakGlassStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditSink,
    private readonly alarm: BreakGlassAlarm = () => undefined,
    private readonly clock: Clock = systemClock,
    /** Who may break the glass, and the usernames episodes show. Without one, starting is refused. */
    private readonly roster: BreakGlassRoster = noRoster,
    /** Which sites an episode may name (the clinic's site registry, wired by the kernel). */
    private readonly sites: SiteCheck = anySite,
  ) {}

  async start(actor: Actor, request: { site: string; reason: string; minutes?: number }): Promise<BreakGlassEpisode> {
    const minutes = request.minutes ?? 30;
    const problems = [];
    if (!siteCode.test(request.site)) problems.push({ path: 'site', message: 'must be a lowercase site code' });
    if (request.reason.trim().length < 10)
      problems.push({ path: 'reason', message: 'a reason of at least 10 characters is required' });
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > BREAK_GLASS_MAX_MINUTES) {
      problems.push({ path: 'minutes', message: `must be a whole number from 1 to ${BREAK_GLASS_MAX_MINUTES}` });
    }
    if (problems.length > 0) throw new ValidationError('invalid break-glass request', problems);
    await this.sites.assertUsable(request.site);

    const username = await this.roster.breakGlassEligible(actor.id);
    if (actor.kind !== 'user' || username === undefined) {
      await this.audit.append({
        actor,
        event: 'access.denied',
        action: 'E',
        outcome: 'denied',
        site: request.site,
        reason: 'break_glass_not_eligible',
      });
      throw new UserError('BREAK_GLASS_NOT_ELIGIBLE', 'this user is not on the break-glass list');
    }
    const id = newId();
    const startedAt = this.clock.now();
    const expiresAt = new Date(startedAt.getTime() + minutes * 60_000);
    await this.db.query(
      `insert into break_glass (id, user_id, site, reason_enc, started_at, expires_at) values ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        actor.id,
        request.site,
        this.cipher.encrypt(request.reason, `break_glass.reason:${id}`),
        startedAt,
        expiresAt,
      ],
    );
    await this.audit.append({
      actor,
      event: 'break_glass.start',
      action: 'E',
      outcome: 'success',
      site: request.site,
      purposeOfUse: 'ETREAT',
      breakGlassId: id,
      reason: `break-glass for ${minutes} min`,
    });
    this.alarm({ episodeId: id, userId: actor.id, site: request.site, kind: 'start' });
    return {
      id,
      userId: actor.id,
      username,
      site: request.site,
      reason: request.reason,
      startedAt,
      expiresAt,
      reviewedAt: undefined,
      reviewedBy: undefined,
    };
  }

  /** The user's episode in force at `site` now, if any. */
  async active(userId: string, site: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ id: string }>(
      `select id from break_glass where user_id = $1 and site = $2 and started_at <= $3 and expires_at > $3 and ended_at is null
        order by expires_at desc limit 1`,
      [userId, site, this.clock.now()],
    );
    return rows[0]?.id;
  }

  /** The user's episodes in force now, at any site (the console shows each while it lasts). */
  async inForce(userId: string): Promise<BreakGlassEpisode[]> {
    return this.list({ userId, inForceAt: this.clock.now() });
  }

  /** Called by the decision point each time an episode is what allowed an access. */
  noteUse(episodeId: string, userId: string, site: string): void {
    this.alarm({ episodeId, userId, site, kind: 'use' });
  }

  async list(
    filter: { unreviewedOnly?: boolean; userId?: string; inForceAt?: Date } = {},
  ): Promise<BreakGlassEpisode[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.unreviewedOnly === true) where.push('b.reviewed_at is null');
    if (filter.userId !== undefined) where.push(`b.user_id = $${params.push(filter.userId)}`);
    if (filter.inForceAt !== undefined) {
      const at = `$${params.push(filter.inForceAt)}`;
      where.push(`b.started_at <= ${at} and b.expires_at > ${at} and b.ended_at is null`);
    }
    const { rows } = await this.db.query<{
      id: string;
      user_id: string;
      site: string;
      reason_enc: Uint8Array;
      started_at: Date;
      expires_at: Date;
      reviewed_at: Date | null;
      reviewed_by: string | null;
    }>(
      `select b.id, b.user_id, b.site, b.reason_enc, b.started_at, b.expires_at, b.reviewed_at, b.reviewed_by
         from break_glass b
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by b.started_at desc`,
      params,
    );
    const usernames = await this.roster.usernames(rows.map((r) => r.user_id));
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      username: usernameOf(usernames, r.user_id),
      site: r.site,
      reason: this.cipher.decrypt(r.reason_enc, `break_glass.reason:${r.id}`).toString('utf8'),
      startedAt: r.started_at,
      expiresAt: r.expires_at,
      reviewedAt: r.reviewed_at ?? undefined,
      reviewedBy: r.reviewed_by ?? undefined,
    }));
  }

  async review(reviewer: Actor, episodeId: string, note: string): Promise<void> {
    if (note.trim().length === 0)
      throw new ValidationError('a review note is required', [{ path: 'note', message: 'required' }]);
    const { rowCount } = await this.db.query(
      `update break_glass set reviewed_at = $2, reviewed_by = $3, review_note_enc = $4 where id = $1 and reviewed_at is null`,
      [episodeId, this.clock.now(), reviewer.id, this.cipher.encrypt(note, `break_glass.review_note:${episodeId}`)],
    );
    if (rowCount === 0) throw new NotFoundError('unreviewed break-glass episode');
    await this.audit.append({
      actor: reviewer,
      event: 'break_glass.review',
      action: 'U',
      outcome: 'success',
      breakGlassId: episodeId,
    });
  }
}

/** Every episode has a user (a foreign key); one the roster cannot name is a wiring fault, said so. */
function usernameOf(usernames: ReadonlyMap<string, string>, userId: string): string {
  const username = usernames.get(userId);
  if (username === undefined) throw new UnexpectedError('a break-glass episode names a user the roster does not know');
  return username;
}
