/**
 * @module The browser tests' world: a Steward server (on a flow test's store: PostgreSQL when the run
 * has one, else PGlite; the kernel's manual clock) serving the built console on an ephemeral port,
 * the sandbox EHR connected like a real one, staff with passwords and TOTP, and Debian's Chromium (its headless shell when installed: the executor's `launchBrowser`) driven by
 * playwright-core with a fresh, empty profile (a fresh user-data-dir each launch).
 * Without Chromium the tests are skipped with the reason named, unless STEWARD_REQUIRE_BROWSER=1
 * (CI) makes that a failure.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable, launchBrowser } from '@steward/automation';
import type { RequestContext, Role } from '@steward/core';
import { totpCode } from '@steward/governance';
import type { EhrConnection } from '@steward/ehr';
import type { ProposalDraft, ProposalPatient, ProposalSummary } from '@steward/proposals';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import { ScriptedReader } from '@steward/intake/testing';
import { connectSandboxEhr, openTestApp, principalWith, type TestApp } from '@steward/server/testing';

/** Why the browser tests cannot run here, or undefined when they can (the executor's own rule). */
export function browserSkip(): string | undefined {
  return browserUnavailable();
}

/** The world and the browser of a test file, opened together before its tests and closed after them. */
export interface ConsoleSuite {
  readonly world: ConsoleWorld;
  readonly browser: Browser;
}

/**
 * Registers the hooks that open one world and one browser for the enclosing `describe` (the server, the
 * sandbox and Chromium start once a file; each test opens its own browser context, so none sees another's
 * cookies or storage). Read `world` and `browser` from a `before` or a test, not while tests are declared.
 */
export function consoleSuite(): ConsoleSuite {
  let opened: { world: ConsoleWorld; browser: Browser } | undefined;
  before(async () => {
    const [world, browser] = await Promise.allSettled([openConsoleWorld(), launchBrowser()]);
    if (world.status === 'fulfilled' && browser.status === 'fulfilled') {
      opened = { world: world.value, browser: browser.value };
      return;
    }
    if (browser.status === 'fulfilled') await browser.value.close();
    if (world.status === 'fulfilled') await world.value.close();
    throw world.status === 'rejected' ? world.reason : (browser as PromiseRejectedResult).reason;
  });
  after(async () => {
    await opened?.browser.close();
    await opened?.world.close();
  });
  const get = (): { world: ConsoleWorld; browser: Browser } => {
    if (opened === undefined)
      throw new Error('the console suite is not open yet: read it from a before hook or a test');
    return opened;
  };
  return {
    get world() {
      return get().world;
    },
    get browser() {
      return get().browser;
    },
  };
}

export const SITE = 'north';
const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';
const PASSWORD = 'correct horse battery staple 42';
const SCOPES = ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'];

export interface Staff {
  readonly id: string;
  readonly username: string;
}

export interface ConsoleWorld {
  readonly t: TestApp;
  readonly url: string;
  readonly ehr: SandboxEhr;
  readonly connection: EhrConnection;
  /** Intake's document reader: a test scripts what reading a file gives. */
  readonly intakeReader: ScriptedReader;
  /** The EHR's own users changing the record (not Steward). */
  ehrSide(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** A person who signs in with password and TOTP; optionally break-glass eligible. */
  staff(
    username: string,
    role: Role,
    site: string,
    options?: { breakGlass?: boolean; alsoGranted?: { role: Role; site: string } },
  ): Promise<Staff>;
  /** The next TOTP code for a user: the kernel's clock moves one 30 s step, so no code is replayed. */
  nextCode(username: string): string;
  /** A synthetic patient in the EHR (optionally with a hostile narrative) and its proposal form. */
  patient(family: string, narrative?: string): Promise<ProposalPatient>;
  /** Books an appointment in the EHR and drafts a status change for it, as a workflow would. */
  draftAppointmentStatus(
    patient: ProposalPatient,
    status: string,
    extra?: Partial<ProposalDraft>,
  ): Promise<{
    appointment: Record<string, unknown>;
    proposal: ProposalSummary;
  }>;
  close(): Promise<void>;
}

export async function openConsoleWorld(): Promise<ConsoleWorld> {
  // The store of a flow test (`flowTargets`): PostgreSQL when the run has one, PGlite otherwise. On
  // PGlite the store's WebAssembly runs in this process beside the server and Playwright: a third of
  // the file's CPU (5,600 queries, most of them every request's session, grants and audit).
  const [store] = flowTargets();
  if (store === undefined) throw new Error('no store target');
  const intakeReader = new ScriptedReader();
  const t = await openTestApp(await store.open(), { intake: { reader: intakeReader } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  // The EHR keeps Steward's (manual) clock: every sign-in moves it a TOTP step (and tests move it more), which
  // against the EHR's real time would soon date Steward's SMART assertions too far ahead; tokens outlast the file.
  const ehr = await startSandboxEhr({ accessTokenTtlSeconds: 86_400, clock: t.clock });
  const ehrToken = await tokenFor(ehr, ['system/*.*']);
  const admin = await principalWith(t.kernel, 'ehr-admin', { role: 'admin' });
  const adminCtx: RequestContext = {
    actor: { kind: 'user', id: admin.id, name: 'ehr-admin', authMethod: 'api-token' },
    purposeOfUse: 'HSYSADMIN',
  };
  const connection = await connectSandboxEhr(t.kernel, ehr, adminCtx, {
    name: 'north-sandbox',
    site: SITE,
    clientId: 'steward-north',
    scopes: SCOPES,
  });
  const automation = await principalWith(t.kernel, 'referral-flow', { role: 'automation' });
  const flow: RequestContext = {
    actor: { kind: 'service', id: automation.id, name: 'referral-flow', authMethod: 'api-token' },
  };
  const secrets = new Map<string, string>();
  let patients = 0;
  const bootstrap = {
    kind: 'service',
    id: '00000000-0000-4000-8000-000000000000',
    name: 'test',
    authMethod: 'local-operator',
  } as const;

  const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fhirFetch(ehr, ehrToken, method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status}`);
    return r.json as Record<string, unknown>;
  };

  return {
    t,
    url,
    ehr,
    connection,
    intakeReader,
    ehrSide,
    async staff(username, role, site, options = {}) {
      const user = await t.kernel.bootstrap.users.create({ username, password: PASSWORD }, bootstrap);
      const enrolment = await t.kernel.bootstrap.users.startTotpEnrolment(user.id);
      await t.kernel.bootstrap.users.confirmTotp(
        user.id,
        enrolment.secret,
        totpCode(enrolment.secret, t.clock.now()),
        bootstrap,
      );
      await t.kernel.grants.add(bootstrap, {
        principalKind: 'user',
        principalId: user.id,
        role,
        site,
        workflow: '*',
        purposeOfUse: role === 'compliance_officer' ? 'HCOMPL' : 'TREAT',
      });
      if (options.alsoGranted !== undefined)
        await t.kernel.grants.add(bootstrap, {
          principalKind: 'user',
          principalId: user.id,
          role: options.alsoGranted.role,
          site: options.alsoGranted.site,
          workflow: '*',
          purposeOfUse: 'TREAT',
        });
      if (options.breakGlass === true) await t.kernel.bootstrap.users.setBreakGlassEligible(user.id, true, bootstrap);
      secrets.set(username, enrolment.secret);
      return { id: user.id, username };
    },
    nextCode(username) {
      const secret = secrets.get(username);
      if (secret === undefined) throw new Error(`no such staff: ${username}`);
      t.clock.advance(30_000);
      return totpCode(secret, t.clock.now());
    },
    async patient(family, narrative) {
      const n = ++patients;
      const identifiers = [
        { system: MRN, value: `MRN-${7000 + n}` },
        { system: ENTERPRISE, value: `E-${7000 + n}` },
      ];
      const p = await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: identifiers,
        name: [{ family, given: ['Synthetic'] }],
        birthDate: '1970-01-01',
        ...(narrative !== undefined ? { text: { status: 'generated', div: narrative } } : {}),
      });
      return { ehrId: String(p['id']), identifiers };
    },
    async draftAppointmentStatus(patient, status, extra = {}) {
      const appointment = await ehrSide('POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-12-01T14:00:00-05:00',
        end: '2026-12-01T14:30:00-05:00',
        participant: [{ actor: { reference: `Patient/${patient.ehrId}` }, status: 'accepted' }],
      });
      const id = String(appointment['id']);
      const rest = { ...appointment };
      delete rest['meta'];
      const proposal = await t.kernel.proposals.draft(flow, {
        action: 'appointment.status',
        connectionId: connection.id,
        site: SITE,
        workflow: 'no-show-follow-up',
        patient,
        target: { resourceType: 'Appointment', id },
        baseVersion: (appointment['meta'] as { versionId: string }).versionId,
        payload: { ...rest, status },
        evidence: { eventIds: [], resources: [`Appointment/${id}`, `Patient/${patient.ehrId}`], reasonCode: 'no-show' },
        ...extra,
      });
      return { appointment, proposal };
    },
    async close() {
      await t.close();
      await ehr.close();
    },
  };
}

/** Signs in through the console's first screen: username, password, TOTP code. */
export async function signIn(page: Page, world: ConsoleWorld, username: string): Promise<void> {
  await page.goto(`${world.url}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Authenticator code').fill(world.nextCode(username));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export const staffPassword = PASSWORD;

/** Where the tests leave screenshots when asked (STEWARD_SCREENSHOTS_DIR); synthetic data only. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['STEWARD_SCREENSHOTS_DIR'];
  if (dir !== undefined && dir !== '') await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** axe-core's browser build, read once: injected into pages by `expectAccessible`. */
let axeSource: string | undefined;

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and fails on any violation of
 * impact serious or critical, naming each rule, the elements (CSS selectors) and the rule's help page.
 * Evaluated through the DevTools protocol, so the console's CSP (no inline script) does not apply to it.
 * Returns the number of rules that passed, so a caller can tell an
 * empty page from a checked one.
 */
export async function expectAccessible(page: Page, label: string): Promise<number> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
    return (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    })) as { violations: AxeViolation[]; passes: { nodes: unknown[] }[] };
  });
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    const lines = serious.map(
      (v) =>
        `  ${v.id} (${String(v.impact)}): ${v.help}\n    ${v.helpUrl}\n` +
        v.nodes.map((n) => `    - ${n.target.map(String).join(' ')}`).join('\n'),
    );
    throw new Error(
      `${label}: ${String(serious.length)} serious or critical accessibility violations\n${lines.join('\n')}`,
    );
  }
  return result.passes.length;
}
