/** @module The administration screens' API shapes, from the generated schema, and the words for roles and purposes. */
import type { Answer } from '../../api/types.js';

export type UserItem = Answer<'/users', 'get'>['items'][number];
export type ServiceAccountItem = Answer<'/service-accounts', 'get'>['items'][number];
export type GrantItem = Answer<'/grants', 'get'>['items'][number];
export type TokenItem = Answer<'/tokens', 'get'>['items'][number];
export type StaffItem = Answer<'/staff', 'get'>['items'][number];
export type SiteListing = Answer<'/sites', 'get'>['items'][number];
export type SiteRecord = NonNullable<SiteListing['site']>;
export type ApprovalPolicyItem = Answer<'/approval-policies', 'get'>['items'][number];
export type ConnectionItem = Answer<'/ehr/connections', 'get'>['items'][number];
export type AttentionList = Answer<'/ehr/connections/{name}/dead-letters', 'get'>;
export type FlaggedEvents = Answer<'/ehr/connections/{name}/flagged-events', 'get'>;
export type CheckReport = Answer<'/ehr/connections/{name}/check', 'post'>;

export type Role = GrantItem['role'];
export type PurposeOfUse = GrantItem['purposeOfUse'];

/** Every role, named (a new role fails the typecheck until it has a name). */
export const roleNames: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  compliance_officer: 'Compliance officer',
  coordinator: 'Coordinator',
  front_desk: 'Front desk',
  clinician_reviewer: 'Clinician reviewer',
  automation: 'Automation (service)',
  integration: 'EHR interface (service)',
  agent: 'Agent (outside service)',
};

export const purposeNames: Readonly<Record<PurposeOfUse, string>> = {
  TREAT: 'Treatment',
  ETREAT: 'Emergency treatment',
  HOPERAT: 'Operations',
  HPAYMT: 'Payment',
  HSYSADMIN: 'System administration',
  HCOMPL: 'Compliance',
};

export function roleName(role: string): string {
  return Object.hasOwn(roleNames, role) ? roleNames[role as Role] : role;
}

/** A site code as people read it: its configured name, "every site" for `*`, else the code. */
export function siteName(code: string, sites: readonly SiteListing[] | undefined): string {
  if (code === '*') return 'Every site';
  const name = sites?.find((s) => s.id === code)?.site?.name;
  return name !== undefined ? `${name} (${code})` : code;
}
