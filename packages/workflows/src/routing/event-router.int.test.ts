import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EhrEvent } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import { WorkflowEngine, WorkflowWorker, type Json, type WorkflowDefinition } from '../engine/index.js';
import { EventRouter, type RoutedConnection } from './event-router.js';
import type { Route } from './route-types.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';

/** Counts every signal it receives by name: a signal delivered twice shows. */
const counting: WorkflowDefinition<{ seen: Record<string, number> }> = {
  type: 'counting',
  version: 1,
  initialState: { seen: {} },
  decide(state, input) {
    if (input.kind !== 'signal') return { state };
    return { state: { seen: { ...state.seen, [input.name]: (state.seen[input.name] ?? 0) + 1 } } };
  },
};

function event(seq: number, type: string, ref: string, basedOn: string[] = []): EhrEvent {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq,
    recordedAt: new Date(0),
    type: type as EhrEvent['type'],
    connectionId: CONNECTION,
    channel: 'fhir-poll',
    dedupKey: `fhir:${ref}/_history/${seq}`,
    occurredAt: '2026-11-23T09:00:00-05:00',
    patient: { ehrId: 'p1', identifiers: [] },
    facts: {
      kind: 'Appointment',
      ehrId: ref.split('/')[1],
      identifiers: [],
      status: 'booked',
      participants: [],
      basedOn,
    },
    sourceRef: `${ref}/_history/${seq}`,
  } as EhrEvent;
}

/** Starts on ServiceRequest/…, links an appointment based on it, and signals through the link. */
const route: Route = async (e, links) => {
  const ref = e.sourceRef.split('/_history')[0]!;
  if (ref.startsWith('ServiceRequest/'))
    return [{ kind: 'start', type: 'counting', correlationKey: ref, payload: null }];
  const basedOn = (e.facts as { basedOn?: string[] }).basedOn ?? [];
  const key = basedOn[0] ?? (await links(ref));
  if (key === undefined) return [];
  return [
    { kind: 'link', ref, correlationKey: key },
    { kind: 'signal', correlationKey: key, name: e.type, payload: { eventId: e.id } as Json },
  ];
};

for (const target of storeTargets()) {
  describe(`event router on ${target.name}`, { skip: target.skip }, () => {
    it('drains to the journal end when another router takes a batch first (it may be routing the next)', async () => {
      const db = await target.open();
      try {
        const journal: EhrEvent[] = [
          event(1, 'referral.created', 'ServiceRequest/r1'),
          event(2, 'referral.created', 'ServiceRequest/r2'),
        ];
        const connection: RoutedConnection = {
          id: CONNECTION,
          journal: { events: (after, limit) => Promise.resolve(journal.filter((e) => e.seq > after).slice(0, limit)) },
        };
        const engine = new WorkflowEngine({ db, definitions: [counting] });
        const options = { db, engine, routes: [route], connections: () => Promise.resolve([connection]), batchSize: 1 };
        const loop = new EventRouter(options);
        // The draining router is slow before its transaction (as a directory observer reading the
        // EHR is): the server's own loop routes the first batch meanwhile.
        let looped: Promise<unknown> | undefined;
        const draining = new EventRouter({
          ...options,
          observers: [
            async () => {
              looped ??= loop.runOnce();
              await looped;
            },
          ],
        });
        const round = await draining.drain();
        assert.equal(round.taken, 1, 'the first batch was routed by the other router');
        const cursor = await db.query<{ seq: string }>('select seq from workflow_router_cursors');
        assert.equal(Number(cursor.rows[0]?.seq), 2, 'drain returned only at the journal end');
        const { rows } = await db.query<{ n: number }>('select count(*)::int as n from workflow_instances');
        assert.equal(rows[0]?.n, 2);
      } finally {
        await db.close();
      }
    });

    it('starts, links and signals once per event, even when run again or by two routers', async () => {
      const db = await target.open();
      try {
        const journal: EhrEvent[] = [
          event(1, 'referral.created', 'ServiceRequest/r1'),
          event(2, 'appointment.booked', 'Appointment/a1', ['ServiceRequest/r1']),
          // Names only the appointment: found through the link.
          event(3, 'appointment.fulfilled', 'Appointment/a1'),
          event(4, 'appointment.booked', 'Appointment/unrelated'),
        ];
        const connection: RoutedConnection = {
          id: CONNECTION,
          journal: { events: (after, limit) => Promise.resolve(journal.filter((e) => e.seq > after).slice(0, limit)) },
        };
        const engine = new WorkflowEngine({ db, definitions: [counting] });
        const routers = [1, 2].map(
          () =>
            new EventRouter({
              db,
              engine,
              routes: [route],
              connections: () => Promise.resolve([connection]),
              batchSize: 2,
            }),
        );
        await Promise.all(routers.map((r) => r.drain()));
        await Promise.all(routers.map((r) => r.drain()));
        await new WorkflowWorker(engine).drain();
        const { rows } = await db.query<{ state: { seen: Record<string, number> } }>(
          `select state from workflow_instances where correlation_key = 'ServiceRequest/r1'`,
        );
        assert.deepEqual(rows[0]?.state.seen, { 'appointment.booked': 1, 'appointment.fulfilled': 1 });
        const cursor = await db.query<{ seq: string }>('select seq from workflow_router_cursors');
        assert.equal(Number(cursor.rows[0]?.seq), 4);
        journal.push(event(5, 'appointment.cancelled', 'Appointment/a1'));
        assert.deepEqual(await routers[0]!.drain(), { events: 1, actions: 2, taken: 0 });
      } finally {
        await db.close();
      }
    });
  });
}
