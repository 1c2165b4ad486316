/** @module The shapes the console reads from the API (see /openapi.json). */

export type Permissions = Readonly<Record<string, readonly string[]>>;

export interface BreakGlassEpisode {
  readonly id: string;
  readonly site: string;
  readonly reason: string;
  readonly startedAt: string;
  readonly expiresAt: string;
}

export interface Grant {
  readonly id: string;
  readonly role: string;
  readonly site: string;
  readonly workflow: string;
  readonly purposeOfUse: string;
}

export interface Me {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly grants: readonly Grant[];
  readonly permissions: Permissions;
  readonly breakGlass: readonly BreakGlassEpisode[];
}

export interface LoginResult {
  readonly sessionToken: string;
  readonly expiresAt: string;
  readonly absoluteExpiresAt: string;
  readonly idleTimeoutSeconds: number;
}

export interface ProposalActor {
  readonly kind: string;
  readonly id: string;
  readonly name?: string;
}

export interface ProposalSummary {
  readonly id: string;
  readonly lineageId: string;
  readonly revision: number;
  readonly status: string;
  readonly action: string;
  readonly connectionId?: string;
  readonly site: string;
  readonly workflow?: string;
  readonly patientId?: string;
  readonly target: { readonly resourceType: string; readonly id?: string };
  readonly baseVersion?: string;
  readonly contentHash: string;
  readonly reasonCode: string;
  readonly draftedBy: ProposalActor;
  readonly priority: number;
  readonly dueAt?: string;
  readonly assigneeId?: string;
  readonly reversible: boolean;
  readonly irreversibleReason?: string;
  readonly approvedBy?: ProposalActor;
  readonly supersedes?: string;
  readonly supersededBy?: string;
  readonly error?: {
    readonly code: string;
    readonly retryable: boolean;
    readonly message?: string;
    /** The applier's own tries of a passing failure, its next one, and whether it gave up. */
    readonly attempts?: number;
    readonly nextAttemptAt?: string;
    readonly exhausted?: boolean;
  };
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DiffEntry {
  readonly op: string;
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly value?: unknown;
}

export interface ProposalDetail extends ProposalSummary {
  readonly payload: Record<string, unknown>;
  readonly patient: Record<string, unknown>;
  readonly evidence: Record<string, unknown>;
  readonly diff?: Record<string, unknown>;
  readonly rejection?: string;
  readonly history: readonly {
    readonly seq: number;
    readonly revision: number;
    readonly from?: string;
    readonly to: string;
    readonly actor: ProposalActor;
    readonly reasonCode?: string;
    readonly at: string;
  }[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next?: string;
}
