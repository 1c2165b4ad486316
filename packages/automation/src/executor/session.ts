/**
 * @module One run's browser session: its page, the screen identified before every action, the
 * input events dispatched (every fill, click, selection and key press goes through here, so a halt
 * can prove it typed nothing), and each step reported to the run's recorder with an image of the page
 * (JPEG by default).
 */
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import type { HaltReason, RunRecorder, StepAction, StepRecord } from '../model/run.js';
import type { ScreenContract, ScreenMap } from '../model/screen-map.js';
import { identify } from './identify.js';

/** The run stops here, with a stable reason and a detail without PHI. */
export class RunHalt extends Error {
  constructor(
    readonly reason: HaltReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'RunHalt';
  }
}

/** The EHR showed its login (or session-expired) screen where a work screen was expected. */
export class SessionExpired extends Error {
  constructor(readonly screen: string) {
    super(`session expired: ${screen}`);
    this.name = 'SessionExpired';
  }
}

export interface SessionOptions {
  /** How long a screen may take to become the expected one after an action (ms). */
  readonly settleMs: number;
  readonly screenshots: boolean;
  /** JPEG (quality 75, the default) or PNG. */
  readonly screenshotFormat?: 'jpeg' | 'png';
  /** A screenshot's time limit (ms; the step limit). Default 15 000. */
  readonly stepTimeoutMs?: number;
}

/**
 * JPEG quality of step screenshots: text at 1280×800 stays legible for a replay, and encoding,
 * sealing and storing cost a fraction of a PNG's (docs/benchmarks.md, stop 29).
 */
const JPEG_QUALITY = 75;

export class RunSession {
  /** Input events dispatched to the page so far. */
  inputs = 0;
  /** A submit was sent: the write may have landed. */
  submitted = false;
  crashed = false;
  timedOut = false;
  /** Off-origin requests refused (counted; main-frame navigations also halt the run). */
  refused = 0;
  refusedNavigation: string | undefined;
  /** The screen identified before the current action, and its URL groups. */
  screen: ScreenContract | undefined;
  /** A halt was reported as a step (so the run's end does not report it twice). */
  haltRecorded = false;
  groups: Readonly<Record<string, string>> = {};
  /** Looks answered by the last identification because the screen provably had not changed (see `expect`). */
  reusedLooks = 0;
  private index = 0;
  /** The watch installed in the page for `screen`'s identification (undefined: none holds). */
  private watchToken: string | undefined;
  private watches = 0;
  /** The page's DevTools session, for screenshots (undefined: not Chromium, Playwright's own are used). */
  private devtools: Promise<CDPSession | undefined> | undefined;

  constructor(
    readonly runId: string,
    readonly page: Page,
    readonly context: BrowserContext,
    readonly map: ScreenMap,
    private readonly recorder: RunRecorder,
    private readonly options: SessionOptions,
  ) {}

  /** Throws the halt a crashed or timed-out run ends in, if it has. */
  check(): void {
    if (this.timedOut) throw new RunHalt('timed-out', 'the run took longer than its time limit');
    if (this.crashed) throw new RunHalt('browser-crashed', 'the page crashed');
  }

  /**
   * Waits (up to the settle time) for the page to be one of `ids`, identified by its contract.
   * A login or session-expired screen throws `SessionExpired`; anything else halts.
   */
  async expect(ids: readonly string[], options: { readonly reuse?: boolean } = {}): Promise<ScreenContract> {
    // Reusing the last identification. Identification is a function of the page's URL and its
    // document (the accessibility tree is computed from the DOM), so when the same document is
    // still shown, at the same URL, and not one node, attribute or text of it has changed since
    // the identification began, identifying again must give the same screen. The watch installed
    // before that identification proves it: a MutationObserver on the whole document (any change
    // marks it, and pending records are taken before answering), the URL it saw, and a token held
    // on the document's window (a navigation, even to the same URL, brings a new window without
    // it). Pages with content the observer cannot see (frames, shadow trees, custom elements that
    // may attach closed ones) get no watch. Not seen: a pure-CSS change of what is shown without
    // any DOM change (a `:focus` or `:checked` rule hiding an element), which is why callers opt in
    // only between the fields of one form; the submit and every screen after an action that may
    // navigate are identified afresh.
    if (options.reuse === true && this.screen !== undefined && ids.includes(this.screen.id)) {
      this.check();
      const token = this.watchToken;
      if (token !== undefined && (await this.page.evaluate(unchangedSince, { key: WATCH, token }).catch(() => false))) {
        this.reusedLooks++;
        return this.screen;
      }
    }
    this.watchToken = undefined;
    const deadline = Date.now() + this.options.settleMs;
    // Each look identifies the whole screen (a dozen accessibility queries): look again soon after a
    // navigation, then less often, so a screen that never comes costs a few looks, not fifty.
    let pause = 40;
    for (;;) {
      this.check();
      await this.page.waitForLoadState('load').catch(() => undefined);
      let found: Awaited<ReturnType<typeof identify>> | undefined;
      let watched: string | undefined;
      try {
        // The watch goes in before the page is read, so a change while it is read counts too.
        const token = `${this.runId}:${++this.watches}`;
        watched = (await this.page.evaluate(watch, { key: WATCH, token })) ? token : undefined;
        found = await identify(this.page, this.map);
      } catch {
        found = undefined; // the page navigated while it was being read: look again
      }
      const one = found?.matches.length === 1 ? found.matches[0] : undefined;
      this.screen = one;
      this.groups = one !== undefined ? (found?.groups ?? {}) : {};
      this.watchToken = one !== undefined ? watched : undefined;
      if (one !== undefined && ids.includes(one.id)) return one;
      if (one !== undefined && one.kind !== 'work') throw new SessionExpired(one.id);
      if (Date.now() >= deadline) {
        this.check();
        const expected = ids.join(' or ');
        if (this.refusedNavigation !== undefined)
          throw new RunHalt('origin-refused', `navigation refused: ${this.refusedNavigation} is not the EHR's origin`);
        if (found?.onOrigin === false)
          throw new RunHalt('unexpected-screen', `a page off the EHR's origin (expected ${expected})`);
        const n = found?.matches.length ?? 0;
        throw new RunHalt(
          'unexpected-screen',
          one !== undefined
            ? `unexpected screen: ${one.id} (expected ${expected})`
            : n > 1
              ? `ambiguous screen: ${found?.matches.map((m) => m.id).join(', ') ?? ''} all match (expected ${expected})`
              : `a screen the map does not know (expected ${expected})`,
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(0, deadline - Date.now()))));
      pause = Math.min(pause * 2, 320);
    }
  }

  async fill(target: Locator, value: string): Promise<void> {
    this.check();
    this.inputs++;
    await target.fill(value);
  }

  async click(target: Locator): Promise<void> {
    this.check();
    this.inputs++;
    await target.click();
  }

  async select(target: Locator, label: string): Promise<void> {
    this.check();
    this.inputs++;
    await target.selectOption({ label });
  }

  /**
   * Runs one step and reports it: the screen it was taken on, what it acted on (by name), the
   * value entered or read, input events, timing, a screenshot after it, and its outcome. A halt
   * inside the step is reported as the step's outcome and thrown on.
   */
  async step<T>(
    action: StepAction,
    target: string | undefined,
    act: () => Promise<{ readonly result: T; readonly value?: string; readonly detail?: string }>,
  ): Promise<T> {
    const startedAt = new Date();
    const inputsBefore = this.inputs;
    const screen = this.screen?.id;
    try {
      const done = await act();
      await this.report({
        action,
        screen,
        target,
        value: done.value,
        detail: done.detail,
        inputs: this.inputs - inputsBefore,
        startedAt,
        outcome: 'ok',
      });
      return done.result;
    } catch (e) {
      const halt = e instanceof RunHalt;
      if (halt) this.haltRecorded = true;
      const detail = halt ? e.detail : e instanceof SessionExpired ? e.message : 'the step failed';
      await this.report({
        action,
        screen,
        target,
        value: undefined,
        detail,
        inputs: this.inputs - inputsBefore,
        startedAt,
        outcome: halt ? 'halted' : 'failed',
      });
      throw e;
    }
  }

  /** Reports a halt that happened outside a step (identification before the next one). */
  async halted(halt: RunHalt): Promise<void> {
    this.haltRecorded = true;
    await this.report({
      action: 'halt',
      screen: this.screen?.id,
      target: undefined,
      value: undefined,
      detail: halt.detail,
      inputs: 0,
      startedAt: new Date(),
      outcome: 'halted',
    });
  }

  get steps(): number {
    return this.index;
  }

  private async report(s: {
    action: StepAction;
    screen: string | undefined;
    target: string | undefined;
    value: string | undefined;
    detail: string | undefined;
    inputs: number;
    startedAt: Date;
    outcome: StepRecord['outcome'];
  }): Promise<void> {
    const screenshot = await this.screenshot();
    const record: StepRecord = {
      index: this.index++,
      action: s.action,
      screen: s.screen,
      ...(s.target !== undefined ? { target: s.target } : {}),
      ...(s.value !== undefined ? { value: s.value } : {}),
      ...(screenshot !== undefined
        ? { screenshot, screenshotType: this.options.screenshotFormat === 'png' ? 'image/png' : 'image/jpeg' }
        : {}),
      inputEvents: s.inputs,
      startedAt: s.startedAt.toISOString(),
      durationMs: Date.now() - s.startedAt.getTime(),
      outcome: s.outcome,
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
    };
    await this.recorder.step(record);
  }

  /**
   * The viewport as it is painted, straight from Chromium (`Page.captureScreenshot` without a clip:
   * Playwright's own screenshot reads the layout, clips, and evaluates in every frame before and
   * after, several times the browser's work per step). Elsewhere Playwright's, with the caret left
   * as is: hiding it restyles every input, DOM mutations that would void the screen's
   * identification (see `expect`).
   */
  private async capture(): Promise<Uint8Array> {
    const png = this.options.screenshotFormat === 'png';
    this.devtools ??= this.context.newCDPSession(this.page).catch(() => undefined);
    const devtools = await this.devtools;
    if (devtools === undefined) {
      const options = png
        ? ({ type: 'png', scale: 'css', caret: 'initial' } as const)
        : ({ type: 'jpeg', quality: JPEG_QUALITY, scale: 'css', caret: 'initial' } as const);
      return new Uint8Array(await this.page.screenshot(options));
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      const { data } = await Promise.race([
        devtools.send('Page.captureScreenshot', {
          format: png ? 'png' : 'jpeg',
          ...(png ? {} : { quality: JPEG_QUALITY }),
          optimizeForSpeed: true,
        }),
        new Promise<never>((_r, reject) => {
          timer = setTimeout(() => reject(new Error('screenshot timed out')), this.options.stepTimeoutMs ?? 15_000);
        }),
      ]);
      return new Uint8Array(Buffer.from(data, 'base64'));
    } finally {
      clearTimeout(timer);
    }
  }

  private async screenshot(): Promise<Uint8Array | undefined> {
    if (!this.options.screenshots || this.crashed || this.timedOut || this.page.isClosed()) return undefined;
    // The context's step time limit applies: a loaded machine may take seconds to paint.
    const shoot = () => this.capture();
    try {
      return await shoot();
    } catch {
      // A submit's screenshot can fall inside the navigation it started (the page is between
      // documents): the screen after it is the one a replay most needs, so wait for it and try once more.
      try {
        await this.page.waitForLoadState('load');
        return await shoot();
      } catch {
        return undefined; // a page gone mid-step still gets its step recorded
      }
    }
  }
}

/** Where the page keeps the watch of the run's last identification (a non-enumerable property). */
const WATCH = '__stewardScreenWatch';

interface Watch {
  readonly token: string;
  readonly href: string;
  readonly observer: MutationObserver;
  dirty: boolean;
}

/**
 * Runs in the page: starts watching the document for any change, under `token`, replacing an
 * earlier watch. False (no watch) when the page has content a document observer cannot see.
 */
function watch({ key, token }: { key: string; token: string }): boolean {
  const w = window as unknown as Record<string, Watch | undefined>;
  w[key]?.observer.disconnect();
  delete w[key];
  if (document.querySelector('iframe, frame, object, embed') !== null) return false;
  for (const el of document.querySelectorAll('*'))
    if (el.shadowRoot !== null || el.localName.includes('-')) return false;
  const state: Watch = {
    token,
    href: location.href,
    dirty: false,
    observer: new MutationObserver(() => {
      state.dirty = true;
    }),
  };
  state.observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  Object.defineProperty(w, key, { value: state, configurable: true, enumerable: false, writable: true });
  return true;
}

/** Runs in the page: whether the watch `token` is this document's and has seen no change. */
function unchangedSince({ key, token }: { key: string; token: string }): boolean {
  const state = (window as unknown as Record<string, Watch | undefined>)[key];
  if (state?.token !== token) return false;
  if (state.observer.takeRecords().length > 0) state.dirty = true;
  return !state.dirty && state.href === location.href && document.readyState === 'complete';
}
