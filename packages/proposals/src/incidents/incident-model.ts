/**
 * @module What an incident is: where it was opened from, the breach notification clock (HIPAA
 * 45 CFR 164.404: individuals notified within 60 days of discovery; 164.408: 500 or more
 * individuals also means notifying HHS and the media at the same time), and the report's shape.
 */
import type { AuditEvent, AuditRecord } from '@steward/governance';

export type IncidentOrigin =
  | { readonly kind: 'proposal'; readonly proposalId: string }
  | { readonly kind: 'write'; readonly auditSeq: number }
  | { readonly kind: 'patient'; readonly patientId: string; readonly from?: string; readonly to?: string }
  | { readonly kind: 'range'; readonly from: string; readonly to: string };

export type IncidentStatus = 'open' | 'contained' | 'closed';
export type ContainmentStatus = 'proposed' | 'applied' | 'failed' | 'rejected';

/** A compensating write proposed for an incident: the rollback of one committed proposal. */
export interface Containment {
  readonly proposalId: string;
  readonly site: string;
  readonly status: ContainmentStatus;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  /** The rollback's outcome (`rolled_back`) or the stable error code it failed with. */
  readonly outcome?: string;
}

export interface BreachClock {
  readonly discoveredAt: string;
  /** Discovery + 60 days: the latest day to notify the individuals affected. */
  readonly notifyBy: string;
  readonly daysLeft: number;
  readonly overdue: boolean;
  readonly individuals: number;
  /** 500 or more individuals: HHS and prominent media are notified too, without waiting for the annual log. */
  readonly largeBreach: boolean;
}

export interface Incident {
  readonly id: string;
  readonly origin: IncidentOrigin;
  readonly summary: string;
  readonly status: IncidentStatus;
  readonly openedBy: string;
  readonly openedAt: string;
  readonly discoveredAt: string;
  readonly closedAt?: string;
  readonly containment: readonly Containment[];
}

/** One patient the incident touched: by Steward id, or by the EHR chart when Steward has no id. */
export interface AffectedPatient {
  readonly stewardId?: string;
  readonly ehrRef?: string;
}

/** One PHI access or write in scope, from the audit trail (ids only, no values). */
export interface ScopedEntry {
  readonly seq: number;
  readonly at: string;
  readonly event: AuditEvent;
  readonly kind: 'access' | 'write';
  readonly outcome: AuditRecord['outcome'];
  readonly actor: { readonly id: string; readonly name: string; readonly kind: string };
  readonly patientIds: readonly string[];
  readonly entity?: { readonly kind: string; readonly id: string; readonly version?: number };
  readonly fields?: readonly string[];
  readonly site?: string;
}

export interface ScopedProposal {
  readonly id: string;
  readonly action: string;
  readonly status: string;
  readonly site: string;
  readonly target: string;
  readonly patient: AffectedPatient;
}

export interface IncidentReport {
  readonly incident: Incident;
  readonly generatedAt: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly clock: BreachClock;
  readonly patients: readonly AffectedPatient[];
  readonly entries: readonly ScopedEntry[];
  readonly proposals: readonly ScopedProposal[];
  /** More audit entries matched than a report lists (the scan stopped at its limit). */
  readonly truncated: boolean;
}

/** Audit events that read PHI. */
export const accessEvents: readonly AuditEvent[] = [
  'phi.read',
  'phi.search',
  'phi.export',
  'break_glass.use',
  'contacts.exported',
];
/** Audit events that wrote PHI, to Steward or to the EHR, or moved a write on. */
export const writeEvents: readonly AuditEvent[] = [
  'phi.create',
  'phi.update',
  'phi.delete',
  'ehr.written',
  'proposal.drafted',
  'proposal.approved',
  'proposal.committed',
  'proposal.verified',
  'proposal.rolled_back',
];

export const NOTIFY_DAYS = 60;
export const LARGE_BREACH = 500;
const DAY_MS = 86_400_000;

export function breachClock(discoveredAt: Date, individuals: number, now: Date): BreachClock {
  const notifyBy = new Date(discoveredAt.getTime() + NOTIFY_DAYS * DAY_MS);
  const daysLeft = Math.ceil((notifyBy.getTime() - now.getTime()) / DAY_MS);
  return {
    discoveredAt: discoveredAt.toISOString(),
    notifyBy: notifyBy.toISOString(),
    daysLeft,
    overdue: daysLeft < 0,
    individuals,
    largeBreach: individuals >= LARGE_BREACH,
  };
}
