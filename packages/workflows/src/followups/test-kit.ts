/**
 * @module Test support (not exported): a journal of EHR events in memory, a recording
 * `proposal.draft` handler, and an engine + worker + router for follow-ups on a test store.
 */
import { randomUUID } from 'node:crypto';
import {
  ManualClock,
  type AppointmentStatus,
  type EhrEvent,
  type EhrEventType,
  type ParticipantRef,
} from '@steward/core';
import type { TestDatabase } from '@steward/store/testing';
import { WorkflowEngine, WorkflowWorker, type EffectHandler, type Json } from '../engine/index.js';
import { EventRouter } from '../routing/index.js';
import type { DraftRequest } from '../effects/index.js';
import { followupWorkflow } from './followup-workflow.js';
import { followupRoute } from './followup-route.js';
import type { FollowupSettings } from './followup-workflow.js';

export const CONN = '11111111-1111-4111-8111-111111111111';

export interface Drafted {
  readonly key: string;
  readonly tag: string;
  readonly request: DraftRequest;
}

/** Records each draft once by its key (as ProposalDesk.draftKey does) and answers a proposal id. */
export function recordingDrafts(): { handler: EffectHandler; drafts: Drafted[] } {
  const drafts: Drafted[] = [];
  const byKey = new Map<string, string>();
  const handler: EffectHandler = (req) => {
    let id = byKey.get(req.key);
    if (id === undefined) {
      id = randomUUID();
      byKey.set(req.key, id);
      const request = req.input as unknown as DraftRequest;
      drafts.push({ key: req.key, tag: request.evidence.reasonCode, request });
    }
    return Promise.resolve({ proposalId: id, status: 'pending_review' } satisfies Json);
  };
  return { handler, drafts };
}

export class Journal {
  readonly events: EhrEvent[] = [];
  constructor(private readonly clock: ManualClock) {}

  add(type: EhrEventType, facts: EhrEvent['facts'], sourceRef: string): EhrEvent {
    const seq = this.events.length + 1;
    const e: EhrEvent = {
      id: randomUUID(),
      seq,
      recordedAt: this.clock.now(),
      type,
      connectionId: CONN,
      channel: 'sandbox',
      dedupKey: `test:${seq}`,
      occurredAt: this.clock.now().toISOString(),
      patient: { ehrId: 'p1', identifiers: [] },
      facts,
      sourceRef,
    };
    this.events.push(e);
    return e;
  }

  recheck(
    id: string,
    occurrence: { start?: string; end?: string },
    status: 'active' | 'revoked' = 'active',
    requester?: ParticipantRef,
  ): EhrEvent {
    return this.add(
      status === 'active' ? 'referral.created' : 'referral.updated',
      {
        kind: 'Referral',
        ehrId: id,
        identifiers: [],
        status,
        intent: 'order',
        service: 'recheck',
        category: 'follow-up',
        performers: [],
        occurrence,
        ...(requester !== undefined ? { requester } : {}),
      },
      `ServiceRequest/${id}`,
    );
  }

  appointment(id: string, status: AppointmentStatus, start: string, basedOn: string[]): EhrEvent {
    const type: EhrEventType =
      status === 'booked'
        ? 'appointment.booked'
        : status === 'cancelled'
          ? 'appointment.cancelled'
          : status === 'noshow'
            ? 'appointment.no-show'
            : status === 'fulfilled'
              ? 'appointment.fulfilled'
              : 'appointment.checked-in';
    return this.add(
      type,
      { kind: 'Appointment', ehrId: id, identifiers: [], status, start, participants: [], basedOn },
      `Appointment/${id}`,
    );
  }
}

export interface FollowupRig {
  readonly clock: ManualClock;
  readonly journal: Journal;
  readonly engine: WorkflowEngine;
  readonly worker: WorkflowWorker;
  readonly router: EventRouter;
  readonly drafts: Drafted[];
  /** The handoffs raised (kind, key, ask) and the keys closed with their reasons, in order (faked effects). */
  readonly raises: { kind: string; key: string; ask: string; subject: { kind: string; id: string } }[];
  readonly closes: { key: string; reason: string }[];
  /** Routes every new event, then runs every step and effect due now. */
  settle(): Promise<void>;
  /** Moves the clock to `iso` and settles. */
  at(iso: string): Promise<void>;
}

export async function followupRig(db: TestDatabase, start: string, settings?: FollowupSettings): Promise<FollowupRig> {
  await db.exec(
    `truncate workflow_history, workflow_inbox, workflow_effects, workflow_instances, workflow_links, workflow_router_cursors;`,
  );
  const clock = new ManualClock(start);
  const journal = new Journal(clock);
  const { handler, drafts } = recordingDrafts();
  const raises: FollowupRig['raises'] = [];
  const closes: FollowupRig['closes'] = [];
  const engine = new WorkflowEngine({
    db,
    clock,
    definitions: [followupWorkflow],
    effects: {
      'proposal.draft': handler,
      'handoff.raise': (req) => {
        const i = req.input as { kind: string; key: string; ask: string; subject: { kind: string; id: string } };
        if (!raises.some((r) => r.key === i.key))
          raises.push({ kind: i.kind, key: i.key, ask: i.ask, subject: i.subject });
        return Promise.resolve({ handoffId: `00000000-0000-4000-8000-${String(raises.length).padStart(12, '0')}` });
      },
      'handoff.close': (req) => {
        const i = req.input as { key: string; reason: string };
        if (!closes.some((c) => c.key === i.key)) closes.push({ key: i.key, reason: i.reason });
        return Promise.resolve({ closed: true, handoffId: '00000000-0000-4000-8000-000000000000' });
      },
    },
  });
  const worker = new WorkflowWorker(engine, { id: 'w1' });
  const router = new EventRouter({
    db,
    engine,
    clock,
    routes: [
      followupRoute({
        siteOf: () => Promise.resolve('north'),
        ...(settings !== undefined ? { settingsOf: () => Promise.resolve(settings) } : {}),
      }),
    ],
    connections: () =>
      Promise.resolve([
        {
          id: CONN,
          journal: {
            events: (from: number, limit: number) =>
              Promise.resolve(journal.events.filter((e) => e.seq > from).slice(0, limit)),
          },
        },
      ]),
  });
  const settle = async (): Promise<void> => {
    await router.drain();
    await worker.drain();
  };
  return {
    clock,
    journal,
    engine,
    worker,
    router,
    drafts,
    raises,
    closes,
    settle,
    async at(iso) {
      const t = new Date(iso).getTime() - clock.now().getTime();
      if (t < 0) throw new Error('the clock only moves forward');
      clock.advance(t);
      await settle();
    },
  };
}
