/**
 * @module `steward staff list|show|set` and `steward pools list|show`: the clinic's staff by name
 * from a terminal, through the server's API (staff.read to list, staff.manage to change; decided and
 * audited there). A pool is a named group at a site: `--pool north-coordinators@north`, or just the
 * name when the member works at one site.
 */
import type { Command } from 'commander';
import { ValidationError, type ErrorDetail } from '@steward/core';
import { connect, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

/** A staff member as the API answers it (apps/server/src/http/contract/staff.ts). */
interface StaffName {
  userId: string;
  username: string;
  displayName: string;
  title: string | null;
}
interface StaffMember extends StaffName {
  practitioner: string | null;
  sites: string[];
  pools: { pool: string; site: string }[];
  lead: StaffName | null;
  version: number;
  updatedBy: string;
  updatedAt: string;
}
interface Pool {
  pool: string;
  site: string;
  members: StaffName[];
}

export interface StaffFlags {
  readonly name?: string;
  readonly title?: string;
  readonly practitioner?: string;
  readonly site?: string[];
  readonly pool?: string[];
  readonly lead?: string;
  readonly expectedVersion?: string;
  readonly json?: boolean;
}

/** The request body from the flags; every problem at once. `none` clears title, practitioner and lead. */
export function staffBody(o: StaffFlags): Record<string, unknown> {
  const problems: ErrorDetail[] = [];
  const body: Record<string, unknown> = {};
  const orNull = (v: string): string | null => (v === 'none' ? null : v);
  if (o.name !== undefined) body['displayName'] = o.name;
  if (o.title !== undefined) body['title'] = orNull(o.title);
  if (o.practitioner !== undefined) body['practitioner'] = orNull(o.practitioner);
  if (o.site !== undefined) body['sites'] = o.site;
  if (o.pool !== undefined)
    body['pools'] = o.pool.map((spec) => {
      const [pool = '', site] = spec.split('@');
      if (site !== undefined) return { pool, site };
      if (o.site?.length === 1) return { pool, site: o.site[0] };
      problems.push({ path: '--pool', message: `"${spec}": name the site (pool@site) unless --site is given once` });
      return { pool, site: '' };
    });
  if (o.lead !== undefined) body['lead'] = orNull(o.lead);
  if (o.expectedVersion !== undefined) {
    if (/^\d{1,9}$/.test(o.expectedVersion)) body['expectedVersion'] = Number(o.expectedVersion);
    else problems.push({ path: '--expected-version', message: 'a whole number' });
  }
  if (problems.length > 0) throw new ValidationError('invalid staff flags', problems);
  return body;
}

const who = (n: StaffName): string => `${n.displayName} (${n.username})`;

export async function staffList(g: GlobalOptions, o: { site?: string; json?: boolean }): Promise<void> {
  const q = o.site === undefined ? '' : `?site=${encodeURIComponent(o.site)}`;
  const { items } = await connect(g).request<{ items: StaffMember[] }>('GET', `/staff${q}`);
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((m) => ({
      user: m.username,
      name: m.displayName,
      title: m.title ?? '',
      sites: m.sites,
      pools: m.pools.map((p) => p.pool),
      lead: m.lead?.displayName ?? '',
    })),
    ['user', 'name', 'title', 'sites', 'pools', 'lead'],
  );
}

export async function staffShow(g: GlobalOptions, user: string, o: { json?: boolean }): Promise<void> {
  const m = await connect(g).request<StaffMember>('GET', `/staff/${encodeURIComponent(user)}`);
  if (o.json === true) return printJson(g.io.stdout, m);
  const lines: [string, string][] = [
    ['user', `${m.username} (${m.userId})`],
    ['name', m.displayName],
    ['title', m.title ?? '(none)'],
    ['practitioner', m.practitioner ?? '(none)'],
    ['sites', m.sites.join(', ') || '(none)'],
    ['pools', m.pools.map((p) => `${p.pool}@${p.site}`).join(', ') || '(none)'],
    ['lead', m.lead === null ? '(none)' : who(m.lead)],
    ['version', `${m.version} (by ${m.updatedBy} at ${m.updatedAt})`],
  ];
  for (const [k, v] of lines) g.io.stdout.write(`${k.padEnd(13)} ${v}\n`);
}

export async function staffSet(g: GlobalOptions, user: string, o: StaffFlags): Promise<void> {
  const m = await connect(g).request<StaffMember>('PUT', `/staff/${encodeURIComponent(user)}`, staffBody(o));
  if (o.json === true) printJson(g.io.stdout, m);
  else g.io.stdout.write(`staff ${m.username} set: ${m.displayName} (version ${m.version})\n`);
}

export async function poolsList(g: GlobalOptions, o: { site?: string; json?: boolean }): Promise<void> {
  const q = o.site === undefined ? '' : `?site=${encodeURIComponent(o.site)}`;
  const { items } = await connect(g).request<{ items: Pool[] }>('GET', `/pools${q}`);
  if (o.json === true) return printJson(g.io.stdout, items);
  printTable(
    g.io.stdout,
    items.map((p) => ({ pool: p.pool, site: p.site, members: p.members.map((m) => m.displayName) })),
    ['pool', 'site', 'members'],
  );
}

export async function poolsShow(g: GlobalOptions, pool: string, o: { json?: boolean }): Promise<void> {
  const p = await connect(g).request<Pool>('GET', `/pools/${encodeURIComponent(pool)}`);
  if (o.json === true) return printJson(g.io.stdout, p);
  g.io.stdout.write(`pool ${p.pool} at ${p.site}, ${p.members.length} member(s)\n`);
  for (const m of p.members) g.io.stdout.write(`  ${who(m)}${m.title === null ? '' : `, ${m.title}`}\n`);
}

const repeat = (v: string, all: string[] = []): string[] => [...all, v];

/** Adds `steward staff …` and `steward pools …` to the program. */
export function staffCommands(p: Command, g: () => GlobalOptions): void {
  const staff = p.command('staff').description("the clinic's staff by name: sites, pools, lead");
  staff
    .command('list')
    .description('staff at the sites you may see')
    .option('--site <site>', 'only those at this site')
    .option('--json', 'print them as JSON')
    .action(async (o: { site?: string; json?: boolean }) => staffList(g(), o));
  staff
    .command('show <user>')
    .description('one staff member (user id or username)')
    .option('--json', 'print it as JSON')
    .action(async (user: string, o: { json?: boolean }) => staffShow(g(), user, o));
  staff
    .command('set <user>')
    .description("create or change a user's staff record (the fields given; --name required the first time)")
    .option('--name <name>', 'the name people see')
    .option('--title <title>', 'a title (or none)')
    .option('--practitioner <ref>', 'a directory entry id or a 10-digit NPI (or none)')
    .option('--site <site>', 'a site the member works at (repeatable; replaces the list)', repeat)
    .option('--pool <pool[@site]>', 'a pool the member belongs to (repeatable; replaces the list)', repeat)
    .option('--lead <user>', "the member's lead (user id or username, or none)")
    .option('--expected-version <n>', 'the version you saw (refused if it changed since)')
    .option('--json', 'print the record as JSON')
    .action(async (user: string, o: StaffFlags) => staffSet(g(), user, o));
  const pools = p.command('pools').description('pools: named groups of staff at a site');
  pools
    .command('list')
    .description('pools and their members')
    .option('--site <site>', 'only the pools of this site')
    .option('--json', 'print them as JSON')
    .action(async (o: { site?: string; json?: boolean }) => poolsList(g(), o));
  pools
    .command('show <pool>')
    .description('one pool and its members')
    .option('--json', 'print it as JSON')
    .action(async (pool: string, o: { json?: boolean }) => poolsShow(g(), pool, o));
}
