/**
 * @module Operating the EHR connections, as governed acts for whoever may manage configuration
 * (`config.manage`; a denial is audited by the decision point and answered FORBIDDEN): what each
 * connection is and is doing, a live check (discovery, a SMART token, a read), and its attention
 * list (dead letters, reused control ids, messages kept but not routed; counts and reasons, never
 * content). The attention list is read as the connection's own service account, which may read
 * its journal; the caller is the one decided on.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { EgressRegistry, EhrJournal, PolicyDecisionPoint } from '@steward/governance';
import type { ConnectionRegistry } from '../connections/index.js';
import { connectionClient } from './connection-client.js';
import type { ConnectionStatus } from './connection-runtime.js';
import { checkConnection, type CheckReport } from './ehr-check.js';

export interface ConnectionOperationsDeps {
  readonly policy: Pick<PolicyDecisionPoint, 'enforce'>;
  readonly connections: ConnectionRegistry;
  readonly egress: EgressRegistry;
  readonly journal: Pick<EhrJournal, 'forConnection'>;
  readonly clock?: Clock;
}

/** One connection as the operators' list shows it: its settings and what its runtime is doing. */
export interface ConnectionOverview {
  readonly name: string;
  readonly site: string;
  readonly vendor: string;
  readonly fhirBaseUrl: string | null;
  readonly facilityTimeZone: string;
  readonly mllpPort: number | null;
  readonly requestsPerSecond: number;
  /** Null when the EHR layer is off here or the connection does not run on this node. */
  readonly running: ConnectionStatus | null;
  /**
   * The node that owns it (several processes over one PostgreSQL: host:pid), since when, and
   * whether that node's lock session is alive; null when none is recorded (the embedded store).
   */
  readonly owner: { readonly node: string; readonly since: string; readonly live: boolean } | null;
}

export class ConnectionOperations {
  readonly #d: ConnectionOperationsDeps;

  constructor(deps: ConnectionOperationsDeps) {
    this.#d = deps;
  }

  /** Every connection with what the EHR layer reports of it (`running`: the runtime's status, none when off). */
  async overview(
    ctx: RequestContext,
    running: readonly ConnectionStatus[] = [],
  ): Promise<{ items: ConnectionOverview[] }> {
    const connections = await this.#d.connections.list(ctx);
    const owners = await this.#d.connections.owners();
    return {
      items: connections.map((c) => ({
        name: c.name,
        site: c.site,
        vendor: c.vendor,
        fhirBaseUrl: c.fhirBaseUrl ?? null,
        facilityTimeZone: c.facilityTimeZone,
        mllpPort: c.settings.mllpPort ?? null,
        requestsPerSecond: c.settings.budget.requestsPerSecond,
        running: running.find((r) => r.name === c.name) ?? null,
        owner: owners.get(c.id) ?? null,
      })),
    };
  }

  /** Proves a connection works: discovery, a SMART token, a read (each step timed). */
  async check(ctx: RequestContext, connection: string): Promise<CheckReport> {
    await this.#d.policy.enforce(ctx, 'config.manage', {});
    const c = await this.#d.connections.get(connection);
    return checkConnection(c, await connectionClient(this.#d, c), this.#d.clock ?? systemClock);
  }

  /** The connection's attention list, with counts per kind and the reason (never content). */
  async attention(ctx: RequestContext, connection: string): ReturnType<EhrJournal['attention']> {
    await this.#d.policy.enforce(ctx, 'config.manage', {});
    const c = await this.#d.connections.get(connection);
    return this.#d.journal.forConnection({ ...ctx, actor: this.#d.connections.actorOf(c) }, c).attention();
  }
}
