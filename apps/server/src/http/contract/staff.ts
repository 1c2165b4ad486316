/**
 * @module Staff's requests and answers (packages/clinic/src/staff): a user's staff record (display
 * name, title, the practitioner they are, sites, pools at a site, lead) and pools with their members.
 * Shapes here; the service checks the user, the lead (no cycle), the sites and the pools' sites.
 */
import { Type } from 'typebox';
import { DateTime, List, Nullable, SiteCode, Strict } from './common.js';

const PoolName = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'e.g. north-coordinators' });
const UserRef = Type.String({ minLength: 1, maxLength: 200, description: 'a user id or username' });
const Membership = Strict({ pool: PoolName, site: SiteCode });

export const StaffParams = Strict({ user: UserRef });
export const PoolParams = Strict({ pool: PoolName });
export const StaffQuery = Strict({ site: Type.Optional(SiteCode) });

export const SetStaffBody = Strict({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'required the first time' })),
  title: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  practitioner: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'a directory entry id or a 10-digit NPI' })),
  ),
  sites: Type.Optional(Type.Array(SiteCode, { maxItems: 100, description: 'replaces the list' })),
  pools: Type.Optional(
    Type.Array(Membership, { maxItems: 100, description: "replaces the list; each at one of the member's sites" }),
  ),
  lead: Type.Optional(Nullable(UserRef)),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you saw' })),
});

export const StaffName = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  title: Nullable(Type.String()),
});
export const StaffMember = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  title: Nullable(Type.String()),
  practitioner: Nullable(Type.String()),
  sites: List(Type.String()),
  pools: List(Type.Object({ pool: Type.String(), site: Type.String() })),
  lead: Nullable(StaffName),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedBy: Type.String(),
  updatedAt: DateTime,
});
export const StaffList = Type.Object({ items: List(StaffMember) });
export const Pool = Type.Object({ pool: Type.String(), site: Type.String(), members: List(StaffName) });
export const PoolList = Type.Object({ items: List(Pool) });
