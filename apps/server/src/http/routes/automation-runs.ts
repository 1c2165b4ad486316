/**
 * @module /automation/runs: the run record of screen automation, read as governed acts. The list
 * and a run come with people by name and patients as the reader may see them; a step's screenshot
 * is replayed as a PNG (`no-store`), each view audited as a PHI read naming the run's patients;
 * `verify` opens every step and checks its digests against the audit chain.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError, type RequestContext } from '@steward/core';
import type { LabelRequest } from '@steward/clinic';
import type { RunSummary } from '@steward/automation';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  RunDetail,
  RunPage,
  RunParams,
  RunsQuery,
  RunVerifyReport,
  ScreenReadBody,
  ScreenReadOutcome,
  StepParams,
} from '../contract/automation-runs.js';
import { typed } from '../typed.js';

export function automationRunRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);

  api.post(
    '/automation/reads',
    {
      schema: {
        tags: ['automation'],
        summary:
          "Reads a screens connection's screen (its map's read: a day's schedule, a task list) into the inbound journal now, as a recorded run of the connection's account; an administrator operating the integration (config.manage at its site)",
        body: ScreenReadBody,
        response: { 200: ScreenReadOutcome, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const connection = await kernel.connections.get(request.body.connection);
      await kernel.policy.enforce(ctx, 'config.manage', { site: connection.site });
      const { runId, rows, events, duplicates, refused } = await kernel.screenReads.read(
        connection.id,
        request.body.read,
        request.body.day,
      );
      return { runId, rows, events, duplicates, refused };
    },
  );

  api.get(
    '/automation/runs',
    {
      schema: {
        tags: ['automation'],
        summary: 'Runs of screen automation, newest first, by patient, identity, proposal, outcome, site and date',
        querystring: RunsQuery,
        response: { 200: RunPage, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { limit, ...filter } = request.query;
      const page = await kernel.automationRuns.list(ctx, {
        ...filter,
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      });
      return {
        items: await labelRuns(kernel, ctx, page.runs),
        ...(page.next !== undefined ? { next: page.next } : {}),
        ...(page.patientsMatched !== undefined ? { patientsMatched: page.patientsMatched } : {}),
      };
    },
  );

  api.get(
    '/automation/runs/:id',
    {
      schema: {
        tags: ['automation'],
        summary: 'One run and its steps in order (action, target, timing, outcome), without screenshots or values',
        params: RunParams,
        response: { 200: RunDetail, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const run = await kernel.automationRuns.show(ctx, request.params.id);
      const [labelled] = await labelRuns(kernel, ctx, [run]);
      return { ...labelled!, steps: run.steps };
    },
  );

  api.get(
    '/automation/runs/:id/steps/:index/screenshot',
    {
      schema: {
        tags: ['automation'],
        summary:
          "A step's screenshot, decrypted (PHI): automation.replay and phi.read at the run's site; each view audited",
        params: StepParams,
        produces: ['image/jpeg', 'image/png'],
      },
    },
    async (request, reply) => {
      const replay = await kernel.automationRuns.replay(
        contextOf(request),
        request.params.id,
        Number(request.params.index),
        ['screenshot'],
      );
      // A step without one, or one retention cleared: `show` says which.
      if (replay.screenshot === undefined) throw new NotFoundError('screenshot');
      return reply
        .type(replay.screenshotType ?? 'image/png')
        .header('cache-control', 'no-store')
        .send(replay.screenshot);
    },
  );

  api.get(
    '/automation/runs/:id/verify',
    {
      schema: {
        tags: ['automation'],
        summary: "Opens every step's sealed screenshot and value, hashes them and compares with the audit chain",
        params: RunParams,
        response: { 200: RunVerifyReport, ...errors },
      },
    },
    async (request) => kernel.automationRuns.verifyRun(contextOf(request), request.params.id),
  );
}

/** Runs with the account and approver named and the patients labelled (an audited PHI read when shown). */
async function labelRuns(
  kernel: Pick<Kernel, 'patientLabels' | 'roster'>,
  ctx: RequestContext,
  runs: readonly RunSummary[],
) {
  const asked = runs.flatMap((r) => r.patients.map((patientId): LabelRequest => ({ patientId, site: r.site })));
  const labels = asked.length > 0 ? await kernel.patientLabels.label(ctx, asked) : [];
  const names = await kernel.roster.actorNames(
    runs.flatMap((r) => [
      r.identity.accountId,
      ...(r.identity.approvedBy !== undefined ? [r.identity.approvedBy] : []),
    ]),
  );
  const person = (id: string) => {
    const name = names.get(id);
    return name !== undefined ? { id, name } : { id };
  };
  let next = 0;
  return runs.map(({ identity, ...run }) => {
    const patientLabels = labels.slice(next, next + run.patients.length);
    next += run.patients.length;
    return {
      ...run,
      account: person(identity.accountId),
      ...(identity.approvedBy !== undefined ? { approver: person(identity.approvedBy) } : {}),
      patientLabels,
    };
  });
}
