/**
 * @module The composition root: builds every governed object once, passes dependencies through
 * constructors, and closes them in reverse order. The server and the CLI both start here, so
 * nothing reaches the store except through the objects built below.
 */
import { systemClock, type Clock } from '@steward/core';
import { openDatabase, type Database } from '@steward/store';
import {
  ApiTokens,
  AuditLog,
  Authenticator,
  BreakGlassStore,
  EgressRegistry,
  EnvMasterKeyProvider,
  FileMasterKeyProvider,
  GrantStore,
  KeyRing,
  PasswordHasher,
  PolicyDecisionPoint,
  EhrJournal,
  RecordStore,
  ServiceAccountDirectory,
  SessionManager,
  LoginThrottle,
  Reauthenticator,
  UserDirectory,
  type Logger,
  type MasterKeyProvider,
  type Resolver,
} from '@steward/governance';
import { ConnectionClients, ConnectionRegistry, EhrWriter } from '@steward/ehr';
import { Relationships } from '@steward/relationships';
import { ContactPreferenceStore, LocalOutbox, MessageCommitter, defaultFollowupSettings } from '@steward/workflows';
import {
  ApprovalPolicies,
  EhrWriterPort,
  ProposalApplier,
  EhrStateReader,
  ProposalDesk,
  type ConnectionAccess,
  type ProposalDeps,
} from '@steward/proposals';
import type { StewardConfig } from './config.js';

export interface Kernel {
  readonly db: Database;
  readonly masterKeys: MasterKeyProvider;
  readonly cipher: KeyRing;
  readonly audit: AuditLog;
  readonly users: UserDirectory;
  readonly serviceAccounts: ServiceAccountDirectory;
  readonly tokens: ApiTokens;
  readonly sessions: SessionManager;
  /** Proof for changes to one's own account security (TOTP, password, own tokens). */
  readonly reauth: Reauthenticator;
  readonly authenticator: Authenticator;
  readonly grants: GrantStore;
  readonly breakGlass: BreakGlassStore;
  readonly policy: PolicyDecisionPoint;
  readonly records: RecordStore;
  readonly egress: EgressRegistry;
  readonly connections: ConnectionRegistry;
  /** One FHIR client per connection, shared by the EHR runtime, the applier and the workflows. */
  readonly connectionClients: ConnectionClients;
  readonly ehrJournal: EhrJournal;
  /** The review desk: proposals drafted, approved, rejected, edited, assigned, listed. */
  readonly proposals: ProposalDesk;
  readonly approvalPolicies: ApprovalPolicies;
  /**
   * Commits approved proposals through the one EHR writer, as each connection's own actor, and
   * messages (`reminder.send`, `communication.send`) through the message committer into the
   * local outbox — those as the server's own applier account, which holds `message.send`.
   */
  readonly applier: ProposalApplier;
  /** What the EHR holds now beside a proposal under review (read live, audited). */
  readonly ehrState: EhrStateReader;
  /** The contact graph: people, relationships with authority, notes, import and export. */
  readonly relationships: Relationships;
  /** Messages sent in embedded mode: sealed, listable, nothing leaves the machine. */
  readonly outbox: LocalOutbox;
  readonly clock: Clock;
  /** Whether the store and the audit log answer. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export type KernelConfig = Pick<
  StewardConfig,
  'dataDir' | 'databaseUrl' | 'masterKeyFromEnv' | 'masterKeyFile' | 'sessionIdleMinutes' | 'sessionMaxHours'
>;

export interface KernelOptions {
  readonly clock?: Clock;
  /** Lower Argon2 cost for tests; production uses the OWASP defaults. */
  readonly passwordHasher?: PasswordHasher;
  readonly resolver?: Resolver;
  /** Create the master key file if missing (embedded mode: `steward init` and `start`). */
  readonly createMasterKey?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** An already-open, migrated store (tests). The kernel closes it on close. */
  readonly database?: Database;
  /** A master key provider (tests, or a KMS plug-in). */
  readonly masterKeys?: MasterKeyProvider;
}

export async function openMasterKeys(config: KernelConfig, options: KernelOptions = {}): Promise<MasterKeyProvider> {
  return config.masterKeyFromEnv
    ? EnvMasterKeyProvider.fromEnv(options.env ?? process.env)
    : FileMasterKeyProvider.open(config.masterKeyFile, { create: options.createMasterKey ?? false });
}

export async function openKernel(config: KernelConfig, logger: Logger, options: KernelOptions = {}): Promise<Kernel> {
  const clock = options.clock ?? systemClock;
  const masterKeys = options.masterKeys ?? (await openMasterKeys(config, options));
  const db =
    options.database ??
    (await openDatabase({
      dataDir: config.dataDir,
      ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}),
    }));
  try {
    const cipher = await KeyRing.open(db, masterKeys);
    const audit = await AuditLog.open(db, cipher, { clock });
    const hasher = options.passwordHasher ?? new PasswordHasher();
    const throttle = new LoginThrottle({ db, cipher, clock });
    const users = new UserDirectory({ db, audit, cipher, hasher, clock, throttle });
    const serviceAccounts = new ServiceAccountDirectory({ db, audit, clock });
    const tokens = new ApiTokens({ db, audit, clock });
    const sessions = new SessionManager({
      db,
      audit,
      cipher,
      hasher,
      clock,
      config: {
        idleTimeoutMs: config.sessionIdleMinutes * 60_000,
        absoluteTimeoutMs: config.sessionMaxHours * 3_600_000,
      },
      throttle,
    });
    const reauth = new Reauthenticator({ db, audit, cipher, hasher, clock, throttle });
    const authenticator = new Authenticator({ sessions, tokens, audit });
    const grants = new GrantStore(db, audit);
    const breakGlass = new BreakGlassStore(
      db,
      cipher,
      audit,
      (e) =>
        logger.warn(
          { breakGlass: e.kind, episodeId: e.episodeId, userId: e.userId, site: e.site },
          'BREAK-GLASS ACCESS',
        ),
      clock,
    );
    const policy = new PolicyDecisionPoint(grants, breakGlass, audit, clock, (e) =>
      logger.error({ err: e }, 'a denial could not be audited'),
    );
    const records = new RecordStore(db, cipher, policy, audit, clock);
    const egress = new EgressRegistry(db, audit, ...(options.resolver !== undefined ? [options.resolver] : []));
    const connections = new ConnectionRegistry(db, cipher, policy, audit, serviceAccounts, grants, clock);
    const ehrJournal = new EhrJournal(db, cipher, policy, audit, clock);
    const connectionClients = new ConnectionClients({ connections, egress }, { clock });
    const proposalDeps: ProposalDeps = { db, cipher, policy, grants, audit, clock };
    // Embedded mode: messages go to the sealed local outbox (no SMS or email vendor with a BAA yet).
    const outbox = new LocalOutbox({ db, cipher, policy, audit, clock });
    const messages = new MessageCommitter({
      preferences: new ContactPreferenceStore({ db, cipher, policy, audit, clock }),
      channels: { sms: outbox, email: outbox },
      clinic: () => ({ zone: defaultFollowupSettings.zone, quiet: defaultFollowupSettings.quiet }),
      clock,
    });
    const ehrPort = new EhrWriterPort(new EhrWriter(policy, audit), connectionAccess(connections, connectionClients));
    const applier = new ProposalApplier(proposalDeps, ehrPort, {
      'reminder.send': messages,
      'communication.send': messages,
    });
    return {
      db,
      masterKeys,
      cipher,
      audit,
      users,
      serviceAccounts,
      tokens,
      sessions,
      reauth,
      authenticator,
      grants,
      breakGlass,
      policy,
      records,
      egress,
      connections,
      connectionClients,
      ehrJournal,
      proposals: new ProposalDesk(proposalDeps),
      approvalPolicies: new ApprovalPolicies(proposalDeps),
      applier,
      ehrState: new EhrStateReader(proposalDeps, ehrPort),
      relationships: new Relationships({ db, cipher, policy, audit, clock }),
      outbox,
      clock,
      async ready() {
        try {
          await db.query('select 1');
          return true;
        } catch {
          return false;
        }
      },
      async close() {
        await egress.close();
        await audit.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/**
 * How the applier reaches a connection: its one shared client, and the connection's own account
 * (who writes). No pending-merge check is passed to the writer yet: nothing records pending merges.
 */
function connectionAccess(
  connections: ConnectionRegistry,
  clients: ConnectionClients,
): (connectionId: string) => Promise<ConnectionAccess> {
  return async (connectionId) => {
    const { connection, client } = await clients.byId(connectionId);
    return { target: { connection, client: client.client }, actor: connections.actorOf(connection) };
  };
}
