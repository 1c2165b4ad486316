/** @module `steward users|services|tokens|grants|egress`: administration through the governed kernel. */
import { chmodSync, writeFileSync } from 'node:fs';
import { NotFoundError, ValidationError, purposesOfUse, roles, type PurposeOfUse, type Role } from '@steward/core';
import { actions, selfServiceScope, totpCode, type DestinationKind } from '@steward/governance';
import type { Kernel } from '@steward/server';
import { withSession, type GlobalOptions } from '../session.js';
import { printTable } from '../output.js';
import { readSecret } from '../prompt.js';

export interface GrantFlags {
  readonly role?: string;
  readonly site?: string;
  readonly workflow?: string;
  readonly purpose?: string;
}

async function userId(kernel: Kernel, username: string): Promise<string> {
  const u = (await kernel.users.list()).find((x) => x.username === username);
  if (u === undefined) throw new NotFoundError('user');
  return u.id;
}

async function serviceId(kernel: Kernel, name: string): Promise<string> {
  const s = (await kernel.serviceAccounts.list()).find((x) => x.name === name);
  if (s === undefined) throw new NotFoundError('service account');
  return s.id;
}

function grantFrom(
  flags: GrantFlags,
): { role: Role; site: string; workflow: string; purposeOfUse: PurposeOfUse } | undefined {
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
  return {
    role: flags.role as Role,
    site: flags.site ?? '*',
    workflow: flags.workflow ?? '*',
    purposeOfUse: purpose as PurposeOfUse,
  };
}

export async function usersAdd(
  g: GlobalOptions,
  username: string,
  o: GrantFlags & { passwordFile?: string; breakGlass?: boolean },
): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    const grant = grantFrom(o);
    if (grant !== undefined) await kernel.policy.enforce(ctx, 'grants.manage');
    const password = await readSecret(`Password for ${username}`, o.passwordFile, 'STEWARD_USER_PASSWORD');
    const user = await kernel.users.create({ username, password }, actor);
    const enrolment = await kernel.users.startTotpEnrolment(user.id);
    await kernel.users.confirmTotp(user.id, enrolment.secret, totpCode(enrolment.secret, kernel.clock.now()), actor);
    if (o.breakGlass === true) await kernel.users.setBreakGlassEligible(user.id, true, actor);
    if (grant !== undefined) await kernel.grants.add(actor, { principalKind: 'user', principalId: user.id, ...grant });
    process.stdout.write(`user ${username} created (${user.id})\nTOTP enrolment (shown once): ${enrolment.uri}\n`);
  });
}

export async function usersList(g: GlobalOptions): Promise<void> {
  await withSession(g, async ({ kernel, ctx }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    const users = await kernel.users.list();
    printTable(
      users.map((u) => ({ ...u, disabled: u.disabledAt !== null ? 'yes' : '' })),
      ['id', 'username', 'totpEnrolled', 'breakGlassEligible', 'disabled', 'createdAt'],
    );
  });
}

export async function usersDisable(g: GlobalOptions, username: string): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    await kernel.users.disable(await userId(kernel, username), actor);
    process.stdout.write(`user ${username} disabled: sessions ended, tokens revoked\n`);
  });
}

export async function usersUnlock(g: GlobalOptions, username: string): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    const { locksLifted } = await kernel.users.unlock(await userId(kernel, username), actor);
    process.stdout.write(`user ${username} unlocked: ${locksLifted} sign-in lock(s) lifted, failure counts cleared\n`);
  });
}

export async function servicesAdd(g: GlobalOptions, name: string, o: GrantFlags): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    const grant = grantFrom(o);
    if (grant !== undefined) await kernel.policy.enforce(ctx, 'grants.manage');
    const account = await kernel.serviceAccounts.create(name, actor);
    if (grant !== undefined)
      await kernel.grants.add(actor, { principalKind: 'service', principalId: account.id, ...grant });
    process.stdout.write(`service account ${name} created (${account.id})\n`);
  });
}

export async function servicesList(g: GlobalOptions): Promise<void> {
  await withSession(g, async ({ kernel, ctx }) => {
    await kernel.policy.enforce(ctx, 'users.manage');
    printTable((await kernel.serviceAccounts.list()) as unknown as Record<string, unknown>[], [
      'id',
      'name',
      'disabledAt',
      'createdAt',
    ]);
  });
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
  const unknown = scopes.filter(
    (s) => s !== '*' && s !== selfServiceScope && !(actions as readonly string[]).includes(s),
  );
  if (unknown.length > 0)
    throw new ValidationError('unknown scope', [
      { path: '--scopes', message: `use * or: ${[selfServiceScope, ...actions].join(', ')}` },
    ]);
  const days = Number(o.days);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new ValidationError('invalid expiry', [{ path: '--days', message: 'a whole number from 1 to 365' }]);
  }
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'tokens.manage');
    const principal =
      o.user !== undefined
        ? { kind: 'user' as const, id: await userId(kernel, o.user) }
        : { kind: 'service' as const, id: await serviceId(kernel, o.service ?? '') };
    // A token for oneself is a new credential for one's own account: prove it is really you.
    if (principal.kind === 'user' && actor.kind === 'user' && principal.id === actor.id) {
      await kernel.policy.enforceSelf(ctx, principal.id);
      const password = await readSecret('Your current password', undefined, 'STEWARD_CURRENT_PASSWORD');
      await kernel.reauth.require(
        actor,
        { password, ...(o.currentCode !== undefined ? { totpCode: o.currentCode } : {}) },
        { address: 'cli' },
      );
    }
    const issued = await kernel.tokens.issue(
      { principal, name: o.name, scopes, expiresAt: new Date(kernel.clock.now().getTime() + days * 86_400_000) },
      actor,
    );
    if (o.out !== undefined) {
      writeFileSync(o.out, `${issued.token}\n`, { mode: 0o600 });
      chmodSync(o.out, 0o600);
      process.stdout.write(`token ${issued.id} written to ${o.out} (expires ${issued.expiresAt.toISOString()})\n`);
    } else {
      process.stdout.write(
        `token ${issued.id} (expires ${issued.expiresAt.toISOString()}); shown once:\n${issued.token}\n`,
      );
    }
  });
}

export async function tokensList(g: GlobalOptions): Promise<void> {
  await withSession(g, async ({ kernel, ctx }) => {
    await kernel.policy.enforce(ctx, 'tokens.manage');
    printTable((await kernel.tokens.list()) as unknown as Record<string, unknown>[], [
      'id',
      'name',
      'principalKind',
      'principalId',
      'scopes',
      'expiresAt',
      'revokedAt',
    ]);
  });
}

export async function tokensRevoke(g: GlobalOptions, id: string): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'tokens.manage');
    await kernel.tokens.revoke(id, actor);
    process.stdout.write(`token ${id} revoked\n`);
  });
}

export async function grantsAdd(g: GlobalOptions, o: GrantFlags & { user?: string; service?: string }): Promise<void> {
  const grant = grantFrom(o);
  if (grant === undefined)
    throw new ValidationError('a role is required', [{ path: '--role', message: `one of ${roles.join(', ')}` }]);
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'grants.manage');
    const principal =
      o.user !== undefined
        ? { principalKind: 'user' as const, principalId: await userId(kernel, o.user) }
        : { principalKind: 'service' as const, principalId: await serviceId(kernel, o.service ?? '') };
    const added = await kernel.grants.add(actor, { ...principal, ...grant });
    process.stdout.write(
      `grant ${added.id}: ${grant.role} at site ${grant.site}, workflow ${grant.workflow}, for ${grant.purposeOfUse}\n`,
    );
  });
}

export async function grantsList(g: GlobalOptions): Promise<void> {
  await withSession(g, async ({ kernel, ctx }) => {
    await kernel.policy.enforce(ctx, 'grants.manage');
    printTable((await kernel.grants.list()) as unknown as Record<string, unknown>[], [
      'id',
      'principalKind',
      'principalId',
      'role',
      'site',
      'workflow',
      'purposeOfUse',
    ]);
  });
}

export async function grantsRevoke(g: GlobalOptions, id: string): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'grants.manage');
    await kernel.grants.revoke(actor, id);
    process.stdout.write(`grant ${id} revoked\n`);
  });
}

export async function egressAdd(
  g: GlobalOptions,
  name: string,
  o: { url: string; kind: string; baa?: string; allowPrivate?: boolean },
): Promise<void> {
  if (!['ehr', 'messaging', 'ai', 'other'].includes(o.kind)) {
    throw new ValidationError('unknown kind', [{ path: '--kind', message: 'one of ehr, messaging, ai, other' }]);
  }
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'egress.manage');
    const d = await kernel.egress.register(actor, {
      name,
      kind: o.kind as DestinationKind,
      baseUrl: o.url,
      baaOnRecord: o.baa !== undefined,
      ...(o.baa !== undefined ? { baaReference: o.baa } : {}),
      allowPrivateNetwork: o.allowPrivate === true,
    });
    process.stdout.write(
      `destination ${d.name} registered: ${d.baseUrl} (BAA ${d.baaOnRecord ? `on record: ${d.baaReference ?? ''}` : 'NOT on record: no PHI will be sent'})\n`,
    );
  });
}

export async function egressList(g: GlobalOptions): Promise<void> {
  await withSession(g, async ({ kernel, ctx }) => {
    await kernel.policy.enforce(ctx, 'egress.manage');
    printTable((await kernel.egress.list()) as unknown as Record<string, unknown>[], [
      'name',
      'kind',
      'baseUrl',
      'baaOnRecord',
      'baaReference',
      'allowPrivateNetwork',
    ]);
  });
}
