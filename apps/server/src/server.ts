/**
 * @module Starts Steward: the kernel, the sandbox EHR when it is the embedded default, the HTTP
 * API, then the EHR layer (listeners, polling, subscriptions — after the API listens, so an EHR's
 * subscription handshake reaches it), then the demo clinic. Stops in the reverse order on a signal.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@steward/governance';
import type { EhrRuntime } from '@steward/ehr';
import { ScreenReadPoller } from '@steward/automation';
import type { StewardConfig } from './config/index.js';
import { openKernel, type Kernel, type KernelOptions } from './kernel.js';
import { loadExtensions } from './extension-loader.js';
import { buildApp } from './http/app.js';
import {
  ensureDemoAgent,
  ensureDemoScreens,
  ensureDemoStaff,
  startSandboxDemo,
  wantsSandbox,
  type SandboxDemo,
} from './demo/index.js';
import { startRetentionJob } from './retention/retention-job.js';
import { startDemoReplies } from './demo/demo-replies.js';
import { startWorkflowRuntime, workflowCatalog, type WorkflowRuntime } from './workflows/index.js';
import { startEventsRuntime } from './events-runtime.js';
import { startIntakeFolders } from './intake-runtime.js';
import { startDemoFaxes } from './demo/demo-faxes.js';

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
  const { http } = config;
  const { mllpTls } = config.ehr;
  // The deployment's own extensions (STEWARD_EXTENSIONS) beside any the caller passes; a module
  // missing or exporting no extension stops the start here, before anything opens.
  const loaded = await loadExtensions(config.extensions.modules);
  const extensions = [...(options.extensions ?? []), ...loaded];
  if (loaded.length > 0) logger.info({ extensions: loaded.map((e) => e.name) }, 'extensions loaded');
  const kernel = await openKernel(config, logger, { ...options, extensions });
  const stack: (() => Promise<void>)[] = [() => kernel.close()];
  const unwind = async (): Promise<void> => {
    for (const stop of stack.reverse().splice(0)) await stop();
  };
  try {
    const sandbox =
      config.ehr.enabled && (await wantsSandbox(kernel, config.sandbox))
        ? await startSandboxDemo(kernel, config.sandbox, logger)
        : undefined;
    if (sandbox !== undefined) stack.push(() => sandbox.ehr.close());
    const ehr = config.ehr.enabled
      ? kernel.ehrRuntime(logger, {
          mllpHost: config.ehr.mllpHost,
          mllpDecodeThreads: config.ehr.mllpDecodeThreads,
          standbyMs: config.ehr.standbyMs,
          ...(mllpTls !== undefined
            ? {
                mllpTls: {
                  cert: readFileSync(mllpTls.certFile, 'utf8'),
                  key: readFileSync(mllpTls.keyFile, 'utf8'),
                  ...(mllpTls.caFile !== undefined ? { ca: readFileSync(mllpTls.caFile, 'utf8') } : {}),
                },
              }
            : {}),
          ...(sandbox !== undefined ? { overrides: sandbox.overrides } : {}),
        })
      : undefined;
    const appConfig = { ...http, sessionIdleMinutes: config.governance.sessionIdleMinutes };
    const app = await buildApp(kernel, appConfig, logger, {
      ...(ehr !== undefined ? { ehr } : {}),
      demo: sandbox !== undefined,
      ...(config.ehr.publicUrl !== undefined ? { publicUrl: config.ehr.publicUrl } : {}),
    });
    // On stop: the clinic, then the API (requests in flight finish, notifications stop arriving),
    // then the EHR layer (a poll in flight stops between resources), the sandbox, the kernel.
    stack.push(async () => ehr?.stop());
    stack.push(() => app.close());
    await app.listen({ host: http.host, port: http.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : http.port;
    const scheme = http.tls !== undefined ? 'https' : 'http';
    const url = `${scheme}://${http.host}:${port}`;
    if (ehr !== undefined) {
      const reachable = http.host === '0.0.0.0' || http.host === '::' ? '127.0.0.1' : http.host;
      await ehr.start({ publicUrl: config.ehr.publicUrl ?? `${scheme}://${reachable}:${port}` });
      // EHRs without an API for their schedule: read it from their screens every 5 minutes (those
      // whose approved map has the read; the demo's screens connection only writes).
      const screenReads = new ScreenReadPoller({
        reads: kernel.screenReads,
        connections: async () => {
          const ids: string[] = [];
          for (const c of await kernel.connections.all()) {
            if (!c.enabled || c.settings.channel !== 'screens') continue;
            const map = await kernel.screenMaps.current(c.id, c.site);
            if (map === undefined || map.reads?.some((r) => r.id === 'schedule') === true) ids.push(c.id);
          }
          return ids;
        },
        everyMinutes: 5,
        report: (connection, outcome) => {
          if ('error' in outcome) {
            const code = (outcome.error as { code?: unknown }).code;
            logger.warn({ connection, code: typeof code === 'string' ? code : 'INTERNAL' }, 'screen read failed');
          } else {
            const { runId, rows, events, duplicates, refused } = outcome;
            logger.info({ connection, runId, rows, events, duplicates, refused }, 'screen read');
          }
        },
      });
      screenReads.start();
      stack.push(() => screenReads.stop());
    }
    const workflows = config.workflows.enabled
      ? await startWorkflowRuntime(kernel, logger, {
          ...workflowCatalog(kernel, undefined, { taskMirrorSites: config.workflows.handoffTaskMirror }),
          ...(sandbox?.workflowClock !== undefined ? { clock: sandbox.workflowClock } : {}),
        })
      : undefined;
    if (workflows !== undefined) stack.push(() => workflows.stop());
    if (config.workflows.events) {
      const events = startEventsRuntime(kernel, logger);
      stack.push(() => events.stop());
    }
    if (config.workflows.intakeReading) {
      kernel.intakeReading.start();
      stack.push(() => kernel.intakeReading.stop());
      logger.info('intake reading worker running');
    }
    if (config.workflows.intakeFolders.length > 0) {
      const folders = startIntakeFolders(kernel, logger, config.workflows.intakeFolders);
      stack.push(() => folders.stop());
    }
    if (config.governance.retentionPurgeHours > 0) {
      const retention = await startRetentionJob(kernel, logger, config.governance.retentionPurgeHours);
      stack.push(() => retention.stop());
    }
    if (sandbox !== undefined && ehr !== undefined) {
      const clinic = await sandbox.startClinic(ehr);
      stack.push(() => clinic.stop());
      // The reminder story's patient replies and then calls (demo/demo-replies.ts): a conflict to re-review.
      if (workflows !== undefined && clinic.stories !== undefined) {
        const replies = await startDemoReplies(kernel, workflows.engine, clinic, logger, {
          site: sandbox.connection.site,
        });
        stack.push(() => replies.stop());
      }
    }
    logger.info({ url, store: kernel.storeKind, ehrConnections: ehr?.status().length ?? 0 }, 'steward listening');
    if (sandbox !== undefined) {
      // Synthetic data only: staff accounts to try the console with (see demo/demo-staff.ts).
      const demo = await ensureDemoStaff(kernel, config.store.dataDir);
      logger.info(
        { console: `${url}/console/`, accountsFile: demo.file, created: demo.created },
        'console ready: sign in with a demo account (`steward demo-accounts` prints them with current codes)',
      );
      // Maria's fax scenario: a waiting referral's consult note, and one missing its signature page
      // (with a playing clinic only: a clinic held still, as tests hold it, gets no faxes).
      const clinicClock = sandbox.workflowClock;
      if (clinicClock !== undefined)
        stack.push(
          startDemoFaxes(kernel, logger, {
            site: sandbox.connection.site,
            dataDir: config.store.dataDir,
            // Once the clinic's past is played (its clock within the hour of the real one).
            ready: () => Date.now() - clinicClock.now().getTime() < 3_600_000,
          }),
        );
      // Writes through the sandbox web EHR's screens (examples/agent-screens-followup-task); skipped,
      // and said so, without Chromium. A failure here leaves the rest of the demo running.
      const screens = await ensureDemoScreens(kernel, sandbox.ehr, logger, { site: sandbox.connection.site }).catch(
        (e: unknown) => {
          logger.warn(
            { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
            'screens demo skipped: setting up the sandbox-screens connection failed',
          );
          return { skipped: 'setup failed' };
        },
      );
      // An outside agent's account and key, for the platform API's examples (examples/agent-*).
      const agent = await ensureDemoAgent(kernel, config.store.dataDir, {
        url,
        site: sandbox.connection.site,
        connection: sandbox.connection.name,
        connectionId: sandbox.connection.id,
        ...('connection' in screens
          ? { screens: { connection: screens.connection.name, connectionId: screens.connection.id } }
          : {}),
      });
      logger.info(
        { agentFile: agent.file, created: agent.created },
        'platform API ready: the example agent signs in with the key in the agent file (examples/agent-noshow-rebook)',
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
