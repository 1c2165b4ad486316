/**
 * @module `steward automation record | maps … | credentials …`: screen maps and the automation
 * account's credentials from a terminal.
 *
 * - `record` opens Chromium on the EHR (headed, on a display) and turns the person's demonstration
 *   into a draft map file, listing what to fill in before proposing it; without a display it replays
 *   a scripted demonstration (`--script steps.json`) headless. It runs here, on the person's machine;
 *   nothing it records holds a value typed.
 * - `maps propose | review | list | history | show | diff` and `credentials set | list | remove` are
 *   clients of the server's `/automation` API, which decides and audits each call. A password and a
 *   TOTP secret are never taken from the command line: a hidden prompt on a terminal, else a file
 *   (`--password-file`, `--totp-file`), the environment (`STEWARD_AUTOMATION_PASSWORD`,
 *   `STEWARD_AUTOMATION_TOTP_SECRET`) or standard input (`--stdin`: the password, then the secret,
 *   one a line).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError, type ErrorDetail } from '@steward/core';
import { connect, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';
import { readSecret } from '../prompt.js';

/** A map version as the API answers it (apps/server/src/http/contract/automation.ts). */
interface MapVersion {
  connectionId: string;
  connectionName?: string;
  site: string;
  version: number;
  status: string;
  hash: string;
  basedOn: number | null;
  note: string | null;
  proposedBy: string;
  proposedByName?: string;
  proposedAt: string;
  reviewedBy: string | null;
  reviewedByName?: string;
  reviewedAt: string | null;
  reason: string | null;
  supersededBy: number | null;
  counts: { screens: number; forms: number; fields: number };
  approvedVersion?: number | null;
}
interface MapDiff {
  from: number | null;
  to: number;
  changes: { path: string; change: string; before?: string; after?: string }[];
  summary: { screens: string[]; forms: string[]; fields: string[]; labels: number };
}
interface CredentialStatus {
  connectionId: string;
  connectionName?: string;
  site: string;
  hasTotp: boolean;
  version: number;
  setBy: string;
  setByName?: string;
  setAt: string;
}

export interface RecordFlags {
  readonly connection: string;
  readonly site: string;
  readonly url: string;
  readonly out?: string;
  readonly script?: string;
}

const mapPath = (connection: string, site: string): string =>
  `/automation/maps/${encodeURIComponent(connection)}/${encodeURIComponent(site)}`;

function versionOf(v: string, problems: ErrorDetail[]): number {
  if (!/^[1-9]\d{0,8}$/.test(v)) problems.push({ path: '--version', message: 'a version number (1, 2, …)' });
  return Number(v);
}

function readJson(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`cannot read ${file}`, [{ path: flag, message: 'a readable file' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError(`${file} is not JSON`, [{ path: flag, message: 'a JSON file' }]);
  }
}

/** Records a demonstration into a draft map file. */
export async function automationRecord(g: GlobalOptions, o: RecordFlags): Promise<void> {
  const problems: ErrorDetail[] = [];
  let origin = '';
  try {
    const u = new URL(o.url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    origin = u.origin;
  } catch {
    problems.push({ path: '--url', message: 'the EHR’s address (https://ehr.example.org/login)' });
  }
  const display = g.io.env['DISPLAY'] ?? g.io.env['WAYLAND_DISPLAY'];
  if (o.script === undefined && (display === undefined || display === ''))
    problems.push({
      path: 'DISPLAY',
      message:
        'recording a person needs a display for the browser window: run it in a desktop session, or pass --script <steps.json> to replay a scripted demonstration headless',
    });
  if (problems.length > 0) throw new ValidationError('cannot record', problems);
  const automation = await import('@steward/automation');
  const steps = o.script !== undefined ? automation.parseDemonstration(readJson(o.script, '--script')) : undefined;
  const out = o.out ?? 'screen-map.draft.json';
  const browser = await automation.launchRecorderBrowser({ headed: steps === undefined });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const recorder = await automation.Recorder.attach(page, { connectionId: o.connection, site: o.site });
    if (steps !== undefined) {
      await page.goto(o.url);
      await automation.replayDemonstration(page, origin, steps);
    } else {
      await page.goto(o.url);
      g.io.stdout.write(
        'Demonstrate in the browser window: sign in, find a patient, open the chart, fill and save each form.\n' +
          'Close the window (or press Ctrl-C here) when you are done.\n',
      );
      await Promise.race([new Promise((resolve) => page.once('close', resolve)), g.io.untilStopped()]);
    }
    if (!page.isClosed()) await recorder.settle();
    const draft = recorder.draft();
    writeFileSync(out, `${JSON.stringify(draft.map, null, 2)}\n`);
    const steps_ = recorder.events.length;
    g.io.stdout.write(
      `draft screen map written to ${out}: ${draft.map.screens.length} screens, ${draft.map.forms.length} forms (${steps_} steps recorded)\n`,
    );
    if (draft.todo.length > 0) {
      g.io.stdout.write(`to fill in before proposing (${draft.todo.length}):\n`);
      for (const t of draft.todo) g.io.stdout.write(`  ${t}\n`);
    }
    for (const n of draft.notes) g.io.stdout.write(`note: ${n}\n`);
    g.io.stdout.write(`then: steward automation maps propose ${out}\n`);
  } finally {
    await browser.close();
  }
}

export async function mapsPropose(g: GlobalOptions, file: string, o: { note?: string; json?: boolean }): Promise<void> {
  const map = readJson(file, '<file>');
  const v = await connect(g).request<MapVersion>('POST', '/automation/maps', {
    map,
    ...(o.note !== undefined ? { note: o.note } : {}),
  });
  if (o.json === true) return printJson(g.io.stdout, v);
  g.io.stdout.write(
    `proposed version ${v.version} of the map for ${v.connectionName ?? v.connectionId} at ${v.site}${v.basedOn !== null ? ` (on version ${v.basedOn})` : ''}: ` +
      `${v.counts.screens} screens, ${v.counts.forms} forms, ${v.counts.fields} fields\n` +
      `another person reviews it: steward automation maps diff --connection ${v.connectionName ?? v.connectionId} --site ${v.site} --version ${v.version}\n`,
  );
}

export interface ReviewFlags {
  readonly connection: string;
  readonly site: string;
  readonly version: string;
  readonly approve?: boolean;
  readonly reject?: boolean;
  readonly reason?: string;
  readonly json?: boolean;
}

export async function mapsReview(g: GlobalOptions, o: ReviewFlags): Promise<void> {
  const problems: ErrorDetail[] = [];
  const version = versionOf(o.version, problems);
  if ((o.approve === true) === (o.reject === true))
    problems.push({ path: '--approve', message: 'one of --approve or --reject' });
  if (o.reject === true && (o.reason ?? '').trim() === '')
    problems.push({ path: '--reason', message: 'say what to change when rejecting' });
  if (problems.length > 0) throw new ValidationError('invalid review flags', problems);
  const v = await connect(g).request<MapVersion>('POST', `${mapPath(o.connection, o.site)}/${version}/review`, {
    decision: o.approve === true ? 'approve' : 'reject',
    ...(o.reason !== undefined ? { reason: o.reason } : {}),
  });
  if (o.json === true) return printJson(g.io.stdout, v);
  g.io.stdout.write(
    `version ${v.version} ${v.status}${v.status === 'approved' ? ': runs at this site follow it from now on' : ''}\n`,
  );
}

export async function mapsList(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  const { items } = await connect(g).request<{ items: MapVersion[] }>('GET', '/automation/maps');
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((v) => ({
      connection: v.connectionName ?? v.connectionId,
      site: v.site,
      latest: `${v.version} ${v.status}`,
      approved: v.approvedVersion ?? 'none',
      by: v.proposedByName ?? v.proposedBy,
      at: v.proposedAt,
    })),
    ['connection', 'site', 'latest', 'approved', 'by', 'at'],
  );
}

export async function mapsHistory(
  g: GlobalOptions,
  o: { connection: string; site: string; json?: boolean },
): Promise<void> {
  const { items } = await connect(g).request<{ items: MapVersion[] }>('GET', mapPath(o.connection, o.site));
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((v) => ({
      version: v.version,
      status: v.supersededBy !== null ? `${v.status} by ${v.supersededBy}` : v.status,
      proposed: `${v.proposedByName ?? v.proposedBy} ${v.proposedAt}`,
      reviewed: v.reviewedAt !== null ? `${v.reviewedByName ?? v.reviewedBy ?? ''} ${v.reviewedAt}` : '',
      reason: v.reason ?? v.note ?? '',
    })),
    ['version', 'status', 'proposed', 'reviewed', 'reason'],
  );
}

export async function mapsShow(
  g: GlobalOptions,
  o: { connection: string; site: string; version: string; out?: string },
): Promise<void> {
  const problems: ErrorDetail[] = [];
  const version = versionOf(o.version, problems);
  if (problems.length > 0) throw new ValidationError('invalid flags', problems);
  const r = await connect(g).request<MapVersion & { map: unknown }>(
    'GET',
    `${mapPath(o.connection, o.site)}/${version}`,
  );
  const text = `${JSON.stringify(r.map, null, 2)}\n`;
  if (o.out === undefined) return void g.io.stdout.write(text);
  writeFileSync(o.out, text);
  g.io.stdout.write(`version ${r.version} (${r.status}) written to ${o.out}\n`);
}

export async function mapsDiff(
  g: GlobalOptions,
  o: { connection: string; site: string; version: string; against?: string; json?: boolean },
): Promise<void> {
  const problems: ErrorDetail[] = [];
  const version = versionOf(o.version, problems);
  const against = o.against !== undefined ? versionOf(o.against, problems) : undefined;
  if (problems.length > 0) throw new ValidationError('invalid flags', problems);
  const d = await connect(g).request<MapDiff>(
    'GET',
    `${mapPath(o.connection, o.site)}/${version}/diff${against !== undefined ? `?against=${against}` : ''}`,
  );
  if (o.json === true) return printJson(g.io.stdout, d);
  g.io.stdout.write(
    `version ${d.to} against ${d.from === null ? 'nothing (the first map)' : `version ${d.from}`}: ${d.changes.length} changes\n`,
  );
  const s = d.summary;
  if (s.screens.length > 0) g.io.stdout.write(`screens: ${s.screens.join(', ')}\n`);
  if (s.forms.length > 0) g.io.stdout.write(`forms: ${s.forms.join(', ')}\n`);
  if (s.fields.length > 0) g.io.stdout.write(`fields: ${s.fields.join(', ')}\n`);
  if (s.labels > 0) g.io.stdout.write(`labels changed: ${s.labels}\n`);
  for (const c of d.changes) {
    const detail =
      c.change === 'changed' || c.change === 'reordered'
        ? `: ${c.before ?? ''} -> ${c.after ?? ''}`
        : c.change === 'added'
          ? `: ${c.after ?? ''}`
          : '';
    g.io.stdout.write(
      `  ${c.change.padEnd(9)} ${c.path}${detail.length > 300 ? `${detail.slice(0, 300)}…` : detail}\n`,
    );
  }
}

export interface CredentialFlags {
  readonly connection: string;
  readonly site: string;
  readonly username: string;
  readonly passwordFile?: string;
  readonly totp?: boolean;
  readonly totpFile?: string;
  readonly stdin?: boolean;
  readonly json?: boolean;
}

async function stdinLines(g: GlobalOptions): Promise<string[]> {
  let text = '';
  for await (const chunk of g.io.stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text.split(/\r?\n/);
}

export async function credentialsSet(g: GlobalOptions, o: CredentialFlags): Promise<void> {
  let password: string;
  let totpSecret: string | undefined;
  if (o.stdin === true) {
    const [first = '', second = ''] = await stdinLines(g);
    password = first;
    totpSecret = second.trim() !== '' ? second.trim() : undefined;
  } else {
    password = await readSecret(
      g.io,
      `Password of ${o.username} on the EHR`,
      o.passwordFile,
      'STEWARD_AUTOMATION_PASSWORD',
    );
    const wantsTotp =
      o.totp === true || o.totpFile !== undefined || (g.io.env['STEWARD_AUTOMATION_TOTP_SECRET'] ?? '') !== '';
    if (wantsTotp)
      totpSecret = await readSecret(g.io, 'TOTP secret (base32)', o.totpFile, 'STEWARD_AUTOMATION_TOTP_SECRET');
  }
  if (password === '')
    throw new ValidationError('a password is required', [
      { path: 'password', message: 'the automation account’s EHR password' },
    ]);
  const s = await connect(g).request<CredentialStatus>(
    'PUT',
    `/automation/credentials/${encodeURIComponent(o.connection)}/${encodeURIComponent(o.site)}`,
    { username: o.username, password, ...(totpSecret !== undefined ? { totpSecret } : {}) },
  );
  if (o.json === true) return printJson(g.io.stdout, s);
  g.io.stdout.write(
    `credentials set for ${s.connectionName ?? s.connectionId} at ${s.site}${s.hasTotp ? ' (with a TOTP secret)' : ''}, at ${s.setAt} by ${s.setByName ?? s.setBy}\n`,
  );
}

export async function credentialsList(g: GlobalOptions, o: { connection?: string; json?: boolean }): Promise<void> {
  const q = o.connection !== undefined ? `?connectionId=${encodeURIComponent(o.connection)}` : '';
  const { items } = await connect(g).request<{ items: CredentialStatus[] }>('GET', `/automation/credentials${q}`);
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((s) => ({
      connection: s.connectionName ?? s.connectionId,
      site: s.site,
      set: `at ${s.setAt} by ${s.setByName ?? s.setBy}`,
      totp: s.hasTotp ? 'yes' : 'no',
    })),
    ['connection', 'site', 'set', 'totp'],
  );
}

export async function credentialsRemove(g: GlobalOptions, o: { connection: string; site: string }): Promise<void> {
  await connect(g).request(
    'DELETE',
    `/automation/credentials/${encodeURIComponent(o.connection)}/${encodeURIComponent(o.site)}`,
  );
  g.io.stdout.write(`credentials removed for ${o.connection} at ${o.site}\n`);
}

/** Adds `steward automation …` to the program. */
export function automationCommands(p: Command, g: () => GlobalOptions): Command {
  const automation = p
    .command('automation')
    .description('automation of EHR screens: runs, screen maps and the automation account');
  automation
    .command('record')
    .description(
      "record a person's demonstration of the EHR's screens into a draft screen map (a browser window; or --script to replay steps headless)",
    )
    .requiredOption('--connection <name>', 'the EHR connection (its name or id)')
    .requiredOption('--site <code>', 'the site the map is for')
    .requiredOption('--url <url>', 'where to start: the EHR’s sign-in page')
    .option('--out <file>', 'where to write the draft map (default screen-map.draft.json)')
    .option('--script <file>', 'a scripted demonstration: a JSON list of steps (goto, fill, select, click, press)')
    .action((o: RecordFlags) => automationRecord(g(), o));

  const maps = automation
    .command('maps')
    .description('screen maps per connection and site, changed only through review');
  maps
    .command('propose <file>')
    .description(
      'propose a map (a JSON file): validated whole, stored as the next version for another person to review',
    )
    .option('--note <text>', 'what changed and why, for the reviewer')
    .option('--json', 'print the version as JSON')
    .action((file: string, o: { note?: string; json?: boolean }) => mapsPropose(g(), file, o));
  const target = (c: Command): Command =>
    c
      .requiredOption('--connection <name>', 'the EHR connection (its name or id)')
      .requiredOption('--site <code>', 'the site');
  target(maps.command('review').description('approve or reject a proposed version (not your own)'))
    .requiredOption('--version <n>', 'the version to review')
    .option('--approve', 'approve it: runs follow it from now on')
    .option('--reject', 'reject it (with --reason)')
    .option('--reason <text>', 'why (required to reject)')
    .option('--json', 'print the version as JSON')
    .action((o: ReviewFlags) => mapsReview(g(), o));
  maps
    .command('list')
    .description('the latest version of each connection and site, and the approved one')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }) => mapsList(g(), o));
  target(maps.command('history').description('every version of one connection and site'))
    .option('--json', 'print as JSON')
    .action((o: { connection: string; site: string; json?: boolean }) => mapsHistory(g(), o));
  target(maps.command('show').description('one version’s map, as JSON (to edit and propose again)'))
    .requiredOption('--version <n>', 'the version')
    .option('--out <file>', 'write it to a file')
    .action((o: { connection: string; site: string; version: string; out?: string }) => mapsShow(g(), o));
  target(maps.command('diff').description('what a version changes: screens, forms, fields and labels'))
    .requiredOption('--version <n>', 'the version')
    .option('--against <n>', 'compare with this version (default: the one it was proposed on)')
    .option('--json', 'print as JSON')
    .action((o: { connection: string; site: string; version: string; against?: string; json?: boolean }) =>
      mapsDiff(g(), o),
    );

  const credentials = automation
    .command('credentials')
    .description('the automation account’s EHR credentials: set here, sealed, never shown');
  target(
    credentials
      .command('set')
      .description(
        'set the username, password and TOTP secret (password and secret asked on a terminal, or from --*-file, the environment or --stdin; never arguments)',
      ),
  )
    .requiredOption('--username <name>', 'the automation account’s username on the EHR')
    .option('--password-file <file>', 'a file holding the password')
    .option('--totp', 'also ask for the TOTP secret (base32)')
    .option('--totp-file <file>', 'a file holding the TOTP secret')
    .option('--stdin', 'read the password, then the TOTP secret, one a line, from standard input')
    .option('--json', 'print the status as JSON')
    .action((o: CredentialFlags) => credentialsSet(g(), o));
  credentials
    .command('list')
    .description('which connections and sites have credentials, set when and by whom')
    .option('--connection <name>', 'only this connection (its name or id)')
    .option('--json', 'print as JSON')
    .action((o: { connection?: string; json?: boolean }) => credentialsList(g(), o));
  target(credentials.command('remove').description('remove the credentials of a connection and site')).action(
    (o: { connection: string; site: string }) => credentialsRemove(g(), o),
  );
  return automation;
}
