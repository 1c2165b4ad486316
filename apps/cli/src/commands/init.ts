/**
 * @module `steward init`: the data directory, the master key (0600), the schema, and the first
 * administrator with TOTP. Runs once; it refuses a store that already has users.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ConflictError, type Actor } from '@steward/core';
import { totpCode } from '@steward/governance';
import { loadConfig, type StewardConfig } from '@steward/server';
import { embeddedStoreDir } from '@steward/store';
import { cliLogger, openStore } from '../session.js';
import { readSecret } from '../prompt.js';
import type { CliIo } from '../io.js';

export interface InitOptions {
  readonly adminUser: string;
  readonly adminPasswordFile?: string;
  readonly tokenOut?: string;
}

/** Who runs `init`: the local operator, who holds the data directory and master key already. */
export function bootstrapActor(): Actor {
  return {
    kind: 'service',
    id: '00000000-0000-4000-8000-000000000000',
    name: `steward-init:${userInfo().username}`,
    authMethod: 'local-operator',
  };
}

/**
 * A failed `init` leaves nothing it made behind: the data directory, the master key file and the
 * embedded store it created are removed, so the next `init` starts clean (a key file left beside
 * no store — or a store sealed under a deleted key — would make it fail or look initialized).
 */
export async function init(io: CliIo, options: InitOptions): Promise<void> {
  const config = loadConfig(io.env);
  const made = {
    dataDir: !existsSync(config.store.dataDir),
    keyFile: !config.store.masterKeyFromEnv && !existsSync(config.store.masterKeyFile),
    store: config.store.databaseUrl === undefined && !existsSync(embeddedStoreDir(config.store.dataDir)),
    opened: false,
  };
  try {
    await initialize(io, config, options, () => (made.opened = true));
  } catch (e) {
    undo(io, config, made);
    throw e;
  }
}

function undo(
  io: CliIo,
  config: StewardConfig,
  made: { dataDir: boolean; keyFile: boolean; store: boolean; opened: boolean },
): void {
  if (made.dataDir) {
    rmSync(config.store.dataDir, { recursive: true, force: true });
    if (!made.keyFile) return;
  } else if (made.store) {
    rmSync(embeddedStoreDir(config.store.dataDir), { recursive: true, force: true });
  }
  if (!made.keyFile) return;
  // A store that was opened already holds data keys sealed with the new master key: keep the
  // key unless that store is gone too (only PostgreSQL outlives a failed init).
  if (made.opened && !made.store) {
    io.stderr.write(
      `note: the master key file ${config.store.masterKeyFile} was kept: the database now holds data keys sealed with it\n`,
    );
    return;
  }
  rmSync(config.store.masterKeyFile, { force: true });
}

async function initialize(io: CliIo, config: StewardConfig, options: InitOptions, opened: () => void): Promise<void> {
  mkdirSync(config.store.dataDir, { recursive: true, mode: 0o700 });
  const kernel = await openStore(io, config, cliLogger(io), { createMasterKey: !config.store.masterKeyFromEnv });
  opened();
  try {
    if ((await kernel.bootstrap.users.list()).length > 0) {
      throw new ConflictError(
        'ALREADY_EXISTS',
        'Steward is already initialized here: add users with `steward users add`',
      );
    }
    const password = await readSecret(
      io,
      'Administrator password',
      options.adminPasswordFile,
      'STEWARD_ADMIN_PASSWORD',
    );
    const by = bootstrapActor();
    const admin = await kernel.bootstrap.users.create({ username: options.adminUser, password }, by);
    const enrolment = await kernel.bootstrap.users.startTotpEnrolment(admin.id);
    await kernel.bootstrap.users.confirmTotp(
      admin.id,
      enrolment.secret,
      totpCode(enrolment.secret, kernel.clock.now()),
      by,
    );
    await kernel.grants.add(by, {
      principalKind: 'user',
      principalId: admin.id,
      role: 'admin',
      site: '*',
      workflow: '*',
      purposeOfUse: 'HSYSADMIN',
    });
    io.stdout.write(
      [
        `Steward initialized.`,
        `  store:       ${config.store.databaseUrl !== undefined ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.store.dataDir}`}`,
        `  master key:  ${config.store.masterKeyFromEnv ? 'STEWARD_MASTER_KEY' : config.store.masterKeyFile} (back it up: without it the data cannot be read)`,
        `  admin:       ${admin.username}`,
        ``,
        `Add this TOTP secret to the administrator's authenticator app now (it is shown once):`,
        `  ${enrolment.uri}`,
        ``,
      ].join('\n'),
    );
    if (options.tokenOut !== undefined) {
      const issued = await kernel.bootstrap.tokens.issue(
        {
          principal: { kind: 'user', id: admin.id },
          name: 'bootstrap',
          scopes: ['*'],
          expiresAt: new Date(kernel.clock.now().getTime() + 30 * 86_400_000),
        },
        by,
      );
      writeFileSync(options.tokenOut, `${issued.token}\n`, { mode: 0o600 });
      chmodSync(options.tokenOut, 0o600);
      io.stdout.write(
        `An API token for ${admin.username} (30 days) is in ${options.tokenOut}: use it with --token-file or STEWARD_TOKEN.\n`,
      );
    }
    io.stdout.write(
      `Start the server with \`npm start\` (or \`npx steward start\`), then log in: \`npx steward login --user ${admin.username}\`.\n`,
    );
  } finally {
    await kernel.close();
  }
}
