/**
 * @module What a staff member is: a user (keyed by user id) with the name people see, a title, the
 * practitioner they are (a directory entry id or an NPI, when they are one), the sites they work at,
 * the pools they belong to (a pool: a named group at one site, `north-coordinators`) and their lead
 * (another staff member). Validation of the shapes here, every problem at once; what needs the
 * database (the user, the lead, a pool's site, a lead cycle) is checked by the service.
 */
import { ValidationError, type ErrorDetail } from '@steward/core';

/** A pool membership: the pool's name and the site it is at. */
export interface PoolMembership {
  readonly pool: string;
  readonly site: string;
}

/** A staff member by name: what workflows, handoffs and lists show. */
export interface StaffName {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly title: string | null;
}

export interface StaffMember extends StaffName {
  /** A directory entry id (uuid) or an NPI (10 digits); null when the user is not a practitioner. */
  readonly practitioner: string | null;
  readonly sites: readonly string[];
  readonly pools: readonly PoolMembership[];
  /** The lead's user id, and their name. */
  readonly lead: StaffName | null;
  readonly version: number;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** A pool: its name, its site and its members by name. */
export interface Pool {
  readonly pool: string;
  readonly site: string;
  readonly members: readonly StaffName[];
}

/** What an administrator sets. On the first set, `displayName` is required; later, given fields replace. */
export interface StaffInput {
  readonly displayName?: string;
  readonly title?: string | null;
  readonly practitioner?: string | null;
  readonly sites?: readonly string[];
  readonly pools?: readonly PoolMembership[];
  /** The lead's user id or username; null: none. */
  readonly lead?: string | null;
}

/** Pool names follow site codes: lowercase, no spaces, so they can stand in a site's references. */
export const poolName = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const siteCode = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const NPI = /^\d{10}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: string): boolean => UUID.test(v);

/** Checks a first set (`complete`) or a change, and returns the problems (empty: valid). */
export function staffProblems(input: StaffInput, complete: boolean): ErrorDetail[] {
  const p: ErrorDetail[] = [];
  const d = input.displayName;
  if (d !== undefined ? d.trim() === '' || d.length > 200 : complete)
    p.push({ path: 'displayName', message: 'required, at most 200 characters' });
  if (input.title !== undefined && input.title !== null && (input.title.trim() === '' || input.title.length > 200))
    p.push({ path: 'title', message: 'at most 200 characters, or null' });
  const pr = input.practitioner;
  if (pr !== undefined && pr !== null && !NPI.test(pr) && !UUID.test(pr))
    p.push({ path: 'practitioner', message: 'a directory entry id (steward directory) or a 10-digit NPI, or null' });
  (input.sites ?? []).forEach((s, i) => {
    if (!siteCode.test(s)) p.push({ path: `sites.${i}`, message: 'a site code (steward sites list)' });
  });
  if ((input.sites?.length ?? 0) > 100) p.push({ path: 'sites', message: 'at most 100 sites' });
  const seen = new Set<string>();
  (input.pools ?? []).forEach((m, i) => {
    if (!poolName.test(m.pool))
      p.push({ path: `pools.${i}.pool`, message: 'a lowercase pool name (a-z, 0-9, . _ -), at most 64' });
    if (!siteCode.test(m.site)) p.push({ path: `pools.${i}.site`, message: 'a site code' });
    if (seen.has(m.pool)) p.push({ path: `pools.${i}.pool`, message: `pool ${m.pool} given twice` });
    seen.add(m.pool);
  });
  if ((input.pools?.length ?? 0) > 100) p.push({ path: 'pools', message: 'at most 100 pools' });
  if (input.lead !== undefined && input.lead !== null && (input.lead === '' || input.lead.length > 200))
    p.push({ path: 'lead', message: "the lead's user id or username, or null" });
  return p;
}

export function validateStaff(input: StaffInput, complete: boolean): void {
  const problems = staffProblems(input, complete);
  if (problems.length > 0) throw new ValidationError('invalid staff record', problems);
}
