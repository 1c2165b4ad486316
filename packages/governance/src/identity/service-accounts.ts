/**
 * @module Service accounts: non-human principals (integrations, automation runners) that
 * authenticate with API tokens only. Disabling one revokes all its tokens at once.
 * It checks no permission: requests go through `AccountService` (accounts.ts); governed callers
 * such as the EHR connection registry decide before they create one.
 */
import { ConflictError, NotFoundError, newId, type Actor, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import { auditActor, auditOrUndo, isUuid } from './identity-support.js';
import { checkHandle } from './users.js';

export interface ServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

export interface ServiceAccountDirectoryDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly clock: Clock;
}

interface Row {
  id: string;
  name: string;
  disabled_at: Date | null;
  created_at: Date;
}

const toAccount = (r: Row): ServiceAccount => ({
  id: r.id,
  name: r.name,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

export class ServiceAccountDirectory {
  readonly #d: ServiceAccountDirectoryDeps;

  constructor(deps: ServiceAccountDirectoryDeps) {
    this.#d = deps;
  }

  async create(name: string, by: Actor): Promise<ServiceAccount> {
    checkHandle(name, 'name');
    const id = newId();
    const { rows } = await this.#d.db.query<Row>(
      `insert into service_accounts (id, name, created_at) values ($1, $2, $3)
       on conflict (name) do nothing returning id, name, disabled_at, created_at`,
      [id, name, this.#d.clock.now()],
    );
    const row = rows[0];
    if (row === undefined) throw new ConflictError('ALREADY_EXISTS', 'a service account with this name already exists');
    await auditOrUndo(this.#d.audit, this.#entry(by, id, 'C', 'created'), () =>
      this.#d.db.query('delete from service_accounts where id = $1', [id]),
    );
    return toAccount(row);
  }

  async list(): Promise<ServiceAccount[]> {
    const { rows } = await this.#d.db.query<Row>(
      'select id, name, disabled_at, created_at from service_accounts order by name',
    );
    return rows.map(toAccount);
  }

  async get(id: string): Promise<ServiceAccount> {
    const row = isUuid(id)
      ? (
          await this.#d.db.query<Row>('select id, name, disabled_at, created_at from service_accounts where id = $1', [
            id,
          ])
        ).rows[0]
      : undefined;
    if (row === undefined) throw new NotFoundError('service account');
    return toAccount(row);
  }

  /** Disables the account and revokes its tokens in one transaction. Idempotent. */
  async disable(id: string, by: Actor): Promise<void> {
    await this.get(id);
    const now = this.#d.clock.now();
    await this.#d.db.transaction(async (tx) => {
      await tx.query('update service_accounts set disabled_at = coalesce(disabled_at, $2) where id = $1', [id, now]);
      await tx.query(
        `update api_tokens set revoked_at = $2
         where principal_kind = 'service' and principal_id = $1 and revoked_at is null`,
        [id, now],
      );
    });
    // The safe direction: it stands even if audit then fails, and the caller sees the error.
    await this.#d.audit.append(this.#entry(by, id, 'U', 'disabled'));
  }

  #entry(by: Actor, id: string, action: 'C' | 'U', reason: string) {
    return {
      actor: auditActor(by),
      event: 'admin.service_account_changed' as const,
      action,
      outcome: 'success' as const,
      entity: { kind: 'service_account', id },
      reason,
    };
  }
}
