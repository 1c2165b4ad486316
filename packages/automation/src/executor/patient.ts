/**
 * @module The steps every run shares: signing in again (the only step that ever types into a login
 * screen), opening a patient's chart by an identifier, and the wrong-chart guard — the patient
 * banner on screen must show two of the run patient's identifiers, and none that contradicts them.
 */
import { totpCode } from '@steward/governance';
import type { EhrIdentifier } from '@steward/core';
import type { CredentialSource, RunPatient, ScreenCredentials } from '../model/run.js';
import { RunHalt, SessionExpired, type RunSession } from './session.js';
import { describe, locate } from './names.js';
import { readLabelled, readTable } from './screen-read.js';
import type { ElementSpec } from '../model/screen-map.js';
import type { BrowserContext, Locator } from 'playwright-core';
import { Semaphore } from './semaphore.js';

/**
 * A connection's sign-in at one site, shared by its runs: the signed-in session's cookies (in memory
 * only, never stored or logged; dropped when a sign-in fails and unused once older than the reuse
 * limit, so a changed credential takes effect), the last one-time code's step (a code is good once,
 * whichever run used it), and one sign-in at a time.
 */
export class SharedSignIn {
  #state: StorageState | undefined;
  #savedAt = 0;
  /** Bumped by each sign-in: a run knows whether the session it carries is the latest. */
  version = 0;
  lastStep: number | undefined;
  readonly lock = new Semaphore(1);

  constructor(private readonly reuseMs: number) {}

  /** The session to start a run in, if one is young enough to reuse. */
  current(): StorageState | undefined {
    return this.#state !== undefined && Date.now() - this.#savedAt < this.reuseMs ? this.#state : undefined;
  }

  signedIn(state: StorageState): void {
    this.#state = state;
    this.#savedAt = Date.now();
    this.version++;
  }

  /** The same session after a run (its cookies may have been renewed): not a new sign-in. */
  renewed(state: StorageState, version: number): void {
    if (version === this.version && this.#state !== undefined) this.#state = state;
  }

  forget(): void {
    this.#state = undefined;
    this.version++;
  }
}

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Where a run signs in: its credentials (opened once per run, if it has to sign in at all). */
export interface SignIn {
  readonly credentials: CredentialSource;
  readonly now: () => Date;
  readonly shared: SharedSignIn;
  /** The shared session's version this run's context carries (-1: none). */
  seen: number;
  opened?: ScreenCredentials;
  count: number;
}

/** The 30-second TOTP step `at` falls in (RFC 6238). */
const totpStep = (at: Date): number => Math.floor(at.getTime() / 30_000);

/** Most sign-ins one run makes (the first, and re-logins after expiries). */
const maxSignIns = 3;

/** The element a spec names on the current page: exactly one, or the run halts naming it. */
export async function one(s: RunSession, spec: ElementSpec): Promise<Locator> {
  const found = await locate(s.page, spec);
  const n = await found.count();
  if (n === 0) throw new RunHalt('missing-element', `not on screen: ${describe(spec)}`);
  if (n > 1) throw new RunHalt('missing-element', `not unique on screen: ${describe(spec)} (${n} match)`);
  return found;
}

/**
 * The explicit re-login step: the page must be the map's login screen (or a session-expired screen,
 * from which the home page leads to it). Types the automation account's credentials and a fresh
 * one-time code, then expects a work screen; still on a login screen means the sign-in failed.
 */
export async function relogin(s: RunSession, sign: SignIn, expired: string): Promise<void> {
  if (++sign.count > maxSignIns)
    throw new RunHalt('login-failed', `signed in ${maxSignIns} times in one run; stopping`);
  const release = await sign.shared.lock.acquire();
  try {
    if (await joined(s, sign)) return;
    await signIn(s, sign, expired);
  } catch (e) {
    if (e instanceof RunHalt && e.reason === 'login-failed') sign.shared.forget();
    throw e;
  } finally {
    release();
  }
}

/** The work screens: where a signed-in session lands. */
const workScreens = (s: RunSession): string[] => s.map.screens.filter((x) => x.kind === 'work').map((x) => x.id);

/**
 * Another run signed in while this one waited for its turn: this run takes that session (its
 * cookies) and goes home, typing nothing. False when there is none newer, or it is already gone.
 */
async function joined(s: RunSession, sign: SignIn): Promise<boolean> {
  const state = sign.shared.current();
  if (state === undefined || sign.seen === sign.shared.version) return false;
  sign.seen = sign.shared.version;
  return s.step('navigate', 'home', async () => {
    await s.context.addCookies(state.cookies);
    await s.page.goto(new URL(s.map.home, s.map.origin).href);
    try {
      await s.expect(workScreens(s));
      return { result: true, detail: 'in the session another run signed in' };
    } catch (e) {
      if (e instanceof SessionExpired) return { result: false };
      throw e;
    }
  });
}

async function signIn(s: RunSession, sign: SignIn, expired: string): Promise<void> {
  const login = s.map.login;
  await s.step('relogin', login.screen, async () => {
    // A session-expired screen without the sign-in form: the home page leads to the login screen.
    if (expired !== login.screen) await s.page.goto(new URL(s.map.home, s.map.origin).href);
    await s.expect([login.screen]);
    sign.opened ??= await sign.credentials.forRun(s.runId, s.map.connectionId, s.map.site);
    const c = sign.opened;
    await s.fill(await one(s, login.username), c.username);
    await s.fill(await one(s, login.password), c.password);
    if (login.code !== undefined) {
      if (c.totpSecret === undefined)
        throw new RunHalt('login-failed', 'the EHR asks for a one-time code and no TOTP secret is sealed');
      // A code is good once: wait for the next 30-second step rather than replaying one.
      const shared = sign.shared;
      while (shared.lastStep !== undefined && totpStep(sign.now()) <= shared.lastStep) {
        s.check();
        await new Promise((r) => setTimeout(r, 250));
      }
      const at = sign.now();
      shared.lastStep = totpStep(at);
      await s.fill(await one(s, login.code), totpCode(c.totpSecret, at));
    }
    await s.click(await one(s, login.submit));
    try {
      await s.expect(workScreens(s));
    } catch (e) {
      if (e instanceof SessionExpired)
        throw new RunHalt('login-failed', 'the EHR refused the automation account sign-in');
      throw e;
    }
    sign.shared.signedIn(await s.context.storageState());
    sign.seen = sign.shared.version;
    return { result: undefined, detail: `signed in after ${expired}` };
  });
}

/** Opens the patient's chart from the search screen by the map's identifier system. */
export async function openPatient(s: RunSession, patient: RunPatient): Promise<string> {
  const search = s.map.patientSearch;
  const contract = s.map.screens.find((x) => x.id === search.screen);
  if (contract === undefined) throw new RunHalt('missing-element', `the map has no screen ${search.screen}`);
  const id = patient.identifiers.find((i) => i.system === search.system);
  if (id === undefined)
    throw new RunHalt('wrong-patient', 'the patient has no identifier of the system the EHR is searched by');
  await s.step('navigate', search.screen, async () => {
    if (/[:*(]/.test(contract.path))
      throw new RunHalt('missing-element', 'the patient search screen has no fixed address');
    await s.page.goto(new URL(contract.path, s.map.origin).href);
    await s.expect([search.screen]);
    return { result: undefined };
  });
  await s.step('open-patient', search.system, async () => {
    // Identified at the end of the last step, nothing done since: it stands while unchanged.
    await s.expect([search.screen], { reuse: true });
    await s.fill(await one(s, search.field), id.value);
    await s.click(await one(s, search.submit));
    const at = await s.expect([search.chart, search.screen]);
    if (at.id === search.chart) return { result: undefined, value: id.value };
    // A results list: the one row (or list item) showing the identifier, opened by its link's
    // address (no click) or, for a row with a button only, by clicking it.
    const found = await s.page.evaluate((v: string) => {
      const esc = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');
      const shows = new RegExp(`(?:^|[\\s:#(])${esc}(?:$|[\\s)·|,;])`, 'i');
      const rows = [...document.querySelectorAll('tr, [role=row], li, [role=listitem]')].filter((r) =>
        shows.test(((r as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim()),
      );
      // A list item inside a matching row (or the reverse) is the same result.
      const results = rows.filter((r) => !rows.some((o) => o !== r && r.contains(o)));
      results.forEach((r, i) => r.setAttribute('data-steward-result', String(i)));
      return results.map((r) => r.querySelector<HTMLAnchorElement>('a[href]')?.href ?? '');
    }, id.value);
    if (found.length !== 1 || found[0] === undefined)
      throw new RunHalt('wrong-patient', `patient search did not give exactly one result (${found.length})`);
    if (found[0] !== '') await s.page.goto(found[0]);
    else await s.click(s.page.locator('[data-steward-result="0"]').getByRole('button').first());
    await s.expect([search.chart]);
    return { result: undefined, value: id.value };
  });
  return s.page.url();
}

/** Halts `wrong-patient` unless the banner shows two of the patient's identifiers and none that differ. */
export async function checkBanner(s: RunSession, patient: RunPatient): Promise<void> {
  await s.step('check-banner', 'banner', async () => {
    const shown = await bannerIdentifiers(s);
    const { matched, contradicted } = compareIdentifiers(shown, patient.identifiers);
    const value = shown.map((i) => `${i.system}|${i.value}`).join('\n');
    if (contradicted > 0 || matched < 2)
      throw new RunHalt(
        'wrong-patient',
        `the patient banner matches ${matched} of the patient's identifiers${contradicted > 0 ? ` and contradicts ${contradicted}` : ''} (2 needed)`,
      );
    return { result: undefined, value, detail: `${matched} identifiers match` };
  });
}

/** The identifiers the banner shows, by the map's labels. */
export async function bannerIdentifiers(s: RunSession): Promise<EhrIdentifier[]> {
  const banner = s.map.banner;
  const region = await locate(s.page, banner.region);
  if ((await region.count()) !== 1) throw new RunHalt('missing-element', `not on screen: ${describe(banner.region)}`);
  const values = await readLabelled(
    region,
    banner.identifiers.map((i) => [i.label]),
  );
  const shown: EhrIdentifier[] = [];
  banner.identifiers.forEach((i, n) => {
    const v = values[n];
    if (v !== undefined) shown.push({ system: i.system, value: v });
  });
  return shown;
}

export function compareIdentifiers(
  shown: readonly EhrIdentifier[],
  expected: readonly EhrIdentifier[],
): { matched: number; contradicted: number } {
  const loose = (v: string): string => v.replace(/\s+/g, '').toLowerCase();
  let matched = 0;
  let contradicted = 0;
  for (const e of expected) {
    const on = shown.find((x) => x.system === e.system);
    if (on === undefined) continue;
    if (loose(on.value) === loose(e.value)) matched++;
    else contradicted++;
  }
  return { matched, contradicted };
}

/** Finds rows of a map's screen read (from the chart) whose `column` shows `value`: their links. */
export async function lookupRows(s: RunSession, readId: string, column: string, value: string): Promise<string[]> {
  const read = s.map.reads?.find((r) => r.id === readId);
  if (read === undefined) throw new RunHalt('missing-element', `the map has no screen read ${readId}`);
  for (const link of read.open) {
    await s.page.waitForLoadState('load');
    const target = await one(s, link);
    const href = await target.getAttribute('href');
    // Links are followed by address (no input event); buttons are clicked.
    if (href !== null) await s.page.goto(new URL(href, s.page.url()).href);
    else await s.click(target);
  }
  await s.expect([read.screen]);
  const table = await one(s, read.table);
  const { rows, missing } = await readTable(
    table,
    read.columns.map((c) => ({ key: c.key, headers: [c.header, ...(c.synonyms ?? [])] })),
  );
  if (missing.includes(column)) {
    const c = read.columns.find((x) => x.key === column);
    throw new RunHalt('missing-element', `column not on screen: ${c?.header ?? column}`);
  }
  return rows.filter((r) => (r[column] ?? '').trim() === value.trim()).map((r) => r['@href'] ?? '');
}
