/**
 * @module One run's browser session: its page, the screen identified before every action, the
 * input events dispatched (every fill, click, selection and key press goes through here, so a halt
 * can prove it typed nothing), and each step reported to the run's recorder with a PNG of the page.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
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
}

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
  private index = 0;

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
  async expect(ids: readonly string[]): Promise<ScreenContract> {
    const deadline = Date.now() + this.options.settleMs;
    // Each look identifies the whole screen (a dozen accessibility queries): look again soon after a
    // navigation, then less often, so a screen that never comes costs a few looks, not fifty.
    let pause = 40;
    for (;;) {
      this.check();
      await this.page.waitForLoadState('load').catch(() => undefined);
      let found: Awaited<ReturnType<typeof identify>> | undefined;
      try {
        found = await identify(this.page, this.map);
      } catch {
        found = undefined; // the page navigated while it was being read: look again
      }
      const one = found?.matches.length === 1 ? found.matches[0] : undefined;
      this.screen = one;
      this.groups = one !== undefined ? (found?.groups ?? {}) : {};
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
      ...(screenshot !== undefined ? { screenshot } : {}),
      inputEvents: s.inputs,
      startedAt: s.startedAt.toISOString(),
      durationMs: Date.now() - s.startedAt.getTime(),
      outcome: s.outcome,
      ...(s.detail !== undefined ? { detail: s.detail } : {}),
    };
    await this.recorder.step(record);
  }

  private async screenshot(): Promise<Uint8Array | undefined> {
    if (!this.options.screenshots || this.crashed || this.timedOut || this.page.isClosed()) return undefined;
    // The context's step time limit applies: a loaded machine may take seconds to paint.
    const shoot = async () => new Uint8Array(await this.page.screenshot({ type: 'png', scale: 'css' }));
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
