/**
 * @module Starts Steward: the kernel, the sandbox EHR when it is the embedded default, the HTTP
 * API, then the EHR layer (listeners, polling, subscriptions — after the API listens, so an EHR's
 * subscription handshake reaches it), then the demo clinic. Stops in the reverse order on a signal.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@steward/governance';
import { EhrRuntime } from '@steward/ehr';
import type { StewardConfig } from './config.js';
import { openKernel, type Kernel, type KernelOptions } from './kernel.js';
import { buildApp } from './http/app.js';
import { ensureDemoStaff, startSandboxDemo, wantsSandbox, type SandboxDemo } from './demo/index.js';
import { startRetentionJob } from './retention/retention-job.js';
import { startWorkflowRuntime, workflowCatalog, type WorkflowRuntime } from './workflows/index.js';

export interface RunningServer {
  readonly kernel: Kernel;
  readonly app: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:8470 */
  readonly url: string;
  /** The EHR layer, when STEWARD_EHR is on. */
  readonly ehr: EhrRuntime | undefined;
  /** The sandbox EHR and its clinic, when they are the embedded default. */
  readonly sandbox: SandboxDemo | undefined;
  /** The workflows (engine, worker, router), when STEWARD_WORKFLOWS is on. */
  readonly workflows: WorkflowRuntime | undefined;
  stop(): Promise<void>;
}

export async function startServer(
  config: StewardConfig,
  logger: Logger,
  options: KernelOptions = {},
): Promise<RunningServer> {
  const kernel = await openKernel(config, logger, options);
  const stack: (() => Promise<void>)[] = [() => kernel.close()];
  const unwind = async (): Promise<void> => {
    for (const stop of stack.reverse().splice(0)) await stop();
  };
  try {
    const sandbox =
      config.ehr && (await wantsSandbox(kernel, config)) ? await startSandboxDemo(kernel, config, logger) : undefined;
    if (sandbox !== undefined) stack.push(() => sandbox.ehr.close());
    const ehr = config.ehr
      ? new EhrRuntime(
          {
            connections: kernel.connections,
            journal: kernel.ehrJournal,
            clients: kernel.connectionClients,
            cipher: kernel.cipher,
            logger,
            clock: kernel.clock,
          },
          {
            mllpHost: config.mllpHost,
            ...(config.mllpTls !== undefined
              ? {
                  mllpTls: {
                    cert: readFileSync(config.mllpTls.certFile, 'utf8'),
                    key: readFileSync(config.mllpTls.keyFile, 'utf8'),
                    ...(config.mllpTls.caFile !== undefined ? { ca: readFileSync(config.mllpTls.caFile, 'utf8') } : {}),
                  },
                }
              : {}),
            ...(sandbox !== undefined ? { overrides: sandbox.overrides } : {}),
          },
        )
      : undefined;
    const app = await buildApp(kernel, config, logger, ehr !== undefined ? { ehr } : {});
    // On stop: the clinic, then the API (requests in flight finish, notifications stop arriving),
    // then the EHR layer (a poll in flight stops between resources), the sandbox, the kernel.
    stack.push(async () => ehr?.stop());
    stack.push(() => app.close());
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const scheme = config.tls !== undefined ? 'https' : 'http';
    const url = `${scheme}://${config.host}:${port}`;
    if (ehr !== undefined) {
      const reachable = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      await ehr.start({ publicUrl: config.publicUrl ?? `${scheme}://${reachable}:${port}` });
    }
    const workflows = config.workflows
      ? await startWorkflowRuntime(kernel, logger, workflowCatalog(kernel))
      : undefined;
    if (workflows !== undefined) stack.push(() => workflows.stop());
    if (config.retentionPurgeHours > 0) {
      const retention = await startRetentionJob(kernel, logger, config.retentionPurgeHours);
      stack.push(() => retention.stop());
    }
    if (sandbox !== undefined && ehr !== undefined) {
      const clinic = await sandbox.startClinic(ehr);
      stack.push(() => clinic.stop());
    }
    logger.info({ url, store: kernel.db.kind, ehrConnections: ehr?.status().length ?? 0 }, 'steward listening');
    if (sandbox !== undefined) {
      // Synthetic data only: staff accounts to try the console with (see demo/demo-staff.ts).
      const demo = await ensureDemoStaff(kernel, config.dataDir);
      logger.info(
        { console: `${url}/console/`, accountsFile: demo.file, created: demo.created },
        'console ready: sign in with a demo account (`steward demo-accounts` prints them with current codes)',
      );
    } else {
      logger.info({ console: `${url}/console/` }, 'console ready');
    }
    return { kernel, app, url, ehr, sandbox, workflows, stop: unwind };
  } catch (e) {
    await unwind();
    throw e;
  }
}
