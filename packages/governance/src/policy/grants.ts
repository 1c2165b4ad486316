/**
 * @module Grants: a role given to a user or service account, scoped to a site and a workflow
 * (`*` for all), with the purpose of use it serves, and (for a role that drafts proposals) the
 * proposal action types it may draft (absent: all). Read fresh for every request, so a revoked
 * grant stops working at once.
 *
 * One request often decides several times (its route's action, then the patient labels of each
 * site it shows, the reviewer's rights…): `ofActor` reads an actor's grants once and answers that
 * same actor object's further decisions from the same read. An actor object is made by each
 * authentication, so a new request always reads afresh; the read is kept at most `grantMemoMs`
 * (1 s, for an actor object a worker keeps longer) and dropped at once when any grant is added or
 * revoked in this process. A grant revoked by ANOTHER process (another node on the same
 * PostgreSQL) therefore stops a request in flight here at most 1 s later — never a new one.
 */
import {
  newId,
  ValidationError,
  NotFoundError,
  purposesOfUse,
  roles,
  type Actor,
  type PurposeOfUse,
  type Role,
} from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import { roleAllows } from './permissions.js';

export interface Grant {
  readonly id: string;
  readonly principalKind: 'user' | 'service';
  readonly principalId: string;
  readonly role: Role;
  readonly site: string;
  readonly workflow: string;
  readonly purposeOfUse: PurposeOfUse;
  /**
   * The proposal action types the grant lets its holder draft (`proposal.create`); absent, all of
   * them. Only a role that drafts proposals takes it (migration 045, issue 18).
   */
  readonly actionTypes?: readonly string[];
}

export type NewGrant = Omit<Grant, 'id'>;

const scopeName = /^(\*|[a-z0-9][a-z0-9._-]{0,63})$/;
/** An action type as the action registry names them (`defineAction`). */
const actionTypeName = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** The most action types one grant names. */
export const MAX_GRANT_ACTION_TYPES = 64;
/** How long one actor object's grants answer its further decisions (monotonic milliseconds). */
export const grantMemoMs = 1_000;
/** Bumped by every grant change made in this process, by any store: each memo read before it is dropped. */
let generation = 0;

const columns = 'id, principal_kind, principal_id, role, site, workflow, purpose_of_use, action_types';

interface GrantRow {
  id: string;
  principal_kind: 'user' | 'service';
  principal_id: string;
  role: Role;
  site: string;
  workflow: string;
  purpose_of_use: PurposeOfUse;
  action_types: string[] | null;
}

const toGrant = (r: GrantRow): Grant => ({
  id: r.id,
  principalKind: r.principal_kind,
  principalId: r.principal_id,
  role: r.role,
  site: r.site,
  workflow: r.workflow,
  purposeOfUse: r.purpose_of_use,
  ...(r.action_types !== null ? { actionTypes: r.action_types } : {}),
});

export class GrantStore {
  readonly #memo = new WeakMap<
    object,
    { readonly at: number; readonly generation: number; readonly grants: Promise<readonly Grant[]> }
  >();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditSink,
  ) {}

  /**
   * The live grants of `actor`, read once per actor object and kept for its further decisions
   * (see the module comment: at most `grantMemoMs`, dropped at any grant change in this process).
   */
  ofActor(actor: { readonly id: string }): Promise<readonly Grant[]> {
    const now = performance.now();
    const hit = this.#memo.get(actor);
    if (hit !== undefined && hit.generation === generation && now - hit.at < grantMemoMs) return hit.grants;
    const entry = { at: now, generation, grants: this.forPrincipal(actor.id) };
    this.#memo.set(actor, entry);
    entry.grants.catch(() => {
      if (this.#memo.get(actor) === entry) this.#memo.delete(actor);
    });
    return entry.grants;
  }

  async forPrincipal(principalId: string, sql: Sql = this.db): Promise<Grant[]> {
    const { rows } = await sql.query<GrantRow>(
      `select ${columns} from grants where principal_id = $1 and revoked_at is null order by created_at, id`,
      [principalId],
    );
    return rows.map(toGrant);
  }

  async list(): Promise<Grant[]> {
    const { rows } = await this.db.query<GrantRow>(
      `select ${columns} from grants where revoked_at is null order by created_at, id`,
    );
    return rows.map(toGrant);
  }

  async add(by: Actor, grant: NewGrant): Promise<Grant> {
    validateGrant(grant);
    const table = grant.principalKind === 'user' ? 'users' : 'service_accounts';
    const exists = await this.db.query(`select 1 from ${table} where id = $1`, [grant.principalId]);
    if (exists.rowCount === 0) throw new NotFoundError(grant.principalKind === 'user' ? 'user' : 'service account');
    const id = newId();
    const actionTypes = grant.actionTypes !== undefined ? [...new Set(grant.actionTypes)] : undefined;
    await this.db.query(
      `insert into grants (id, principal_kind, principal_id, role, site, workflow, purpose_of_use, action_types, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9)`,
      [
        id,
        grant.principalKind,
        grant.principalId,
        grant.role,
        grant.site,
        grant.workflow,
        grant.purposeOfUse,
        actionTypes ?? null,
        by.id,
      ],
    );
    generation++;
    await this.audit.append({
      actor: by,
      event: 'admin.grant_changed',
      action: 'C',
      outcome: 'success',
      entity: { kind: 'Grant', id },
      site: grant.site,
      workflow: grant.workflow,
      reason: `granted ${grant.role} to ${grant.principalKind} ${grant.principalId}`,
      // Codes, not PHI: which action types the grant lets its holder propose.
      ...(actionTypes !== undefined ? { fields: actionTypes } : {}),
    });
    return actionTypes !== undefined ? { id, ...grant, actionTypes } : { id, ...grant };
  }

  async revoke(by: Actor, grantId: string): Promise<void> {
    const { rowCount } = await this.db.query(
      `update grants set revoked_at = now() where id = $1 and revoked_at is null`,
      [grantId],
    );
    generation++;
    if (rowCount === 0) throw new NotFoundError('grant');
    await this.audit.append({
      actor: by,
      event: 'admin.grant_changed',
      action: 'D',
      outcome: 'success',
      entity: { kind: 'Grant', id: grantId },
      reason: 'revoked',
    });
  }
}

export function validateGrant(g: NewGrant): void {
  const problems = [];
  if (!roles.includes(g.role)) problems.push({ path: 'role', message: `must be one of ${roles.join(', ')}` });
  if (!scopeName.test(g.site)) problems.push({ path: 'site', message: 'must be * or a lowercase site code' });
  if (!scopeName.test(g.workflow))
    problems.push({ path: 'workflow', message: 'must be * or a lowercase workflow name' });
  if (!purposesOfUse.includes(g.purposeOfUse)) {
    problems.push({ path: 'purposeOfUse', message: `must be one of ${purposesOfUse.join(', ')}` });
  }
  if (g.purposeOfUse === 'ETREAT') {
    problems.push({ path: 'purposeOfUse', message: 'ETREAT is given only through break-glass access' });
  }
  if ((g.role === 'automation' || g.role === 'agent') && g.principalKind !== 'service') {
    problems.push({ path: 'role', message: `the ${g.role} role is for service accounts only` });
  }
  if (g.actionTypes !== undefined) {
    if (roles.includes(g.role) && !roleAllows(g.role, 'proposal.create'))
      problems.push({ path: 'actionTypes', message: `the ${g.role} role drafts no proposals: leave action types out` });
    if (g.actionTypes.length === 0 || g.actionTypes.length > MAX_GRANT_ACTION_TYPES)
      problems.push({
        path: 'actionTypes',
        message: `1–${MAX_GRANT_ACTION_TYPES} action types, or leave it out for all of them`,
      });
    if (!g.actionTypes.every((t) => typeof t === 'string' && actionTypeName.test(t)))
      problems.push({ path: 'actionTypes', message: 'action type names (lowercase, like task.create)' });
  }
  if (problems.length > 0) throw new ValidationError('invalid grant', problems);
}
