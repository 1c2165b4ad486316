/**
 * @module Staff accounts for trying the console on the sandbox's synthetic data: one per role a
 * clinic has (coordinator, clinician reviewer, compliance officer, administrator) plus a coordinator of another
 * site, who sees none of the sandbox's patients unless they break the glass. Created only when the
 * sandbox EHR is the embedded default, once; their passwords and TOTP secrets are written to one
 * file in the data directory, readable by its owner only (`steward demo-accounts` prints them with
 * the current codes). Never on a server connected to a real EHR.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PurposeOfUse, Role } from '@steward/core';
import { totpCode } from '@steward/governance';
import type { Kernel } from '../kernel.js';
import { bootstrap, localServiceAccount } from '../local-accounts.js';

export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly role: Role;
  readonly site: string;
  readonly breakGlassEligible: boolean;
}

const staff: readonly Omit<DemoAccount, 'password' | 'totpSecret'>[] = [
  { username: 'demo.coordinator', role: 'coordinator', site: 'sandbox', breakGlassEligible: false },
  // Sorts the paperwork that arrives (intake) and works the handoffs of the site's intake pool.
  { username: 'demo.frontdesk', role: 'front_desk', site: 'sandbox', breakGlassEligible: false },
  { username: 'demo.reviewer', role: 'clinician_reviewer', site: 'sandbox', breakGlassEligible: false },
  { username: 'demo.compliance', role: 'compliance_officer', site: '*', breakGlassEligible: false },
  { username: 'demo.north', role: 'coordinator', site: 'north', breakGlassEligible: true },
  // Users, grants, tokens, sites and EHR connections; reads no chart.
  { username: 'demo.admin', role: 'admin', site: '*', breakGlassEligible: false },
];

const purposeOf: Partial<Record<Role, PurposeOfUse>> = { compliance_officer: 'HCOMPL', admin: 'HSYSADMIN' };

export function demoAccountsFile(dataDir: string): string {
  return join(dataDir, 'demo-accounts.json');
}

/** Creates the accounts that do not exist yet; returns the file that holds their sign-in secrets. */
export async function ensureDemoStaff(
  kernel: Pick<Kernel, 'bootstrap' | 'grants' | 'clock' | 'staff'>,
  dataDir: string,
): Promise<{ file: string; created: number }> {
  const file = demoAccountsFile(dataDir);
  const known = readDemoAccounts(file);
  const existing = new Set((await kernel.bootstrap.users.list()).map((u) => u.username));
  let created = 0;
  for (const s of staff) {
    if (existing.has(s.username)) continue;
    const password = randomBytes(12).toString('base64url');
    const user = await kernel.bootstrap.users.create({ username: s.username, password }, bootstrap);
    const enrolment = await kernel.bootstrap.users.startTotpEnrolment(user.id);
    await kernel.bootstrap.users.confirmTotp(
      user.id,
      enrolment.secret,
      totpCode(enrolment.secret, kernel.clock.now()),
      bootstrap,
    );
    await kernel.grants.add(bootstrap, {
      principalKind: 'user',
      principalId: user.id,
      role: s.role,
      site: s.site,
      workflow: '*',
      purposeOfUse: purposeOf[s.role] ?? 'TREAT',
    });
    if (s.breakGlassEligible) await kernel.bootstrap.users.setBreakGlassEligible(user.id, true, bootstrap);
    known.set(s.username, { ...s, password, totpSecret: enrolment.secret });
    created++;
  }
  if (created > 0) await ensureDemoPools(kernel);
  if (created > 0) {
    // On PostgreSQL with the master key from the environment, nothing else may have made the folder.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify([...known.values()], null, 2) + '\n', { mode: 0o600 });
  }
  return { file, created };
}

export function readDemoAccounts(file: string): Map<string, DemoAccount> {
  if (!existsSync(file)) return new Map();
  const list = JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[];
  return new Map(list.map((a) => [a.username, a]));
}

/**
 * The sandbox site's staff records: names people see in queues and handoffs, the `intake` pool that
 * sorting, matching and incomplete-document handoffs go to (intake's default pool), the `referrals`
 * pool a referral's incomplete consult note goes to, and the front
 * desk's lead, whom an unaccepted handoff escalates to.
 */
const demoStaffRecords: readonly {
  username: string;
  displayName: string;
  title: string;
  pools: string[];
  lead?: string;
}[] = [
  {
    username: 'demo.coordinator',
    displayName: 'Dana Whitfield',
    title: 'Referral coordinator',
    // `referrals`: what a referral's incomplete consult note or result asks (intake's referral pool).
    pools: ['intake', 'referrals'],
  },
  {
    username: 'demo.frontdesk',
    displayName: 'Luis Ortega',
    title: 'Front desk',
    pools: ['intake'],
    lead: 'demo.coordinator',
  },
  { username: 'demo.reviewer', displayName: 'Dr. Priya Raman', title: 'Clinician reviewer', pools: [] },
];

async function ensureDemoPools(kernel: Pick<Kernel, 'bootstrap' | 'grants' | 'staff'>): Promise<void> {
  const actor = await localServiceAccount(kernel, 'steward-demo-setup', 'admin', 'HSYSADMIN');
  const ctx = { actor };
  const site = 'sandbox';
  for (const r of demoStaffRecords) {
    if ((await kernel.staff.list(ctx)).some((m) => m.username === r.username)) continue;
    await kernel.staff.set(ctx, r.username, {
      displayName: r.displayName,
      title: r.title,
      sites: [site],
      pools: r.pools.map((pool) => ({ site, pool })),
      ...(r.lead !== undefined ? { lead: r.lead } : {}),
    });
  }
}
