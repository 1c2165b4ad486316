/**
 * @module Automation of EHR screens (issue 17) on the sandbox's web screens, three clinic variants
 * (north, lakeside, summit), each its own connection with its map's placeholders filled.
 *
 * 1. The issue's proof. BENCH_WRITES (default 200) approved writes as the applier makes them:
 *    `GovernedEhr.writer.write` (real policy, audit log and run record on PGlite) over the
 *    `ScreensChannel`, each a Task create with the patient guard of two identifiers (MRN and
 *    Synthea's id), an idempotency key and `proposal: { id, approvedBy }`; spread over the variants
 *    and the seeded patients, with markdown, accents and `< & "`, text at or one under each
 *    variant's limits, dates and every priority; one write at a time per connection
 *    (BENCH_PROOF_CONCURRENCY). Every web session is expired twice inside a run (`POST
 *    /$sandbox/web/expire` from a step hook: after a run's second field, and at a run's banner
 *    check), which also expires every run in flight. Then, through the EHR's FHIR API: exactly one
 *    Task per write, each on its patient, every field equal to what was sent; from the runs' steps:
 *    every field read back equal, and no input event on a login screen but in a re-login step (the
 *    page's own count, by an init script). Adverse cases: (b) a wrong chart open, two ways;
 *    (c) a field relabelled on one variant; (d) text over a limit. Exits 1 when a count is wrong.
 * 2. Throughput on the north connection: verified entries per second, and per CPU second of the
 *    browser's processes plus node (= per core), at 1 and 2 runs at a time, screenshots on (what
 *    the product does: JPEG; PNG for comparison) and off; baseline in the same rounds: a bare Playwright script filling and
 *    submitting the same form (signed in once; and, for information, a fresh context and sign-in
 *    per write, as the executor's isolation does). Target ≥ 20 verified entries/s per core.
 * 3. Memory per browser context: PSS of the browser's tree with 1, 2 and 4 of the executor's runs
 *    held open on a signed-in chart, minus the browser with none. Target ≤ 150 MB per context.
 *
 * The EHR runs in its own process (automation-ehr.ts), so node's CPU is Steward's. The executor
 * keeps its defaults (settle time, screenshots, time limits) except where a row says otherwise.
 */
import { launchBrowser, ScreenExecutor, ScreensChannel, type StepRecord } from '@steward/automation';
import { isStewardError, type EhrIdentifier } from '@steward/core';
import { ehrPatientId } from '@steward/ehr';
import {
  BenchJournal,
  countPageInputs,
  guardOf,
  openGoverned,
  startEhrProcess,
  variantIds,
  variantMap,
  webUser,
  type TrackedRun,
  type VariantId,
} from './automation-kit.js';
import { bareRound, executorRound, fmtS, memoryByContexts, sample, type Sample } from './automation-load.js';
import {
  compareTask,
  expireWhen,
  haltOf,
  jobOf,
  keyOf,
  loginViolations,
  pageEventsOn,
  writeAll,
  writeJob,
  type FieldCheck,
  type Job,
  type Limits,
  type Written,
} from './automation-proof.js';
import { childNamed, loadAverage, pssAvailable } from './process-tree.js';
import { fmt } from './ehr-governance.js';
import { median } from './harness.js';

const WRITES = Number(process.env['BENCH_WRITES'] ?? 200);
const PER_CONNECTION = Number(process.env['BENCH_PROOF_CONCURRENCY'] ?? 1);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const ROUND_WRITES = Number(process.env['BENCH_ROUND_WRITES'] ?? 3);
const PORT = Number(process.env['BENCH_EHR_PORT'] ?? 55660);
const target = { entriesPerCoreSecond: 20, mbPerContext: 150 };
const problems: string[] = [];
const started = Date.now();
const loadBefore = loadAverage();

const ehr = await startEhrProcess(PORT, 8);
const governance = await openGoverned();
const browser = await launchBrowser();
const browserPid = childNamed('chrom');
if (browserPid === undefined) throw new Error('the browser process was not found among this process’s children');
const credentials = { forRun: () => Promise.resolve(webUser) };
const maps = Object.fromEntries(variantIds.map((v) => [`screens-${v}`, variantMap(v, ehr.url)]));
const patients = ehr.patients;
/** The patient index's view (by EHR id); case (b) makes one entry stale. */
const staleIndex = new Map<string, EhrIdentifier[]>();
const identifiersOf = (_c: string, ehrId: string) =>
  Promise.resolve(
    staleIndex.get(ehrId) ?? guardOf(patients.find((p) => p.id === ehrId) ?? { id: ehrId, identifier: [] }),
  );

/** The governed writer over a screens channel on its own executor (options as given, else the defaults). */
function stack(
  options: { screenshots?: boolean; screenshotFormat?: 'jpeg' | 'png'; maxRunsPerConnection?: number } = {},
) {
  const executor = new ScreenExecutor(browser, { credentials, onContext: countPageInputs, ...options });
  const journal = new BenchJournal(governance.runs.journal(() => governance.iface));
  const channel = new ScreensChannel({
    executor,
    maps: (c) => {
      const map = maps[c];
      return map === undefined ? Promise.reject(new Error(`no map for ${c}`)) : Promise.resolve(map);
    },
    runs: journal,
    identifiersOf,
    // What GovernedEhr audits an EHR patient under (no patient index here).
    patientIdOf: (c, ehrId) => Promise.resolve(ehrPatientId(governance.g.cipher, c, ehrId)),
  });
  const governed = governance.governedEhr(channel);
  return { executor, journal, governed };
}

const variantInfo = (await ehr.control('GET', 'variants')) as {
  variants: { id: string; limits: { description: number; note: number } }[];
};
const limits: Record<string, Limits> = Object.fromEntries(variantInfo.variants.map((v) => [v.id, v.limits]));

// ---- 1. The proof ----
const product = stack();
const jobs = Array.from({ length: WRITES }, (_, i) => jobOf(i, patients, limits));
const fills = (run: TrackedRun): number => run.steps.filter((s) => s.action === 'fill').length;
const expiries = [
  { at: Math.floor(WRITES * 0.3), when: (s: StepRecord, run: TrackedRun) => s.action === 'fill' && fills(run) === 2 },
  { at: Math.floor(WRITES * 0.6), when: (s: StepRecord) => s.action === 'check-banner' },
];
for (const x of expiries) {
  const job = jobs[x.at];
  if (job !== undefined) jobs[x.at] = { ...job, onStep: expireWhen(ehr, x.when) };
}
const proofStart = Date.now();
let proofWritten: Written[] = [];
const proofSample = await sample(browserPid, ehr.pid, async () => {
  const written = await writeAll(product.governed, governance.iface, jobs, PER_CONNECTION);
  proofWritten = written;
  return {
    entries: written.reduce(
      (n, w) =>
        n +
        (w.outcome === undefined
          ? 0
          : (w.tag.runs.at(-1)?.steps.filter((s) => s.action === 'fill' && s.outcome === 'ok').length ?? 0)),
      0,
    ),
    failed: written.filter((w) => w.outcome === undefined).length,
  };
});
const proofMs = Date.now() - proofStart;

// Adverse cases, one at a time (a relabel changes the variant for every run on it).
const [pa, pb] = patients;
if (pa === undefined || pb === undefined) throw new Error('the sandbox needs two seeded patients');
// The i-th adverse write takes the texts of a proof write on the same variant (limits differ).
const adverse = (i: number, variant: VariantId, over: Partial<Job>): Job => ({
  ...jobOf(i * 3 + variantIds.indexOf(variant), patients, limits),
  key: `bench-x${String(i).padStart(4, '0')}`,
  ...over,
});
// (b) 1: Steward's index is stale — it holds another patient's MRN for this one, and the guard was
// made from it — so the run opens that patient's chart; the banner's other identifier contradicts.
const mixedGuard = [guardOf(pb)[0], guardOf(pa)[1]].filter((x) => x !== undefined);
staleIndex.set(pa.id, mixedGuard);
const wrongMixed = await writeJob(
  product.governed,
  governance.iface,
  adverse(1, 'north', { patient: pa, guard: mixedGuard }),
);
staleIndex.clear();
// (b) 2: the guard holds both identifiers of another patient (the index is right): refused before any run.
const wrongWhole = await writeJob(
  product.governed,
  governance.iface,
  adverse(2, 'lakeside', { patient: pa, guard: guardOf(pb) }),
);
await ehr.control('POST', 'relabel', { variant: 'lakeside', key: 'task.note', label: 'Remarks for the team' });
const relabelled = await writeJob(
  product.governed,
  governance.iface,
  adverse(3, 'lakeside', { note: 'A note for a field that was renamed' }),
);
await ehr.control('DELETE', 'relabel');
const tooLong = await writeJob(
  product.governed,
  governance.iface,
  adverse(4, 'summit', { description: 'x'.repeat((limits['summit']?.description ?? 250) + 1) }),
);

// ---- Checks through the FHIR API and the runs ----
const tasks = await ehr.tasks();
const byKey = new Map<string, Record<string, unknown>[]>();
for (const t of tasks) {
  const k = keyOf(t);
  if (k !== undefined) byKey.set(k, [...(byKey.get(k) ?? []), t]);
}
const ours = tasks.filter((t) => keyOf(t)?.startsWith('bench-w') === true);
const check: FieldCheck = { unequal: 0, truncated: 0, crlf: 0 };
let wrongChart = 0;
let missing = 0;
let duplicates = 0;
let equalTasks = 0;
for (const w of proofWritten) {
  const found = byKey.get(w.job.key) ?? [];
  if (found.length === 0) missing++;
  if (found.length > 1) duplicates += found.length - 1;
  for (const t of found) {
    if ((t['for'] as { reference?: string } | undefined)?.reference !== `Patient/${w.job.patient.id}`) wrongChart++;
    if (compareTask(t, w.job, check)) equalTasks++;
  }
}
const adverseWrites = ['bench-x0001', 'bench-x0002', 'bench-x0003', 'bench-x0004'].reduce(
  (n, k) => n + (byKey.get(k)?.length ?? 0),
  0,
);
wrongChart += (byKey.get('bench-x0001')?.length ?? 0) + (byKey.get('bench-x0002')?.length ?? 0);
const allRuns = product.journal.runs;
const proofRuns = proofWritten.flatMap((w) => w.tag.runs);
const login = loginViolations(allRuns);
const fillSteps = proofRuns.flatMap((r) => r.steps.filter((s) => s.action === 'fill'));
// Each write's last read-back (a read-back that met an expired session is retried after the re-login):
// done, and every field the write had shown and equal.
const fieldsOf = (j: Job): number => 3 + (j.due !== undefined ? 1 : 0) + (j.note !== undefined ? 1 : 0);
const readBackUnequal = proofWritten.filter((w) => {
  const last = w.tag.runs.flatMap((r) => r.steps.filter((s) => s.action === 'read-back')).at(-1);
  const k = fieldsOf(w.job);
  return last?.outcome !== 'ok' || last.detail !== `${k} of ${k} fields shown and equal`;
});
for (const w of readBackUnequal.slice(0, 5))
  console.log(
    `read-back of ${w.job.key}: ${w.tag.runs.flatMap((r) => r.steps.filter((s) => s.action === 'read-back')).at(-1)?.detail ?? 'none'}`,
  );
// Signed in again mid-run: a re-login after the chart was opened (a run may start in its
// connection's signed-in session, or sign in first; either way the expiry comes later).
const signedInMidRun = (r: TrackedRun): boolean => {
  const opened = r.steps.findIndex((s) => s.action === 'open-patient');
  return opened >= 0 && r.steps.slice(opened).some((s) => s.action === 'relogin');
};
const recovered = proofWritten.filter(
  (w) => w.outcome !== undefined && w.tag.runs.some((r) => signedInMidRun(r) && r.outcome?.status === 'done'),
);
const recoveredDuplicates = recovered.filter((w) => (byKey.get(w.job.key)?.length ?? 0) !== 1).length;
const forced = expiries.map((x) => proofWritten.find((w) => w.job.i === x.at));
const written = proofWritten.filter((w) => w.outcome?.status === 'written').length;
const failures = proofWritten.filter((w) => w.outcome === undefined);
const halt = (w: Written) => haltOf(w);
const fillsOf = (w: Written) => w.tag.runs.flatMap((r) => r.steps).filter((s) => s.action === 'fill').length;
const inputsOf = (w: Written) => w.tag.runs.flatMap((r) => r.steps).reduce((n, s) => n + s.inputEvents, 0);

console.log(
  `Load average before: ${loadBefore}. ${patients.length} seeded patients, ${WRITES} writes, ${PER_CONNECTION} run(s) at a time per connection.\n`,
);
console.log('### The proof\n');
console.log('| check | expected | measured | verdict |');
console.log('| --- | ---: | ---: | --- |');
const row = (name: string, expected: number | string, measured: number | string, ok: boolean): void => {
  console.log(`| ${name} | ${expected} | ${measured} | ${ok ? 'ok' : '**WRONG**'} |`);
  if (!ok) problems.push(`${name}: expected ${expected}, measured ${measured}`);
};
row('writes the governed writer reported written', WRITES, written, written === WRITES);
row('Tasks in the EHR (FHIR API) carrying a proof write key', WRITES, ours.length, ours.length === WRITES);
row('writes with no Task', 0, missing, missing === 0);
row('duplicate Tasks (same key)', 0, duplicates, duplicates === 0);
row('wrong-chart writes (Task on another patient)', 0, wrongChart, wrongChart === 0);
row('Tasks with every field equal to what was sent', WRITES, equalTasks, equalTasks === WRITES);
row('fields unequal / silently truncated', '0 / 0', `${check.unequal} / ${check.truncated}`, check.unequal === 0);
row(
  'fill steps not read back equal',
  0,
  fillSteps.filter((s) => s.outcome !== 'ok').length,
  fillSteps.every((s) => s.outcome === 'ok'),
);
row(
  'writes whose last read-back did not show every field equal',
  0,
  readBackUnequal.length,
  readBackUnequal.length === 0,
);
row(
  'login-screen input events outside a re-login step (page / executor)',
  '0 / 0',
  `${login.page} / ${login.executor}`,
  login.page + login.executor === 0,
);
row(
  'forced expiries: runs that signed in again mid-run and finished',
  `≥ ${forced.length}`,
  recovered.length,
  recovered.length >= forced.length && forced.every((w) => recovered.includes(w as Written)),
);
row('… of which wrote twice', 0, recoveredDuplicates, recoveredDuplicates === 0);
const expect = (name: string, w: Written, code: string, reason: string, extra: boolean): void => {
  const h = halt(w);
  // Refused before any run (no halt reason): nothing could be typed.
  const before = h !== undefined && h.reason === '' && w.tag.runs.length === 0;
  const ok = h?.code === code && (h.reason === reason || before) && extra;
  const measured =
    h === undefined
      ? 'not halted'
      : before
        ? `${h.code}, refused before any run`
        : `${h.code} ${h.reason}: ${h.detail}`;
  row(name, `${code} ${reason}`, measured, ok);
};
expect(
  '(b) wrong chart open: a stale index gave the MRN of another patient',
  wrongMixed,
  'EHR_WRONG_PATIENT',
  'wrong-patient',
  fillsOf(wrongMixed) === 0,
);
expect(
  '(b) wrong chart open: both identifiers of another patient',
  wrongWhole,
  'EHR_WRONG_PATIENT',
  'wrong-patient',
  fillsOf(wrongWhole) === 0,
);
expect(
  '(c) field relabelled on lakeside (map: "Comments")',
  relabelled,
  'SCREEN_HALTED',
  'missing-element',
  /Comments/.test(halt(relabelled)?.detail ?? ''),
);
expect(
  '(d) text over the limit (summit, description)',
  tooLong,
  'SCREEN_HALTED',
  'value-too-long',
  pageEventsOn(tooLong, '/tasks/new') === 0 && fillsOf(tooLong) === 0,
);
row(
  '(b)–(d) input events on the form (page)',
  0,
  [wrongMixed, wrongWhole, relabelled, tooLong].reduce((n, w) => n + pageEventsOn(w, '/tasks/new'), 0),
  [wrongMixed, wrongWhole, relabelled, tooLong].every((w) => pageEventsOn(w, '/tasks/new') === 0),
);
row('(b)–(d) Tasks written', 0, adverseWrites, adverseWrites === 0);
console.log(
  `\nNotes stored with CRLF line breaks (a browser's form encoding of a textarea; equal once normalised): ${check.crlf}.`,
);
console.log(
  `Failed proof writes: ${failures.map((w) => `${w.job.key} ${isStewardError(w.error) ? w.error.code : String(w.error)} ${halt(w)?.detail ?? ''}`).join('; ') || 'none'}.`,
);
console.log(
  `Proof wall time ${fmtS(proofMs / 1000)} for ${WRITES} writes (${fmt(proofMs / WRITES)} ms/write, 3 connections × ${PER_CONNECTION}); input events per write (executor): ${fmt(median(proofWritten.map(inputsOf)), 1)} median.`,
);

// ---- 2. Throughput ----
const noShots = stack({ screenshots: false });
const pngShots = stack({ screenshotFormat: 'png' });
const throughputJobs = (tag: string, n: number): Job[] =>
  Array.from({ length: n }, (_, i) => ({
    ...jobOf(i * 3, patients, limits),
    variant: 'north',
    key: `bench-${tag}-${String(i).padStart(3, '0')}`,
  }));
const cases: { name: string; run: (r: number) => Promise<{ entries: number; failed: number }> }[] = [
  {
    name: 'bare Playwright, signed in once (baseline)',
    run: (r) => bareRound(browser, ehr.url, throughputJobs(`b1r${r}`, ROUND_WRITES), 1, false),
  },
  {
    name: 'bare Playwright, fresh context + sign-in per write',
    run: (r) => bareRound(browser, ehr.url, throughputJobs(`bir${r}`, ROUND_WRITES), 1, true),
  },
  {
    name: 'executor, 1 run at a time (product: screenshots on)',
    run: (r) => executorRound(product.governed, governance.iface, throughputJobs(`e1r${r}`, ROUND_WRITES), 1),
  },
  {
    name: 'executor, 2 runs at a time (product: screenshots on)',
    run: (r) => executorRound(product.governed, governance.iface, throughputJobs(`e2r${r}`, ROUND_WRITES), 2),
  },
  {
    name: 'executor, 1 run at a time, PNG screenshots (as before stop 29)',
    run: (r) => executorRound(pngShots.governed, governance.iface, throughputJobs(`p1r${r}`, ROUND_WRITES), 1),
  },
  {
    name: 'executor, 1 run at a time, screenshots off',
    run: (r) => executorRound(noShots.governed, governance.iface, throughputJobs(`n1r${r}`, ROUND_WRITES), 1),
  },
  {
    name: 'executor, 2 runs at a time, screenshots off',
    run: (r) => executorRound(noShots.governed, governance.iface, throughputJobs(`n2r${r}`, ROUND_WRITES), 2),
  },
];
const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
for (let r = 0; r < ROUNDS; r++) {
  // Alternate the order each round, so drift of the machine's load does not favour one case.
  const order = r % 2 === 0 ? cases : [...cases].reverse();
  for (const c of order) samples.get(c.name)?.push(await sample(browserPid, ehr.pid, () => c.run(r)));
}
const perSec = (s: Sample): number => s.entries / s.wallS;
const perCore = (s: Sample): number => s.entries / s.cpuS;
const baseline = samples.get(cases[0]?.name ?? '') ?? [];
const basePerCore = median(baseline.map(perCore));
console.log(`\n### Throughput (north connection, ${ROUND_WRITES} writes per round, ${ROUNDS} rounds, medians)\n`);
console.log(
  '| case | entries/s (wall) | entries per CPU-s (browser + node) | ratio to baseline (per CPU-s) | browser CPU-s / node CPU-s per write | EHR CPU-s per write | failed |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const throughputRow = (name: string, xs: readonly Sample[]): void => {
  console.log(
    `| ${name} | ${fmt(median(xs.map(perSec)), 2)} | ${fmt(median(xs.map(perCore)), 2)} | ${fmt(median(xs.map(perCore)) / basePerCore, 3)} | ${fmt(median(xs.map((s) => s.browserCpuS / ROUND_WRITES)), 2)} / ${fmt(median(xs.map((s) => s.nodeCpuS / ROUND_WRITES)), 2)} | ${fmt(median(xs.map((s) => s.ehrCpuS / ROUND_WRITES)), 2)} | ${xs.reduce((n, s) => n + s.failed, 0)} |`,
  );
};
for (const c of cases) throughputRow(c.name, samples.get(c.name) ?? []);
console.log(
  `| proof (3 connections × ${PER_CONNECTION}, screenshots on, ${WRITES} writes incl. 2 forced expiries) | ${fmt(perSec(proofSample), 2)} | ${fmt(perCore(proofSample), 2)} | ${fmt(perCore(proofSample) / basePerCore, 3)} | ${fmt(proofSample.browserCpuS / WRITES, 2)} / ${fmt(proofSample.nodeCpuS / WRITES, 2)} | ${fmt(proofSample.ehrCpuS / WRITES, 2)} | ${proofSample.failed} |`,
);
const productPerCore = median((samples.get(cases[2]?.name ?? '') ?? []).map(perCore));
const productPerCore2 = median((samples.get(cases[3]?.name ?? '') ?? []).map(perCore));
const bestPerCore = Math.max(productPerCore, productPerCore2);
console.log(
  `\nTarget ≥ ${target.entriesPerCoreSecond} verified entries/s per core: ${bestPerCore >= target.entriesPerCoreSecond ? 'met' : '**not met**'} (product, best of 1 and 2 at a time: ${fmt(bestPerCore, 2)}; the bare baseline: ${fmt(basePerCore, 2)}).`,
);

// ---- 3. Memory per context ----
const memoryStack = stack({ maxRunsPerConnection: 4 });
const northMap = maps['screens-north'];
if (northMap === undefined) throw new Error('no north map');
const memory = await memoryByContexts(memoryStack.executor, browserPid, northMap, patients, [1, 2, 4]);
const base = Math.min(...memory.none);
console.log(`\n### Memory (${pssAvailable(browserPid) ? 'PSS' : 'RSS'} of the browser's process tree)\n`);
console.log('| contexts open on a signed-in chart | browser tree MB | minus none, per context MB | target ≤ 150 MB |');
console.log('| ---: | ---: | ---: | --- |');
console.log(`| 0 (before / after) | ${memory.none.map((m) => fmt(m)).join(' / ')} | | |`);
let worst = 0;
for (const [n, mb] of memory.open) {
  const per = (mb - base) / n;
  worst = Math.max(worst, per);
  console.log(`| ${n} | ${fmt(mb)} | ${fmt(per, 1)} | ${per <= target.mbPerContext ? 'met' : '**not met**'} |`);
}
if (memory.halted > 0) problems.push(`${memory.halted} memory runs halted before the chart`);

await browser.close();
await ehr.close();
await governance.close();
console.log(`\nLoad average after: ${loadAverage()}. Whole benchmark: ${fmtS((Date.now() - started) / 1000)}.`);
if (problems.length > 0) {
  console.log(`\nProof counts wrong:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}
