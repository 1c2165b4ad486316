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

export async function localServiceAccount(
  kernel: Pick<Kernel, 'bootstrap' | 'grants'>,
  name: string,
  role: Role,
  purposeOfUse: PurposeOfUse,
): Promise<Actor> {
  let account = (await kernel.bootstrap.serviceAccounts.list()).find((a) => a.name === name);
  if (account === undefined) {
    account = await kernel.bootstrap.serviceAccounts.create(name, bootstrap);
    await kernel.grants.add(bootstrap, {
      principalKind: 'service',
      principalId: account.id,
      role,
      site: '*',
      workflow: '*',
      purposeOfUse,
    });
  }
  return { kind: 'service', id: account.id, name, authMethod: 'local-operator' };
}
