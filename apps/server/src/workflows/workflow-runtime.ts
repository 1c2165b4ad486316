/**
 * @module Steward's workflows, running in the server: the durable engine and a worker, the event
 * router that reads every connection's journal into them, the `proposal.draft` effect, and the
 * background applier that commits what an approval policy approved. Each part acts as its own
 * service account, created once with the least role it needs: `steward-workflows` (automation:
 * reads and proposes, never approves or writes) and `steward-applier` (integration: applies
 * approved writes, reads no chart).
 */
import { DemographicsLearner, DirectoryLearner } from '@steward/clinic';
import { NotFoundError, type Clock, type RequestContext } from '@steward/core';
import type { Logger } from '@steward/governance';
import { mapPatient } from '@steward/ehr';
import {
  WorkflowWorker,
  draftProposal,
  draftProposalHandler,
  proposalOutcome,
  routedConnection,
  type EffectHandler,
  type EventRouter,
  type WorkflowEngine,
  type Route,
  type WorkflowDefinition,
} from '@steward/workflows';
import type { Kernel } from '../kernel.js';
import { localServiceAccount } from '../local-accounts.js';

export interface WorkflowRuntimeOptions {
  readonly definitions: readonly WorkflowDefinition[];
  readonly routes: readonly Route[];
  /** Effects the workflow packages bring (the catalog's), beside `proposal.draft`. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  /** How often the router reads the journals and the applier looks for approved work (ms). Default 1000. */
  readonly intervalMs?: number;
  /** How often the applier re-verifies writes left committed and unverified (ms). Default 30 000. */
  readonly reverifyEveryMs?: number;
  /** Start the loops (tests drive `routeOnce`/`worker.drain` themselves with false). Default true. */
  readonly loops?: boolean;
  /**
   * The clock the engine's timers and the router run on. Default the kernel's. The embedded demo
   * gives its clinic's clock (ADR 0015): never ahead of the real one, behind it only while the
   * clinic plays its past, so no stage is found late before the clinic's own time has reached it.
   */
  readonly clock?: Clock;
}

export interface WorkflowRuntime {
  readonly engine: WorkflowEngine;
  readonly worker: WorkflowWorker;
  readonly router: EventRouter;
  /** The account workflows draft as. */
  readonly drafter: RequestContext;
  /** Routes what is new in the journals, runs every due step and effect, commits approved proposals. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkflowRuntime(
  kernel: Kernel,
  logger: Logger,
  options: WorkflowRuntimeOptions,
): Promise<WorkflowRuntime> {
  const drafter: RequestContext = {
    actor: await localServiceAccount(kernel, 'steward-workflows', 'automation', 'HOPERAT'),
  };
  const committer: RequestContext = {
    actor: await localServiceAccount(kernel, 'steward-applier', 'integration', 'HOPERAT'),
  };
  const engine = kernel.workflowStore.engine({
    definitions: options.definitions,
    clock: options.clock ?? kernel.clock,
    // The workflow records a failed effect's code; the log gets its cause.
    observer: {
      effectFailed: (f) =>
        logger.warn(
          { effect: f.kind, attempt: f.attempt, willRetry: f.willRetry, err: f.error },
          f.willRetry ? 'workflow effect failed: retrying' : 'workflow effect failed: giving up',
        ),
    },
    effects: {
      ...options.effects,
      [draftProposal.kind]: draftProposalHandler({
        desk: kernel.proposals,
        actions: kernel.actions,
        ctx: drafter,
        siteOf: async (id) => (await kernel.connections.get(id)).site,
        // Read-only and governed: the drafter's reads are decided by policy and audited per patient.
        ehr: kernel.ehr,
        // The patient comes from the sealed event, read as the connection (who filed it).
        patientOf: async (connectionId, eventId) => {
          const c = await kernel.connections.get(connectionId);
          const event = await kernel.ehrJournal.event({ actor: kernel.connections.actorOf(c) }, c, eventId);
          if (event === undefined) throw new NotFoundError(`event ${eventId}`);
          return event.patient;
        },
        // An event whose patient the EHR does not know (by its identifiers): its message goes on the
        // connection's attention list, flagged by the connection that filed it, for a person.
        patientNotFound: async (connectionId, eventId, reason) => {
          const c = await kernel.connections.get(connectionId);
          const flagged = await kernel.ehrJournal.flagEvent(
            { actor: kernel.connections.actorOf(c) },
            c,
            eventId,
            'patient-not-found',
            reason,
          );
          logger.warn(
            { connection: c.name, event: eventId, onAttentionList: flagged },
            flagged
              ? "a proposal was not drafted: the event's patient is not in the EHR (on the attention list)"
              : "a proposal was not drafted: the event's patient is not in the EHR (its message could not be flagged)",
          );
        },
        // Merges the router recorded: the retired patient means the survivor (its merge event read sealed).
        surviving: async (connectionId, patient) => {
          const c = await kernel.connections.get(connectionId);
          const ctx = { actor: kernel.connections.actorOf(c) };
          return kernel.workflowStore.survivingPatient(connectionId, patient, (id) =>
            kernel.ehrJournal.event(ctx, c, id),
          );
        },
      }),
    },
  });
  // A failed batch is logged with its cause (class, code and cause chain; foreign messages are
  // dropped by the logger's serializer), then the worker carries on after a pause.
  const worker = new WorkflowWorker(engine, {
    onError: (e) => logger.error({ err: e, worker: worker.id }, 'workflow worker batch failed: retrying'),
  });
  // The directory learns what each batch names before the routes ask it (as steward-workflows, which
  // reads a referral's practitioners and organizations through the governed, read-only EHR reader).
  const learner = new DirectoryLearner({
    directory: kernel.directory,
    ctx: drafter,
    read: async (ctx, connectionId, ref) => (await kernel.ehr.read(ctx, connectionId, ref)).resource,
  });
  // The patient index learns the names and identifiers of FHIR-fed patients the events only point
  // at (a Patient reference): read once as steward-workflows, given to the index as the connection's
  // own account (so a FHIR-fed patient and the HL7-fed one with its MRN are one patient).
  const demographics = new DemographicsLearner({
    index: kernel.patients,
    ctx: drafter,
    read: async (ctx, connectionId, ehrId) => {
      const { resource } = await kernel.ehr.read(ctx, connectionId, { resourceType: 'Patient', id: ehrId });
      if (resource.resourceType !== 'Patient') return undefined;
      const { demographics, identifiers } = mapPatient(resource as unknown as Parameters<typeof mapPatient>[0]);
      return demographics !== undefined ? { demographics, identifiers } : { identifiers };
    },
    writerOf: async (connectionId) => ({
      actor: kernel.connections.actorOf(await kernel.connections.get(connectionId)),
    }),
    failed: (f) =>
      logger.warn(
        { connection: f.connectionId, patient: f.patientId, code: f.code },
        'patient demographics not learned: retrying on a later event',
      ),
  });
  const router = kernel.workflowStore.router({
    engine,
    routes: options.routes,
    clock: options.clock ?? kernel.clock,
    observers: [
      (connectionId, events) => learner.observe(connectionId, events),
      (connectionId, events) => demographics.observe(connectionId, events),
    ],
    connections: async () =>
      (await kernel.connections.all()).map((c) =>
        routedConnection(c.id, (ctx) => kernel.ehrJournal.forConnection(ctx, c), {
          actor: kernel.connections.actorOf(c),
          sourceAddress: 'workflow-router',
        }),
      ),
  });
  const reverifyEvery = options.reverifyEveryMs ?? 30_000;
  let lastReverify = 0;
  /**
   * Commits what was approved (and the passing failures whose retry is due), re-verifies writes
   * left committed by a process that died before verifying them (all of them on the first round,
   * then those settled for a while), and tells each workflow how its proposals ended when they did
   * not land. A failure the applier will still retry is not an ending, so it is not signalled.
   */
  const apply = async (): Promise<void> => {
    const now = kernel.clock.now().getTime();
    if (lastReverify === 0 || now - lastReverify >= reverifyEvery) {
      await kernel.applier.reverifyCommitted(committer, { settledForMs: lastReverify === 0 ? 0 : reverifyEvery });
      lastReverify = now;
    }
    for (const r of await kernel.applier.commitApproved(committer)) {
      const key = r.proposal.correlationId;
      const ended = r.status === 'conflicted' || (r.status === 'failed' && r.error?.nextAttemptAt === undefined);
      if (key === undefined || !ended) continue;
      await engine.signal(key, proposalOutcome, {
        proposalId: r.proposal.id,
        action: r.proposal.action,
        status: r.status,
        code: r.error?.code ?? null,
      });
    }
    // Intake's documents say what became of their filings (written, rejected, failed for good).
    await kernel.intake.followFilings();
  };
  let running: Promise<void> | undefined;
  const settle = async (): Promise<void> => {
    await running; // the loop's round in progress (routing, applying) lands first
    await router.drain();
    await worker.drain();
    await apply();
    await worker.drain();
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  if (options.loops !== false) {
    worker.start();
    const interval = options.intervalMs ?? 1000;
    const loop = (): void => {
      running = (async () => {
        await router.runOnce();
        await apply();
      })().catch((e: unknown) => {
        logger.warn(
          { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
          'workflow routing round failed: the next round tries again',
        );
      });
      void running.then(() => {
        if (!stopped) timer = setTimeout(loop, interval);
      });
    };
    timer = setTimeout(loop, 0);
  }
  logger.info({ workflows: options.definitions.map((d) => d.type) }, 'workflows running');
  return {
    engine,
    worker,
    router,
    drafter,
    settle,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      await worker.stop();
    },
  };
}
