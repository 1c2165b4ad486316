/**
 * @module `steward demo-accounts`: the console's demo staff (created by `npm start` when the sandbox
 * EHR is the embedded default) with their passwords and the TOTP codes valid now, so the console
 * can be tried without an authenticator app. Synthetic data only.
 */
import { totpCode } from '@steward/governance';
import { demoAccountsFile, loadConfig, readDemoAccounts } from '@steward/server';
import { UserError } from '@steward/core';
import type { CliIo } from '../io.js';

export function demoAccounts(io: CliIo): void {
  const config = loadConfig(io.env);
  const file = demoAccountsFile(config.store.dataDir);
  const accounts = [...readDemoAccounts(file).values()];
  if (accounts.length === 0) {
    throw new UserError(
      'NOT_FOUND',
      `no demo accounts in ${file}: run \`npm start\` once with the sandbox EHR (the embedded default) to create them`,
    );
  }
  const now = new Date();
  const rows = accounts.map((a) => ({
    username: a.username,
    role: a.role,
    site: a.site,
    password: a.password,
    code: totpCode(a.totpSecret, now),
  }));
  const secondsLeft = 30 - (Math.floor(now.getTime() / 1000) % 30);
  io.stdout.write(
    [
      `Console demo accounts (synthetic data only) — codes valid for ${secondsLeft} s more:`,
      ...rows.map(
        (r) =>
          `  ${r.username.padEnd(18)} ${r.role.padEnd(19)} site ${r.site.padEnd(8)} password ${r.password}  code ${r.code}`,
      ),
      '',
    ].join('\n'),
  );
}
