/**
 * @module The executor: carries out one write (or one chart read) on an EHR's screens from its
 * screen map alone, in a fresh, isolated browser context that carries only the cookies of the
 * connection's signed-in session (one sign-in serves many runs, as a person's does: signing in per
 * run would spend a one-time code per run, and an EHR accepts one every 30 seconds). Before every action it identifies the
 * screen; an unexpected one halts with no input event, a login screen is signed into only by the
 * explicit re-login step, after which the run resumes from its last verified step (the chart) and,
 * if a submit had been sent, looks for the record before sending anything again. Every step is
 * reported to the run's recorder. A run ends in one outcome: done, or halted with a stable reason.
 *
 * Known limits: dropdowns are native `<select>`s; network isolation covers HTTP(S) requests (what
 * `context.route` sees), not WebSockets; a login screen's one-time code waits for the next 30-second
 * step when the previous code was used in the same one.
 */
import { errors, type Browser, type BrowserContext } from 'playwright-core';
import type { CredentialSource, RunOutcome, RunPatient, RunRecorder } from '../model/run.js';
import type { ScreenMap } from '../model/screen-map.js';
import { RunHalt, RunSession, SessionExpired } from './session.js';
import { Semaphore } from './semaphore.js';
import { bannerIdentifiers, checkBanner, openPatient, relogin, SharedSignIn, type SignIn } from './patient.js';
import { writeForm, type WriteJob, type WrittenRecord } from './write-form.js';
import { readRows, type ReadRow } from './read-rows.js';
import type { EhrIdentifier } from '@steward/core';

export interface ExecutorOptions {
  readonly credentials: CredentialSource;
  /** Concurrent runs per connection (each a browser context). Default 2. */
  readonly maxRunsPerConnection?: number;
  /** A run's time limit, queueing excluded (ms). Default 120 000. */
  readonly runTimeoutMs?: number;
  /** One browser action's time limit (ms). Default 15 000. */
  readonly stepTimeoutMs?: number;
  /** How long a screen may take to become the expected one after an action (ms). Default 2 000. */
  readonly settleMs?: number;
  /** A screenshot after every step (default true). */
  readonly screenshots?: boolean;
  /** The screenshots' format: JPEG (quality 75; the default) or PNG. */
  readonly screenshotFormat?: 'jpeg' | 'png';
  readonly now?: () => Date;
  /**
   * How long a signed-in session is reused by the connection's next runs (ms). Default 900 000
   * (15 min); 0 signs every run in afresh. Each run still has its own context: only cookies carry.
   */
  readonly sessionReuseMs?: number;
  /** Called with each run's fresh context before its page opens (tests count input events with it). */
  readonly onContext?: (context: BrowserContext) => Promise<void>;
}

export interface RunRequest {
  readonly runId: string;
  readonly map: ScreenMap;
  readonly recorder: RunRecorder;
}

export interface WriteResult {
  readonly outcome: RunOutcome;
  /** When done: the record as the confirmation screen shows it, and whether this run created it. */
  readonly record?: WrittenRecord;
}

export interface PatientReadResult {
  readonly outcome: RunOutcome;
  /** When done: the identifiers the chart's banner shows. */
  readonly identifiers?: readonly EhrIdentifier[];
}

export interface ScreenReadResult {
  readonly outcome: RunOutcome;
  /** When done: the table's rows, cells by column key (`@href` / `@href:<key>`: the row's and cells' links). */
  readonly rows?: readonly ReadRow[];
}

export class ScreenExecutor {
  private readonly gates = new Map<string, Semaphore>();
  /** Sign-ins by connection and site (an account may differ per site). */
  private readonly signIns = new Map<string, SharedSignIn>();
  private readonly o: Required<Omit<ExecutorOptions, 'onContext'>> & Pick<ExecutorOptions, 'onContext'>;

  constructor(
    private readonly browser: Browser,
    options: ExecutorOptions,
  ) {
    this.o = {
      maxRunsPerConnection: 2,
      runTimeoutMs: 120_000,
      stepTimeoutMs: 15_000,
      settleMs: 2_000,
      screenshots: true,
      screenshotFormat: 'jpeg',
      sessionReuseMs: 900_000,
      now: () => new Date(),
      ...options,
    };
  }

  /** Runs in progress and the most seen at once, per connection. */
  load(connectionId: string): { readonly running: number; readonly peak: number } {
    const g = this.gates.get(connectionId);
    return { running: g?.running ?? 0, peak: g?.peak ?? 0 };
  }

  /**
   * Drops the signed-in session of a connection at a site: its next run signs in afresh (called
   * when the credentials there change, so a replaced password or account takes effect at once).
   */
  signOut(connectionId: string, site: string): void {
    this.signIns.get(`${connectionId}\n${site}`)?.forget();
  }

  /** Fills and submits one form for one patient; see the module comment for the guarantees. */
  async write(request: RunRequest & WriteJob): Promise<WriteResult> {
    let record: WrittenRecord | undefined;
    const outcome = await this.run(request, async (s, sign) => {
      const state = { chartUrl: undefined as string | undefined, lookedUp: false };
      for (;;) {
        try {
          record = await writeForm(s, request, state);
          return;
        } catch (e) {
          if (!(e instanceof SessionExpired)) throw e;
          await relogin(s, sign, e.screen);
        }
      }
    });
    return record === undefined ? { outcome } : { outcome, record };
  }

  /** Opens a patient's chart and reads the identifiers its banner shows (no input but the search). */
  async readPatient(request: RunRequest & { readonly patient: RunPatient }): Promise<PatientReadResult> {
    let identifiers: EhrIdentifier[] | undefined;
    const outcome = await this.run(request, async (s, sign) => {
      for (;;) {
        try {
          await openPatient(s, request.patient);
          identifiers = await s.step('read', 'banner', async () => {
            const shown = await bannerIdentifiers(s);
            return { result: shown, value: shown.map((i) => `${i.system}|${i.value}`).join('\n') };
          });
          return;
        } catch (e) {
          if (!(e instanceof SessionExpired)) throw e;
          await relogin(s, sign, e.screen);
        }
      }
    });
    return identifiers === undefined ? { outcome } : { outcome, identifiers };
  }

  /**
   * Reads one of the map's screen reads (a day's schedule, a task list) into rows keyed by its
   * columns: navigation and the day field only, nothing written. A session that expires mid-read
   * signs in again and reads from the start.
   */
  async read(request: RunRequest & { readonly readId: string; readonly day?: string }): Promise<ScreenReadResult> {
    let rows: ReadRow[] | undefined;
    const outcome = await this.run(request, async (s, sign) => {
      for (;;) {
        try {
          rows = await readRows(s, request.readId, request.day);
          return;
        } catch (e) {
          if (!(e instanceof SessionExpired)) throw e;
          await relogin(s, sign, e.screen);
        }
      }
    });
    return rows === undefined ? { outcome } : { outcome, rows };
  }

  /** The wrong-chart check alone, on a chart already open (exported for the channel's reads). */
  static readonly checkBanner = checkBanner;

  /**
   * One isolated run: waits for a place under the connection's cap, opens a fresh context limited
   * to the map's origin (no downloads, no service workers, no stored state), enforces the time
   * limits, and turns every way a run can stop into one outcome.
   */
  private async run(request: RunRequest, body: (s: RunSession, sign: SignIn) => Promise<void>): Promise<RunOutcome> {
    const { map } = request;
    let gate = this.gates.get(map.connectionId);
    if (gate === undefined) {
      gate = new Semaphore(this.o.maxRunsPerConnection);
      this.gates.set(map.connectionId, gate);
    }
    const release = await gate.acquire();
    const signInKey = `${map.connectionId}\n${map.site}`;
    let shared = this.signIns.get(signInKey);
    if (shared === undefined) {
      shared = new SharedSignIn(this.o.sessionReuseMs);
      this.signIns.set(signInKey, shared);
    }
    const signedIn = shared.current();
    const sign: SignIn = {
      credentials: this.o.credentials,
      now: this.o.now,
      count: 0,
      shared,
      seen: signedIn !== undefined ? shared.version : -1,
    };
    let context: BrowserContext | undefined;
    let session: RunSession | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      context = await this.browser.newContext({
        acceptDownloads: false,
        serviceWorkers: 'block',
        viewport: { width: 1280, height: 800 },
        locale: 'en-GB',
        ...(signedIn !== undefined ? { storageState: signedIn } : {}),
      });
      context.setDefaultTimeout(this.o.stepTimeoutMs);
      context.setDefaultNavigationTimeout(this.o.stepTimeoutMs);
      if (this.o.onContext !== undefined) await this.o.onContext(context);
      const page = await context.newPage();
      const s = new RunSession(request.runId, page, context, map, request.recorder, {
        settleMs: this.o.settleMs,
        screenshots: this.o.screenshots,
        screenshotFormat: this.o.screenshotFormat,
        stepTimeoutMs: this.o.stepTimeoutMs,
      });
      session = s;
      const origin = new URL(map.origin).origin;
      await context.route('**/*', async (route) => {
        const req = route.request();
        let from = '';
        try {
          from = new URL(req.url()).origin;
        } catch {
          /* not a URL: refused */
        }
        if (from === origin) return route.continue();
        s.refused++;
        if (req.isNavigationRequest() && req.frame() === page.mainFrame()) s.refusedNavigation = from;
        return route.abort('blockedbyclient');
      });
      page.on('crash', () => {
        s.crashed = true;
      });
      const ctx = context;
      timer = setTimeout(() => {
        s.timedOut = true;
        void ctx.close().catch(() => undefined);
      }, this.o.runTimeoutMs);
      // A run without a session starts at home, where it signs in. One that carries a session goes
      // straight to its first screen: identifying that screen finds an expired session (a login
      // screen in its place) as home would, and the body signs in again from there.
      if (signedIn === undefined) {
        try {
          await s.step('navigate', 'home', async () => {
            await gotoOrRefuse(s, new URL(map.home, map.origin).href);
            await s.expect(map.screens.filter((x) => x.kind === 'work').map((x) => x.id));
            return { result: undefined };
          });
        } catch (e) {
          if (!(e instanceof SessionExpired)) throw e;
          await relogin(s, sign, e.screen);
        }
      }
      await body(s, sign);
      return { status: 'done', steps: s.steps };
    } catch (e) {
      const halt = this.browser.isConnected()
        ? asHalt(e, session)
        : new RunHalt('browser-crashed', 'the browser is gone');
      if (session !== undefined && !session.haltRecorded) await session.halted(halt).catch(() => undefined);
      return {
        status: 'halted',
        reason: halt.reason,
        detail: halt.detail,
        steps: session?.steps ?? 0,
        submitted: session?.submitted ?? false,
      };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      // Still signed in at the end: the session (its cookies perhaps renewed) serves the next run.
      if (context !== undefined && session?.screen?.kind === 'work' && !session.timedOut && !session.crashed) {
        const renewed = await context.storageState().catch(() => undefined);
        if (renewed !== undefined) shared.renewed(renewed, sign.seen);
      }
      await context?.close().catch(() => undefined);
      release();
    }
  }
}

/** Navigation refused by the origin rule is a halt of its own (the page shows a browser error). */
async function gotoOrRefuse(s: RunSession, url: string): Promise<void> {
  try {
    await s.page.goto(url);
  } catch (e) {
    s.check();
    if (s.refusedNavigation !== undefined)
      throw new RunHalt('origin-refused', `navigation refused: ${s.refusedNavigation} is not the EHR's origin`);
    throw e;
  }
}

/** Whatever stopped the run, as a halt with a stable reason and a detail without PHI. */
function asHalt(e: unknown, s: RunSession | undefined): RunHalt {
  if (s?.timedOut === true) return new RunHalt('timed-out', 'the run took longer than its time limit');
  if (s?.crashed === true) return new RunHalt('browser-crashed', 'the page crashed');
  if (e instanceof RunHalt) return e;
  if (e instanceof SessionExpired) return new RunHalt('login-failed', `still on ${e.screen} after signing in`);
  if (e instanceof errors.TimeoutError) return new RunHalt('timed-out', 'a step took longer than its time limit');
  if (s?.refusedNavigation !== undefined)
    return new RunHalt('origin-refused', `navigation refused: ${s.refusedNavigation} is not the EHR's origin`);
  // A browser error's message can quote the page: only its kind is kept.
  const kind = e instanceof Error ? e.name : 'error';
  return new RunHalt('unexpected-screen', `the page did not respond as the map expects (${kind})`);
}
