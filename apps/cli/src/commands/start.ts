/**
 * @module `steward start`: the server in the foreground (`npm start`), on the embedded store or
 * DATABASE_URL, until `io.untilStopped()` resolves (SIGINT or SIGTERM for the bin). Its log goes
 * to standard output.
 */
import { createLogger } from '@steward/governance';
import { loadConfig, startServer } from '@steward/server';
import type { CliIo } from '../io.js';

export async function start(io: CliIo): Promise<void> {
  const config = loadConfig(io.env);
  const logger = createLogger({ level: config.governance.logLevel, destination: io.stdout });
  const server = await startServer(config, logger, {
    createMasterKey: !config.store.masterKeyFromEnv && config.store.databaseUrl === undefined,
    env: io.env,
  });
  if ((await server.kernel.bootstrap.users.list()).length === 0) {
    logger.warn(
      'no administrator yet: create one with `npx steward init --admin-user <name>` (stop the server first when on the embedded store)',
    );
  }
  await io.untilStopped();
  logger.info('stopping');
  await server.stop();
}
