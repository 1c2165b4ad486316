/**
 * @module Bench-only: throughput and memory of the screen executor (see automation.bench.ts).
 * Throughput: verified field entries per second and per CPU second (the browser's process tree
 * plus node's own `process.cpuUsage()`; the EHR runs in another process, reported apart), against a
 * bare Playwright script filling the same form in the same run. Memory: PSS of the browser's tree
 * with N contexts open on a signed-in chart, minus the browser with none.
 */
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '@steward/governance';
import type { RequestContext } from '@steward/core';
import type { GovernedEhr } from '@steward/ehr';
import type { RunRecorder, ScreenExecutor, ScreenMap, StepRecord } from '@steward/automation';
import { guardOf, webUser, type SeededPatient } from './automation-kit.js';
import { writeJob, type Job, type Written } from './automation-proof.js';
import { treeCpuSeconds, treeMemoryMb } from './process-tree.js';
import { median } from './harness.js';

export interface Sample {
  readonly entries: number;
  readonly wallS: number;
  /** Browser tree + node. */
  readonly cpuS: number;
  readonly browserCpuS: number;
  readonly nodeCpuS: number;
  readonly ehrCpuS: number;
  readonly failed: number;
}

/** Runs `fn` (which returns the entries it verified and how many writes failed) and measures it. */
export async function sample(
  browserPid: number,
  ehrPid: number,
  fn: () => Promise<{ entries: number; failed: number }>,
): Promise<Sample> {
  const b0 = treeCpuSeconds(browserPid);
  const e0 = treeCpuSeconds(ehrPid);
  const n0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { entries, failed } = await fn();
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const n = process.cpuUsage(n0);
  const nodeCpuS = (n.user + n.system) / 1e6;
  const browserCpuS = treeCpuSeconds(browserPid) - b0;
  return {
    entries,
    failed,
    wallS,
    browserCpuS,
    nodeCpuS,
    cpuS: browserCpuS + nodeCpuS,
    ehrCpuS: treeCpuSeconds(ehrPid) - e0,
  };
}

/** Writes `jobs` through the governed writer, `concurrency` at a time; entries = fields filled and read back equal. */
export async function executorRound(
  governed: GovernedEhr,
  iface: RequestContext,
  jobs: readonly Job[],
  concurrency: number,
): Promise<{ entries: number; failed: number }> {
  const queue = [...jobs];
  const done: Written[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let j = queue.shift(); j !== undefined; j = queue.shift()) done.push(await writeJob(governed, iface, j));
    }),
  );
  let entries = 0;
  let failed = 0;
  for (const w of done) {
    const run = w.tag.runs.at(-1);
    if (w.outcome === undefined || run?.outcome?.status !== 'done') {
      failed++;
      continue;
    }
    entries += run.steps.filter((s) => s.action === 'fill' && s.outcome === 'ok').length;
  }
  return { entries, failed };
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** The north clinic's date format (MM/dd/yyyy), as its form takes it. */
const northDate = (iso: string): string => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

async function signIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/web/north/login`);
  await page.getByLabel('Username').fill(webUser.username);
  await page.getByLabel('Password').fill(webUser.password);
  await page.getByLabel('Verification code').fill(totpCode(webUser.totpSecret, new Date()));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/web\/north\/patients/);
}

/** The same form, filled and submitted by a bare script: no identification, no read-back, no record. */
async function bareWrite(page: Page, origin: string, job: Job): Promise<number> {
  await page.goto(`${origin}/web/north/patients/${job.patient.id}/tasks/new`);
  await page.getByLabel('Description').fill(job.description);
  await page.getByLabel('Priority').selectOption({ value: job.priority });
  let entries = 2;
  if (job.due !== undefined) {
    await page.getByLabel('Due date').fill(northDate(job.due));
    entries++;
  }
  if (job.note !== undefined) {
    await page.getByLabel('Note').fill(job.note);
    entries++;
  }
  await page.getByLabel('External reference').fill(job.key);
  await page.getByRole('button', { name: 'Save task' }).click();
  await page.waitForURL(/\/web\/north\/tasks\/[^/?]+\?saved=1/);
  return entries + 1;
}

/**
 * The baseline: `jobs` filled and submitted by Playwright alone, `concurrency` pages at a time. With
 * `isolated`, each write gets a fresh context and signs in first (what the executor's isolation
 * costs); otherwise one context signed in once serves every write of its lane.
 */
export async function bareRound(
  browser: Browser,
  origin: string,
  jobs: readonly Job[],
  concurrency: number,
  isolated: boolean,
): Promise<{ entries: number; failed: number }> {
  const queue = [...jobs];
  let entries = 0;
  let failed = 0;
  const options = { viewport: { width: 1280, height: 800 }, locale: 'en-GB' };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let context = isolated ? undefined : await browser.newContext(options);
      let page = context === undefined ? undefined : await context.newPage();
      if (page !== undefined) await signIn(page, origin);
      for (let j = queue.shift(); j !== undefined; j = queue.shift()) {
        try {
          if (isolated) {
            context = await browser.newContext(options);
            page = await context.newPage();
            await signIn(page, origin);
          }
          entries += await bareWrite(page as Page, origin, j);
        } catch {
          failed++;
        } finally {
          if (isolated) await context?.close();
        }
      }
      if (!isolated) await context?.close();
    }),
  );
  return { entries, failed };
}

/** A recorder that holds its run at the banner read (the chart open, signed in) until released. */
class HoldAtChart implements RunRecorder {
  readonly reached: Promise<void>;
  private arrive: () => void = () => undefined;
  private release: () => void = () => undefined;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  constructor() {
    this.reached = new Promise<void>((r) => (this.arrive = r));
  }
  async step(s: StepRecord): Promise<void> {
    if (s.action !== 'read' || s.outcome !== 'ok') return;
    this.arrive();
    await this.gate;
  }
  open(): void {
    this.release();
  }
}

async function settledMemory(browserPid: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 300));
    xs.push(treeMemoryMb(browserPid));
  }
  return median(xs);
}

/**
 * Memory of the browser's tree with `n` of the executor's own runs (fresh contexts, signed in, the
 * chart open) held open at once, for each n; and with none before and after.
 */
export async function memoryByContexts(
  executor: ScreenExecutor,
  browserPid: number,
  map: ScreenMap,
  patients: readonly SeededPatient[],
  counts: readonly number[],
): Promise<{ none: number[]; open: Map<number, number>; halted: number }> {
  const none = [await settledMemory(browserPid)];
  const open = new Map<number, number>();
  let halted = 0;
  for (const n of counts) {
    const holds = Array.from({ length: n }, () => new HoldAtChart());
    const runs = holds.map((h, i) => {
      const p = patients[i % patients.length] as SeededPatient;
      return executor.readPatient({
        runId: `memory-${n}-${i}`,
        map,
        recorder: h,
        patient: { ehrId: p.id, identifiers: guardOf(p) },
      });
    });
    // A run that halts never reaches the chart: it ends instead (counted, not waited for).
    await Promise.all(holds.map((h, i) => Promise.race([h.reached, runs[i]])));
    open.set(n, await settledMemory(browserPid));
    for (const h of holds) h.open();
    for (const r of await Promise.all(runs)) if (r.outcome.status !== 'done') halted++;
    // Renderers exit a moment after their context closes.
    await new Promise((r) => setTimeout(r, 500));
  }
  none.push(await settledMemory(browserPid));
  return { none, open, halted };
}

export function fmtS(s: number): string {
  return `${Math.floor(s / 60)}:${pad(Math.round(s % 60))}`;
}
