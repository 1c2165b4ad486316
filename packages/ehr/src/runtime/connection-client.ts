/**
 * @module A FHIR client for one registered connection: SMART Backend Services with the
 * connection's sealed key, every request through the egress registry as the connection's service
 * account (so an EHR without a BAA on record is never called with PHI), and the connection's
 * request budget. The runtime, `steward ehr check` and the proposal committer all build theirs here.
 */
import { ValidationError } from '@steward/core';
import type { EgressRegistry } from '@steward/governance';
import { FhirClient, SmartBackendAuth, type FhirClientOptions } from '../fhir-r4/index.js';
import type { ConnectionRegistry, EhrConnection } from '../connections/index.js';

export interface ConnectionClientDeps {
  readonly connections: ConnectionRegistry;
  readonly egress: EgressRegistry;
}

export interface ConnectionClient {
  readonly client: FhirClient;
  /** Undefined for an open server (no client id registered). */
  readonly auth: SmartBackendAuth | undefined;
}

export type ClientTuning = Pick<FhirClientOptions, 'resilience' | 'breaker' | 'clock' | 'sleep' | 'random'>;

export async function connectionClient(
  deps: ConnectionClientDeps,
  connection: EhrConnection,
  tuning: ClientTuning = {},
): Promise<ConnectionClient> {
  const baseUrl = connection.fhirBaseUrl;
  if (baseUrl === undefined)
    throw new ValidationError(`EHR connection ${connection.name} has no FHIR base URL`, [
      { path: 'fhirBaseUrl', message: 'set it with `steward ehr add --fhir-base-url`' },
    ]);
  const actor = deps.connections.actorOf(connection);
  const transport = (url: string, init: RequestInit): Promise<Response> =>
    deps.egress.fetch(actor, url, { ...init, phi: true });
  let auth: SmartBackendAuth | undefined;
  if (connection.clientId !== undefined) {
    const privateKey = await deps.connections.privateKey(connection);
    if (privateKey === undefined)
      throw new ValidationError(`EHR connection ${connection.name} has a client id but no private key`, [
        { path: 'privateKey', message: 'register the SMART key with `steward ehr add --private-key`' },
      ]);
    auth = new SmartBackendAuth({
      fhirBaseUrl: baseUrl,
      clientId: connection.clientId,
      privateKey,
      scopes: [...connection.scopes],
      transport,
      ...(tuning.clock !== undefined ? { clock: tuning.clock } : {}),
    });
  }
  const { budget } = connection.settings;
  const client = new FhirClient({
    baseUrl,
    transport,
    ...(auth !== undefined ? { auth } : {}),
    budget: { requestsPerSecond: budget.requestsPerSecond, burst: budget.burst, maxConcurrent: budget.maxConcurrency },
    ...tuning,
  });
  return { client, auth };
}

/**
 * One FHIR client per connection for the whole process, so the runtime, the proposal applier and
 * the workflows share one token cache and one request budget: the budget agreed with the EHR's
 * owner holds for the connection, not per caller. A failed build (no key yet) is not remembered.
 * Known limit: a connection changed later (new key or URL) keeps its client until restart.
 * `steward ehr check` builds a fresh one on purpose: it proves discovery and a new token.
 */
export class ConnectionClients {
  readonly #cache = new Map<string, Promise<ConnectionClient>>();

  constructor(
    private readonly deps: ConnectionClientDeps,
    private readonly tuning: ClientTuning = {},
  ) {}

  for(connection: EhrConnection): Promise<ConnectionClient> {
    let c = this.#cache.get(connection.id);
    if (c === undefined) {
      c = connectionClient(this.deps, connection, this.tuning);
      c.catch(() => this.#cache.delete(connection.id));
      this.#cache.set(connection.id, c);
    }
    return c;
  }

  /** The connection by id and its client. */
  async byId(connectionId: string): Promise<{ connection: EhrConnection; client: ConnectionClient }> {
    const connection = await this.deps.connections.get(connectionId);
    return { connection, client: await this.for(connection) };
  }
}
