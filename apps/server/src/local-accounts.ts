/**
 * @module The server's own service accounts (the sandbox's operator, the workflows' drafter, the
 * applier), each created once with one grant at every site for the least role its job needs —
 * the composition root bootstrapping them as `steward init` bootstraps the first administrator.
 */
import type { Actor, PurposeOfUse, Role } from '@steward/core';
import type { Kernel } from './kernel.js';

/** The server bootstrapping its own accounts at start-up (as `steward init` bootstraps the first administrator). */
export const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'steward-start',
  authMethod: 'local-operator',
};

/**
 * The named account, created with its grant when missing. Several processes sharing one
 * PostgreSQL may start at once: one creates the account and grants it; the others find it (or
 * lose the race to create it) and, while it is young (under a minute) and has no grant yet, wait
 * up to 5 s for the creator's grant. An older account without a grant is left as it is: its grant
 * was revoked on purpose.
 */
export async function localServiceAccount(
  kernel: Pick<Kernel, 'bootstrap' | 'grants'>,
  name: string,
  role: Role,
  purposeOfUse: PurposeOfUse,
): Promise<Actor> {
  const find = async () => (await kernel.bootstrap.serviceAccounts.list()).find((a) => a.name === name);
  let account = await find();
  if (account === undefined) {
    try {
      account = await kernel.bootstrap.serviceAccounts.create(name, bootstrap);
      await kernel.grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role,
        site: '*',
        workflow: '*',
        purposeOfUse,
      });
      return { kind: 'service', id: account.id, name, authMethod: 'local-operator' };
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ALREADY_EXISTS') throw e;
      account = await find();
      if (account === undefined) throw e;
    }
  }
  const { id, createdAt } = account;
  const until = Date.now() + 5_000;
  while (
    Date.now() - createdAt.getTime() < 60_000 &&
    Date.now() < until &&
    (await kernel.grants.forPrincipal(id)).length === 0
  )
    await new Promise((resolve) => setTimeout(resolve, 50));
  return { kind: 'service', id, name, authMethod: 'local-operator' };
}
