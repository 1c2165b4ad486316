/**
 * @module The flagged-events list as a governed act: whoever may manage configuration
 * (`config.manage`; a refusal is audited by the decision point) reads, per connection, the events
 * the router filed with something a person should look at. Codes, field names and references
 * only, no PHI, so the read itself is not audited as a PHI access.
 */
import type { RequestContext } from '@steward/core';
import type { PolicyDecisionPoint } from '@steward/governance';
import type { Sql } from '@steward/store';
import { flaggedEvents, type FlaggedEvent } from '../routing/index.js';

export interface EventFlagServiceDeps {
  readonly db: Sql;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce'>;
  /** The connection by name or id (not found: NOT_FOUND). */
  readonly connections: { get(nameOrId: string): Promise<{ readonly id: string }> };
}

export interface FlaggedEventPage {
  readonly total: number;
  readonly items: readonly FlaggedEvent[];
}

export class EventFlagService {
  readonly #deps: EventFlagServiceDeps;

  constructor(deps: EventFlagServiceDeps) {
    this.#deps = deps;
  }

  /** A connection's flagged events, newest first (at most `limit`, default 100), with the total. */
  async list(ctx: RequestContext, connection: string, limit = 100): Promise<FlaggedEventPage> {
    await this.#deps.policy.enforce(ctx, 'config.manage', {});
    const c = await this.#deps.connections.get(connection);
    return flaggedEvents(this.#deps.db, c.id, limit);
  }
}
