/**
 * @module The handoff service's ports and answers: what it is built with (store, cipher, decision
 * point, audit, engine, staff, rotas, calendars) and the shapes it returns (views, history, policies).
 */
import type { Clock, Role } from '@steward/core';
import type { BusinessCalendar, PoolMembership, StaffName } from '@steward/clinic';
import type { AuditEntryInput, PolicyDecisionPoint } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import type { EscalationStep, HandoffDue, HandoffStatus, HandoffSubject, HandoffTarget } from './handoff-model.js';
import type { Json } from '../engine/index.js';

export interface HandoffAudit {
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => readonly AuditEntryInput[]): Promise<T>;
  append(entry: AuditEntryInput): Promise<unknown>;
}

/** The engine as handoffs use it: start and signal inside the caller's transaction. */
export interface HandoffEngine {
  start(type: string, key: string, payload: Json, options: { tx: Sql }): Promise<unknown>;
  signal(key: string, name: string, payload: Json, options: { tx: Sql; type: string }): Promise<number>;
}

export interface HandoffServiceDeps {
  readonly db: Database;
  readonly cipher: {
    encrypt(plaintext: string, context: string): Buffer;
    decrypt(sealed: Uint8Array, context: string): Buffer;
  };
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  readonly audit: HandoffAudit;
  readonly engine: HandoffEngine;
  readonly staff: {
    resolve(user: string): Promise<string | undefined>;
    namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, StaffName>>;
    leadOf(userId: string): Promise<StaffName | undefined>;
    poolsOf(userId: string): Promise<readonly PoolMembership[]>;
    membersOf(pool: string): Promise<readonly StaffName[]>;
  };
  readonly rotas: { onCallAt(site: string, rota: string, at: Date): Promise<string | undefined> };
  /** The site's business calendar (its record's clock, or the defaults for a site without one). */
  readonly calendarOf: (site: string) => Promise<BusinessCalendar>;
  /** The roles the user's grants give at a site (a role-directed handoff is theirs to take). */
  readonly rolesAt: (userId: string, site: string) => Promise<readonly Role[]>;
  /** Refuses a site that is not configured (SITE_UNKNOWN), as grants do. */
  readonly sites?: { assertUsable(site: string): Promise<void> };
  /**
   * Escalation steps for kinds a site has set no policy for (`referral.overdue`: the owner's lead
   * when not done two business days on). A site's own policy (`PUT /handoff-policies/:site/:kind`)
   * replaces it; an empty policy set there turns escalation off.
   */
  readonly defaultPolicies?: Readonly<Record<string, readonly EscalationStep[]>>;
  readonly clock?: Clock;
}

/**
 * What a caller (a person, or a workflow such as intake) gives to raise a handoff. `to` is a user
 * (id or username), a pool of the site, or a role at the site; `due` an instant or a span of the
 * site's business hours or days from now (none: no deadline). `ask` is a short instruction; it is
 * sealed, but keep it reference-level ("call back to complete the intake form").
 */
export interface HandoffInput {
  readonly site: string;
  readonly kind: string;
  readonly subject: HandoffSubject;
  readonly to: HandoffTarget;
  readonly ask: string;
  readonly due?: HandoffDue;
  /** The Steward patient the work is about (audit names it); for a patient subject, its id is used. */
  readonly patientId?: string;
  /**
   * An idempotency key (up to 200 characters; a workflow effect's key, an intake document's id): a
   * second create with a key already used returns the first handoff, unchanged and not audited again.
   */
  readonly key?: string;
  /**
   * The workflow (type and correlation key) to signal `handoff.moved` when a person accepts, declines
   * or finishes the handoff: how a raising workflow keeps a mirror (a FHIR Task) in step.
   */
  readonly notify?: { readonly type: string; readonly key: string };
}

export interface PersonRef {
  readonly kind: 'user' | 'service' | 'pool' | 'role' | 'none';
  readonly id: string;
  readonly name: string;
}

export interface HandoffView {
  readonly id: string;
  readonly site: string;
  readonly kind: string;
  readonly subject: HandoffSubject;
  readonly patientId: string | null;
  readonly from: PersonRef;
  readonly to: PersonRef;
  readonly assignee: PersonRef | null;
  readonly status: HandoffStatus;
  readonly ask: string;
  readonly dueAt: string | null;
  readonly overdue: boolean;
  readonly escalatedTo: readonly PersonRef[];
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HandoffHistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly event: 'offered' | 'accepted' | 'declined' | 'done' | 'expired' | 'escalated';
  readonly actor: PersonRef;
  readonly fromStatus: HandoffStatus | null;
  readonly toStatus: HandoffStatus;
  readonly detail: Readonly<Record<string, Json>>;
  readonly reason?: string;
}

export interface HandoffDetail extends HandoffView {
  readonly history: readonly HandoffHistoryEntry[];
}

export interface EscalationPolicy {
  readonly site: string;
  readonly kind: string;
  readonly steps: readonly EscalationStep[];
  /** 0: no policy set (no escalation). */
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

/** The signal a workflow that asked to hear of its handoff's moves gets (payload: `HandoffMoved`). */
export const handoffMovedSignal = 'handoff.moved';

/** What a raising workflow hears when a person moves its handoff (references and codes only). */
export interface HandoffMoved {
  readonly handoffId: string;
  readonly key: string | null;
  /** `escalated`: an escalation step fired (the handoff went to, or was shown to, its target). */
  readonly event: 'accepted' | 'declined' | 'done' | 'escalated';
  readonly status: HandoffStatus;
  /** Who holds it now (a staff member's user id and display name: staff, not PHI). */
  readonly assignee: { readonly id: string; readonly name: string } | null;
}
