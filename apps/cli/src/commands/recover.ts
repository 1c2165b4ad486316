/**
 * @module `steward recover admin <username> --reason <why>`: the way back when every administrator
 * is locked out (a lost authenticator, a forgotten password). Like `init`, it opens the store
 * itself and acts as the local operator, who already holds the data directory and the master key:
 * no login is possible, so none is asked. An administrator gets a new password and a new TOTP
 * secret (both printed once), their sign-in locks lifted and their sessions ended; when no
 * enabled administrator is left, a new username makes a fresh one. Every outcome, refusals
 * included, is audited with the reason. On the embedded store it refuses while the server runs.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { UserError, ValidationError, type Actor } from '@steward/core';
import { totpCode, type UserSummary } from '@steward/governance';
import { loadConfig, type Kernel } from '@steward/server';
import { cliLogger, openStore } from '../session.js';
import type { CliIo } from '../io.js';

export interface RecoverFlags {
  readonly reason: string;
}

/** The local operator, as `steward recover` acts: the system actor `init` also uses. */
export function recoveryActor(): Actor {
  return {
    kind: 'service',
    id: '00000000-0000-4000-8000-000000000000',
    name: `steward-recover:${userInfo().username}`,
    authMethod: 'local-operator',
  };
}

export async function recoverAdmin(io: CliIo, username: string, o: RecoverFlags): Promise<void> {
  const reason = o.reason.trim();
  if (reason === '')
    throw new ValidationError('say why the account is recovered', [
      { path: '--reason', message: 'required: kept in the audit trail' },
    ]);
  const config = loadConfig(io.env);
  const kernel = await openStore(io, config, cliLogger(io));
  try {
    const by = recoveryActor();
    const users = await kernel.bootstrap.users.list();
    const admins = await enabledAdmins(kernel, users);
    const user = users.find((u) => u.username === username);
    const refuse = async (e: Error): Promise<never> => {
      await kernel.audit.append({
        actor: by,
        event: 'admin.user_changed',
        action: 'U',
        outcome: 'failure',
        ...(user !== undefined ? { entity: { kind: 'user', id: user.id } } : {}),
        reason: `offline recovery refused: ${reason}`,
      });
      throw e;
    };
    if (user === undefined) {
      if (admins.length > 0)
        await refuse(
          new UserError(
            'NOT_FOUND',
            `no user ${username}; recover one of the administrators instead: ${admins.map((a) => a.username).join(', ')}`,
          ),
        );
      return await freshAdmin(io, kernel, username, reason, by);
    }
    if (user.disabledAt !== null)
      await refuse(
        new ValidationError(`${username} is disabled: recovery does not enable an account (rule: disabled)`, [
          { path: 'username', message: 'recover an enabled administrator, or create a fresh one when none is left' },
        ]),
      );
    if (!admins.some((a) => a.id === user.id))
      await refuse(
        new ValidationError(`${username} is not an administrator (rule: not_admin)`, [
          { path: 'username', message: 'recover an administrator, who can then help this user' },
        ]),
      );
    const password = newPassword();
    const { locksLifted } = await kernel.bootstrap.users.unlock(user.id, by);
    await kernel.bootstrap.users.setPassword(user.id, password, by);
    const uri = await enrolTotp(kernel, user.id, by);
    await kernel.audit.append({
      actor: by,
      event: 'admin.user_changed',
      action: 'U',
      outcome: 'success',
      entity: { kind: 'user', id: user.id },
      fields: ['password', 'totp_secret', 'login_failures'],
      reason: `offline recovery: ${reason}`,
    });
    io.stdout.write(
      [
        `Administrator ${username} recovered: ${locksLifted} sign-in lock(s) lifted, every session ended.`,
        ...printedOnce(password, uri),
      ].join('\n'),
    );
  } finally {
    await kernel.close();
  }
}

/** Enabled users holding a live admin grant. */
async function enabledAdmins(kernel: Kernel, users: readonly UserSummary[]): Promise<UserSummary[]> {
  const grants = await kernel.grants.list();
  const adminIds = new Set(
    grants.filter((g) => g.principalKind === 'user' && g.role === 'admin').map((g) => g.principalId),
  );
  return users.filter((u) => u.disabledAt === null && adminIds.has(u.id));
}

async function freshAdmin(io: CliIo, kernel: Kernel, username: string, reason: string, by: Actor): Promise<void> {
  const password = newPassword();
  const admin = await kernel.bootstrap.users.create({ username, password }, by);
  const uri = await enrolTotp(kernel, admin.id, by);
  await kernel.grants.add(by, {
    principalKind: 'user',
    principalId: admin.id,
    role: 'admin',
    site: '*',
    workflow: '*',
    purposeOfUse: 'HSYSADMIN',
  });
  await kernel.audit.append({
    actor: by,
    event: 'admin.user_changed',
    action: 'C',
    outcome: 'success',
    entity: { kind: 'user', id: admin.id },
    fields: ['username', 'password', 'totp_secret'],
    reason: `offline recovery, no administrator left: ${reason}`,
  });
  io.stdout.write(
    [
      `No enabled administrator was left: ${username} is a new one (admin at every site).`,
      ...printedOnce(password, uri),
    ].join('\n'),
  );
}

async function enrolTotp(kernel: Kernel, userId: string, by: Actor): Promise<string> {
  const enrolment = await kernel.bootstrap.users.startTotpEnrolment(userId);
  await kernel.bootstrap.users.confirmTotp(
    userId,
    enrolment.secret,
    totpCode(enrolment.secret, kernel.clock.now()),
    by,
  );
  return enrolment.uri;
}

/** 24 characters from 144 random bits: well past the password policy. */
function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

function printedOnce(password: string, uri: string): string[] {
  return [
    ``,
    `Shown once; give them to the administrator over a trusted channel:`,
    `  password:         ${password}`,
    `  TOTP enrolment:   ${uri}`,
    ``,
    `Log in with them (\`steward login\`); an administrator can set another password (PUT /users/{id}/password).`,
    ``,
  ];
}
