/**
 * @module `steward sites list|show|add|update`: the clinic's sites from a terminal, through the
 * server's API (config.manage, decided and audited there). A site is its code (the one grants and
 * EHR connections carry), a name and a clock: IANA zone, business hours, holidays, quiet hours.
 */
import type { Command } from 'commander';
import { ValidationError, type ErrorDetail } from '@steward/core';
import { connect, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof weekdays)[number];
type Opening = { open: string; close: string } | null;

/** A site as the API answers it (apps/server/src/http/contract/sites.ts). */
interface Site {
  id: string;
  name: string;
  zone: string;
  businessHours: Record<Weekday, Opening>;
  holidays: string[];
  quietHours: { start: string; end: string } | null;
  ehrRefs: string[];
  ownerPool: string | null;
  escalationContacts: string[];
  version: number;
  updatedBy: string;
  updatedAt: string;
}
interface SiteListing {
  id: string;
  configured: boolean;
  referencedBy: string[];
  site: Site | null;
}

export interface SiteFlags {
  readonly name?: string;
  readonly zone?: string;
  readonly hours?: string[];
  readonly holidays?: string;
  readonly quiet?: string;
  readonly ehrRef?: string[];
  readonly ownerPool?: string;
  readonly escalation?: string[];
  readonly expectedVersion?: string;
  readonly json?: boolean;
}

const HHMM = /^\d{2}:\d{2}$/;

/**
 * `mon-fri 08:00-17:00`, `sat 09:00-12:00`, `sun closed`, `mon,wed 07:30-15:00`: the days (one, a
 * range or a list) and their hours, or `closed`. Later specs override earlier ones for a day.
 */
export function parseHours(specs: readonly string[], problems: ErrorDetail[]): Partial<Record<Weekday, Opening>> {
  const out: Partial<Record<Weekday, Opening>> = {};
  for (const spec of specs) {
    const [days = '', hours = '', ...rest] = spec.trim().toLowerCase().split(/\s+/);
    const dayList = dayRange(days);
    const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(hours);
    if (dayList === undefined || rest.length > 0 || (hours !== 'closed' && m === null)) {
      problems.push({ path: '--hours', message: `"${spec}": days and HH:mm-HH:mm or closed (mon-fri 08:00-17:00)` });
      continue;
    }
    for (const d of dayList) out[d] = m === null ? null : { open: m[1] ?? '', close: m[2] ?? '' };
  }
  return out;
}

function dayRange(days: string): Weekday[] | undefined {
  const index = (d: string): number => (weekdays as readonly string[]).indexOf(d);
  const out: Weekday[] = [];
  for (const part of days.split(',')) {
    const [from = '', to] = part.split('-');
    const a = index(from);
    const b = to === undefined ? a : index(to);
    if (a < 0 || b < a) return undefined;
    out.push(...weekdays.slice(a, b + 1));
  }
  return out;
}

/** The request body for add (`complete`) or update from the flags; every problem at once. */
export function siteBody(o: SiteFlags): Record<string, unknown> {
  const problems: ErrorDetail[] = [];
  const body: Record<string, unknown> = {};
  if (o.name !== undefined) body['name'] = o.name;
  if (o.zone !== undefined) body['zone'] = o.zone;
  if (o.hours !== undefined) body['businessHours'] = parseHours(o.hours, problems);
  if (o.holidays !== undefined)
    body['holidays'] = o.holidays
      .split(',')
      .map((d) => d.trim())
      .filter((d) => d !== '');
  if (o.quiet !== undefined) {
    const [start = '', end = ''] = o.quiet.split('-');
    if (o.quiet === 'none') body['quietHours'] = null;
    else if (HHMM.test(start) && HHMM.test(end)) body['quietHours'] = { start, end };
    else problems.push({ path: '--quiet', message: 'HH:mm-HH:mm (20:00-08:00), or none' });
  }
  if (o.ehrRef !== undefined) body['ehrRefs'] = o.ehrRef;
  if (o.ownerPool !== undefined) body['ownerPool'] = o.ownerPool === 'none' ? null : o.ownerPool;
  if (o.escalation !== undefined) body['escalationContacts'] = o.escalation;
  if (o.expectedVersion !== undefined) {
    if (/^\d{1,9}$/.test(o.expectedVersion)) body['expectedVersion'] = Number(o.expectedVersion);
    else problems.push({ path: '--expected-version', message: 'a whole number' });
  }
  if (problems.length > 0) throw new ValidationError('invalid site flags', problems);
  return body;
}

const hoursText = (h: Record<Weekday, Opening>): string =>
  weekdays
    .filter((d) => h[d] !== null)
    .map((d) => `${d} ${h[d]?.open ?? ''}-${h[d]?.close ?? ''}`)
    .join(', ');

function printSite(g: GlobalOptions, l: SiteListing): void {
  const s = l.site;
  const lines: [string, string][] =
    s === null
      ? [
          ['site', l.id],
          ['configured', `no (referenced by ${l.referencedBy.join(', ')}; add it with: steward sites add ${l.id})`],
        ]
      : [
          ['site', s.id],
          ['name', s.name],
          ['zone', s.zone],
          ['business hours', hoursText(s.businessHours) || '(closed every day)'],
          ['holidays', s.holidays.join(', ') || '(none)'],
          ['quiet hours', s.quietHours === null ? '(none)' : `${s.quietHours.start}-${s.quietHours.end}`],
          ['EHR refs', s.ehrRefs.join(', ') || '(none)'],
          ['owner pool', s.ownerPool ?? '(none)'],
          ['escalation', s.escalationContacts.join(', ') || '(none)'],
          ['version', `${s.version} (by ${s.updatedBy} at ${s.updatedAt})`],
        ];
  for (const [k, v] of lines) g.io.stdout.write(`${k.padEnd(15)} ${v}\n`);
}

export async function sitesList(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  const { items } = await connect(g).request<{ items: SiteListing[] }>('GET', '/sites');
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((l) => ({
      site: l.id,
      configured: l.configured ? 'yes' : 'NOT CONFIGURED',
      name: l.site?.name ?? '',
      zone: l.site?.zone ?? '',
      referencedBy: l.referencedBy,
    })),
    ['site', 'configured', 'name', 'zone', 'referencedBy'],
  );
}

export async function sitesShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  const listing = await connect(g).request<SiteListing>('GET', `/sites/${encodeURIComponent(id)}`);
  if (o.json === true) printJson(g.io.stdout, listing);
  else printSite(g, listing);
}

export async function sitesAdd(g: GlobalOptions, id: string, o: SiteFlags): Promise<void> {
  const site = await connect(g).request<Site>('POST', '/sites', { id, ...siteBody(o) });
  if (o.json === true) printJson(g.io.stdout, site);
  else g.io.stdout.write(`site ${site.id} added (${site.zone}, version ${site.version})\n`);
}

export async function sitesUpdate(g: GlobalOptions, id: string, o: SiteFlags): Promise<void> {
  const site = await connect(g).request<Site>('PATCH', `/sites/${encodeURIComponent(id)}`, siteBody(o));
  if (o.json === true) printJson(g.io.stdout, site);
  else g.io.stdout.write(`site ${site.id} updated (${site.zone}, version ${site.version})\n`);
}

const repeat = (v: string, all: string[] = []): string[] => [...all, v];

function siteOptions(c: Command): Command {
  return c
    .option(
      '--hours <spec>',
      'business hours: "mon-fri 08:00-17:00", "sat 09:00-12:00", "sun closed" (repeatable)',
      repeat,
    )
    .option('--holidays <dates>', 'holidays YYYY-MM-DD, comma-separated (replaces the list; "" for none)')
    .option('--quiet <HH:mm-HH:mm>', 'quiet hours for messages (20:00-08:00), or none')
    .option('--ehr-ref <ref>', 'an EHR organization or location of the site, e.g. Organization/12 (repeatable)', repeat)
    .option('--owner-pool <ref>', 'the default owner pool (or none)')
    .option('--escalation <ref>', 'an escalation contact (repeatable)', repeat)
    .option('--json', 'print the site as JSON');
}

/** Adds `steward sites …` to the program. */
export function siteCommands(p: Command, g: () => GlobalOptions): void {
  const sites = p
    .command('sites')
    .description("the clinic's sites: name, time zone, business hours, holidays, quiet hours");
  sites
    .command('list')
    .description('configured sites, and sites grants or connections name without a record (NOT CONFIGURED)')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => sitesList(g(), o));
  sites
    .command('show <site>')
    .description('one site and its clock')
    .option('--json', 'print it as JSON')
    .action(async (id: string, o: { json?: boolean }) => sitesShow(g(), id, o));
  siteOptions(
    sites
      .command('add <site>')
      .description(
        'configure a site (its code as grants and connections name it); hours default to mon-fri 08:00-17:00',
      )
      .requiredOption('--name <name>', 'the name people see')
      .requiredOption('--zone <zone>', 'IANA time zone, e.g. America/Los_Angeles'),
  ).action(async (id: string, o: SiteFlags) => sitesAdd(g(), id, o));
  siteOptions(
    sites
      .command('update <site>')
      .description('change the fields given; the others stay')
      .option('--name <name>', 'the name people see')
      .option('--zone <zone>', 'IANA time zone')
      .option('--expected-version <n>', 'the version you saw (refused if it changed since)'),
  ).action(async (id: string, o: SiteFlags) => sitesUpdate(g(), id, o));
}
