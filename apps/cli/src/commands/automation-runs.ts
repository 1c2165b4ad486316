/**
 * @module `steward automation list | show | replay`: the run record of screen automation, through
 * the server's API (governed and audited there). `replay` prints a run's steps in order and, with
 * `--out <dir>`, writes each step's screenshot decrypted as a JPEG or PNG (mode 0600: they show PHI); every
 * screenshot fetched is a view the server audits.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { patientText, printJson, printTable } from '../output.js';

interface Label {
  readonly id: string;
  readonly name?: string;
  readonly birthDate?: string;
  readonly mrn?: string;
}
interface Run {
  readonly id: string;
  readonly site: string;
  readonly kind: string;
  readonly purpose: string;
  readonly account: { readonly id: string; readonly name?: string };
  readonly approver?: { readonly id: string; readonly name?: string };
  readonly patientLabels: readonly Label[];
  readonly proposalId?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: string;
  readonly halt?: { readonly reason: string; readonly detail: string; readonly submitted: boolean };
  readonly stepCount: number;
}
interface Step {
  readonly index: number;
  readonly action: string;
  readonly screen?: string;
  readonly target?: string;
  readonly inputEvents: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: string;
  readonly detail?: string;
  readonly screenshot: 'sealed' | 'purged' | 'none';
}
type RunDetail = Run & { readonly steps: readonly Step[] };

export interface ListFlags {
  readonly patient?: string;
  readonly identity?: string;
  readonly proposal?: string;
  readonly outcome?: string;
  readonly site?: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: string;
  readonly cursor?: string;
  readonly json?: boolean;
}

const nameOf = (p: { id: string; name?: string } | undefined): string => (p === undefined ? '' : (p.name ?? p.id));
const outcomeOf = (r: Run): string =>
  r.halt !== undefined
    ? `halted: ${r.halt.reason} (${r.halt.detail})${r.halt.submitted ? ', submitted' : ''}`
    : r.status;
const path = (id: string): string => `/automation/runs/${encodeURIComponent(id)}`;

export async function automationList(g: GlobalOptions, o: ListFlags): Promise<void> {
  const page = await connect(g).request<{ items: Run[]; next?: string; patientsMatched?: number }>(
    'GET',
    `/automation/runs${query({
      patient: o.patient,
      identity: o.identity,
      proposal: o.proposal,
      outcome: o.outcome,
      site: o.site,
      from: o.from,
      to: o.to,
      limit: o.limit,
      cursor: o.cursor,
    })}`,
  );
  if (o.json === true) {
    printJson(g.io.stdout, page);
    return;
  }
  if (page.patientsMatched === 0) g.io.stdout.write('the patient term names no patient\n');
  printTable(
    g.io.stdout,
    page.items.map((r) => ({
      id: r.id,
      started: r.startedAt,
      site: r.site,
      kind: r.kind,
      patients: r.patientLabels.map((l) => patientText(l)).join('; '),
      account: nameOf(r.account),
      approvedBy: nameOf(r.approver),
      proposal: r.proposalId ?? '',
      steps: r.stepCount,
      outcome: outcomeOf(r),
    })),
    ['id', 'started', 'site', 'kind', 'patients', 'account', 'approvedBy', 'proposal', 'steps', 'outcome'],
  );
  if (page.next !== undefined) g.io.stdout.write(`more: --cursor ${page.next}\n`);
}

function printRun(g: GlobalOptions, run: RunDetail): void {
  const out = g.io.stdout;
  out.write(`run ${run.id}: ${run.kind} at ${run.site} for ${run.purpose}, ${outcomeOf(run)}\n`);
  out.write(
    `  account ${nameOf(run.account)}${run.approver !== undefined ? `, approved by ${nameOf(run.approver)}` : ''}\n`,
  );
  out.write(`  patients ${run.patientLabels.map((l) => patientText(l)).join('; ') || 'none'}\n`);
  if (run.proposalId !== undefined) out.write(`  proposal ${run.proposalId}\n`);
  out.write(`  started ${run.startedAt}${run.finishedAt !== undefined ? `, finished ${run.finishedAt}` : ''}\n`);
  printTable(
    out,
    run.steps.map((s) => ({
      step: s.index,
      action: s.action,
      screen: s.screen ?? '',
      target: s.target ?? '',
      at: s.startedAt,
      ms: s.durationMs,
      inputs: s.inputEvents,
      outcome: s.detail !== undefined ? `${s.outcome}: ${s.detail}` : s.outcome,
      screenshot: s.screenshot,
    })),
    ['step', 'action', 'screen', 'target', 'at', 'ms', 'inputs', 'outcome', 'screenshot'],
  );
}

export async function automationShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  const run = await connect(g).request<RunDetail>('GET', path(id));
  if (o.json === true) printJson(g.io.stdout, run);
  else printRun(g, run);
}

/** Runs a map's screen read now (`POST /automation/reads`) and says what it filed. */
export async function automationRun(
  g: GlobalOptions,
  o: { connection: string; read: string; date?: string; json?: boolean },
): Promise<void> {
  const r = await connect(g).request<{
    runId: string;
    rows: number;
    events: number;
    duplicates: number;
    refused: number;
  }>('POST', '/automation/reads', {
    connection: o.connection,
    read: o.read,
    ...(o.date !== undefined ? { day: o.date } : {}),
  });
  if (o.json === true) return printJson(g.io.stdout, r);
  g.io.stdout.write(
    `read ${o.read} on ${o.connection}: ${r.rows} rows, ${r.events} new events filed, ${r.duplicates} already filed, ${r.refused} on the attention list (run ${r.runId}: steward automation show ${r.runId})\n`,
  );
}

/**
 * The steps in order; with `--out`, each kept screenshot decrypted to `<dir>/step-<n>-<action>.jpg`
 * (or `.png`, as the server's media type for it says: runs recorded before JPEGs kept PNGs).
 */
export async function automationReplay(g: GlobalOptions, id: string, o: { out?: string }): Promise<void> {
  const client = connect(g);
  const run = await client.request<RunDetail>('GET', path(id));
  printRun(g, run);
  if (o.out === undefined) return;
  mkdirSync(o.out, { recursive: true, mode: 0o700 });
  let written = 0;
  for (const step of run.steps) {
    if (step.screenshot !== 'sealed') continue;
    const res = await client.stream(`${path(id)}/steps/${step.index}/screenshot`);
    const ext = (res.headers.get('content-type') ?? '').startsWith('image/jpeg') ? 'jpg' : 'png';
    const file = join(o.out, `step-${String(step.index).padStart(3, '0')}-${step.action}.${ext}`);
    writeFileSync(file, Buffer.from(await res.arrayBuffer()), { mode: 0o600 });
    written++;
  }
  const purged = run.steps.filter((s) => s.screenshot === 'purged').length;
  g.io.stdout.write(
    `${written} screenshot${written === 1 ? '' : 's'} written to ${o.out}${purged > 0 ? ` (${purged} cleared by retention)` : ''}\n`,
  );
}

/** Adds `list`, `show` and `replay` to `steward automation`. */
export function automationRunCommands(automation: Command, g: () => GlobalOptions): void {
  automation
    .command('run')
    .description(
      "read a screens connection's screen now (its map's read: a day's schedule, a task list) into the inbound journal, as a recorded run",
    )
    .requiredOption('--connection <name>', 'the screens connection (name or id)')
    .option('--read <id>', "the map's read (default schedule)", 'schedule')
    .option('--date <YYYY-MM-DD>', 'the day to read (default: today at the EHR)')
    .option('--json', 'print as JSON')
    .action(async (o: { connection: string; read: string; date?: string; json?: boolean }) => automationRun(g(), o));
  automation
    .command('list')
    .description('runs of screen automation, newest first')
    .option('--patient <term>', 'MRN (system|value or bare), EHR id, Steward id or "Family, Given YYYY-MM-DD"')
    .option('--identity <id>', 'the automation account, the approver or who started it (an actor id)')
    .option('--proposal <id>', 'the proposal a run carried out')
    .option('--outcome <outcome>', 'running, done, halted, or a halt reason (wrong-patient, …)')
    .option('--site <site>', 'one site (without: every site, which needs a grant for all)')
    .option('--from <date>', 'started on or after (ISO 8601)')
    .option('--to <date>', 'started before (ISO 8601)')
    .option('--limit <n>', '1-200 (default 50)')
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print as JSON')
    .action(async (o: ListFlags) => automationList(g(), o));
  automation
    .command('show <id>')
    .description('a run and its steps in order (no screenshots, no values)')
    .option('--json', 'print it as JSON')
    .action(async (id: string, o: { json?: boolean }) => automationShow(g(), id, o));
  automation
    .command('replay <id>')
    .description("a run's steps in order; with --out, each step's screenshot decrypted (PHI: every view audited)")
    .option('--out <dir>', 'write the screenshots here as JPEG or PNG files (mode 0600)')
    .action(async (id: string, o: { out?: string }) => automationReplay(g(), id, o));
}
