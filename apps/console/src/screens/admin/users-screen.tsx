/**
 * @module Users, grants and tokens, for an administrator: staff and service accounts (sign-in
 * locks lifted, break-glass eligibility, disabling), the role grants of each by site, granting and
 * revoking, and API tokens listed (never their secrets) and revoked, or issued with the secret shown
 * once. Each section shows only with the permission its API checks (`users.manage`,
 * `grants.manage`, `tokens.manage`); everyone is named, never shown as an id.
 * Route: `#/users`.
 */
import type { ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { AccountsSection } from './accounts-section.js';
import type { ServiceAccountItem, SiteListing, StaffItem, UserItem } from './admin-types.js';
import { useLoaded } from './admin-ui.js';
import { GrantsSection } from './grants-section.js';
import { TokensSection } from './tokens-section.js';
import './admin.css';

/** Who can be granted a role or given a token, by name. */
export interface Directory {
  readonly users: readonly UserItem[];
  readonly services: readonly ServiceAccountItem[];
  readonly staff: readonly StaffItem[];
  readonly sites: readonly SiteListing[] | undefined;
}

/** A principal as people read it: the staff display name with the username, or the service account's name. */
export function principalLabel(
  kind: string,
  id: string,
  name: string | undefined,
  staff: readonly StaffItem[] | undefined,
): string {
  const member = kind === 'user' ? staff?.find((s) => s.userId === id) : undefined;
  if (member !== undefined) return `${member.displayName} (${member.username})`;
  if (name !== undefined) return kind === 'service' ? `${name} (service)` : name;
  return 'an account no longer on file';
}

export function UsersScreen(): ReactNode {
  const { api, can } = useSession();
  const manageUsers = can('users.manage');
  const [directory, reloadDirectory] = useLoaded(async (): Promise<Directory> => {
    const [users, services, staff, sites] = await Promise.all([
      manageUsers ? answer(api.http.GET('/users')).then((a) => a.items) : [],
      manageUsers ? answer(api.http.GET('/service-accounts')).then((a) => a.items) : [],
      can('staff.read') ? answer(api.http.GET('/staff', { params: { query: {} } })).then((a) => a.items) : [],
      can('config.manage') ? answer(api.http.GET('/sites')).then((a) => a.items) : undefined,
    ]);
    return { users, services, staff, sites };
  }, [api, manageUsers]);
  const dir = directory.kind === 'ready' ? directory.value : undefined;
  return (
    <div className="admin">
      <h1>Users, grants and tokens</h1>
      {manageUsers && <AccountsSection directory={directory} reload={reloadDirectory} />}
      {can('grants.manage') && <GrantsSection directory={dir} />}
      {can('tokens.manage') && <TokensSection directory={dir} />}
    </div>
  );
}
