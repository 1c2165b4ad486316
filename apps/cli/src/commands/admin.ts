/**
 * @module `steward users|services|tokens|grants|egress`: administration through the server's API.
 * The server decides who may do what; the CLI only turns names into ids and prints the answers.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { NotFoundError, ValidationError, purposesOfUse, roles, type PurposeOfUse, type Role } from '@steward/core';
import { totpCode } from '@steward/governance';
import { connect, ServerError, type Client, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';
import { readSecret } from '../prompt.js';

export interface GrantFlags {
  readonly role?: string;
  readonly site?: string;
  readonly workflow?: string;
  readonly purpose?: string;
  /** Comma-separated proposal action types (a drafting role only); leave out for all. */
  readonly actionTypes?: string;
}

type Row = Record<string, unknown>;
const items = async (c: Client, path: string): Promise<Row[]> => (await c.request<{ items: Row[] }>('GET', path)).items;

async function userId(c: Client, username: string): Promise<string> {
  const u = (await items(c, '/users')).find((x) => x['username'] === username);
  if (u === undefined) throw new NotFoundError('user');
  return String(u['id']);
}

async function serviceId(c: Client, name: string): Promise<string> {
  const s = (await items(c, '/service-accounts')).find((x) => x['name'] === name);
  if (s === undefined) throw new NotFoundError('service account');
  return String(s['id']);
}

function grantFrom(
  flags: GrantFlags,
):
  | { role: Role; site: string; workflow: string; purposeOfUse: PurposeOfUse; actionTypes?: readonly string[] }
  | undefined {
  if (flags.role === undefined) return undefined;
  if (!roles.includes(flags.role as Role)) {
    throw new ValidationError('unknown role', [{ path: '--role', message: `one of ${roles.join(', ')}` }]);
  }
  const purpose =
    flags.purpose ?? (flags.role === 'admin' ? 'HSYSADMIN' : flags.role === 'compliance_officer' ? 'HCOMPL' : 'TREAT');
  if (!purposesOfUse.includes(purpose as PurposeOfUse)) {
    throw new ValidationError('unknown purpose of use', [
      { path: '--purpose', message: `one of ${purposesOfUse.join(', ')}` },
    ]);
  }
  const actionTypes = flags.actionTypes
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (actionTypes?.length === 0)
    throw new ValidationError('no action types', [
      { path: '--action-types', message: 'a comma-separated list, like task.create,appointment.status' },
    ]);
  return {
    role: flags.role as Role,
    site: flags.site ?? '*',
    workflow: flags.workflow ?? '*',
    purposeOfUse: purpose as PurposeOfUse,
    ...(actionTypes !== undefined ? { actionTypes } : {}),
  };
}

/** A later step refused after the account was made: say what stands, then the refusal. */
async function partly(g: GlobalOptions, done: string, rest: () => Promise<unknown>): Promise<void> {
  try {
    await rest();
  } catch (e) {
    g.io.stderr.write(`${done}, but the rest was not done:\n`);
    throw e;
  }
}

function list(g: GlobalOptions, rows: Row[], columns: string[], o: { json?: boolean }): void {
  if (o.json === true) printJson(g.io.stdout, rows);
  else printTable(g.io.stdout, rows, columns);
}

export async function usersAdd(
  g: GlobalOptions,
  username: string,
  o: GrantFlags & { passwordFile?: string; breakGlass?: boolean },
): Promise<void> {
  const grant = grantFrom(o);
  const c = connect(g);
  const password = await readSecret(g.io, `Password for ${username}`, o.passwordFile, 'STEWARD_USER_PASSWORD');
  const user = await c.request<{ id: string }>('POST', '/users', { username, password });
  const enrolment = await c.request<{ secret: string; uri: string }>('POST', `/users/${user.id}/totp`);
  await c.request('POST', `/users/${user.id}/totp/confirm`, {
    secret: enrolment.secret,
    code: totpCode(enrolment.secret, new Date()),
  });
  g.io.stdout.write(`user ${username} created (${user.id})\nTOTP enrolment (shown once): ${enrolment.uri}\n`);
  await partly(g, `user ${username} exists`, async () => {
    if (o.breakGlass === true) await c.request('PUT', `/users/${user.id}/break-glass`, { eligible: true });
    if (grant !== undefined)
      await c.request('POST', '/grants', { principalKind: 'user', principalId: user.id, ...grant });
  });
}

export async function usersList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  const users = await items(connect(g), '/users');
  list(
    g,
    users.map((u) => ({ ...u, disabled: u['disabledAt'] !== null && u['disabledAt'] !== undefined ? 'yes' : '' })),
    ['id', 'username', 'totpEnrolled', 'breakGlassEligible', 'disabled', 'createdAt'],
    o,
  );
}

export async function usersDisable(g: GlobalOptions, username: string): Promise<void> {
  const c = connect(g);
  await c.request('POST', `/users/${await userId(c, username)}/disable`);
  g.io.stdout.write(`user ${username} disabled: sessions ended, tokens revoked\n`);
}

export async function usersUnlock(g: GlobalOptions, username: string): Promise<void> {
  const c = connect(g);
  const { locksLifted } = await c.request<{ locksLifted: number }>(
    'POST',
    `/users/${await userId(c, username)}/unlock`,
  );
  g.io.stdout.write(`user ${username} unlocked: ${locksLifted} sign-in lock(s) lifted, failure counts cleared\n`);
}

export async function servicesAdd(g: GlobalOptions, name: string, o: GrantFlags): Promise<void> {
  const grant = grantFrom(o);
  const c = connect(g);
  const account = await c.request<{ id: string }>('POST', '/service-accounts', { name });
  g.io.stdout.write(`service account ${name} created (${account.id})\n`);
  if (grant !== undefined)
    await partly(g, `service account ${name} exists`, () =>
      c.request('POST', '/grants', { principalKind: 'service', principalId: account.id, ...grant }),
    );
}

export async function servicesList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  list(g, await items(connect(g), '/service-accounts'), ['id', 'name', 'disabledAt', 'createdAt'], o);
}

/** `steward tokens create`'s flags, as the command line gives them. */
export interface TokensCreateFlags {
  user?: string;
  service?: string;
  name: string;
  scopes: string;
  days: string;
  out?: string;
  currentCode?: string;
}

export async function tokensCreate(g: GlobalOptions, o: TokensCreateFlags): Promise<void> {
  if ((o.user === undefined) === (o.service === undefined)) {
    throw new ValidationError('say whose token this is', [{ path: '--user/--service', message: 'give exactly one' }]);
  }
  const scopes = o.scopes
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const days = Number(o.days);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new ValidationError('invalid expiry', [{ path: '--days', message: 'a whole number from 1 to 365' }]);
  }
  const c = connect(g);
  const principal =
    o.user !== undefined
      ? { principalKind: 'user' as const, principalId: await userId(c, o.user) }
      : { principalKind: 'service' as const, principalId: await serviceId(c, o.service ?? '') };
  const body = { ...principal, name: o.name, scopes, expiresInDays: days };
  const proof = async (): Promise<{ currentPassword: string; currentCode?: string }> => ({
    currentPassword: await readSecret(g.io, 'Your current password', undefined, 'STEWARD_CURRENT_PASSWORD'),
    ...(o.currentCode !== undefined ? { currentCode: o.currentCode } : {}),
  });
  const withProof = o.currentCode !== undefined || (g.io.env['STEWARD_CURRENT_PASSWORD'] ?? '') !== '';
  type Issued = { id: string; token: string; expiresAt: string };
  let issued: Issued;
  try {
    issued = await c.request<Issued>('POST', '/tokens', withProof ? { ...body, ...(await proof()) } : body);
  } catch (e) {
    // A token for oneself is a new credential for one's own account: the server asks for proof.
    if (withProof || !(e instanceof ServerError) || e.code !== 'AUTH_REAUTH_REQUIRED') throw e;
    issued = await c.request<Issued>('POST', '/tokens', { ...body, ...(await proof()) });
  }
  if (o.out !== undefined) {
    writeFileSync(o.out, `${issued.token}\n`, { mode: 0o600 });
    chmodSync(o.out, 0o600);
    g.io.stdout.write(`token ${issued.id} written to ${o.out} (expires ${issued.expiresAt})\n`);
  } else {
    g.io.stdout.write(`token ${issued.id} (expires ${issued.expiresAt}); shown once:\n${issued.token}\n`);
  }
}

export async function tokensList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  list(
    g,
    await items(connect(g), '/tokens'),
    ['id', 'name', 'principalKind', 'principalId', 'scopes', 'expiresAt', 'revokedAt'],
    o,
  );
}

export async function tokensRevoke(g: GlobalOptions, id: string): Promise<void> {
  await connect(g).request('DELETE', `/tokens/${encodeURIComponent(id)}`);
  g.io.stdout.write(`token ${id} revoked\n`);
}

export async function grantsAdd(g: GlobalOptions, o: GrantFlags & { user?: string; service?: string }): Promise<void> {
  const grant = grantFrom(o);
  if (grant === undefined)
    throw new ValidationError('a role is required', [{ path: '--role', message: `one of ${roles.join(', ')}` }]);
  if ((o.user === undefined) === (o.service === undefined))
    throw new ValidationError('say whose grant this is', [{ path: '--user/--service', message: 'give exactly one' }]);
  const c = connect(g);
  const principal =
    o.user !== undefined
      ? { principalKind: 'user' as const, principalId: await userId(c, o.user) }
      : { principalKind: 'service' as const, principalId: await serviceId(c, o.service ?? '') };
  const added = await c.request<{ id: string }>('POST', '/grants', { ...principal, ...grant });
  g.io.stdout.write(
    `grant ${added.id}: ${grant.role} at site ${grant.site}, workflow ${grant.workflow}, for ${grant.purposeOfUse}` +
      `${grant.actionTypes !== undefined ? `, proposing ${grant.actionTypes.join(', ')} only` : ''}\n`,
  );
}

export async function grantsList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  const rows = await items(connect(g), '/grants');
  if (o.json === true) printJson(g.io.stdout, rows);
  else
    printTable(
      g.io.stdout,
      // A grant without action types allows drafting any of them.
      rows.map((r) => ({ ...r, actionTypes: r['actionTypes'] ?? '*' })),
      ['id', 'principalKind', 'principalId', 'role', 'site', 'workflow', 'purposeOfUse', 'actionTypes'],
    );
}

export async function grantsRevoke(g: GlobalOptions, id: string): Promise<void> {
  await connect(g).request('DELETE', `/grants/${encodeURIComponent(id)}`);
  g.io.stdout.write(`grant ${id} revoked\n`);
}

export async function egressAdd(
  g: GlobalOptions,
  name: string,
  o: { url: string; kind: string; baa?: string; allowPrivate?: boolean },
): Promise<void> {
  if (!['ehr', 'messaging', 'ai', 'other'].includes(o.kind)) {
    throw new ValidationError('unknown kind', [{ path: '--kind', message: 'one of ehr, messaging, ai, other' }]);
  }
  const d = await connect(g).request<{ name: string; baseUrl: string; baaOnRecord: boolean; baaReference?: string }>(
    'POST',
    '/egress',
    {
      name,
      kind: o.kind,
      baseUrl: o.url,
      baaOnRecord: o.baa !== undefined,
      ...(o.baa !== undefined ? { baaReference: o.baa } : {}),
      allowPrivateNetwork: o.allowPrivate === true,
    },
  );
  g.io.stdout.write(
    `destination ${d.name} registered: ${d.baseUrl} (BAA ${d.baaOnRecord ? `on record: ${d.baaReference ?? ''}` : 'NOT on record: no PHI will be sent'})\n`,
  );
}

export async function egressList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  list(
    g,
    await items(connect(g), '/egress'),
    ['name', 'kind', 'baseUrl', 'baaOnRecord', 'baaReference', 'allowPrivateNetwork'],
    o,
  );
}
