/** @module Starts Steward's HTTP server on the kernel, and stops both in order on a signal. */
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@steward/governance';
import type { StewardConfig } from './config.js';
import { openKernel, type Kernel, type KernelOptions } from './kernel.js';
import { buildApp } from './http/app.js';

export interface RunningServer {
  readonly kernel: Kernel;
  readonly app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:8470 */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: StewardConfig,
  logger: Logger,
  options: KernelOptions = {},
): Promise<RunningServer> {
  const kernel = await openKernel(config, logger, options);
  let app: FastifyInstance;
  try {
    app = await buildApp(kernel, config, logger);
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await kernel.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `${config.tls !== undefined ? 'https' : 'http'}://${config.host}:${port}`;
  logger.info({ url, store: kernel.db.kind }, 'steward listening');
  return {
    kernel,
    app,
    url,
    async stop() {
      // Stop taking requests, let those in flight finish, then flush the audit log and close the store.
      await app.close();
      await kernel.close();
    },
  };
}
