/**
 * @module Bench-only: what the automation benchmark composes — the sandbox EHR in its own process
 * (`automation-ehr.ts`), the governed objects on PGlite, and the screens channel behind
 * `GovernedEhr` exactly as the applier writes through it, with the run record (`RunService`:
 * sealed steps, audit chain). A `BenchJournal` passes every run through to the run record and keeps
 * what the proof checks: each run's steps (without the screenshot bytes), its outcome, and the input
 * events the PAGE saw (an init script, as `executor.int.test.ts` counts them), attributed to the
 * write that caused them through an `AsyncLocalStorage` tag (runs of several connections overlap).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import type { EhrIdentifier, RequestContext } from '@steward/core';
import { ServiceAccountDirectory } from '@steward/governance';
import { systemClock } from '@steward/core';
import { migrate, PgliteDatabase } from '@steward/store';
import { GovernedEhr } from '@steward/ehr';
import {
  RunService,
  type RunHandle,
  type RunJournal,
  type RunOutcome,
  type RunStart,
  type ScreenMap,
  type StepRecord,
} from '@steward/automation';
import { openBenchGovernance, type BenchGovernance } from './ehr-governance.js';

export const variantIds = ['north', 'lakeside', 'summit'] as const;
export type VariantId = (typeof variantIds)[number];
export const mrnSystem = 'http://hospital.smarthealthit.org';
export const syntheaSystem = 'https://github.com/synthetichealth/synthea';
export const externalReference = 'urn:sandbox-ehr:web:external-reference';
export const webUser = { username: 'steward-bot', password: 'bench-pass-2026', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP' };

export interface SeededPatient {
  readonly id: string;
  readonly identifier: readonly { system?: string; value?: string }[];
}

export interface BenchEhr {
  readonly url: string;
  readonly fhirBaseUrl: string;
  readonly token: string;
  readonly patients: readonly SeededPatient[];
  readonly pid: number;
  /** A `/$sandbox/web/...` control call. */
  control(method: string, what: string, body?: unknown): Promise<unknown>;
  /** Every Task the FHIR API holds (all pages). */
  tasks(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Starts `automation-ehr.js` in its own process and waits for its one line. */
export async function startEhrProcess(port: number, patients: number): Promise<BenchEhr> {
  const here = dirname(fileURLToPath(import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [join(here, 'automation-ehr.js')], {
    env: {
      ...process.env,
      BENCH_EHR_PORT: String(port),
      BENCH_EHR_PATIENTS: String(patients),
      BENCH_EHR_USER: JSON.stringify(webUser),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the EHR process ended (${code ?? 'signal'})`)));
  });
  const info = JSON.parse(line) as { url: string; fhirBaseUrl: string; token: string; patients: SeededPatient[] };
  const fhir = async (url: string): Promise<Record<string, unknown>> => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${info.token}` } });
    if (!res.ok) throw new Error(`FHIR ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  return {
    ...info,
    pid: child.pid ?? 0,
    async control(method, what, body) {
      const res = await fetch(`${info.url}/$sandbox/web/${what}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      if (!res.ok) throw new Error(`control ${what}: ${res.status}`);
      return res.json();
    },
    async tasks() {
      const out: Record<string, unknown>[] = [];
      let next: string | undefined = `${info.fhirBaseUrl}/Task?_count=500`;
      while (next !== undefined) {
        const page = await fhir(next);
        for (const e of (page['entry'] as { resource: Record<string, unknown> }[] | undefined) ?? [])
          out.push(e.resource);
        next = (page['link'] as { relation: string; url: string }[] | undefined)?.find(
          (l) => l.relation === 'next',
        )?.url;
      }
      return out;
    },
    async close() {
      const ended = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      await Promise.race([ended, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill();
    },
  };
}

/** The sandbox's map of a variant with its placeholders filled: one connection per variant. */
export function variantMap(variant: VariantId, origin: string): ScreenMap {
  const path = new URL(`../../packages/automation/maps/sandbox-${variant}.json`, import.meta.url);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as ScreenMap;
  return { ...raw, connectionId: `screens-${variant}`, site: 'main', origin };
}

/** The guard's two identifiers (MRN and Synthea's person id) of a seeded patient. */
export function guardOf(p: SeededPatient): EhrIdentifier[] {
  return [mrnSystem, syntheaSystem].map((system) => {
    const value = p.identifier.find((i) => i.system === system)?.value;
    if (value === undefined) throw new Error(`a seeded patient lacks ${system}`);
    return { system, value };
  });
}

/** One step as the proof keeps it: the record without the screenshot's bytes. */
export interface KeptStep extends Omit<StepRecord, 'screenshot'> {
  readonly screenshotBytes: number;
}

export interface TrackedRun {
  readonly runId: string;
  readonly start: RunStart;
  readonly steps: KeptStep[];
  outcome: RunOutcome | undefined;
  /** Input events the page saw on a login or session-expired screen: within re-login steps, outside them. */
  loginInRelogin: number;
  loginOutside: number;
  pendingLogin: number;
  /** Input events the page saw, by path. */
  readonly pageEvents: Map<string, number>;
}

/** What one governed write carries through its async calls: its runs, and an optional step hook. */
export interface WriteTag {
  readonly key: string;
  readonly runs: TrackedRun[];
  onStep?: (step: StepRecord, run: TrackedRun) => Promise<void>;
}

export const writeTags = new AsyncLocalStorage<WriteTag>();
const loginPath = /\/(login|session-expired)$/;

/** The executor's `onContext`: the page reports every input event it sees to the write's current run. */
export async function countPageInputs(context: BrowserContext): Promise<void> {
  const tag = writeTags.getStore();
  if (tag === undefined) return;
  await context.exposeBinding('__benchInput', (_source, _type: string, path: string) => {
    const run = tag.runs.at(-1);
    if (run === undefined) return;
    run.pageEvents.set(path, (run.pageEvents.get(path) ?? 0) + 1);
    if (loginPath.test(path)) run.pendingLogin++;
  });
  // As text: the benchmark is compiled without the DOM's types.
  await context.addInitScript({
    content: `for (const t of ['keydown', 'input', 'click', 'change'])
      addEventListener(t, (e) => void window.__benchInput(e.type, location.pathname), true);`,
  });
}

/** The run record's journal, with each run kept for the proof (see the module comment). */
export class BenchJournal implements RunJournal {
  readonly runs: TrackedRun[] = [];
  constructor(private readonly inner: { begin(start: RunStart): Promise<RunHandle> }) {}

  async begin(start: RunStart): Promise<RunHandle> {
    const handle = await this.inner.begin(start);
    const tag = writeTags.getStore();
    const run: TrackedRun = {
      runId: handle.runId,
      start,
      steps: [],
      outcome: undefined,
      loginInRelogin: 0,
      loginOutside: 0,
      pendingLogin: 0,
      pageEvents: new Map(),
    };
    this.runs.push(run);
    tag?.runs.push(run);
    return {
      runId: handle.runId,
      step: async (s) => {
        // A step is reported after it acted (and after its screenshot): the page's events of that
        // step have arrived. Login-screen events belong to a re-login step, or they are a violation.
        if (s.action === 'relogin') run.loginInRelogin += run.pendingLogin;
        else run.loginOutside += run.pendingLogin;
        run.pendingLogin = 0;
        const { screenshot, ...rest } = s;
        run.steps.push({ ...rest, screenshotBytes: screenshot?.byteLength ?? 0 });
        await handle.step(s);
        await tag?.onStep?.(s, run);
      },
      finish: async (outcome) => {
        run.loginOutside += run.pendingLogin;
        run.pendingLogin = 0;
        run.outcome = outcome;
        await handle.finish(outcome);
      },
    };
  }
}

export interface Governed {
  readonly g: BenchGovernance;
  /** The connections' interface account (integration role at site `main`). */
  readonly iface: RequestContext;
  readonly runs: RunService;
  governedEhr(channel: ConstructorParameters<typeof GovernedEhr>[0]['channel']): GovernedEhr;
  close(): Promise<void>;
}

/** Key ring, audit log, policy and the run record on PGlite (a temporary directory). */
export async function openGoverned(): Promise<Governed> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-automation-bench-'));
  const db = await PgliteDatabase.open(dir);
  await migrate(db);
  const g = await openBenchGovernance(db);
  const accounts = new ServiceAccountDirectory({ db, audit: g.audit, clock: systemClock });
  const account = await accounts.create('ehr-screens', g.admin.actor);
  await g.grants.add(g.admin.actor, {
    principalKind: 'service',
    principalId: account.id,
    role: 'integration',
    site: 'main',
    workflow: '*',
    purposeOfUse: 'HOPERAT',
  });
  const iface: RequestContext = {
    actor: { kind: 'service', id: account.id, name: 'ehr-screens', authMethod: 'api-token' },
    purposeOfUse: 'HOPERAT',
  };
  const runs = new RunService({ db, cipher: g.cipher, policy: g.policy, audit: g.audit });
  return {
    g,
    iface,
    runs,
    governedEhr: (channel) =>
      new GovernedEhr({
        channel,
        policy: g.policy,
        audit: g.audit,
        cipher: g.cipher,
        connection: () => Promise.resolve({ site: 'main', actor: iface.actor }),
      }),
    async close() {
      await g.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
