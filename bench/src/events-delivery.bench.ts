/**
 * @module Events out (issue 18, ADR 0019): webhook delivery throughput and event → webhook latency
 * on loopback, on PGlite and on PostgreSQL (when STEWARD_TEST_DATABASE_URL or BENCH_DATABASE_URL
 * names a server), through the whole path the server runs: the outbox (sealed, in commit order),
 * fan-out to the subscription (type and site decided by the subscriber's grants), claim with the
 * per-patient order rule, the egress registry's sender, a Standard Webhooks signature, the POST,
 * and the record of the attempt, with the PHI audit entry of each delivery to a BAA destination.
 *
 * - Throughput: `BENCH_EVENTS` (default 20,000) events over 2,000 patients, published in batches of
 *   500 while the worker runs; events/s from the first publish to the last receipt. Twice: to a BAA
 *   destination (PHI, each delivery audited) and to one without a BAA (references only).
 * - Latency: an open loop at `BENCH_RATE` events/s (default 1,000) for 5 s, one event per 10 ms
 *   tick batch; each event's time from the publish call to its receipt, p50/p99.
 * - Baseline, same run, same receiver: a bare loop POSTing the same signed payloads with undici's
 *   `request` (the transport the egress sender uses), 128
 *   in flight (throughput), and the same open loop (latency from the POST to its receipt).
 * Targets (the issue): ≥ 5,000 events/s and p99 ≤ 50 ms on loopback.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { systemClock } from '@steward/core';
import type { NewEvent } from '@steward/events';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { PostgresDatabase, type Sql } from '@steward/store';
import { openTestApp, type TestApp } from '@steward/server/testing';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 20_000);
const RATE = Number(process.env['BENCH_RATE'] ?? 1_000);
const PATIENTS = 2_000;
const system = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'bench',
  authMethod: 'local-operator',
} as const;

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** The receiver, in its own process (events-receiver.ts): arrival times by webhook-id. */
class Receiver {
  readonly child: ChildProcess = fork(fileURLToPath(new URL('./events-receiver.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  url = '';
  /** How many arrived before the current measurement (ids are unique, so counts only grow). */
  count = 0;
  async listen(): Promise<void> {
    const port = await this.#next<{ port: number }>((m) => 'port' in m);
    this.url = `http://127.0.0.1:${port.port}`;
  }
  #next<T>(match: (m: Record<string, unknown>) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: Record<string, unknown>): void => {
        if (!match(m)) return;
        this.child.off('message', on);
        resolve(m as T);
      };
      this.child.on('message', on);
    });
  }
  async until(count: number): Promise<void> {
    const reached = this.#next((m) => m['reached'] === count);
    this.child.send({ until: count });
    await reached;
    this.count = count;
  }
  async times(): Promise<Map<string, number>> {
    const got = this.#next<{ times: [string, number][] }>((m) => 'times' in m);
    this.child.send({ times: true });
    return new Map((await got).times);
  }
  stop(): void {
    this.child.send({ stop: true });
  }
}

/** Now as epoch ms with sub-millisecond precision, comparable with the receiver's. */
const now = (): number => performance.timeOrigin + performance.now();

const patients = Array.from({ length: PATIENTS }, () => randomUUID());
let n = 0;
function event(): NewEvent {
  const i = n++;
  const patientId = patients[i % PATIENTS]!;
  return {
    type: 'appointment.no-show',
    site: 'north',
    patientId,
    occurredAt: new Date(),
    sourceKey: `bench:${i}:${randomUUID()}`,
    references: { resource: { type: 'Appointment', id: `appt-${i}` }, connectionId: randomUUID() },
    phi: {
      patient: {
        id: patientId,
        ehrId: `p-${i % PATIENTS}`,
        identifiers: [{ system: 'urn:mrn', value: `MRN-${i % PATIENTS}` }],
      },
      facts: {
        kind: 'Appointment',
        ehrId: `appt-${i}`,
        identifiers: [],
        status: 'noshow',
        start: '2026-03-04T10:00:00-05:00',
        participants: [],
        basedOn: [],
      },
    },
  };
}

async function setUp(t: TestApp, receiver: Receiver, path: string, baa: boolean): Promise<string> {
  await t.kernel.egress.register(system, {
    name: `bench-${path}`,
    kind: 'ai',
    baseUrl: `${receiver.url}/${path}/`,
    baaOnRecord: baa,
    ...(baa ? { baaReference: 'bench' } : {}),
    allowPrivateNetwork: true,
  });
  const { id } = await t.kernel.bootstrap.serviceAccounts.create(`agent-${path}`, system);
  await t.kernel.grants.add(system, {
    principalKind: 'service',
    principalId: id,
    role: 'agent',
    site: 'north',
    workflow: '*',
    purposeOfUse: 'TREAT',
  });
  const { subscription } = await t.kernel.events.subscriptions.subscribe(
    { actor: { kind: 'service', id, name: `agent-${path}`, authMethod: 'api-token' } },
    { url: `${receiver.url}/${path}/hook` },
  );
  return subscription.id;
}

/** Fails with the deliveries' state when the receiver has not got everything within 120 s. */
async function watch(t: TestApp, done: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => {
      void t.db
        .query(
          'select status, count(*)::int as n, max(attempts) as attempts, max(last_error) as error from events_deliveries group by status',
        )
        .then((r) => reject(new Error(`not all delivered: ${JSON.stringify(r.rows)}`)));
    }, 120_000);
  });
  try {
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function throughput(t: TestApp, receiver: Receiver): Promise<number> {
  const base = receiver.count;
  const start = performance.now();
  for (let i = 0; i < EVENTS; i += 500) {
    await t.kernel.events.outbox.publish(Array.from({ length: Math.min(500, EVENTS - i) }, event), t.clock.now());
  }
  await watch(t, receiver.until(base + EVENTS));
  return (EVENTS / (performance.now() - start)) * 1000;
}

/** An open loop: `RATE` events/s in 10 ms ticks for 5 s; each event's publish → receipt, ms. */
async function latency(
  send: (count: number) => Promise<{ ids: string[]; at: number }>,
  receiver: Receiver,
): Promise<number[]> {
  const sent = new Map<string, number>();
  const perTick = Math.max(1, Math.round(RATE / 100));
  const ticks = 500;
  const base = receiver.count;
  const begin = performance.now();
  const pending: Promise<void>[] = [];
  for (let k = 0; k < ticks; k++) {
    const due = begin + k * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(perTick).then(({ ids, at }) => {
        for (const id of ids) sent.set(id, at);
      }),
    );
  }
  await Promise.all(pending);
  await receiver.until(base + ticks * perTick);
  const arrived = await receiver.times();
  return [...sent].map(([id, at]) => (arrived.get(id) ?? Infinity) - at);
}

/** The baseline sender: the same signed payload shape, POSTed with undici's request over a kept-alive pool. */
function bareSender(receiver: Receiver) {
  const dispatcher = new Agent();
  const webhook = new Webhook(`whsec_${Buffer.alloc(24, 7).toString('base64')}`);
  return async (count: number): Promise<{ ids: string[]; at: number }> => {
    const at = now();
    const ids = Array.from({ length: count }, () => randomUUID());
    await Promise.all(
      ids.map(async (id) => {
        const e = event();
        const body = JSON.stringify({
          type: e.type,
          timestamp: new Date().toISOString(),
          data: { id, ...e.references, ...e.phi },
        });
        const now = new Date();
        const r = await request(`${receiver.url}/bare/hook`, {
          method: 'POST',
          dispatcher,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': webhook.sign(id, now, body),
          },
          body,
        });
        await r.body.dump();
      }),
    );
    return { ids, at };
  };
}

async function bareThroughput(receiver: Receiver): Promise<number> {
  const send = bareSender(receiver);
  const start = performance.now();
  let left = EVENTS;
  await Promise.all(
    Array.from({ length: 128 }, async () => {
      while (left > 0) {
        left--;
        await send(1);
      }
    }),
  );
  const rate = (EVENTS / (performance.now() - start)) * 1000;
  await receiver.until(receiver.count + EVENTS);
  return rate;
}

// BENCH_STORE=PGlite or PostgreSQL runs only that store (to profile one of them).
const only = process.env['BENCH_STORE']?.toLowerCase().replace('postgresql', 'postgres');
for (const target of storeTargets()) {
  if (only !== undefined && only !== '' && target.name !== only) continue;
  if (target.skip !== undefined) {
    console.log(`${target.name}: skipped (${target.skip})`);
    continue;
  }
  const receiver = new Receiver();
  await receiver.listen();
  // The server's pool (10 connections, as `PostgresDatabase.open` gives it), not the test harness's 4:
  // the publisher's transactions queue on the outbox lock while holding a connection each.
  const testDb = await target.open();
  let db: TestDatabase = testDb;
  if (testDb.url !== undefined) {
    const pool = await PostgresDatabase.open({ url: testDb.url });
    const url = testDb.url;
    db = {
      kind: pool.kind,
      url,
      query: (text, params) => pool.query(text, params),
      exec: (text) => pool.exec(text),
      transaction: (fn) => pool.transaction(fn),
      close: async () => {
        await pool.close();
        await testDb.close();
      },
    };
  }
  const trace = new Map<string, [number, number]>();
  if (process.env['BENCH_TRACE'] === '1') {
    const tally = (k: string, ms: number): void => {
      const v = trace.get(k) ?? [0, 0];
      v[0]++;
      v[1] += ms;
      trace.set(k, v);
    };
    const q = db.query.bind(db);
    const key = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 70);
    (db as { query: unknown }).query = async (text: string, params?: readonly unknown[]) => {
      const s = performance.now();
      try {
        return await q(text, params);
      } finally {
        tally(key(text), performance.now() - s);
      }
    };
    const tr = db.transaction.bind(db);
    (db as { transaction: unknown }).transaction = async (fn: (tx: Sql) => Promise<unknown>) => {
      const s = performance.now();
      let first = '';
      try {
        return await tr((tx) =>
          fn({
            ...tx,
            query: async (text: string, params?: readonly unknown[]) => {
              if (first === '') first = key(text);
              const s2 = performance.now();
              try {
                return await tx.query(text, params);
              } finally {
                tally('  tx: ' + key(text), performance.now() - s2);
              }
            },
          }),
        );
      } finally {
        tally('TX ' + first, performance.now() - s);
      }
    };
    process.on('exit', () => {
      for (const [k, [c, ms]] of [...trace].sort((a, b) => b[1][1] - a[1][1]))
        process.stderr.write(
          `${String(c).padStart(7)} ${ms.toFixed(0).padStart(8)} ms ${(ms / c).toFixed(2).padStart(7)} ${k}\n`,
        );
    });
  }
  const t = await openTestApp(db, { logLevel: 'warn' });
  try {
    const note = (what: string): void => void process.stderr.write(`${target.name}: ${what}\n`);
    const bareRate = await bareThroughput(receiver);
    note(`bare loop ${Math.round(bareRate)}/s`);
    const bareLatency = await latency(bareSender(receiver), receiver);
    note('bare latency measured');

    const rows: [string, number][] = [];
    const lat: [string, number[]][] = [];
    for (const [path, baa] of [
      ['baa', true],
      ['plain', false],
    ] as const) {
      const sub = await setUp(t, receiver, path, baa);
      let failures = 0;
      const worker = t.kernel.events.delivery({
        pollMs: 50,
        clock: systemClock,
        // A failed round is retried by the next; counted, so a run that needed retries says so.
        onError: (e) => {
          if (failures++ === 0) note(`${path}: a round failed (${(e as { code?: string }).code ?? String(e)})`);
        },
      });
      worker.start();
      note(`${path}: worker started`);
      rows.push([
        `${path === 'baa' ? 'BAA destination (PHI, audited)' : 'no BAA (references only)'}`,
        await throughput(t, receiver),
      ]);
      lat.push([
        path === 'baa' ? 'BAA destination' : 'no BAA',
        await latency(async (count) => {
          const at = now();
          const ids = await t.kernel.events.outbox.publish(Array.from({ length: count }, event), t.clock.now());
          return { ids, at };
        }, receiver),
      ]);
      await worker.stop();
      if (failures > 0) note(`${path}: ${failures} failed rounds`);
      await t.kernel.events.subscriptions.unsubscribe(
        {
          actor: {
            kind: 'service',
            id: (
              await t.db.query<{ account_id: string }>('select account_id from events_subscriptions where id = $1', [
                sub,
              ])
            ).rows[0]!.account_id,
            name: 'x',
            authMethod: 'api-token',
          },
        },
        sub,
      );
    }
    console.log(
      `\n### ${target.name}: ${EVENTS.toLocaleString('en-US')} events over ${PATIENTS} patients; open loop at ${RATE}/s for 5 s\n`,
    );
    console.log('| path | events/s | ratio to bare loop |');
    console.log('| --- | ---: | ---: |');
    console.log(
      `| bare loop: undici request, same signed payloads, 128 in flight | ${Math.round(bareRate).toLocaleString('en-US')} | 1.00 |`,
    );
    for (const [name, rate] of rows)
      console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / bareRate).toFixed(2)} |`);
    console.log('\n| path | p50 ms | p99 ms |');
    console.log('| --- | ---: | ---: |');
    console.log(
      `| bare loop (POST → receipt) | ${percentile(bareLatency, 50).toFixed(1)} | ${percentile(bareLatency, 99).toFixed(1)} |`,
    );
    for (const [name, xs] of lat)
      console.log(
        `| ${name} (publish → receipt) | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`,
      );
  } finally {
    await t.close();
    receiver.stop();
  }
}
