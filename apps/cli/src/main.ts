/**
 * @module The `steward` command. Errors map once, here, to a message and an exit code
 * (docs/errors.md): a user error says what to do; an unexpected one says to report it.
 */
import { Command, CommanderError } from 'commander';
import { isStewardError } from '@steward/core';
import { automationRunCommands } from './commands/automation-runs.js';
import { automationCommands } from './commands/automation.js';
import { incidentCommands } from './commands/incidents.js';
import { retentionCommands } from './commands/retention.js';
import { siteCommands } from './commands/sites.js';
import { staffCommands } from './commands/staff.js';
import type { GlobalOptions } from './client/http.js';
import { processIo, type CliIo } from './io.js';

import type { auditExport, auditQuery } from './commands/audit.js';
import type { referralsList, reportReferralsCommand } from './commands/referrals.js';
import type { DirectorySearchFlags } from './commands/directory.js';
import type * as adminTypes from './commands/admin.js';
import type { EhrAddFlags } from './commands/ehr.js';
import type { ReferralRuleFlags } from './commands/referral-rules.js';
import type { SandboxFlags } from './commands/sandbox.js';
import type { ContactsImportFlags } from './commands/contacts.js';
import type * as reviewTypes from './commands/review.js';
import type { FollowupListFlags } from './commands/followups.js';
import type { LoginFlags } from './commands/login.js';
import type { RecoverFlags } from './commands/recover.js';

/**
 * Each command's module is loaded when that command runs: a command that only talks to the server
 * then loads the HTTP client, not the server, the store and the EHR layer (a few hundred ms less per run).
 */
const lazy = {
  init: () => import('./commands/init.js'),
  admin: () => import('./commands/admin.js'),
  smart: () => import('./commands/smart.js'),
  audit: () => import('./commands/audit.js'),
  keys: () => import('./commands/keys.js'),
  ehr: () => import('./commands/ehr.js'),
  referralRules: () => import('./commands/referral-rules.js'),
  sandboxCmd: () => import('./commands/sandbox.js'),
  contacts: () => import('./commands/contacts.js'),
  review: () => import('./commands/review.js'),
  referrals: () => import('./commands/referrals.js'),
  directory: () => import('./commands/directory.js'),
  followups: () => import('./commands/followups.js'),
  patients: () => import('./commands/patients.js'),
  demo: () => import('./commands/demo-accounts.js'),
  loginCmd: () => import('./commands/login.js'),
  recover: () => import('./commands/recover.js'),
  start: () => import('./commands/start.js'),
};

function program(io: CliIo, setExit: (code: number) => void): Command {
  const p = new Command('steward')
    .description(
      'Steward: the governed operational layer around an EHR.\n' +
        'Commands talk to the running server (`npm start`): log in first with `steward login`.\n' +
        'Only init, start, keys rotate, audit verify and recover open the store themselves (stop the server first on the embedded store).\n' +
        'Common flags: --site <site> (one site), --cursor <cursor> (the next page, as printed), --json (machine output).\n' +
        'The server configuration comes from the environment (see README): STEWARD_DATA_DIR, DATABASE_URL, STEWARD_MASTER_KEY, STEWARD_PORT…',
    )
    .option(
      '--server <url>',
      'the Steward server (default: $STEWARD_SERVER_URL, the one you logged in to, or http://127.0.0.1:8470)',
    )
    .option(
      '--token-file <file>',
      'act with the API token in this file instead of the stored login (or $STEWARD_TOKEN)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError('(run `steward --help` for usage)');
  const g = (): GlobalOptions => {
    const { tokenFile, server } = p.opts<{ tokenFile?: string; server?: string }>();
    return { io, ...(tokenFile !== undefined ? { tokenFile } : {}), ...(server !== undefined ? { server } : {}) };
  };

  p.command('login')
    .description('log in to the server: username, password and TOTP code (asked, or from flags), or an API token')
    .option('--user <username>', 'who (default: $STEWARD_LOGIN_USER, or asked)')
    .option('--password-file <file>', 'read the password from a file (default: $STEWARD_LOGIN_PASSWORD, or asked)')
    .option('--code <code>', 'the current TOTP code (default: $STEWARD_LOGIN_CODE, or asked)')
    .option(
      '--token <token>',
      'log in with a service (or personal) API token instead (or $STEWARD_TOKEN, --token-file)',
    )
    .action(async (o: LoginFlags) => (await lazy.loginCmd()).login(g(), o));
  p.command('logout')
    .description('end the stored login on the server (a session ends; an API token is revoked), then delete it')
    .action(async () => (await lazy.loginCmd()).logout(g()));
  p.command('whoami')
    .description('who the stored login (or token) acts as, with its grants')
    .option('--json', 'print it as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.loginCmd()).whoami(g(), o));

  p.command('init')
    .description('create the data directory, master key and first administrator (once)')
    .requiredOption('--admin-user <username>', 'the first administrator')
    .option('--admin-password-file <file>', 'read the password from a file (default: $STEWARD_ADMIN_PASSWORD, or ask)')
    .option('--token-out <file>', 'also write a 30-day admin API token to this file (0600)')
    .action(async (o: { adminUser: string; adminPasswordFile?: string; tokenOut?: string }) =>
      (await lazy.init()).init(io, o),
    );

  p.command('start')
    .description('start the HTTP API on the embedded store (or DATABASE_URL)')
    .action(async () => (await lazy.start()).start(io));

  const grantOptions = (c: Command): Command =>
    c
      .option(
        '--role <role>',
        'grant a role: admin, compliance_officer, coordinator, front_desk, clinician_reviewer, automation, integration, agent',
      )
      .option('--site <site>', 'the site the grant covers (default *)')
      .option('--workflow <workflow>', 'the workflow the grant covers (default *)')
      .option('--purpose <code>', 'purpose of use: TREAT, HOPERAT, HPAYMT, HSYSADMIN, HCOMPL')
      .option(
        '--action-types <a,b>',
        'for a role that drafts proposals (agent, automation, coordinator): only these action types (default all)',
      );

  const users = p.command('users').description('people who log in');
  grantOptions(users.command('add <username>').description('add a user with TOTP (prints the enrolment URI once)'))
    .option('--password-file <file>', 'read the password from a file (default: $STEWARD_USER_PASSWORD, or ask)')
    .option('--break-glass', 'put the user on the break-glass list')
    .action(async (username: string, o: adminTypes.GrantFlags & { passwordFile?: string; breakGlass?: boolean }) =>
      (await lazy.admin()).usersAdd(g(), username, o),
    );
  users
    .command('list')
    .description('list users')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.admin()).usersList(g(), o));
  users
    .command('disable <username>')
    .description('disable a user: ends sessions, revokes tokens')
    .action(async (u: string) => (await lazy.admin()).usersDisable(g(), u));
  users
    .command('unlock <username>')
    .description('lift every sign-in lock on a user (from every address) and clear the failure counts')
    .action(async (u: string) => (await lazy.admin()).usersUnlock(g(), u));

  const services = p.command('services').description('service accounts for automation');
  grantOptions(services.command('add <name>').description('add a service account')).action(
    async (n: string, o: adminTypes.GrantFlags) => (await lazy.admin()).servicesAdd(g(), n, o),
  );
  services
    .command('list')
    .description('list service accounts')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.admin()).servicesList(g(), o));
  const smart = services
    .command('smart')
    .description('SMART Backend Services sign-in for a service account: its public keys and allowed scopes');
  smart
    .command('set <name>')
    .description('register (or replace) the public key set and the scopes the account may be granted')
    .option('--jwks <file>', 'a JWKS (or one JWK) file holding public keys only')
    .option('--jwks-url <url>', 'where the account publishes its JWKS (under a registered egress destination)')
    .requiredOption(
      '--scopes <list>',
      'comma- or space-separated: system/<Type>.<cruds> scopes and Steward actions (ai.call …)',
    )
    .action(async (n: string, o: { jwks?: string; jwksUrl?: string; scopes: string }) =>
      (await lazy.smart()).smartSet(g(), n, o),
    );
  smart
    .command('show <name>')
    .description("show the account's registration (public keys only) and its token endpoint")
    .option('--json', 'print as JSON')
    .action(async (n: string, o: { json?: boolean }) => (await lazy.smart()).smartShow(g(), n, o));
  smart
    .command('remove <name>')
    .description('end SMART sign-in for the account')
    .action(async (n: string) => (await lazy.smart()).smartRemove(g(), n));

  const tokens = p.command('tokens').description('API tokens (stored hashed, scoped, expiring, revocable)');
  tokens
    .command('create')
    .description('issue an API token')
    .option('--user <username>', 'for a user')
    .option('--service <name>', 'for a service account')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scopes <list>', 'comma-separated actions, or *', '*')
    .option('--days <n>', 'days until it expires (1-365)', '90')
    .option('--out <file>', 'write the token to a file (0600) instead of printing it')
    .option(
      '--current-code <code>',
      'for a token of your own: your current TOTP code (your password from $STEWARD_CURRENT_PASSWORD, or asked)',
    )
    .action(async (o: adminTypes.TokensCreateFlags) => (await lazy.admin()).tokensCreate(g(), o));
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.admin()).tokensList(g(), o));
  tokens
    .command('revoke <id>')
    .description('revoke a token, effective at once')
    .action(async (id: string) => (await lazy.admin()).tokensRevoke(g(), id));

  const grants = p.command('grants').description('roles scoped by site and workflow');
  grantOptions(
    grants.command('add').description('grant a role').option('--user <username>').option('--service <name>'),
  ).action(async (o: adminTypes.GrantFlags & { user?: string; service?: string }) =>
    (await lazy.admin()).grantsAdd(g(), o),
  );
  grants
    .command('list')
    .description('list live grants')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.admin()).grantsList(g(), o));
  grants
    .command('revoke <id>')
    .description('revoke a grant')
    .action(async (id: string) => (await lazy.admin()).grantsRevoke(g(), id));

  const egress = p.command('egress').description('outbound destinations and their BAA status');
  egress
    .command('add <name>')
    .description('register a destination')
    .requiredOption('--url <baseUrl>', 'base URL; only URLs under it are allowed')
    .requiredOption('--kind <kind>', 'ehr, messaging, ai or other')
    .option('--baa <reference>', 'the business-associate agreement on record (omit: no PHI may go there)')
    .option('--allow-private', 'allow private-network addresses (an on-premises EHR)')
    .action(async (name: string, o: { url: string; kind: string; baa?: string; allowPrivate?: boolean }) =>
      (await lazy.admin()).egressAdd(g(), name, o),
    );
  egress
    .command('list')
    .description('list destinations')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.admin()).egressList(g(), o));

  const audit = p.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description(
      'check the hash chain and signed checkpoints from genesis (exit 1 names the first bad entry); reads the store itself: stop the server first on the embedded store',
    )
    .option('--json', 'print the result as JSON')
    .action(async (o: { json?: boolean }) => setExit(await (await lazy.audit()).auditVerify(g(), o)));
  const filters = (c: Command): Command =>
    c
      .option(
        '--patient <id>',
        'who accessed this patient: Steward id, MRN (system|value or value), EHR id, or "Family, Given YYYY-MM-DD"',
      )
      .option('--actor <id>', 'what this actor accessed')
      .option('--from <date>', 'from this date or time (a date alone: that whole day)')
      .option('--to <date>', 'until this date or time (exclusive)');
  filters(audit.command('query').description('search the audit trail'))
    .option('--limit <n>', 'most entries', '1000')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print entries as JSON')
    .action(async (o: Parameters<typeof auditQuery>[1]) => (await lazy.audit()).auditQuery(g(), o));
  filters(audit.command('export').description('export as FHIR R4 AuditEvent NDJSON (IHE BALP)'))
    .requiredOption('--format <format>', 'fhir')
    .option('--out <file>', 'write to a file (0600) instead of standard output')
    .action(async (o: Parameters<typeof auditExport>[1]) => (await lazy.audit()).auditExport(g(), o));

  const ehr = p.command('ehr').description('EHR connections: FHIR R4 (SMART Backend Services) and HL7 v2 feeds');
  ehr
    .command('add <name>')
    .description('register an EHR connection for a site')
    .requiredOption('--site <site>', 'the site whose data comes through it')
    .requiredOption('--vendor <vendor>', 'generic-r4, epic, oracle-health or athenahealth')
    .requiredOption(
      '--time-zone <zone>',
      'the facility time zone for zone-less HL7 and FHIR times, e.g. America/New_York',
    )
    .option(
      '--zoneless-times <rule>',
      'times sent without a UTC offset: infer (read in --time-zone, event flagged; default) or refuse (dead-letter)',
    )
    .option(
      '--channel <channel>',
      'fhir-r4 (default) or screens: written through its browser screens by the approved screen map',
    )
    .option('--fhir-base-url <url>', 'the FHIR R4 base URL')
    .option('--client-id <id>', 'the SMART Backend Services client id')
    .option('--private-key <file>', 'the client private key: a JWK, or a PKCS#8 PEM with --alg and --kid')
    .option('--alg <alg>', 'RS384 or ES384')
    .option('--kid <kid>', 'the key id registered in the EHR')
    .option('--scopes <scopes>', 'the scopes to ask for, space- or comma-separated')
    .option('--mllp-port <port>', "listen for this connection's HL7 v2 feed on this port")
    .option('--mllp-allow <addresses>', 'source addresses or CIDR ranges allowed to connect to the feed')
    .option('--mllp-sending-app <names>', 'MSH-3 values allowed on the feed (others are refused, AR)')
    .option('--mllp-sending-facility <names>', 'MSH-4 values allowed on the feed')
    .option('--mllp-route <types>', 'message types routed, e.g. ADT,SIU^S12 (others: AA, kept as ignored)')
    .option('--mllp-ignore <types>', 'message types acknowledged and kept as ignored')
    .option('--mllp-tls', 'MLLP over TLS (needs STEWARD_MLLP_TLS_CERT and _KEY on the server)')
    .option('--requests-per-second <n>', 'the request budget agreed with the EHR owner (default 10)')
    .option(
      '--poll-interval <seconds>',
      'seconds between polls for changes, the safety net under subscriptions (default 30)',
    )
    .action(async (name: string, o: EhrAddFlags) => (await lazy.ehr()).ehrAdd(g(), name, o));
  ehr
    .command('list')
    .description('list EHR connections')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.ehr()).ehrList(g(), o));
  ehr
    .command('check <name>')
    .description('prove a connection works: discovery, a SMART token, a read (exit 1 if a step fails)')
    .option('--json', 'print the steps as JSON')
    .action(async (name: string, o: { json?: boolean }) => setExit(await (await lazy.ehr()).ehrCheck(g(), name, o)));
  ehr
    .command('dead-letters <name>')
    .description(
      'the attention list: dead letters, messages filed under a reused control id, ignored types; with counts',
    )
    .option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }) => (await lazy.ehr()).ehrDeadLetters(g(), name, o));
  ehr
    .command('referral-rules <name>')
    .description('which requests are referrals on a connection: vendor defaults, the site override, the rules in force')
    .option('--set <file.json>', "replace the site's override: { rules: [...], disabled: [rule ids], otherwise? }")
    .option('--reset', 'back to the vendor defaults')
    .option('--explain <servicerequest.json>', 'which rule decides this ServiceRequest (nothing is filed)')
    .option('--json', 'print JSON')
    .action(async (name: string, o: ReferralRuleFlags) => (await lazy.referralRules()).ehrReferralRules(g(), name, o));

  const desk = p
    .command('review')
    .description('proposals waiting for review: list, show, approve (then commit), reject');
  desk
    .command('list')
    .description('the review queue, most urgent first (default: pending review)')
    .option('--site <site>', 'at this site (without it: every site, which needs a grant for all)')
    .option('--workflow <workflow>', 'from this workflow')
    .option('--patient <id>', 'for this Steward patient id')
    .option('--action <type>', 'of this action type, e.g. appointment.status')
    .option('--status <list>', 'comma-separated statuses (default pending_review)')
    .option('--assignee <id>', 'assigned to this user id')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--limit <n>', 'most proposals (1-200)', '50')
    .option('--json', 'print the page as JSON')
    .action(async (o: reviewTypes.ReviewListFlags) => (await lazy.review()).reviewList(g(), o));
  desk
    .command('show <id>')
    .description('what a proposal would write, for whom, why, what changed in the EHR, and its history')
    .option('--json', 'print it as JSON')
    .action(async (id: string, o: { json?: boolean }) => (await lazy.review()).reviewShow(g(), id, o));
  desk
    .command('approve <id>')
    .description('approve exactly the content with this hash, then commit it (without --hash: show it and stop)')
    .option('--hash <contentHash>', 'the content hash `show` printed: what you reviewed')
    .option('--yes', 'approve the content shown now, without a separate review step')
    .action(async (id: string, o: { hash?: string; yes?: boolean }) =>
      setExit(await (await lazy.review()).reviewApprove(g(), id, o)),
    );
  desk
    .command('reject <id>')
    .description('reject a proposal')
    .requiredOption('--reason <text>', 'why (kept sealed: it may mention the patient)')
    .action(async (id: string, o: { reason: string }) => (await lazy.review()).reviewReject(g(), id, o));
  desk
    .command('rollback <id>')
    .description('undo a committed change with a compensating write (refused when it cannot be undone)')
    .requiredOption('--reason <text>', 'why (kept sealed: it may mention the patient)')
    .action(async (id: string, o: { reason: string }) =>
      setExit(await (await lazy.review()).reviewRollback(g(), id, o)),
    );

  const policies = p.command('policies').description('approval policies: which action types need review, by whom');
  policies
    .command('list')
    .description('the policies in force')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => (await lazy.review()).policiesList(g(), o));
  policies
    .command('set <actionType>')
    .description('set how one action type is approved (compliance officer)')
    .requiredOption('--mode <mode>', 'auto (approved when drafted) or review')
    .option('--roles <list>', 'for review: the roles that may approve, comma-separated (default: any reviewer)')
    .action(async (action: string, o: { mode: string; roles?: string }) =>
      (await lazy.review()).policiesSet(g(), action, o),
    );

  const referrals = p.command('referrals').description('referrals tracked to loop closure');
  referrals
    .command('list')
    .description('referrals, newest first: stage, due time, overdue, escalation, leakage')
    .option('--site <site>', 'at this site (without it: every site, which needs a grant for all)')
    .option('--stage <stage>', 'sent, received, accepted, scheduled, attended, reported or closed')
    .option('--overdue', 'only those whose awaited stage is overdue')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--limit <n>', 'most referrals (1-200)', '50')
    .option('--json', 'print the page as JSON')
    .action(async (o: Parameters<typeof referralsList>[1]) => (await lazy.referrals()).referralsList(g(), o));
  const directory = p.command('directory').description('practitioners, organizations, locations and services, by name');
  directory
    .command('search [text]')
    .description('entries whose name, identifier or EHR id matches')
    .option('--kind <kind>', 'Practitioner, PractitionerRole, Organization, Location or HealthcareService')
    .option('--connection <id>', 'on this EHR connection')
    .option('--unresolved', 'only references nobody has named yet')
    .option('--network <mark>', 'in or out (as marked by an administrator)')
    .option('--limit <n>', 'most entries (1-200)', '50')
    .option('--json', 'print the entries as JSON')
    .action(async (text: string | undefined, o: DirectorySearchFlags) =>
      (await lazy.directory()).directorySearch(g(), text, o),
    );
  directory
    .command('show <id>')
    .description('one entry: names, identifiers, specialties, contact points, organization, network')
    .option('--json', 'print the entry as JSON')
    .action(async (id: string, o: { json?: boolean }) => (await lazy.directory()).directoryShow(g(), id, o));
  directory
    .command('network <id> <mark>')
    .description("mark an organization in or out of the clinic's network, or none (admin; audited)")
    .action(async (id: string, mark: string) => (await lazy.directory()).directoryNetwork(g(), id, mark));
  const report = p.command('report').description('operational reports');
  report
    .command('referrals')
    .description('referral figures: counts by stage, time in stage, overdue, closure rate, leakage')
    .option('--site <site>', 'at this site (without it: every site)')
    .option('--since <date>', 'referrals started at or after this ISO 8601 date or instant')
    .option('--json', 'print the figures as JSON')
    .action(async (o: Parameters<typeof reportReferralsCommand>[1]) =>
      (await lazy.referrals()).reportReferralsCommand(g(), o),
    );
  const patients = p.command('patients').description('the patient index: look-alike patients to link or dismiss');
  patients
    .command('reviews')
    .description('open candidates: a patient with the same name and birth date as another, no shared identifier')
    .option('--limit <n>', '1-999 (default 100)')
    .option('--json', 'print as JSON')
    .action(async (o: { limit?: string; json?: boolean }) => (await lazy.patients()).patientReviews(g(), o));
  patients
    .command('link <review-id>')
    .description('the two are one person: the new patient is retired into the candidate (audited)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) =>
      (await lazy.patients()).patientReviewDecide(g(), 'link', id, o),
    );
  patients
    .command('dismiss <review-id>')
    .description('the two are different people (audited)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) =>
      (await lazy.patients()).patientReviewDecide(g(), 'dismiss', id, o),
    );
  const followups = p.command('followups').description('recheck follow-ups: booking, reminders, cancels, no-shows');
  followups
    .command('list')
    .description('follow-ups at a site with their stage, window, appointment and next reminder')
    .requiredOption('--site <site>', 'the site')
    .option('--stage <stage>', 'awaiting-booking, booked, rebooking, no-show, fulfilled or closed')
    .option('--overdue', 'only those not booked by the end of their window')
    .option('--status <status>', 'running, completed or failed')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--after <id>', 'the same as --cursor (its older name)')
    .option('--limit <n>', '1-500 (default 50)')
    .option('--json', 'print as JSON')
    .action(async (o: FollowupListFlags) => (await lazy.followups()).followupsList(g(), o));
  report
    .command('followups')
    .description('follow-up figures: counts by stage, time in stage, overdue, no-show and fulfilled rates')
    .requiredOption('--site <site>', 'the site')
    .option('--since <date>', 'only follow-ups started since (YYYY-MM-DD)')
    .option('--json', 'print as JSON')
    .action(async (o: { site: string; since?: string; json?: boolean }) =>
      (await lazy.followups()).reportFollowups(g(), o),
    );

  retentionCommands(p, g);
  siteCommands(p, g);
  staffCommands(p, g);
  incidentCommands(p, g);
  // Screen automation (issue 17): maps, credentials, the recorder, and the run record.
  automationRunCommands(automationCommands(p, g), g);

  p.command('demo-accounts')
    .description("the console's demo staff on the sandbox (synthetic data): passwords and current TOTP codes")
    .action(async () => (await lazy.demo()).demoAccounts(io));

  p.command('sandbox')
    .description('run the sandbox EHR alone (synthetic data): FHIR R4 + SMART + subscriptions, and a clinic simulator')
    .option('--port <port>', 'HTTP port (0 = any free one)', '8471')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--seed-dir <dir>', 'a Synthea synthea-r4 folder (default: the shared fixtures, else the built-in seed)')
    .option('--data-dir <dir>', 'keep the EHR and its clinic here across restarts (default: in memory only)')
    .option(
      '--client <id=jwks>',
      'register a SMART client: its id and a file with its public JWK set (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--scopes <scopes>', 'scopes registered clients may be granted', 'system/*.rs system/*.cu')
    .option('--clinic', 'play clinic days on it (bookings, cancels, no-shows, referrals, admissions)')
    .option('--speed <ms>', 'real milliseconds per simulated clinic hour (0 = step never)', '10000')
    .option('--seed <seed>', "the clinic simulator's seed: the same seed plays the same clinic", 'steward-demo')
    .option('--hl7-to <host:port>', "send the clinic's HL7 v2 feed to this MLLP listener")
    .action(async (o: SandboxFlags) => (await lazy.sandboxCmd()).sandbox(io, o));

  const contacts = p
    .command('contacts')
    .description('the relationships graph: people, organizations, relationships, notes');
  contacts
    .command('import <file>')
    .description(
      'migrate contacts, relationships and notes from CSV or JSON through the server; ends with a reconciliation report (exit 1 if anything was not imported); the same files again resume or file nothing twice',
    )
    .requiredOption(
      '--mapping <file>',
      'the mapping file (JSON): which column holds which field, and the relationship and note files',
    )
    .option('--site <site>', 'the site the contacts belong to (default main)')
    .option('--dry-run', 'report what the import would do, and write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: ContactsImportFlags) =>
      setExit(await (await lazy.contacts()).contactsImport(g(), file, o)),
    );
  contacts
    .command('show <id>')
    .description('a person or organization with every relationship and note')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => (await lazy.contacts()).contactsShow(g(), id, o));
  contacts
    .command('export')
    .description('export the whole graph of a site')
    .requiredOption('--format <format>', 'csv, json or fhir (a FHIR R4 Bundle)')
    .requiredOption('--out <path>', 'the file to write (0600); for csv, a directory for its three files')
    .option('--site <site>', 'the site to export (default main)')
    .action(async (o: { format: string; out: string; site?: string }) =>
      (await lazy.contacts()).contactsExport(g(), o),
    );

  p.command('recover')
    .description(
      'offline recovery when every administrator is locked out; opens the store itself: stop the server first on the embedded store',
    )
    .command('admin <username>')
    .description(
      'a new password and TOTP secret for an administrator (printed once), sign-in locks lifted; or, when no enabled administrator is left, a fresh one',
    )
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .action(async (username: string, o: RecoverFlags) => (await lazy.recover()).recoverAdmin(io, username, o));

  p.command('keys')
    .description('encryption keys')
    .command('rotate')
    .description(
      'new field data key, all data keys rewrapped; --master also makes a new master key version; opens the store itself: stop the server first on the embedded store',
    )
    .option(
      '--master',
      'rotate the master key too (key file only; for STEWARD_MASTER_KEY set the new key and pass the old as STEWARD_MASTER_KEY_PREVIOUS)',
    )
    .action(async (o: { master?: boolean }) => (await lazy.keys()).keysRotate(g(), o));
  return p;
}

/**
 * Runs one command with `args` (what follows `steward` on the command line) and answers its exit
 * code (docs/errors.md); it never exits the process. `io` is the process's own unless a caller
 * (a test) gives its own environment, streams and stored-login file.
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exit = 0;
  try {
    await program(io, (c) => (exit = c)).parseAsync([...args], { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isStewardError(e)) {
      io.stderr.write(`error [${e.code}]: ${e.message}\n`);
      for (const d of e.details) io.stderr.write(`  - ${d.path ?? ''}: ${d.message}\n`);
      return e.exitCode;
    }
    // A port taken by another program is the operator's to fix, not a bug: say which and how. Exit 8,
    // like any resource Steward needs and cannot have (docs/errors.md).
    const sys = e as { code?: unknown; address?: unknown; port?: unknown };
    if (sys.code === 'EADDRINUSE' || sys.code === 'EACCES') {
      io.stderr.write(
        `error [${sys.code}]: cannot listen on ${String(sys.address)}:${String(sys.port)} (${sys.code === 'EADDRINUSE' ? 'another program uses it' : 'not permitted'}): ` +
          'stop that program, or choose other ports with STEWARD_PORT, STEWARD_SANDBOX_PORT and STEWARD_SANDBOX_MLLP_PORT\n',
      );
      return 8;
    }
    io.stderr.write(`unexpected error (a bug: please report it): ${e instanceof Error ? e.name : typeof e}\n`);
    if (io.env['STEWARD_DEBUG'] === '1' && e instanceof Error) io.stderr.write(`${e.stack ?? ''}\n`);
    return 10;
  }
}
