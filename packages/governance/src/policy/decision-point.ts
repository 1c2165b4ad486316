/**
 * @module The one policy decision point. Every PHI read and write, and every administrative
 * action, asks it first. Deny by default: allowed only when a live grant's role permits the
 * action at the record's site, in the request's workflow, for the request's purpose of use, and
 * (for tokens) the token's scopes include the action; or when a break-glass episode covers it.
 * Denials are audited.
 */
import {
  ForbiddenError,
  NotFoundError,
  UserError,
  systemClock,
  type Clock,
  type PurposeOfUse,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditSink } from '../audit/audit-entry.js';
import type { BreakGlassStore } from './break-glass.js';
import type { GrantStore, Grant } from './grants.js';
import { breakGlassActions, roleAllows, type Action } from './permissions.js';

export interface Scope {
  /** The site of the record acted on; undefined for actions not about one site (user admin). */
  readonly site?: string;
  /**
   * For `proposal.create`: the action type drafted. A grant that names action types allows only
   * those; one that names none allows all (issue 18).
   */
  readonly actionType?: string;
}

/**
 * The token scope that self-service on one's own account needs (TOTP, password, one's own
 * tokens). Roles do not grant it — every user may manage their own account — but a token must
 * carry it (or `*`), so a script token scoped to reading the review queue cannot change MFA.
 */
export const selfServiceScope = 'account.self';

export type Decision =
  | {
      readonly allowed: true;
      readonly purposeOfUse: PurposeOfUse;
      readonly grant?: Grant;
      readonly breakGlassId?: string;
    }
  | {
      readonly allowed: false;
      /** `action_type`: a grant covers the site and workflow, but not the action type drafted. */
      readonly reason: 'token_scope' | 'no_grant' | 'action_type';
    };

/** What an access is about: the site, and for audit the patient and the entity. */
export type AccessScope = Scope & { readonly patientId?: string; readonly entity?: { kind: string; id: string } };

/** A site no grant names (sites are never empty): decides for a missing record as for a foreign one. */
const noSite = '';

export class PolicyDecisionPoint {
  constructor(
    private readonly grants: GrantStore,
    private readonly breakGlass: BreakGlassStore,
    private readonly audit: AuditSink,
    readonly clock: Clock = systemClock,
    /** Told when a denial's audit entry, written off the response path, could not be written. */
    private readonly onDeferredAuditFailure: (error: unknown) => void = (error) =>
      process.emitWarning(`a denial could not be audited: ${String(error)}`),
  ) {}

  async decide(ctx: RequestContext, action: Action, scope: Scope = {}): Promise<Decision> {
    const { actor } = ctx;
    if (actor.scopes !== undefined && !actor.scopes.includes(action) && !actor.scopes.includes('*')) {
      return { allowed: false, reason: 'token_scope' };
    }
    let actionTypeRefused = false;
    for (const g of await this.grants.ofActor(actor)) {
      if (!roleAllows(g.role, action)) continue;
      // A grant for one site never covers an action that is not about a site.
      if (g.site !== '*' && g.site !== scope.site) continue;
      if (g.workflow !== '*' && g.workflow !== ctx.workflow) continue;
      if (ctx.purposeOfUse !== undefined && ctx.purposeOfUse !== g.purposeOfUse) continue;
      // A grant naming action types allows drafting only those (and a draft always says its type).
      if (action === 'proposal.create' && g.actionTypes !== undefined) {
        if (scope.actionType === undefined || !g.actionTypes.includes(scope.actionType)) {
          actionTypeRefused = true;
          continue;
        }
      }
      return { allowed: true, purposeOfUse: g.purposeOfUse, grant: g };
    }
    if (actor.kind === 'user' && scope.site !== undefined && breakGlassActions.has(action)) {
      const episode = await this.breakGlass.active(actor.id, scope.site);
      if (episode !== undefined) {
        this.breakGlass.noteUse(episode, actor.id, scope.site);
        return { allowed: true, purposeOfUse: 'ETREAT', breakGlassId: episode };
      }
    }
    return { allowed: false, reason: actionTypeRefused ? 'action_type' : 'no_grant' };
  }

  /** Decides, audits a denial, and throws FORBIDDEN. For records, use `visible`. */
  async enforce(
    ctx: RequestContext,
    action: Action,
    scope: AccessScope = {},
  ): Promise<Extract<Decision, { allowed: true }>> {
    const decision = await this.decide(ctx, action, scope);
    if (decision.allowed) return decision;
    await this.audit.append(this.denial(ctx, action, scope, decision.reason));
    if (decision.reason === 'action_type')
      throw new UserError(
        'FORBIDDEN',
        `not permitted to ${action} of action type ${scope.actionType ?? '(none)'}: no grant at this site and workflow names it`,
        [{ path: 'action', message: 'an action type your grant names' }],
      );
    throw new ForbiddenError(`not permitted to ${action}`);
  }

  /**
   * A record the caller may act on, or NOT_FOUND — for a record that does not exist and for one
   * outside the caller's scope alike, so scope cannot be probed. Both answers are made here, the
   * same error for one `kind` ("proposal not found"), after the same work on the response path:
   * the grants are read either way, and a denial's audit entry is queued to the group-committing
   * audit writer instead of awaited (a failure to write it is reported, never dropped).
   */
  async visible<R>(
    ctx: RequestContext,
    action: Action,
    kind: string,
    row: R | undefined,
    scopeOf: (row: R) => AccessScope,
  ): Promise<{ readonly row: R; readonly decision: Extract<Decision, { allowed: true }> }> {
    const scope = row === undefined ? { site: noSite } : scopeOf(row);
    const decision = await this.decide(ctx, action, scope);
    if (row !== undefined && decision.allowed) return { row, decision };
    if (row !== undefined && !decision.allowed) {
      this.audit.append(this.denial(ctx, action, scope, decision.reason)).catch(this.onDeferredAuditFailure);
    }
    throw new NotFoundError(kind);
  }

  private denial(ctx: RequestContext, action: Action, scope: AccessScope, reason: string) {
    return {
      actor: ctx.actor,
      event: 'access.denied' as const,
      action: actionCode(action),
      outcome: 'denied' as const,
      ...(scope.patientId !== undefined ? { patientIds: [scope.patientId] } : {}),
      ...(scope.entity !== undefined ? { entity: scope.entity } : {}),
      // The action type refused or drafted: a code, not PHI.
      ...(scope.actionType !== undefined ? { fields: [scope.actionType] } : {}),
      ...(scope.site !== undefined ? { site: scope.site } : {}),
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason: `${reason}:${action}`,
    };
  }

  /**
   * Self-service: allowed when the caller is that user and (for a token) its scopes include
   * `account.self`. Denials are audited and answered FORBIDDEN.
   */
  async enforceSelf(ctx: RequestContext, userId: string): Promise<void> {
    const { actor } = ctx;
    const reason =
      actor.kind !== 'user' || actor.id !== userId
        ? 'not_self'
        : actor.scopes !== undefined && !actor.scopes.includes(selfServiceScope) && !actor.scopes.includes('*')
          ? 'token_scope'
          : undefined;
    if (reason === undefined) return;
    await this.audit.append({
      actor: ctx.actor,
      event: 'access.denied',
      action: 'E',
      outcome: 'denied',
      entity: { kind: 'user', id: userId },
      source: sourceOf(ctx),
      reason: `${reason}:${selfServiceScope}`,
    });
    throw new ForbiddenError(`not permitted: a token needs the ${selfServiceScope} scope to change its user's account`);
  }
}

export function actionCode(action: Action): 'C' | 'R' | 'U' | 'D' | 'E' {
  if (action === 'phi.read' || action === 'phi.search' || action === 'audit.read') return 'R';
  if (action === 'phi.write') return 'U';
  return 'E';
}

// Defined beside the audit entry it fills (the audit service uses it too); exported here as before.
export { sourceOf };
