/**
 * @module The automation account's credentials for a browser EHR, per connection and site: the only
 * code on `automation_credentials`. An administrator sets them (`automation.credentials.manage` at
 * the site; audited `config.changed` naming the fields, never a value); no method returns them —
 * `status` says only whether they are set, when and by whom. Each of username, password and TOTP
 * secret is sealed with the key ring under its own column and row as associated data, so a sealed
 * value copied to another column or connection fails to open.
 *
 * `forRun` is the `CredentialSource` the executor's re-login step asks: it opens them for one run
 * and audits the opening (`automation.credentials_opened`, naming the run, never the secret); a
 * connection without credentials, or ones that fail to open, is audited as a failure and refused.
 */
import {
  NotFoundError,
  UnexpectedError,
  ValidationError,
  systemClock,
  type Actor,
  type Clock,
  type ErrorDetail,
  type RequestContext,
} from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type AuditSink,
  type FieldCipher,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import type { CredentialSource, ScreenCredentials } from '../model/run.js';

/** What may be said about credentials: that they are set, when and by whom. */
export interface CredentialStatus {
  readonly connectionId: string;
  readonly site: string;
  readonly hasTotp: boolean;
  readonly version: number;
  readonly setBy: string;
  readonly setAt: Date;
}

export interface CredentialInput {
  readonly connectionId: string;
  readonly site: string;
  readonly username: string;
  readonly password: string;
  /** Base32, as the EHR showed it when the account's second factor was enrolled. */
  readonly totpSecret?: string;
}

export interface AutomationCredentialsDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  readonly audit: AuditSink & {
    transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => readonly AuditEntryInput[]): Promise<T>;
  };
  /**
   * Who opens credentials for a run through `forRun` (the automation account the executor acts as);
   * without one, the executor's wiring asks `sourceFor(account)`.
   */
  readonly opener?: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>;
  readonly clock?: Clock;
  /** A connection's id from its name or id (the registry's); undefined: unknown. Without it, ids only. */
  readonly resolveConnection?: (nameOrId: string) => Promise<string | undefined>;
  /** The site of a connection (the connection registry's): which credentials `forRun` opens when the caller names none. */
  readonly siteOf?: (connectionId: string) => Promise<string | undefined>;
}

interface Row {
  connection_id: string;
  site: string;
  username_enc: Uint8Array;
  password_enc: Uint8Array;
  totp_secret_enc: Uint8Array | null;
  version: number;
  set_by: string;
  set_at: Date;
}

type Column = 'username' | 'password' | 'totp_secret';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const siteCode = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const base32 = /^[A-Z2-7]+=*$/;

export class AutomationCredentials implements CredentialSource {
  readonly #d: AutomationCredentialsDeps;
  readonly #clock: Clock;
  readonly #changed = new Set<(connectionId: string, site: string) => void>();

  constructor(deps: AutomationCredentialsDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /**
   * Tells `listener` (in this process) each time a connection's credentials at a site are set or
   * removed: the executor signs that session out, so the next run signs in with what is set now.
   */
  onChange(listener: (connectionId: string, site: string) => void): () => void {
    this.#changed.add(listener);
    return () => this.#changed.delete(listener);
  }

  #notify(connectionId: string, site: string): void {
    for (const listener of this.#changed) listener(connectionId, site);
  }

  /** Sets (or replaces) the credentials of one connection and site. Returns only their status. */
  async set(ctx: RequestContext, input: CredentialInput): Promise<CredentialStatus> {
    await this.#d.policy.enforce(
      ctx,
      'automation.credentials.manage',
      siteCode.test(input.site) ? { site: input.site } : {},
    );
    const connectionId = await this.#connection(input.connectionId);
    const totp = validate({ ...input, connectionId });
    const { site } = input;
    const seal = (column: Column, value: string): Buffer =>
      this.#d.cipher.encrypt(value, context(column, connectionId, site));
    const row = await this.#d.audit.transact(
      async (tx) => {
        const { rows } = await tx.query<Row>(
          `insert into automation_credentials (connection_id, site, username_enc, password_enc, totp_secret_enc, version, set_by, set_at)
           values ($1, $2, $3, $4, $5, 1, $6, $7)
           on conflict (connection_id, site) do update set username_enc = excluded.username_enc,
             password_enc = excluded.password_enc, totp_secret_enc = excluded.totp_secret_enc,
             version = automation_credentials.version + 1, set_by = excluded.set_by, set_at = excluded.set_at
           returning connection_id, site, username_enc, password_enc, totp_secret_enc, version, set_by, set_at`,
          [
            connectionId,
            site,
            seal('username', input.username),
            seal('password', input.password),
            totp === undefined ? null : seal('totp_secret', totp),
            ctx.actor.id,
            this.#clock.now(),
          ],
        );
        return rows[0]!;
      },
      (r) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: r.version === 1 ? 'C' : 'U',
          outcome: 'success',
          entity: { kind: 'AutomationCredentials', id: `${connectionId}/${site}`, version: r.version },
          fields: totp === undefined ? ['password', 'username'] : ['password', 'totpSecret', 'username'],
          site,
          source: sourceOf(ctx),
          reason: 'automation_credentials_set',
        },
      ],
    );
    this.#notify(connectionId, site);
    return statusOf(row);
  }

  /** Whether credentials are set for each connection and site the caller manages (never the values). */
  async status(ctx: RequestContext, connectionRef?: string): Promise<CredentialStatus[]> {
    const connectionId = connectionRef !== undefined ? await this.#connection(connectionRef) : undefined;
    const { rows } = await this.#d.db.query<Row>(
      `select connection_id, site, username_enc, password_enc, totp_secret_enc, version, set_by, set_at
         from automation_credentials ${connectionId !== undefined ? 'where connection_id = $1' : ''} order by site, connection_id`,
      connectionId !== undefined
        ? [uuid.test(connectionId) ? connectionId : '00000000-0000-0000-0000-000000000000']
        : [],
    );
    const action = 'automation.credentials.manage';
    const out: CredentialStatus[] = [];
    for (const r of rows)
      if ((await this.#d.policy.decide(ctx, action, { site: r.site })).allowed) out.push(statusOf(r));
    // Nothing the caller may see: refused (and audited) as a request for every site, unless they hold that.
    if (out.length === 0) await this.#d.policy.enforce(ctx, action, {});
    return out;
  }

  /** Removes the credentials of one connection and site (the automation can no longer sign in there). */
  async remove(ctx: RequestContext, connectionRef: string, site: string): Promise<void> {
    await this.#d.policy.enforce(ctx, 'automation.credentials.manage', { site });
    const connectionId = await this.#connection(connectionRef);
    await this.#d.audit.transact(
      async (tx) => {
        const { rows } = await tx.query<{ version: number }>(
          'delete from automation_credentials where connection_id = $1 and site = $2 returning version',
          [uuid.test(connectionId) ? connectionId : '00000000-0000-0000-0000-000000000000', site],
        );
        if (rows[0] === undefined) throw new NotFoundError('automation credentials');
        return rows[0].version;
      },
      (version) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: 'D',
          outcome: 'success',
          entity: { kind: 'AutomationCredentials', id: `${connectionId}/${site}`, version },
          site,
          source: sourceOf(ctx),
          reason: 'automation_credentials_removed',
        },
      ],
    );
    this.#notify(connectionId, site);
  }

  /**
   * Opens the credentials of `connectionId` (at `site`, or the connection's own site) for one run,
   * and audits the opening naming the run. Refused (and audited as a failure) when none are set.
   */
  async forRun(runId: string, connectionId: string, site?: string): Promise<ScreenCredentials> {
    const opener = this.#d.opener;
    if (opener === undefined)
      throw new UnexpectedError('automation credentials opened without an opener: wire sourceFor(account)');
    return this.#open(opener, runId, connectionId, site);
  }

  /** The `CredentialSource` for the executor acting as `account`: each opening audited as that account. */
  sourceFor(account: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>): CredentialSource {
    return { forRun: (runId, connectionId, site) => this.#open(account, runId, connectionId, site) };
  }

  async #open(
    opener: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>,
    runId: string,
    connectionId: string,
    site: string | undefined,
  ): Promise<ScreenCredentials> {
    const row = await this.#rowFor(connectionId, site);
    const entry = (outcome: 'success' | 'failure', reason: string, at?: Row): AuditEntryInput => ({
      actor: opener,
      event: 'automation.credentials_opened',
      action: 'E',
      outcome,
      entity: { kind: 'AutomationRun', id: runId },
      fields:
        at === undefined
          ? []
          : at.totp_secret_enc === null
            ? ['password', 'username']
            : ['password', 'totpSecret', 'username'],
      ...((at?.site ?? site) !== undefined ? { site: (at?.site ?? site)! } : {}),
      reason: `${reason}:${connectionId}${at !== undefined ? `/${at.site}:v${at.version}` : ''}`,
    });
    if (row === undefined) {
      await this.#d.audit.append(entry('failure', 'credentials_not_set'));
      throw new NotFoundError('automation credentials');
    }
    let opened: ScreenCredentials;
    try {
      const open = (column: Column, sealed: Uint8Array): string =>
        this.#d.cipher.decrypt(sealed, context(column, row.connection_id, row.site)).toString('utf8');
      opened = {
        username: open('username', row.username_enc),
        password: open('password', row.password_enc),
        ...(row.totp_secret_enc !== null ? { totpSecret: open('totp_secret', row.totp_secret_enc) } : {}),
      };
    } catch (e) {
      await this.#d.audit.append(entry('failure', 'credentials_unreadable', row));
      throw new UnexpectedError(
        'the automation credentials could not be opened (altered, moved, or their key is gone)',
        { cause: e },
      );
    }
    // Audited before they are handed out: an opening that cannot be audited does not happen.
    await this.#d.audit.append(entry('success', 'credentials_opened', row));
    return opened;
  }

  async #connection(ref: string): Promise<string> {
    const id =
      this.#d.resolveConnection !== undefined ? await this.#d.resolveConnection(ref) : uuid.test(ref) ? ref : undefined;
    if (id === undefined) {
      if (this.#d.resolveConnection === undefined)
        throw new ValidationError('the automation credentials are not valid', [
          { path: 'connectionId', message: 'an EHR connection id (UUID)' },
        ]);
      throw new NotFoundError('EHR connection');
    }
    return id;
  }

  async #rowFor(connectionId: string, site: string | undefined): Promise<Row | undefined> {
    if (!uuid.test(connectionId)) return undefined;
    const { rows } = await this.#d.db.query<Row>(
      `select connection_id, site, username_enc, password_enc, totp_secret_enc, version, set_by, set_at
         from automation_credentials where connection_id = $1 order by site`,
      [connectionId],
    );
    const wanted = site ?? (await this.#d.siteOf?.(connectionId));
    if (wanted !== undefined) return rows.find((r) => r.site === wanted);
    // No site known: the only account, never a guess between several.
    return rows.length === 1 ? rows[0] : undefined;
  }
}

/** The associated data a sealed value is bound to: its column and its row. */
function context(column: Column, connectionId: string, site: string): string {
  return `automation_credentials.${column}:${connectionId}/${site}`;
}

function validate(input: CredentialInput): string | undefined {
  const problems: ErrorDetail[] = [];
  if (!uuid.test(input.connectionId)) problems.push({ path: 'connectionId', message: 'an EHR connection id (UUID)' });
  if (!siteCode.test(input.site)) problems.push({ path: 'site', message: 'a site code' });
  if (input.username.trim() === '' || input.username.length > 200)
    problems.push({ path: 'username', message: '1–200 characters' });
  if (input.password === '' || input.password.length > 1000)
    problems.push({ path: 'password', message: '1–1000 characters' });
  let totp: string | undefined;
  if (input.totpSecret !== undefined) {
    totp = input.totpSecret.replace(/[\s-]/g, '').toUpperCase();
    if (!base32.test(totp) || totp.replace(/=+$/, '').length < 16 || totp.length > 128)
      problems.push({ path: 'totpSecret', message: 'a base32 secret of at least 16 characters (A–Z, 2–7)' });
  }
  if (problems.length > 0) throw new ValidationError('the automation credentials are not valid', problems);
  return totp;
}

function statusOf(r: Row): CredentialStatus {
  return {
    connectionId: r.connection_id,
    site: r.site,
    hasTotp: r.totp_secret_enc !== null,
    version: r.version,
    setBy: r.set_by,
    setAt: r.set_at,
  };
}
