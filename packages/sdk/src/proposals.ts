/**
 * @module Proposing through Steward (`/proposals`): a service drafts an action with its evidence and
 * rationale; a person reviews it in Steward's queue (an outside drafter's proposal is never approved
 * automatically, and never by its drafter); Steward writes it to the EHR, verifies it, and says how
 * it ended. Drafting is idempotent by `draftKey`: a retry after a timeout returns the same proposal.
 */
import { answer, type StewardTransport } from './client.js';
import { sleep } from './wait.js';
import type { paths } from './schema.js';

export type ProposalDraft = paths['/proposals']['post']['requestBody']['content']['application/json'];
export type Proposal = paths['/proposals/{id}']['get']['responses'][200]['content']['application/json'];
export type ProposalPage = paths['/proposals']['get']['responses'][200]['content']['application/json'];
export type ProposalQuery = NonNullable<paths['/proposals']['get']['parameters']['query']>;
export type OutcomeName = Proposal['outcome']['outcome'];

export interface AwaitOptions {
  /** Give up after this long (default 24 h: review is done by people). */
  readonly timeoutMs?: number;
  /** First wait between looks (default 1 s), doubling up to `maxPollMs` (default 30 s). */
  readonly pollMs?: number;
  readonly maxPollMs?: number;
  /**
   * Follow a reviewer's edit or a rebase after an EHR conflict to the revision that replaced this one
   * (default true), so the answer is how the proposal's line ended, not that it was replaced.
   */
  readonly followRevisions?: boolean;
  readonly signal?: AbortSignal;
}

export class ProposalTimeoutError extends Error {
  override readonly name = 'ProposalTimeoutError';
  constructor(
    readonly proposal: Proposal,
    waitedMs: number,
  ) {
    super(`proposal ${proposal.id} is still ${proposal.outcome.outcome} after ${Math.round(waitedMs / 1000)} s`);
  }
}

export class Proposals {
  constructor(private readonly transport: StewardTransport) {}

  /** Drafts a proposal for review (201), or returns the one this `draftKey` already made (same content). */
  async draft(draft: ProposalDraft): Promise<Proposal> {
    return answer(this.transport.http.POST('/proposals', { body: draft }));
  }

  async get(id: string): Promise<Proposal> {
    return answer(this.transport.http.GET('/proposals/{id}', { params: { path: { id } } }));
  }

  /** This account's proposals by last change; pass the answer's `next` as `cursor` to follow changes. */
  async list(query: ProposalQuery = {}): Promise<ProposalPage> {
    return answer(this.transport.http.GET('/proposals', { params: { query } }));
  }

  /** Waits until the proposal has settled (verified, rejected, rolled back, failed for good…) and returns it. */
  async awaitOutcome(id: string, options: AwaitOptions = {}): Promise<Proposal> {
    const started = Date.now();
    const timeout = options.timeoutMs ?? 24 * 3_600_000;
    let wait = options.pollMs ?? 1_000;
    let current = await this.get(id);
    for (;;) {
      const next = current.outcome.nextId;
      if (current.outcome.settled && next !== undefined && options.followRevisions !== false) {
        current = await this.get(next);
        continue;
      }
      if (current.outcome.settled) return current;
      if (Date.now() - started >= timeout) throw new ProposalTimeoutError(current, Date.now() - started);
      await sleep(Math.min(wait, timeout - (Date.now() - started)), options.signal);
      options.signal?.throwIfAborted();
      wait = Math.min(wait * 2, options.maxPollMs ?? 30_000);
      current = await this.get(current.id);
    }
  }
}
