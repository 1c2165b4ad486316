/**
 * @module The composition root: builds every governed object once, passes dependencies through
 * constructors, and closes them in reverse order. The server and the CLI both start here, so
 * nothing reaches the store except through the objects built below.
 */
import {
  ConfigError,
  NotFoundError,
  systemClock,
  type Actor,
  type Clock,
  type RequestContext,
  type Role,
} from '@steward/core';
import { openDatabase, primaryReports, ReplicaReports, type Database, type ReportReader } from '@steward/store';
import {
  AccountService,
  ApiTokens,
  AuditLog,
  GrantAdmin,
  FileAuditWitness,
  SyslogAuditWitness,
  Authenticator,
  AuditService,
  BreakGlassService,
  BreakGlassStore,
  AiCalls,
  EgressAdmin,
  EgressRegistry,
  SmartBackendServices,
  actions as policyActions,
  EnvMasterKeyProvider,
  FileMasterKeyProvider,
  GrantStore,
  KeyRing,
  PasswordHasher,
  PolicyDecisionPoint,
  EhrJournal,
  EhrJournalRetention,
  eventOrigins,
  LegalHolds,
  RecordStore,
  RetentionPolicies,
  RetentionPurge,
  ServiceAccountDirectory,
  SessionManager,
  LoginThrottle,
  Reauthenticator,
  UserDirectory,
  UserRoster,
  type Logger,
  type AuditWitness,
  type MasterKeyProvider,
  type Resolver,
  type SiteCheck,
} from '@steward/governance';
import {
  ConnectionClients,
  ConnectionOperations,
  ConnectionRegistry,
  EhrRuntime,
  type EhrRuntimeOptions,
  ChannelsByConnection,
  FhirFacade,
  FhirR4Channel,
  GovernedEhr,
  ReferralRuleStore,
  type EhrReader,
} from '@steward/ehr';
import {
  BusinessCalendar,
  DirectoryService,
  OnCallRotas,
  SiteRegistry,
  StaffService,
  defaultBusinessHours,
  type SiteReference,
} from '@steward/clinic';
import { AutomationCredentials, ScreenMaps } from '@steward/automation';
import { ContactNoteRetention, Relationships } from '@steward/relationships';
import {
  EventFlagService,
  FollowupService,
  HandoffService,
  WorkflowEngine,
  patientGuard,
  handoffWorkflow,
  referralHandoffPolicies,
  referralWorkflow,
  referralWorkflowV1,
  isRetired,
  ReferralService,
  workflowPatients,
  workflowPatientsByKey,
  routedThrough,
  workflowStore,
  type WorkflowPackage,
  type WorkflowStore,
} from '@steward/workflows';
import {
  ContactPreferenceStore,
  LocalOutbox,
  MessageCommitter,
  OutboxRetention,
  defaultClinicHours,
} from '@steward/messaging';
import {
  ApprovalPolicies,
  ProposalApplier,
  EhrStateReader,
  ProposalDesk,
  OutsideDrafts,
  IncidentDesk,
  builtinActions,
  proposalChangesSince,
  type ActionRegistry,
  type ProposalCommitter,
  type ProposalDeps,
} from '@steward/proposals';
import { PatientIndex, PatientLabels, PatientReviews } from '@steward/clinic';
import {
  DeliveryWorker,
  EventCapture,
  EventDeadLetterRetention,
  EventsOutRetention,
  EventOutbox,
  EventStream,
  EventSubscriptions,
  type DeliveryOptions,
} from '@steward/events';
import { RunScreenshotRetention, RunService, RunValueRetention, type ScreenReads } from '@steward/automation';
import {
  IntakeRetention,
  IntakeService,
  LocalDocumentReader,
  IntakeWebhooks,
  mdmDocument,
  patientIndexCandidates,
  type DocumentReader,
  type HandoffSink,
  type PatientChart,
  type ReadingWorker,
  type ReadingWorkerOptions,
} from '@steward/intake';
import { referralLetters } from './workflows/referral-letters.js';
import type { GovernanceConfig, StoreConfig } from './config/index.js';
import type { ExtensionParts, StewardExtension } from './extensions.js';
import { OperationsReports } from './reports/index.js';
import { screensChannel } from './screens-channel.js';
import { intakeReferralLinks } from './intake-referrals.js';

/**
 * The ungoverned directories below `accounts`, for the bootstrap path only: `steward init`'s first
 * administrator, the demo and local service accounts, test kits. Each call names an explicit system
 * actor (who acts is audited); none checks a permission, so nothing a request reaches calls them.
 */
export interface KernelBootstrap {
  readonly users: UserDirectory;
  readonly serviceAccounts: ServiceAccountDirectory;
  readonly tokens: ApiTokens;
}

/**
 * What the kernel holds and never hands out (the database, the key ring, the master keys): the
 * composition root builds with them, the offline toolkit and the test kit take them from here.
 */
export interface KernelStore {
  readonly db: Database;
  readonly cipher: KeyRing;
  readonly masterKeys: MasterKeyProvider;
}

export interface Kernel {
  /** Which store answers (`pglite` embedded, or `postgres`), for the start-up log and health. */
  readonly storeKind: Database['kind'];
  readonly audit: AuditLog;
  /** The audit trail read as a governed act: search, verify, export, each decided and audited. */
  readonly auditService: AuditService;
  /**
   * Account administration, governed: users, service accounts and API tokens, each method taking
   * the request context first (policy, change, audit). Routes and commands use this.
   */
  readonly accounts: AccountService;
  /** Grant administration, governed the same way (grants.manage). */
  readonly grantAdmin: GrantAdmin;
  /**
   * The clinic's sites (config.manage): name, zone, business hours, holidays, quiet hours. Their
   * clocks feed follow-up reminders, referral due times, message quiet hours and reports.
   */
  readonly sites: SiteRegistry;
  /**
   * The clinic's staff (staff.manage to change, staff.read to list): users by name with their
   * sites, pools and leads; what handoffs, owner pools and escalations name.
   */
  readonly staff: StaffService;
  /**
   * Internal handoffs (issue 19), governed (handoff.create / read / work at the site; escalation
   * policies config.manage): raised by people and by workflows (as steward-workflows), escalated by
   * the workflow runtime's engine through `escalate` and `expire`.
   */
  readonly handoffs: HandoffService;
  /** Sites' on-call rotas (staff.read to read, staff.manage to replace): who escalations reach. */
  readonly rotas: OnCallRotas;
  /** The bootstrap path's ungoverned directories (see KernelBootstrap); never for a request. */
  readonly bootstrap: KernelBootstrap;
  readonly sessions: SessionManager;
  /** Proof for changes to one's own account security (TOTP, password, own tokens). */
  readonly reauth: Reauthenticator;
  readonly authenticator: Authenticator;
  readonly grants: GrantStore;
  readonly breakGlass: BreakGlassStore;
  /** Break-glass as governed acts: start one's own episode; list and review (break_glass.review). */
  readonly breakGlassService: BreakGlassService;
  readonly policy: PolicyDecisionPoint;
  readonly records: RecordStore;
  readonly egress: EgressRegistry;
  /** Egress administration, governed (egress.manage): list and register destinations. */
  readonly egressAdmin: EgressAdmin;
  /** SMART Backend Services sign-in: service accounts' key sets and the token exchange (issue 18). */
  readonly smartBackend: SmartBackendServices;
  /** Calls to AI providers through egress destinations (ai.call): de-identified without a BAA, audited. */
  readonly aiCalls: AiCalls;
  readonly connections: ConnectionRegistry;
  /** The connections operated, governed (config.manage): overview, live check, attention list. */
  readonly connectionOperations: ConnectionOperations;
  /** Which inbound requests are referrals, per connection: vendor defaults and the site's override. */
  readonly referralRules: ReferralRuleStore;
  /** One FHIR client per connection, shared by the EHR runtime and the EHR channel (inbound polling, subscriptions). */
  readonly connectionClients: ConnectionClients;
  /**
   * The EHR, read-only and governed (policy, per-patient audit) for workflows and chart readers.
   * Its writing side goes to the applier only, here, and is not exposed.
   */
  readonly ehr: EhrReader;
  /** The FHIR R4 facade (`/fhir/R4/<connection>`): governed reads for service accounts and apps, through `ehr`. */
  readonly fhirFacade: FhirFacade;
  readonly ehrJournal: EhrJournal;
  /** One Steward patient across identifiers, connections, sites and merges (governed). */
  readonly patients: PatientIndex;
  /** A list item's patient as the minimum-necessary rule lets the reader see it (audited as a PHI read). */
  readonly patientLabels: PatientLabels;
  /** Actors' display names (usernames, service account names) for list items. */
  readonly roster: UserRoster;
  /** The Steward patient of each workflow instance (the event its proposals are for), by instance id. */
  readonly workflowPatients: (workflowIds: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  /** The same by workflow type and correlation key (a drafted proposal's), keyed `<type> <key>`. */
  readonly workflowPatientsByKey: (
    keys: readonly { readonly type: string; readonly key: string }[],
  ) => Promise<ReadonlyMap<string, string>>;
  /** Uncertain patient candidates (same name and birth date) waiting for a person to link or dismiss. */
  readonly patientReviews: PatientReviews;
  /** The review desk: proposals drafted, approved, rejected, edited, assigned, listed. */
  readonly proposals: ProposalDesk;
  /** Proposals drafted over the API by agent and automation services, and followed by them (ADR 0017). */
  readonly outsideDrafts: OutsideDrafts;
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
  /** Incident response: scope from the audit trail, rollbacks through review, the report (ADR 0011). */
  readonly incidents: IncidentDesk;
  /** Messages sent in embedded mode: sealed, listable, nothing leaves the machine. */
  readonly outbox: LocalOutbox;
  /** Patients' contact preferences (channel, addresses, opt-outs) the message committer reads; phi.write to set. */
  readonly contactPreferences: ContactPreferenceStore;
  /**
   * Screen maps per EHR connection and site (automation.maps.propose / .review): proposed, reviewed
   * by a second person, versioned; `current` is what the screens executor follows.
   */
  readonly screenMaps: ScreenMaps;
  /**
   * The automation account's EHR credentials (automation.credentials.manage), sealed, never read
   * back; the executor's wiring opens them per run through `sourceFor(account)`.
   */
  readonly automationCredentials: AutomationCredentials;
  /** The clinic directory: practitioners, organizations, locations and services per connection, by name (governed). */
  readonly directory: DirectoryService;
  /** The referral worklist, its figures and one referral's detail (governed: decide, read, audit). */
  readonly referrals: ReferralService;
  /** The recheck follow-ups, their figures and one follow-up's timeline (governed: decide, read, audit). */
  readonly followups: FollowupService;
  /** Events filed with something a person should look at, per connection (governed: config.manage). */
  readonly eventFlags: EventFlagService;
  /**
   * Screen automation's run record (issue 17): the executor starts runs and records steps through
   * it (`start`, `recorder`, `finish`); readers list, show, replay and verify (governed, audited).
   */
  readonly automationRuns: RunService;
  /** Intake documents (issue 19): arrivals, the queue, sorting, matching, filing (governed, audited). */
  readonly intake: IntakeService;
  /** Fax and e-mail providers' signed webhooks into intake. */
  readonly intakeWebhooks: IntakeWebhooks;
  /** Intake's own account (what brings files from a watched folder and routes what was read). */
  readonly intakeContext: () => Promise<RequestContext>;
  /**
   * Intake's reading worker, not started: it reads received files off the arrival's call (leased, so
   * several servers share the work). The server starts it (STEWARD_INTAKE_READING); `close` stops it.
   */
  readonly intakeReading: ReadingWorker;
  /**
   * Reads of a screens connection's screens (a day's schedule, task lists) into the inbound journal
   * as normalised events, the browser started on first use (ADR 0016; the server polls them).
   */
  readonly screenReads: Pick<ScreenReads, 'read'>;
  /** The operations dashboards' figures (governed: sections by permission, audited as a search). */
  readonly operations: OperationsReports;
  /**
   * Retention (ADR 0011): the policies a compliance officer sets, legal holds, and the purge that
   * deletes expired EHR messages and events, sent message bodies and contact notes.
   */
  readonly retention: {
    readonly policies: RetentionPolicies;
    readonly holds: LegalHolds;
    readonly purge: RetentionPurge;
  };
  /**
   * Events out (issue 18, ADR 0019): webhook subscriptions and their dead letters (governed: the
   * subscriber's own, `events.subscribe`), the server-sent event stream, and the machinery the server
   * runs — the capture filling the outbox from the journal and the proposals, and the delivery worker.
   */
  readonly events: KernelEvents;
  readonly clock: Clock;
  /** The actions proposals may take: the built-in ones and the extensions'. */
  readonly actions: ActionRegistry;
  /** The workflow packages the extensions bring (the built-in ones are added by the workflow runtime). */
  readonly workflowPackages: readonly WorkflowPackage[];
  /** Engines, routers and merge lookups over the workflow tables (the workflow runtime builds its own from it). */
  readonly workflowStore: WorkflowStore;
  /** The EHR layer (listeners, polling, subscriptions) over this kernel's connections and journal. */
  ehrRuntime(logger: Logger, options?: EhrRuntimeOptions): EhrRuntime;
  /** Whether the store and the audit log answer. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** Events out, as the kernel holds it (see `Kernel.events`). */
export interface KernelEvents {
  readonly subscriptions: EventSubscriptions;
  readonly stream: EventStream;
  /** The outbox itself: what the capture fills (a benchmark or a test may publish to it directly). */
  readonly outbox: EventOutbox;
  readonly capture: EventCapture;
  /** A delivery worker over this kernel's subscriptions (the server starts one when STEWARD_EVENTS is on). */
  delivery(options?: DeliveryOptions): DeliveryWorker;
}

/** The two sections the kernel reads: where the data is, and how governance runs. */
export interface KernelConfig {
  // Some settings optional so that callers building a KernelConfig by hand (tests) keep working:
  // no owner URL, no witness file.
  readonly store: Pick<StoreConfig, 'dataDir' | 'databaseUrl' | 'masterKeyFromEnv' | 'masterKeyFile'> &
    Partial<Pick<StoreConfig, 'migrationDatabaseUrl' | 'reportingDatabaseUrl'>>;
  readonly governance: Pick<GovernanceConfig, 'sessionIdleMinutes' | 'sessionMaxHours'> &
    Partial<Pick<GovernanceConfig, 'auditWitnessFile' | 'auditSyslog'>>;
}

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
  /** Where audit checkpoints are witnessed. Default: the file `governance.auditWitnessFile`, when set. */
  readonly auditWitnesses?: readonly AuditWitness[];
  /** A deployment's own actions and workflows (docs/extending.md). */
  readonly extensions?: readonly StewardExtension[];
  /**
   * Intake's document reader and where its handoffs go. Default: the local reader (OCR and the
   * committed classifier, packages/intake reading/) and the handoff service; tests pass stand-ins.
   */
  readonly intake?: {
    readonly reader?: DocumentReader;
    readonly handoffs?: HandoffSink;
    /** The reading worker's lease, poll and retry settings (tests shorten them). */
    readonly reading?: ReadingWorkerOptions;
  };
}

const intakeBootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'steward-start',
  authMethod: 'local-operator',
};

/** The committers the extensions bring for their channel actions; a type claimed twice is refused at start-up. */
function extensionCommitters(
  extensions: readonly StewardExtension[],
  parts: ExtensionParts,
): Record<string, ProposalCommitter> {
  const out: Record<string, ProposalCommitter> = {};
  for (const e of extensions) {
    for (const [type, committer] of Object.entries(e.committers?.(parts) ?? {})) {
      if (type in out || type === 'reminder.send' || type === 'communication.send')
        throw new ConfigError([{ path: `extensions.${e.name}.committers.${type}`, message: 'registered twice' }]);
      out[type] = committer;
    }
  }
  return out;
}

export async function openMasterKeys(
  config: KernelConfig['store'],
  options: KernelOptions = {},
): Promise<MasterKeyProvider> {
  return config.masterKeyFromEnv
    ? EnvMasterKeyProvider.fromEnv(options.env ?? process.env)
    : FileMasterKeyProvider.open(config.masterKeyFile, { create: options.createMasterKey ?? false });
}

/** Opens the kernel: every governed object, over the store it keeps to itself. */
export async function openKernel(config: KernelConfig, logger: Logger, options: KernelOptions = {}): Promise<Kernel> {
  return (await composeKernel(config, logger, options)).kernel;
}

/**
 * The kernel and the store handles it keeps. Only the offline toolkit (offline.ts) and the test kit
 * (testing.ts) call this; it is not exported from the package.
 */
export async function composeKernel(
  { store: config, governance }: KernelConfig,
  logger: Logger,
  options: KernelOptions = {},
): Promise<{ readonly kernel: Kernel; readonly store: KernelStore }> {
  const clock = options.clock ?? systemClock;
  const masterKeys = options.masterKeys ?? (await openMasterKeys(config, options));
  const db =
    options.database ??
    (await openDatabase({
      dataDir: config.dataDir,
      ...(config.databaseUrl !== undefined ? { databaseUrl: config.databaseUrl } : {}),
      ...(config.migrationDatabaseUrl !== undefined ? { migrationDatabaseUrl: config.migrationDatabaseUrl } : {}),
    }));
  // The store's listening connection (wake-ups across processes on PostgreSQL): its losses and
  // returns are logged by code only; workers poll meanwhile.
  db.onListenerState?.((s) =>
    s.state === 'lost'
      ? logger.warn({ code: s.code, retryInMs: s.retryInMs }, 'store listening connection lost: reconnecting')
      : logger.info({ downMs: s.downMs }, 'store listening connection restored'),
  );
  // Reports (operations, referral and follow-up figures) read a read-only streaming replica when
  // one is set: decided and audited here on the primary; refused, never moved to the primary, while
  // the replica is down (packages/store/src/reporting-database.ts says why).
  let reports: ReportReader = primaryReports(db);
  try {
    await warnIfOwner(db, logger);
    if (config.reportingDatabaseUrl !== undefined) {
      reports = await ReplicaReports.open({ url: config.reportingDatabaseUrl });
      probeReports(reports, logger);
    }
    const cipher = await KeyRing.open(db, masterKeys);
    const witnesses = options.auditWitnesses ?? [
      ...(governance.auditWitnessFile !== undefined ? [new FileAuditWitness(governance.auditWitnessFile)] : []),
      ...(governance.auditSyslog !== undefined ? [new SyslogAuditWitness(governance.auditSyslog)] : []),
    ];
    const audit = await AuditLog.open(db, cipher, {
      clock,
      witnesses,
      onWitnessError: (witness, err) =>
        logger.error({ witness, err }, 'AUDIT WITNESS FAILED: a checkpoint was not recorded outside the database'),
    });
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
        idleTimeoutMs: governance.sessionIdleMinutes * 60_000,
        absoluteTimeoutMs: governance.sessionMaxHours * 3_600_000,
      },
      throttle,
    });
    const reauth = new Reauthenticator({ db, audit, cipher, hasher, clock, throttle });
    const authenticator = new Authenticator({ sessions, tokens, audit });
    const grants = new GrantStore(db, audit);
    // Grants and break-glass name sites the registry accepts (built below, asked only when called).
    const siteCheck: SiteCheck = { assertUsable: (site: string): Promise<void> => sites.assertUsable(site) };
    const roster = new UserRoster(db);
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
      roster,
      siteCheck,
    );
    const policy = new PolicyDecisionPoint(grants, breakGlass, audit, clock, (e) =>
      logger.error({ err: e }, 'a denial could not be audited'),
    );
    // The patient index: inbound events resolve to Steward patients while the journal files them,
    // and an audit search by MRN, EHR id or name finds the patient's Steward ids.
    const patients = new PatientIndex({ db, cipher, policy, audit, clock });
    const patientReviews = new PatientReviews({ db, policy, audit, index: patients, clock });
    const auditService = new AuditService({ db, cipher, audit, policy, clock, patients });
    const records = new RecordStore(db, cipher, policy, audit, clock);
    const egress = new EgressRegistry(db, audit, ...(options.resolver !== undefined ? [options.resolver] : []));
    const smartBackend = new SmartBackendServices({
      db,
      audit,
      clock,
      tokens,
      actions: policyActions,
      // A JWKS URL is an outbound destination like any other: registered, pinned, no PHI.
      jwks: {
        check: async (actor, url) => void (await egress.authorize(actor, url, { phi: false })),
        fetch: async (actor, url) => {
          const r = await egress.fetch(actor, url, {
            method: 'GET',
            phi: false,
            headers: { accept: 'application/json' },
            signal: AbortSignal.timeout(10_000),
          });
          if (r.status !== 200) throw new Error(`JWKS answered ${r.status}`);
          if (Number(r.headers.get('content-length') ?? 0) > 64 * 1024) throw new Error('JWKS too large');
          const text = await r.text();
          if (text.length > 64 * 1024) throw new Error('JWKS too large');
          return JSON.parse(text) as unknown;
        },
      },
    });
    const connections = new ConnectionRegistry(db, cipher, policy, audit, serviceAccounts, grants, clock, siteCheck);
    const sites: SiteRegistry = new SiteRegistry({
      db,
      policy,
      audit,
      clock,
      // Sites named before they had records: listed as not configured.
      referencedSites: async () => {
        const refs = new Map<string, SiteReference[]>();
        const note = (site: string, by: SiteReference): void => {
          const list = refs.get(site) ?? [];
          if (!list.includes(by)) refs.set(site, [...list, by]);
        };
        for (const g of await grants.list()) if (g.site !== '*') note(g.site, 'grants');
        for (const c of await connections.all()) note(c.site, 'connections');
        return refs;
      },
      // A site's owner pool and escalation contacts name staff (built below, asked only when called).
      staff: { assertSiteReferences: (site, refs): Promise<void> => staff.assertSiteReferences(site, refs) },
    });
    const staff: StaffService = new StaffService({ db, policy, audit, users: new UserRoster(db), sites, clock });
    const rotas = new OnCallRotas({ db, policy, audit, staff, clock });
    const handoffs = new HandoffService({
      ...{ db, cipher, policy, audit, clock, staff, rotas, sites },
      // Starts and signals only (in the caller's transaction): the workflow runtime's engine runs them.
      engine: new WorkflowEngine({ db, definitions: [handoffWorkflow], clock }),
      // A site without a record keeps the defaults (New York, weekdays 08:00-17:00), as referrals do.
      calendarOf: async (site) =>
        new BusinessCalendar(
          (await sites.clockOf(site)) ?? {
            zone: 'America/New_York',
            businessHours: defaultBusinessHours,
            holidays: [],
            quietHours: null,
          },
        ),
      rolesAt: async (userId, site) =>
        (await grants.forPrincipal(userId)).filter((g) => g.site === site || g.site === '*').map((g) => g.role),
      // Referral handoffs escalate to the owner's lead where a site set no policy of its own.
      defaultPolicies: referralHandoffPolicies,
    });
    const ehrJournal = new EhrJournal(db, cipher, policy, audit, clock, { patients });
    const connectionClients = new ConnectionClients({ connections, egress }, { clock });
    const extensions = options.extensions ?? [];
    // The built-in actions and each extension's: a type registered twice fails here, at start-up.
    const actions = builtinActions.with(extensions.flatMap((e) => e.actions ?? []));
    const proposalDeps: ProposalDeps = {
      ...{ db, cipher, policy, grants, audit, clock, actions, patients },
      // Cited evidence: the journal's events, or events out's made from them (what an agent hears).
      evidence: {
        origins: async (ids) => {
          const journal = await eventOrigins(db, ids);
          const sites = new Map(
            journal.size === 0 ? [] : (await connections.all()).map((c) => [c.id, c.site] as const),
          );
          const filed = new Map<string, { site: string; patientId?: string }>();
          for (const [id, o] of journal) {
            const site = sites.get(o.connectionId);
            if (site !== undefined)
              filed.set(id, { site, ...(o.patientId !== undefined ? { patientId: o.patientId } : {}) });
          }
          const rest = ids.filter((id) => !filed.has(id));
          return rest.length === 0 ? filed : new Map([...filed, ...(await eventOutbox.origins(rest))]);
        },
      },
    };
    // Embedded mode: messages go to the sealed local outbox (no SMS or email vendor with a BAA yet).
    const directory = new DirectoryService({
      db,
      policy,
      audit,
      clock,
      // An entry of a connection no longer registered is read at no site (a grant for every site).
      siteOf: async (id) => {
        try {
          return (await connections.get(id)).site;
        } catch (e) {
          if ((e as { code?: unknown }).code === 'NOT_FOUND') return undefined;
          throw e;
        }
      },
    });
    const outbox = new LocalOutbox({ db, cipher, policy, audit, clock });
    const contactPreferences = new ContactPreferenceStore({ db, cipher, policy, audit, clock });
    const messages = new MessageCommitter({
      preferences: contactPreferences,
      channels: { sms: outbox, email: outbox },
      // The site's zone and quiet hours; a site without a record keeps the defaults (New York, 20:00–08:00).
      clinic: async (site) => {
        const siteClock = await sites.clockOf(site);
        return siteClock === undefined ? defaultClinicHours : { zone: siteClock.zone, quiet: siteClock.quietHours };
      },
      clock,
    });
    // The one EHR port: FHIR R4 for now, wrapped in the governed decorator. Workflows get its
    // reader; the applier alone gets its writing side.
    // A screen map or credentials name a registered connection (enabled or not), by name or id.
    const automationConnection = async (nameOrId: string): Promise<string | undefined> => {
      try {
        return (await connections.get(nameOrId)).id;
      } catch (e) {
        if ((e as { code?: unknown }).code === 'NOT_FOUND') return undefined;
        throw e;
      }
    };
    const screenMaps = new ScreenMaps({ db, policy, audit, clock, resolveConnection: automationConnection });
    const automationCredentials = new AutomationCredentials({
      db,
      cipher,
      policy,
      audit,
      clock,
      resolveConnection: automationConnection,
      siteOf: async (id) => (await connections.all()).find((c) => c.id === id)?.site,
    });
    const automationRuns = new RunService({ db, cipher, policy, audit, clock, patients });
    // A connection whose channel is `screens` is written through its approved screen map (ADR 0016).
    const screens = screensChannel({
      connections,
      egress,
      screenMaps,
      credentials: automationCredentials,
      runs: automationRuns,
      patientIdOf: (connectionId, site, ehrId) => ehr.patientId(connectionId, site, ehrId),
      indexed: {
        byEhrId: (connectionId, site, ehrId) => patients.patientIdOf({ connectionId, site, ehrId, identifiers: [] }),
        byIdentifier: (ctx, i) => patients.patientIdsFor(ctx, `${i.system}|${i.value}`),
      },
      journalOf: async (connectionId) => {
        const connection = await connections.get(connectionId);
        return ehrJournal.forConnection({ actor: connections.actorOf(connection) }, connection);
      },
    });
    const fhirChannel = new FhirR4Channel(
      async (connectionId) => (await connectionClients.byId(connectionId)).client.client,
    );
    const ehr: GovernedEhr = new GovernedEhr({
      channel: new ChannelsByConnection(async (connectionId) =>
        (await screens.isScreens(connectionId)) ? screens.channel() : fhirChannel,
      ),
      policy,
      audit,
      cipher,
      connection: async (connectionId) => {
        const connection = await connections.get(connectionId);
        return { site: connection.site, actor: connections.actorOf(connection) };
      },
      writes: { pendingMerge: (c, id) => isRetired(db, c, id) },
      patients,
    });
    const applier = new ProposalApplier(
      proposalDeps,
      ehr.writer,
      {
        'reminder.send': messages,
        'communication.send': messages,
        ...extensionCommitters(extensions, { policy, audit, clock }),
      },
      { logger },
    );
    const proposals = new ProposalDesk(proposalDeps);
    const retentionDeps = { db, policy, audit, clock };
    const retentionPolicies = new RetentionPolicies(retentionDeps);
    const legalHolds = new LegalHolds({ ...retentionDeps, cipher });
    const retention = {
      policies: retentionPolicies,
      holds: legalHolds,
      purge: new RetentionPurge(retentionDeps, retentionPolicies, legalHolds, [
        // Events the workflow router has not read yet are kept, whatever their age.
        new EhrJournalRetention(cipher, { routedThrough }),
        new OutboxRetention(cipher),
        new ContactNoteRetention(),
        // Automation runs' sealed screenshots and values (the runs, steps and audit entries stay).
        new RunScreenshotRetention(clock),
        new RunValueRetention(clock),
        // Events out: what no subscription needs any more, and dead letters after their own period.
        new EventsOutRetention(),
        new EventDeadLetterRetention(),
        // Intake files' sealed bytes, page images, text and fields (what arrived and where it went stay).
        new IntakeRetention(clock),
      ]),
    };
    // Intake acts as its own service account (automation role: reads the patient index, drafts filings).
    let intakeActor: Promise<Actor> | undefined;
    const intakeContext = async (): Promise<RequestContext> => {
      intakeActor ??= (async () => {
        const name = 'steward-intake';
        let account = (await serviceAccounts.list()).find((a) => a.name === name);
        if (account === undefined) {
          account = await serviceAccounts.create(name, intakeBootstrap);
          await grants.add(intakeBootstrap, {
            principalKind: 'service',
            principalId: account.id,
            role: 'automation',
            site: '*',
            workflow: '*',
            purposeOfUse: 'HOPERAT',
          });
        }
        return { kind: 'service', id: account.id, name, authMethod: 'local-operator' } as const;
      })();
      return { actor: await intakeActor };
    };
    // The encounter a filed document belongs to: the patient's one encounter in the EHR on the
    // document's date (FHIR `date` matches an encounter whose period covers the day).
    const encounterOf = async (ctx: RequestContext, chart: PatientChart, date: string) => {
      const found = await ehr.reader.search(ctx, chart.connectionId, 'Encounter', { patient: chart.ehrId, date });
      const ids = [...new Set(found.flatMap((e) => (typeof e.resource['id'] === 'string' ? [e.resource['id']] : [])))];
      return ids.length === 1 ? ids[0] : undefined;
    };
    const referralService = new ReferralService({ db, policy, audit, directory, reports });
    const intakeDeps = {
      encounterOf,
      ...{ db, cipher, policy, audit, clock },
      // A consult note or result is linked to the referral it answers and filed against it.
      referrals: intakeReferralLinks({ referrals: referralService, staff, ehr: ehr.reader }),
      // Read on this machine (tesseract, poppler, zbar, ImageMagick: nothing sent out); a program not
      // installed ends the file `unreadable`, naming the Debian package to install.
      reader: options.intake?.reader ?? new LocalDocumentReader(),
      patients: patientIndexCandidates(patients),
      handoffs:
        options.intake?.handoffs ??
        intakeHandoffsOver(
          handoffs,
          staff,
          // A filed referral letter advances the patient's waiting referral (workflows/referral-letters.ts).
          referralLetters({
            referrals: new ReferralService({ db, policy, audit, directory }),
            engine: workflowStore(db).engine({ definitions: [referralWorkflow, referralWorkflowV1], clock }),
            clock,
          }),
        ),
      proposals,
      pipeline: intakeContext,
      labels: new PatientLabels({ db, cipher, policy, audit }),
      egress: { list: async () => (await egress.list()).map((d) => ({ name: d.name })) },
      // The chart the patient's latest event at the site named: the connection, EHR id and identifiers.
      chartOf: async (ctx: RequestContext, site: string, patientId: string) => {
        const atSite = (await connections.all()).filter((c) => c.site === site).map((c) => c.id);
        if (atSite.length === 0) return undefined;
        const [event] = await ehrJournal.patientEvents(ctx, {
          site,
          patientIds: [patientId],
          connectionIds: atSite,
          limit: 1,
        });
        if (event === undefined) return undefined;
        // The event may know the patient by identifiers only (HL7) or by the EHR id with fewer than
        // the wrong-chart guard's two identifiers (FHIR): completed from the EHR as a workflow's draft is.
        const chart = await patientGuard({ ehr: ehr.reader, ctx }, event.connectionId, event.patient);
        return { connectionId: event.connectionId, ehrId: chart.ehrId, identifiers: chart.identifiers };
      },
    };
    const intake = new IntakeService(intakeDeps);
    const intakeReading = intake.readingWorker({
      ...options.intake?.reading,
      onError: (e) =>
        logger.warn(
          { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
          'intake reading failed: the file is read again once its lease has passed',
        ),
    });
    const intakeWebhooks = new IntakeWebhooks(intakeDeps, intake);
    // Events out: the outbox filled from each connection's journal (read as the connection, audited
    // there) and the proposals' moves; subscriptions and the stream decided by the subscriber's grants.
    const eventOutbox = new EventOutbox(db, cipher);
    const eventSubscriptions = new EventSubscriptions({
      db,
      cipher,
      policy,
      grants,
      audit,
      egress,
      outbox: eventOutbox,
      clock,
    });
    const events: KernelEvents = {
      subscriptions: eventSubscriptions,
      stream: new EventStream({ outbox: eventOutbox, policy, audit, subscriptions: eventSubscriptions }, { clock }),
      outbox: eventOutbox,
      capture: new EventCapture(
        eventOutbox,
        {
          connections: async () =>
            (await connections.all()).map((c) => ({
              id: c.id,
              site: c.site,
              events: (after: number, limit: number) =>
                ehrJournal
                  .forConnection({ actor: connections.actorOf(c), sourceAddress: 'events-capture' }, c)
                  .events(after, limit),
            })),
          proposalChanges: (after, limit) => proposalChangesSince(db, after, limit),
        },
        { clock },
      ),
      delivery: (options = {}) =>
        new DeliveryWorker(
          { db, outbox: eventOutbox, subscriptions: eventSubscriptions, policy, audit, egress },
          { clock, ...options },
        ),
    };
    const kernel: Kernel = {
      storeKind: db.kind,
      audit,
      auditService,
      accounts: new AccountService({ policy, users, serviceAccounts, tokens, smart: smartBackend, reauth, clock }),
      grantAdmin: new GrantAdmin(policy, grants, siteCheck, (t) => actions.has(t)),
      sites,
      staff,
      handoffs,
      rotas,
      bootstrap: { users, serviceAccounts, tokens },
      sessions,
      reauth,
      authenticator,
      grants,
      breakGlass,
      breakGlassService: new BreakGlassService(policy, breakGlass),
      policy,
      records,
      egress,
      egressAdmin: new EgressAdmin(policy, egress),
      smartBackend,
      aiCalls: aiCalls({ policy, egress, audit, patients, env: options.env ?? process.env }),
      connections,
      connectionOperations: new ConnectionOperations({ policy, connections, egress, journal: ehrJournal, clock }),
      referralRules: new ReferralRuleStore(db, connections, policy, audit, clock),
      connectionClients,
      ehr: ehr.reader,
      fhirFacade: new FhirFacade({ reader: ehr.reader, policy, audit, connections, clock }),
      ehrJournal,
      patients,
      patientLabels: new PatientLabels({ db, cipher, policy, audit }),
      roster,
      workflowPatients: (ids) => workflowPatients(db, ids),
      workflowPatientsByKey: (keys) => workflowPatientsByKey(db, keys),
      patientReviews,
      proposals,
      outsideDrafts: new OutsideDrafts(proposalDeps, proposals),
      approvalPolicies: new ApprovalPolicies(proposalDeps),
      applier,
      ehrState: new EhrStateReader(proposalDeps, ehr.writer),
      relationships: new Relationships({ db, cipher, policy, audit, clock }),
      incidents: new IncidentDesk(proposalDeps, applier),
      outbox,
      contactPreferences,
      directory,
      screenMaps,
      automationCredentials,
      referrals: referralService,
      followups: new FollowupService({ db, policy, audit, clock, outbox, directory, reports }),
      operations: new OperationsReports({ db, reports, policy, audit, clock, sites }),
      automationRuns,
      intake,
      intakeWebhooks,
      intakeContext,
      intakeReading,
      screenReads: {
        read: async (connectionId, readId, day) => (await screens.reads()).read(connectionId, readId, day),
      },
      eventFlags: new EventFlagService({ db, policy, connections }),
      retention,
      events,
      clock,
      actions,
      workflowPackages: extensions.flatMap((e) => e.workflows ?? []),
      workflowStore: workflowStore(db),
      ehrRuntime: (runtimeLogger, runtimeOptions = {}) =>
        new EhrRuntime(
          {
            connections,
            journal: ehrJournal,
            clients: connectionClients,
            cipher,
            logger: runtimeLogger,
            clock,
            directory,
            // Several processes over one PostgreSQL: each connection runs where its lock is held.
            ...(db.sessionLocks !== undefined
              ? { locks: db.sessionLocks({ heartbeatMs: runtimeOptions.standbyMs ?? 2_000 }) }
              : {}),
            // An MDM message carrying a document (OBX-5, ED) arrives in intake as the connection's account.
            documents: async (ctx, connection, raw) => {
              let file;
              try {
                file = mdmDocument(raw);
              } catch (e) {
                // A notification without content (T01) or a note without a document (no ED OBX): the
                // journal has it, nothing for intake. Any other problem is logged by the listener.
                const path = (e as { details?: readonly { path?: string }[] }).details?.[0]?.path;
                if (path === 'MSH-9' || path === 'OBX-2') return;
                throw e;
              }
              await intake.receive(ctx, { site: connection.site, source: 'hl7-mdm', file });
            },
          },
          runtimeOptions,
        ),
      async ready() {
        try {
          await db.query('select 1');
          return true;
        } catch {
          return false;
        }
      },
      async close() {
        await intakeReading.stop();
        await screens.close();
        await egress.close();
        await audit.close();
        await reports.close();
        await db.close();
      },
    };
    return { kernel, store: { db, cipher, masterKeys } };
  } catch (e) {
    await reports.close();
    await db.close();
    throw e;
  }
}

/** Says at start whether the reporting replica answers and how far behind it is (no PHI: codes and times). */
function probeReports(reports: ReportReader, logger: Logger): void {
  reports
    .read(() => Promise.resolve(undefined))
    .then(
      ({ source }) =>
        source.database === 'replica' && !source.standby
          ? logger.warn(
              'STEWARD_REPORTING_DATABASE_URL names a server that is not a standby: reports read live data there',
            )
          : logger.info({ reports: source }, 'reports read from the replica'),
      (e: unknown) =>
        logger.warn(
          { code: (e as { code?: unknown }).code ?? 'INTERNAL' },
          'reporting replica unreachable at start: reports are refused until it answers',
        ),
    );
}

/**
 * On PostgreSQL, says loudly when the server runs as the role owning the audit tables (or a
 * superuser): that role can switch the append-only triggers off (docs/operations.md).
 */
async function warnIfOwner(db: Database, logger: Logger): Promise<void> {
  if (db.kind !== 'postgres') return;
  const { rows } = await db.query<{ owns: boolean }>(
    `select pg_has_role(current_user, c.relowner, 'MEMBER') or r.rolsuper as owns
     from pg_class c, pg_roles r where c.oid = 'audit_log'::regclass and r.rolname = current_user`,
  );
  if (rows[0]?.owns === true) {
    logger.warn(
      'the server connects as the owner of the audit tables (or a superuser), which can alter the audit trail: run it as a member of steward_app and set STEWARD_MIGRATION_DATABASE_URL (docs/operations.md)',
    );
  }
}

/**
 * AI calls as the kernel wires them: the patient index reads the patient as the caller may see
 * them (phi.search at the patient's site, audited) and checks values against the patient's keyed
 * identifiers; a destination's API key comes from `STEWARD_AI_KEY_<NAME>` (the destination's name
 * in upper case, other characters as `_`), read when a call is made and never stored.
 */
function aiCalls(d: {
  readonly policy: PolicyDecisionPoint;
  readonly egress: EgressRegistry;
  readonly audit: AuditLog;
  readonly patients: PatientIndex;
  readonly env: NodeJS.ProcessEnv;
}): AiCalls {
  return new AiCalls({
    policy: d.policy,
    egress: d.egress,
    audit: d.audit,
    patients: {
      facts: async (ctx, patientId) => {
        const found = (await d.patients.find(ctx, { term: patientId }))[0];
        if (found === undefined) throw new NotFoundError('patient');
        return {
          id: found.id,
          names: found.name !== undefined ? [found.name.family, ...found.name.given] : [],
          ...(found.birthDate !== undefined ? { birthDate: found.birthDate } : {}),
        };
      },
      identifierCheck: async (ctx, patientId) => {
        const person = new Set(await d.patients.idsOfPerson(patientId));
        return async (value) => (await d.patients.patientIdsFor(ctx, value)).some((id) => person.has(id));
      },
    },
    credentialOf: (destination) => {
      const key = d.env[`STEWARD_AI_KEY_${destination.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`];
      return key === undefined || key === '' ? undefined : key;
    },
  });
}

/**
 * Intake's handoffs raised through the handoff service (kept, escalated, in people's queues). The
 * key makes a handoff intake raises for a document once per kind: a retry after a crash between the
 * handoff and the document's own update gets the first one back.
 */
function intakeHandoffsOver(
  handoffs: HandoffService,
  staff: Pick<StaffService, 'membersOf'>,
  letters?: ReturnType<typeof referralLetters>,
): HandoffSink {
  return {
    create: async (ctx, request) => {
      const letter =
        request.kind === 'referral.next-step' && request.subject.patientId !== undefined && letters !== undefined
          ? await letters(ctx, request.site, request.subject.patientId, request.subject.id)
          : undefined;
      // A site whose intake pool has no one in it yet (no staff records set up) still has a front
      // desk (a referral's document: coordinators): the handoff goes to that role at the site rather
      // than failing the document's routing.
      const to =
        request.to.kind === 'pool' && (await staff.membersOf(request.to.id)).length === 0
          ? ({ kind: 'role', role: request.to.orRole ?? 'front_desk' } as const)
          : request.to;
      const created = await handoffs.create(ctx, {
        site: request.site,
        kind: request.kind,
        subject: { kind: 'document', id: request.subject.id },
        to:
          to.kind === 'person'
            ? { kind: 'user', ref: to.id }
            : to.kind === 'pool'
              ? { kind: 'pool', ref: to.id }
              : { kind: 'role', ref: to.role as Role },
        ask: letter?.ask ?? request.ask,
        due: { at: request.due.toISOString() },
        ...(request.subject.patientId !== undefined ? { patientId: request.subject.patientId } : {}),
        key: `intake:${request.kind}:${request.subject.id}`,
      });
      return { id: created.id };
    },
  };
}
