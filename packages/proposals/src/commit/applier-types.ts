/** @module What the applier is given and gives back: channel committers, options, commit results. */
import type { RequestContext } from '@steward/core';
import type { ActionType, ProposalError, ProposalPatient, ProposalStatus, ProposalSummary } from '../model/index.js';
import type { RetryPolicy } from './retry-policy.js';

/** A channel proposal handed to its committer (messaging). */
export interface ChannelCommit {
  readonly id: string;
  readonly revision: number;
  readonly action: ActionType;
  readonly site: string;
  readonly workflow: string | undefined;
  readonly patient: ProposalPatient;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The same key is the same message: a committer must send it once. */
  readonly idempotencyKey: string;
}

/** Commits one kind of channel action (a message sender). It enforces its own egress rules. */
export interface ProposalCommitter {
  commit(
    ctx: RequestContext,
    proposal: ChannelCommit,
  ): Promise<{ readonly reference?: string; readonly verified?: boolean }>;
}

export interface CommitResult {
  readonly status: ProposalStatus;
  readonly proposal: ProposalSummary;
  /** After a conflict: the new revision, pending review. */
  readonly next?: ProposalSummary;
  readonly error?: ProposalError;
}

export interface ApplierOptions {
  readonly retry?: RetryPolicy;
  /** Jitter source (tests pass a fixed one). Default Math.random. */
  readonly random?: () => number;
  /**
   * How long a writer's claim on an approved proposal lasts (default 2 minutes): longer than any
   * one write takes (a screens run with a re-login included), short enough that a proposal whose
   * writer died is written by the next sweep soon after.
   */
  readonly writeClaimMs?: number;
  /** Warned, with ids and codes only, when a write stops and needs a person (the server's logger). */
  readonly logger?: { warn(fields: Record<string, unknown>, message: string): void };
}
