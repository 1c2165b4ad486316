/**
 * @module EHR connections: one EHR interface at one site — its FHIR base URL and SMART Backend
 * Services client, its vendor profile, its facility time zone (for zone-less HL7 times), its
 * request budget, and the service account it acts as. Registering one needs `config.manage`; the
 * SMART private key is sealed with the field cipher and only ever opened to sign a client
 * assertion. Each connection gets its own service account with the `integration` role at its
 * site, so every inbound message and outbound write is attributable to it in the audit trail.
 */
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  newId,
  systemClock,
  type Actor,
  type Clock,
  type ErrorDetail,
  type RequestContext,
} from '@steward/core';
import { isIP } from 'node:net';
import { IANAZone } from 'luxon';
import { routingProblems } from '../hl7v2/hl7-intake.js';
import type { Database } from '@steward/store';
import { vendorIds, type VendorId } from '../vendors/index.js';
import {
  anySite,
  type AuditSink,
  type FieldCipher,
  type GrantStore,
  type PolicyDecisionPoint,
  type ServiceAccountDirectory,
  type SiteCheck,
} from '@steward/governance';

/** How hard Steward may call this EHR: agreed with the EHR's owner, never exceeded. */
export interface RequestBudget {
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly maxConcurrency: number;
}

/** How this connection's MLLP listener admits senders and routes messages (all optional). */
export interface MllpSettings {
  /** Source addresses or CIDR ranges allowed to connect; absent: any (the listener binds loopback by default). */
  readonly allowedSources?: readonly string[];
  /** MSH-3.1 values allowed; others are refused (AR) onto the dead-letter list. */
  readonly sendingApplications?: readonly string[];
  /** MSH-4.1 values allowed. */
  readonly sendingFacilities?: readonly string[];
  /** Message types routed (`ADT`, `SIU^S12`, `*`); absent: every type Steward maps. Others: AA, kept as ignored. */
  readonly routeTypes?: readonly string[];
  /** Message types acknowledged and kept as ignored even though Steward could map them. */
  readonly ignoreTypes?: readonly string[];
  /** MLLP over TLS, with the server's MLLP certificate (`STEWARD_MLLP_TLS_*`). */
  readonly tls?: boolean;
}

/**
 * How Steward reads and writes a connection: `fhir-r4` (its FHIR API, the default) or `screens`
 * (its browser screens, through the approved screen map: an EHR without an API for it; ADR 0016).
 */
export type ConnectionChannel = 'fhir-r4' | 'screens';

export interface ConnectionSettings {
  readonly budget: RequestBudget;
  /** Absent: `fhir-r4`. */
  readonly channel?: ConnectionChannel;
  /** TCP port Steward listens on for this connection's HL7 v2 feed, if it has one. */
  readonly mllpPort?: number;
  readonly mllp?: MllpSettings;
  /** Seconds between polls when the EHR offers no subscriptions (or as a safety net). */
  readonly pollIntervalSeconds: number;
  readonly serviceAccountId: string;
  /**
   * Date-times with a time and no UTC offset (HL7 v2, FHIR dateTime): `infer` (default) reads
   * them in `facilityTimeZone` and flags the event `zone-inferred`; `refuse` refuses the message
   * or resource (dead-letter) naming the field.
   */
  readonly zonelessTimes?: 'infer' | 'refuse';
}

export interface EhrConnection {
  readonly id: string;
  readonly name: string;
  readonly site: string;
  readonly vendor: VendorId;
  readonly fhirBaseUrl?: string;
  readonly clientId?: string;
  readonly scopes: readonly string[];
  readonly facilityTimeZone: string;
  readonly settings: ConnectionSettings;
  readonly enabled: boolean;
  readonly createdAt: Date;
}

export interface NewConnection {
  readonly name: string;
  readonly site: string;
  readonly vendor: VendorId;
  readonly fhirBaseUrl?: string;
  readonly clientId?: string;
  /** The SMART client's private key as a JWK (RS384 or ES384, with `kid`). */
  readonly privateKey?: PrivateJwk;
  readonly scopes?: readonly string[];
  readonly facilityTimeZone: string;
  readonly mllpPort?: number;
  readonly mllp?: MllpSettings;
  readonly pollIntervalSeconds?: number;
  readonly budget?: Partial<RequestBudget>;
  readonly zonelessTimes?: 'infer' | 'refuse';
  /** Default `fhir-r4`; `screens` needs an approved screen map and the automation account's credentials. */
  readonly channel?: ConnectionChannel;
}

/** The subset of a private JWK Steward needs to sign with; other members are kept as given. */
export interface PrivateJwk {
  readonly kty: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly d?: string;
  readonly [member: string]: unknown;
}

export const defaultBudget: RequestBudget = { requestsPerSecond: 10, burst: 20, maxConcurrency: 4 };

interface Row {
  id: string;
  name: string;
  site: string;
  vendor: VendorId;
  fhir_base_url: string | null;
  client_id: string | null;
  private_key_enc: Uint8Array | null;
  scopes: string;
  facility_time_zone: string;
  settings: ConnectionSettings;
  enabled: boolean;
  created_at: Date;
}

export class ConnectionRegistry {
  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditSink,
    private readonly serviceAccounts: ServiceAccountDirectory,
    private readonly grants: GrantStore,
    private readonly clock: Clock = systemClock,
    /** Whether the connection's site may be named (the clinic's site registry; any site without one). */
    private readonly sites: SiteCheck = anySite,
  ) {}

  async add(ctx: RequestContext, input: NewConnection): Promise<EhrConnection> {
    await this.policy.enforce(ctx, 'config.manage', {});
    validate(input);
    // Before anything is made (its service account, its grant): a connection on a site the clinic
    // does not know is refused the way a grant there is (SITE_UNKNOWN).
    await this.sites.assertUsable(input.site);
    if ((await this.find(input.name)) !== undefined)
      throw new ConflictError('ALREADY_EXISTS', `an EHR connection named ${input.name} already exists`);
    const account = await this.serviceAccounts.create(`ehr-${input.name}`, ctx.actor);
    await this.grants.add(ctx.actor, {
      principalKind: 'service',
      principalId: account.id,
      role: 'integration',
      site: input.site,
      workflow: '*',
      purposeOfUse: 'HOPERAT',
    });
    const id = newId();
    const now = this.clock.now();
    const settings: ConnectionSettings = {
      budget: { ...defaultBudget, ...input.budget },
      ...(input.mllpPort !== undefined ? { mllpPort: input.mllpPort } : {}),
      ...(input.mllp !== undefined ? { mllp: input.mllp } : {}),
      pollIntervalSeconds: input.pollIntervalSeconds ?? 30,
      serviceAccountId: account.id,
      ...(input.zonelessTimes !== undefined ? { zonelessTimes: input.zonelessTimes } : {}),
      ...(input.channel !== undefined && input.channel !== 'fhir-r4' ? { channel: input.channel } : {}),
    };
    const sealedKey =
      input.privateKey !== undefined
        ? this.cipher.encrypt(JSON.stringify(input.privateKey), `ehr_connections:${id}`)
        : null;
    await this.db.query(
      `insert into ehr_connections (id, name, site, vendor, fhir_base_url, client_id, private_key_enc, scopes,
         facility_time_zone, settings, enabled, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, $11, $11)`,
      [
        id,
        input.name,
        input.site,
        input.vendor,
        input.fhirBaseUrl ?? null,
        input.clientId ?? null,
        sealedKey,
        (input.scopes ?? []).join(' '),
        input.facilityTimeZone,
        JSON.stringify(settings),
        now,
      ],
    );
    await this.audit.append({
      actor: ctx.actor,
      event: 'ehr.connection_changed',
      action: 'C',
      outcome: 'success',
      entity: { kind: 'EhrConnection', id },
      site: input.site,
      reason: `connection ${input.name} added (${input.vendor})`,
    });
    return this.get(input.name);
  }

  async list(ctx: RequestContext): Promise<EhrConnection[]> {
    await this.policy.enforce(ctx, 'config.manage', {});
    return this.all();
  }

  /** Every enabled connection, for the server's start-up (which then acts as each connection's own account). */
  async all(): Promise<EhrConnection[]> {
    const { rows } = await this.db.query<Row>('select * from ehr_connections where enabled order by name');
    return rows.map(toConnection);
  }

  async get(nameOrId: string): Promise<EhrConnection> {
    const found = await this.find(nameOrId);
    if (found === undefined) throw new NotFoundError('EHR connection');
    return found;
  }

  /** The connection's own identity: how its listeners and pollers act. */
  actorOf(connection: EhrConnection): Actor {
    return {
      kind: 'service',
      id: connection.settings.serviceAccountId,
      name: `ehr-${connection.name}`,
      authMethod: 'local-operator',
    };
  }

  /** Opens the sealed SMART private key, to sign one client assertion. Never logged, never returned over the API. */
  async privateKey(connection: EhrConnection): Promise<PrivateJwk | undefined> {
    const { rows } = await this.db.query<{ private_key_enc: Uint8Array | null }>(
      'select private_key_enc from ehr_connections where id = $1',
      [connection.id],
    );
    const sealed = rows[0]?.private_key_enc;
    if (sealed === null || sealed === undefined) return undefined;
    return JSON.parse(this.cipher.decrypt(sealed, `ehr_connections:${connection.id}`).toString('utf8')) as PrivateJwk;
  }

  /** The `_lastUpdated` instant polling has reached for a resource type, as the EHR wrote it. */
  async highWater(connectionId: string, resourceType: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ high_water: string }>(
      'select high_water from ehr_sync_state where connection_id = $1 and resource_type = $2',
      [connectionId, resourceType],
    );
    return rows[0]?.high_water;
  }

  async setHighWater(connectionId: string, resourceType: string, highWater: string): Promise<void> {
    await this.db.query(
      `insert into ehr_sync_state (connection_id, resource_type, high_water, updated_at) values ($1, $2, $3, $4)
       on conflict (connection_id, resource_type) do update set high_water = excluded.high_water, updated_at = excluded.updated_at`,
      [connectionId, resourceType, highWater, this.clock.now()],
    );
  }

  /**
   * Records that `node` (host:pid) owns the connection now, holding its lock in the session whose
   * server pid is `sessionPid` (migration 068): what the operators' list shows on any node.
   */
  async recordOwner(connectionId: string, node: string, sessionPid: number): Promise<void> {
    await this.db.query(
      `insert into ehr_connection_owners (connection_id, node, since, session_pid) values ($1, $2, $3, $4)
       on conflict (connection_id) do update set node = excluded.node, since = excluded.since,
         session_pid = excluded.session_pid`,
      [connectionId, node, this.clock.now(), sessionPid],
    );
  }

  /**
   * The recorded owner of each connection (by id), and whether its lock session still holds an
   * advisory lock (a dead owner's row stays until a standby takes over). PostgreSQL's pg_locks; on
   * the embedded store nothing is recorded.
   */
  async owners(): Promise<Map<string, { node: string; since: string; live: boolean }>> {
    const { rows } = await this.db.query<{ connection_id: string; node: string; since: Date; live: boolean }>(
      `select o.connection_id, o.node, o.since,
              exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.pid = o.session_pid
                        and l.database = (select oid from pg_database where datname = current_database())) as live
         from ehr_connection_owners o`,
    );
    return new Map(
      rows.map((r) => [r.connection_id, { node: r.node, since: new Date(r.since).toISOString(), live: r.live }]),
    );
  }

  private async find(nameOrId: string): Promise<EhrConnection | undefined> {
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId);
    const { rows } = await this.db.query<Row>(
      `select * from ehr_connections where ${isId ? 'id = $1::uuid' : 'name = $1'}`,
      [nameOrId],
    );
    const row = rows[0];
    return row === undefined ? undefined : toConnection(row);
  }
}

function toConnection(r: Row): EhrConnection {
  return {
    id: r.id,
    name: r.name,
    site: r.site,
    vendor: r.vendor,
    ...(r.fhir_base_url !== null ? { fhirBaseUrl: r.fhir_base_url } : {}),
    ...(r.client_id !== null ? { clientId: r.client_id } : {}),
    scopes: r.scopes === '' ? [] : r.scopes.split(' '),
    facilityTimeZone: r.facility_time_zone,
    settings: r.settings,
    enabled: r.enabled,
    createdAt: r.created_at,
  };
}

function validate(input: NewConnection): void {
  const problems: ErrorDetail[] = [];
  if (!/^[a-z0-9][a-z0-9._-]{0,47}$/.test(input.name))
    problems.push({ path: 'name', message: 'must be a lowercase name (letters, digits, . _ -)' });
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(input.site)) problems.push({ path: 'site', message: 'must be a site name' });
  if (!(vendorIds as readonly string[]).includes(input.vendor))
    problems.push({ path: 'vendor', message: `must be one of ${vendorIds.join(', ')}` });
  // The same zone check the HL7 listener applies to zone-less times (luxon's IANA zone database).
  if (!IANAZone.isValidZone(input.facilityTimeZone))
    problems.push({ path: 'facilityTimeZone', message: 'must be an IANA time zone such as America/New_York' });
  if (input.fhirBaseUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(input.fhirBaseUrl);
    } catch {
      problems.push({ path: 'fhirBaseUrl', message: 'not a URL' });
    }
    if (url !== undefined && url.protocol !== 'https:' && url.protocol !== 'http:')
      problems.push({ path: 'fhirBaseUrl', message: 'must be https (or http for a local sandbox)' });
    if (input.clientId === undefined || input.clientId === '')
      problems.push({ path: 'clientId', message: 'a FHIR connection needs its SMART client id' });
    if (input.privateKey === undefined)
      problems.push({ path: 'privateKey', message: 'a FHIR connection needs its SMART private key' });
  }
  if (input.channel !== undefined && input.channel !== 'fhir-r4' && input.channel !== 'screens')
    problems.push({ path: 'channel', message: 'fhir-r4 or screens' });
  if (input.channel === 'screens' && input.fhirBaseUrl !== undefined)
    problems.push({
      path: 'channel',
      message: 'a screens connection has no FHIR base URL: register the FHIR API as its own connection',
    });
  if (input.privateKey !== undefined) {
    const k = input.privateKey;
    if (k.d === undefined) problems.push({ path: 'privateKey', message: 'must be a private key (JWK with d)' });
    if (k.kid === undefined || k.kid === '') problems.push({ path: 'privateKey', message: 'must carry a kid' });
    if (k.alg !== 'RS384' && k.alg !== 'ES384')
      problems.push({ path: 'privateKey', message: 'alg must be RS384 or ES384' });
  }
  if (
    input.mllpPort !== undefined &&
    !(Number.isInteger(input.mllpPort) && input.mllpPort > 0 && input.mllpPort < 65536)
  )
    problems.push({ path: 'mllpPort', message: 'must be a TCP port' });
  const m = input.mllp;
  if (m !== undefined) {
    for (const source of m.allowedSources ?? []) {
      const [address = '', bits] = source.split('/');
      const v = isIP(address);
      if (v === 0 || (bits !== undefined && !(Number(bits) >= 0 && Number(bits) <= (v === 6 ? 128 : 32))))
        problems.push({ path: 'mllp.allowedSources', message: `${source} is not an IP address or CIDR range` });
    }
    problems.push(...routingProblems({ route: m.routeTypes ?? [], ignore: m.ignoreTypes ?? [] }, 'mllp'));
  }
  if (input.zonelessTimes !== undefined && input.zonelessTimes !== 'infer' && input.zonelessTimes !== 'refuse')
    problems.push({ path: 'zonelessTimes', message: 'must be infer or refuse' });
  const b = input.budget;
  if (b !== undefined) {
    for (const [k, v] of Object.entries(b)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
        problems.push({ path: `budget.${k}`, message: 'must be a positive number' });
    }
  }
  if (problems.length > 0) throw new ValidationError('invalid EHR connection', problems);
}
