/**
 * @module HL7 v2 over MLLP into durable storage with audit on: Steward's MllpListener in front of
 * the governed EhrJournal, which acknowledges a message only after its row, its events and its
 * audit entry are committed. Senders are MLLP connections in this process, each sending the next
 * message only after the previous one's ACK (as interface engines do; the listener keeps each
 * connection strictly in order, so throughput comes from several connections). Messages are the
 * third-party HL7 fixtures that Steward maps (ADT, SIU, ORM/ORU, MDM, REF...), each with a unique
 * MSH-10. Figures: messages/s and ACK latency (send to ACK) p50/p99, with 1 connection (latency
 * without queueing), 8 and 32 connections, on PGlite (a temp data directory) and PostgreSQL.
 *
 * Baselines, same run, same senders, in alternating rounds: the raw SQL path (PostgreSQL,
 * `mllp-raw-writer.ts`): the same rows (message, events, chained audit entry) into the same tables
 * of a database of its own, with the same durability, one round trip per batch, no per-message
 * work — Steward is reported as a ratio to it; and a bare node:net server that decodes MLLP frames
 * and answers an ACK at once, storing nothing (the loopback MLLP ceiling of this machine and process).
 *
 * Steward's listener decodes HL7 on `BENCH_DECODE_THREADS` worker threads (1, as the connection
 * runtime does). Ablations, same run, alternating: the same listener decoding on its own thread;
 * and that, over an audit writer kept on its general path (`oneTrip: false`: BEGIN, lock and head,
 * the journal's insert, the audit insert, COMMIT), i.e. Steward before issue 20; and
 * `policy.enforce` timed alone, to size the per-message policy check in the ACK time.
 *
 * The server's own path: the server's kernel gives its journal the patient index as resolver
 * (every event names a Steward patient). Two variants, same run, alternating, on Steward's writer:
 * "the server's journal" (the index resolves known patients before the statement, which checks
 * them under the lock: one round trip), and that journal with a resolver that cannot resolve
 * before the statement (`resolveEvents` only), which is how the server filed before (the general
 * path, resolving in the transaction). The fixtures name a few patients over and over: after the
 * warm-up every patient is known, as on a live feed; new patients always take the general path.
 *
 * Another ablation: the server's journal over an audit writer that pipelines (`pipeline: true`: the
 * next batch's statement sent while the one before commits).
 *
 * CPU per message, each variant: the whole process (senders, listener, writer, decode threads, V8's
 * helper threads), its main thread alone (`process.threadCpuUsage`), and the test PostgreSQL
 * server's processes (from /proc, when the server runs on this machine): the raw path and Steward
 * share one machine's cores, so on a loaded machine these, not round trips, bound the ratio.
 *
 * Targets (issue 20): ≥ 2,000 msg/s with ACK p99 ≤ 20 ms on PostgreSQL (8 connections) on a quiet
 * machine, and ≥ 0.8 of the raw SQL path at any load (8 connections and more). PGlite is reported,
 * not targeted. The load average is printed at the start and the end. Known limit: senders share the event loop (and the 2 cores) with the
 * listener, as the baseline does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { identifierKey, systemClock, type RequestContext } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import { AuditLog, EhrJournal, verifyAuditLog, type KeyRing, type PatientResolver } from '@steward/governance';
import { PatientIndex } from '@steward/clinic';
import { MllpDecoder, MllpListener, frameMllp, mapHl7, parseHl7 } from '@steward/ehr';
import { freshPostgres, median } from './harness.js';
import { RawIngestServer, type RawTemplate } from './mllp-raw-writer.js';
import {
  benchStores,
  fmt,
  openBenchGovernance,
  percentile,
  tallied,
  type BenchGovernance,
  type DbTally,
} from './ehr-governance.js';

const ROUNDS = 3;
/** BENCH_ROUND_MS (default 2,000): the length of each round, per variant. */
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 2_000);
/** BENCH_CONNECTIONS=8 (a comma list) runs only those sender counts, e.g. to profile one. */
const CONNECTIONS = (process.env['BENCH_CONNECTIONS'] ?? '1,8,32').split(',').map(Number);
/** BENCH_DECODE_THREADS (1, as the connection runtime): Steward's listener's HL7 decoding threads. */
const DECODE_THREADS = Number(process.env['BENCH_DECODE_THREADS'] ?? 1);
/**
 * BENCH_VARIANTS (a comma list; default all): which variants run: bare, raw, steward, inline,
 * perMessage, server, serverPipelined, serverBefore (e.g. `server` alone to profile it; ratios need `raw`).
 */
const VARIANTS = new Set(
  (process.env['BENCH_VARIANTS'] ?? 'bare,raw,steward,inline,perMessage,server,serverBefore')
    .split(',')
    .map((v) => v.trim()),
);
const target = { msgPerSec: 2_000, p99Ms: 20, ofRaw: 0.8 };
const problems: string[] = [];
const tz = 'America/New_York';

// ---- messages: every fixture Steward maps, as a template around its MSH-10 ----

interface Template {
  readonly before: string;
  readonly after: string;
  /** The fixture as sent (its own MSH-10), for the raw path's row payloads. */
  readonly text: string;
}

function loadTemplates(): Template[] {
  const dir = thirdPartyFixture('hl7v2');
  const out: Template[] = [];
  for (const sub of ['fhir-converter', 'hapi']) {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      if (!name.endsWith('.hl7')) continue;
      const text = readFileSync(join(dir, sub, name), 'utf8')
        .replace(/^\uFEFF/, '')
        .split(/\r\n|\r|\n/)
        .filter((l) => l.length > 0)
        .join('\r');
      try {
        mapHl7(parseHl7(text), { connectionId: 'probe', facilityTimeZone: tz });
      } catch {
        continue; // not a type Steward files (it would be dead-lettered): not this benchmark's path
      }
      const end = text.indexOf('\r');
      const msh = end === -1 ? text : text.slice(0, end);
      const fields = msh.split(msh[3] ?? '|');
      const sep = msh[3] ?? '|';
      out.push({
        text,
        before: `${fields.slice(0, 9).join(sep)}${sep}`,
        after: `${fields.length > 10 ? sep : ''}${fields.slice(10).join(sep)}${end === -1 ? '' : text.slice(end)}`,
      });
    }
  }
  return out;
}

const templates = loadTemplates();
let nextId = 0;
/** A fresh message: the next template with a never-used MSH-10. */
function nextMessage(): { id: string; frame: Buffer } {
  const n = nextId++;
  const t = templates[n % templates.length] as Template;
  const id = `BENCH${n}`;
  return { id, frame: frameMllp(`${t.before}${id}${t.after}`) };
}

/**
 * The raw path's row payloads for each template, sealed once with the same cipher and contexts
 * as Steward's (so of the same sizes); the audit entry has the shape and length of Steward's.
 */
function rawTemplates(cipher: KeyRing): (messageKey: string) => RawTemplate {
  const built = templates.map((t): RawTemplate => {
    const parsed = parseHl7(t.text);
    const events = mapHl7(parsed, { connectionId: '00000000-0000-4000-8000-000000000001', facilityTimeZone: tz });
    const id = '00000000-0000-4000-8000-000000000002';
    return {
      messageType: parsed.type,
      rawSealed: cipher.encrypt(t.text, `ehr_inbound:${id}`),
      events: events.map((e) => {
        const first = e.patient.identifiers[0];
        return {
          type: e.type,
          sealed: cipher.encrypt(JSON.stringify(e), `ehr_events:${id}`),
          patientKey: first === undefined ? undefined : cipher.blindIndex('ehr_events.patient', identifierKey(first)),
          occurredAt: e.occurredAt,
        };
      }),
      entry: JSON.stringify({
        action: 'C',
        actor: {
          authMethod: 'api-token',
          id: '00000000-0000-4000-8000-000000000003',
          kind: 'service',
          name: 'bench-feed',
        },
        at: new Date().toISOString(),
        entity: { id: '@@ID@@', kind: 'ehr:hl7v2' },
        event: 'ehr.received',
        fields: [parsed.type],
        outcome: 'success',
        purposeOfUse: 'TREAT',
        reason: `events:${events.length}`,
        seq: '@@SEQ@@',
        site: 'north',
      }),
    };
  });
  return (key) => built[Number(key.slice('BENCH'.length)) % built.length] as RawTemplate;
}

// ---- senders ----

/** One MLLP connection with one message outstanding at a time; reads MSA-1/MSA-2 from each ACK. */
class Sender {
  private readonly decoder = new MllpDecoder(1 << 20);
  private waiting: ((ack: string) => void) | undefined;
  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const r of this.decoder.push(chunk)) {
        if (r.kind !== 'frame') continue;
        const w = this.waiting;
        this.waiting = undefined;
        w?.(r.payload.toString('latin1'));
      }
    });
  }
  static open(port: number): Promise<Sender> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new Sender(s));
      });
    });
  }
  send(frame: Buffer): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(frame);
    });
  }
  close(): void {
    this.socket.end();
  }
}

function msa(ack: string): { code: string; controlId: string } {
  const at = ack.indexOf('MSA');
  const f =
    ack
      .slice(at)
      .split(/[\r\n]/)[0]
      ?.split(ack[3] ?? '|') ?? [];
  return { code: f[1] ?? '', controlId: f[2] ?? '' };
}

interface Round {
  readonly perSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  readonly messages: number;
  readonly ms: number;
  /** CPU time of this process (user + system) during the round, in ms: senders, listener, writer. */
  readonly cpuMs: number;
  /** CPU time of this process's main thread alone (senders, listener, writer; not the decode threads), in ms. */
  readonly mainCpuMs: number;
  /** CPU time of the local PostgreSQL server's processes during the round, in ms (0 when not readable). */
  readonly pgCpuMs: number;
}

/** The port of the test PostgreSQL server (from its URL), whose processes' CPU the rounds record. */
const pgPort = /:(\d+)\//.exec(
  process.env['BENCH_DATABASE_URL'] || process.env['STEWARD_TEST_DATABASE_URL'] || '',
)?.[1];

/**
 * The CPU time (user + system, ms) of the test PostgreSQL server: its postmaster (the `postgres`
 * process started with `-p <port>`) and its children (backends, WAL writer, checkpointer; those
 * that ended through the postmaster's children's time), from /proc. 0 where /proc cannot be read or the server is not on this machine.
 */
function postgresCpuMs(): number {
  if (pgPort === undefined) return 0;
  const stats = new Map<number, { ppid: number; ticks: number; reaped: number }>();
  let postmaster: number | undefined;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
        const f = stat.slice(close + 2).split(' ');
        // ppid, utime, stime, and cutime + cstime (children that ended: a backend that closed is
        // counted in its postmaster's): fields 4, 14, 15, 16 and 17 of /proc/<pid>/stat
        stats.set(Number(pid), {
          ppid: Number(f[1]),
          ticks: Number(f[11]) + Number(f[12]),
          reaped: Number(f[13]) + Number(f[14]),
        });
        if (postmaster === undefined) {
          const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          const at = args.indexOf('-p');
          if (at !== -1 && args[at + 1] === pgPort) postmaster = Number(pid);
        }
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  let ticks = 0;
  for (const [pid, st] of stats) {
    if (pid === postmaster) ticks += st.ticks + st.reaped;
    else if (st.ppid === postmaster) ticks += st.ticks;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** `connections` senders, each sending back to back for `ms`; latency from write to ACK. */
async function drive(port: number, connections: number, ms: number): Promise<Round> {
  const senders = await Promise.all(Array.from({ length: connections }, () => Sender.open(port)));
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = process.threadCpuUsage();
  const pg0 = postgresCpuMs();
  const deadline = start + ms;
  await Promise.all(
    senders.map(async (s) => {
      while (performance.now() < deadline) {
        const m = nextMessage();
        const t0 = performance.now();
        const ack = msa(await s.send(m.frame));
        latencies.push(performance.now() - t0);
        if (ack.code !== 'AA' || ack.controlId !== m.id) failures++;
      }
    }),
  );
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const main = process.threadCpuUsage(main0);
  const pgCpuMs = postgresCpuMs() - pg0;
  for (const s of senders) s.close();
  return {
    perSec: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failures,
    messages: latencies.length,
    ms: elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    mainCpuMs: (main.user + main.system) / 1000,
    pgCpuMs,
  };
}

interface Row {
  readonly name: string;
  readonly connections: number;
  readonly perSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly rounds: readonly number[];
  /** This process's CPU time per message, in µs (all rounds). */
  readonly cpuUsPerMessage: number;
  /** The main thread's CPU time per message, in µs (all rounds). */
  readonly mainCpuUsPerMessage: number;
  /** PostgreSQL's CPU time per message, in µs (all rounds; every `postgres` process of this machine). */
  readonly pgCpuUsPerMessage: number;
}

function summarize(name: string, connections: number, rounds: readonly Round[]): Row {
  const failures = rounds.reduce((n, r) => n + r.failures, 0);
  if (failures > 0) problems.push(`${name}, ${connections} conn: ${failures} ACKs were not AA for the message sent`);
  return {
    name,
    connections,
    perSec: median(rounds.map((r) => r.perSec)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    rounds: rounds.map((r) => Math.round(r.perSec)),
    cpuUsPerMessage:
      (1000 * rounds.reduce((n, r) => n + r.cpuMs, 0)) /
      Math.max(
        1,
        rounds.reduce((n, r) => n + r.messages, 0),
      ),
    mainCpuUsPerMessage:
      (1000 * rounds.reduce((n, r) => n + r.mainCpuMs, 0)) /
      Math.max(
        1,
        rounds.reduce((n, r) => n + r.messages, 0),
      ),
    pgCpuUsPerMessage:
      (1000 * rounds.reduce((n, r) => n + r.pgCpuMs, 0)) /
      Math.max(
        1,
        rounds.reduce((n, r) => n + r.messages, 0),
      ),
  };
}

// ---- the baseline: frame and ACK at once, no storage ----

function bareServer(): Server {
  return createServer((socket) => {
    socket.setNoDelay(true);
    const decoder = new MllpDecoder(1 << 20);
    socket.on('data', (chunk: Buffer) => {
      for (const r of decoder.push(chunk)) {
        if (r.kind !== 'frame') continue;
        const text = r.payload.toString('latin1');
        const sep = text[3] ?? '|';
        const end = text.indexOf('\r');
        const id = (end === -1 ? text : text.slice(0, end)).split(sep)[9] ?? '';
        socket.write(frameMllp(`MSH|^~\\&|||||${Date.now()}||ACK|A${id}|P|2.5\rMSA|AA|${id}`));
      }
    });
    socket.on('error', () => undefined);
  });
}

async function listen(server: Server | MllpListener): Promise<{ port: number; close(): Promise<void> }> {
  if (server instanceof MllpListener) {
    const a = await server.start();
    return { port: a.port, close: () => server.close() };
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---- run ----

/** The 1, 5 and 15 minute load averages: every figure is recorded with the machine's load. */
function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
const loadAtStart = loadavg();

const rows: Row[] = [];
const baselineByConn = new Map<number, Row>();
/** The raw SQL path's row by `store:connections`. */
const rawByConn = new Map<string, Row>();
const extra: string[] = [];
/** Adds a variant's row to the table when it ran (BENCH_VARIANTS). */
const keep = (row: Row): void => {
  if (row.rounds.length > 0) rows.push(row);
};

if (VARIANTS.has('bare')) {
  const bare = await listen(bareServer());
  await drive(bare.port, 8, 500); // warm-up
  for (const c of CONNECTIONS) {
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await drive(bare.port, c, ROUND_MS));
    const row = summarize('bare MLLP, no storage (baseline)', c, rounds);
    baselineByConn.set(c, row);
    rows.push(row);
  }
  await bare.close();
}

async function benchStore(storeName: string, g: BenchGovernance, t: ReturnType<typeof tallied>): Promise<void> {
  const c = await g.connections.add(g.admin, {
    name: 'bench-feed',
    site: 'north',
    vendor: 'generic-r4',
    facilityTimeZone: tz,
  });
  const ctx: RequestContext = { actor: g.connections.actorOf(c) };
  // The ablation: the same journal over an audit writer that never takes the one-round-trip path
  // (BEGIN, lock and head, the journal's insert, the audit insert, COMMIT: the writer before issue 20).
  const generalAudit = await AuditLog.open(g.db, g.cipher, { oneTrip: false });
  // Another ablation: the server's journal over a writer that pipelines its one-trip batches (the
  // next statement sent while the one before commits; `pipeline: true`, off by default).
  const pipelinedAudit = await AuditLog.open(g.db, g.cipher, { pipeline: true });
  // The server's journal, as its kernel builds it: the patient index resolves every event's patient.
  const index = new PatientIndex({ db: g.db, cipher: g.cipher, policy: g.policy, audit: g.audit });
  const inTransactionOnly: PatientResolver = { resolveEvents: (tx, x, site, e) => index.resolveEvents(tx, x, site, e) };
  const journals = {
    steward: g.journals.forConnection(ctx, c),
    perMessage: new EhrJournal(g.db, g.cipher, g.policy, generalAudit, systemClock).forConnection(ctx, c),
    server: new EhrJournal(g.db, g.cipher, g.policy, g.audit, systemClock, { patients: index }).forConnection(ctx, c),
    serverPipelined: new EhrJournal(g.db, g.cipher, g.policy, pipelinedAudit, systemClock, {
      patients: index,
    }).forConnection(ctx, c),
    serverBefore: new EhrJournal(g.db, g.cipher, g.policy, g.audit, systemClock, {
      patients: inTransactionOnly,
    }).forConnection(ctx, c),
  };
  const serverListener = (journal: typeof journals.server) =>
    listen(
      new MllpListener({
        connectionId: c.id,
        facilityTimeZone: tz,
        journal,
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1 << 20,
        maxConnections: 64,
        decodeThreads: DECODE_THREADS,
      }),
    );
  const listeners = {
    server: await serverListener(journals.server),
    serverBefore: await serverListener(journals.serverBefore),
    serverPipelined: await serverListener(journals.serverPipelined),
    steward: await listen(
      new MllpListener({
        connectionId: c.id,
        facilityTimeZone: tz,
        journal: journals.steward,
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1 << 20,
        maxConnections: 64,
        decodeThreads: DECODE_THREADS,
      }),
    ),
    inline: await listen(
      new MllpListener({
        connectionId: c.id,
        facilityTimeZone: tz,
        journal: journals.steward,
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1 << 20,
        maxConnections: 64,
      }),
    ),
    perMessage: await listen(
      new MllpListener({
        connectionId: c.id,
        facilityTimeZone: tz,
        journal: journals.perMessage,
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1 << 20,
        maxConnections: 64,
      }),
    ),
  };
  // The raw SQL path (PostgreSQL): same rows and durability, in a database of its own.
  const rawDb = storeName === 'PostgreSQL' && VARIANTS.has('raw') ? await freshPostgres() : undefined;
  const raw = rawDb === undefined ? undefined : await RawIngestServer.start(rawDb, rawTemplates(g.cipher));
  if (raw !== undefined) await drive(raw.port, 8, 1_000);
  // Every variant is warmed up (the server's journal: every fixture's patient enters the index here).
  if (VARIANTS.has('steward')) await drive(listeners.steward.port, 8, 1_000); // JIT, pools, first checkpoint
  if (VARIANTS.has('perMessage')) await drive(listeners.perMessage.port, 8, 500);
  if (VARIANTS.has('inline')) await drive(listeners.inline.port, 8, 500);
  if (VARIANTS.has('server')) await drive(listeners.server.port, 8, 1_000);
  if (VARIANTS.has('serverBefore')) await drive(listeners.serverBefore.port, 8, 500);
  if (VARIANTS.has('serverPipelined')) await drive(listeners.serverPipelined.port, 8, 500);
  for (const conns of CONNECTIONS) {
    const inline: Round[] = [];
    const steward: Round[] = [];
    const decidedEach: Round[] = [];
    const rawRounds: Round[] = [];
    const server: Round[] = [];
    const serverBefore: Round[] = [];
    const serverPipelined: Round[] = [];
    const serverTallies: DbTally[] = [];
    const serverBeforeTallies: DbTally[] = [];
    // Alternate, so drift on the shared machine hits all alike.
    const tallies: DbTally[] = [];
    let rawBatches = 0;
    let rawMessages = 0;
    for (let r = 0; r < ROUNDS; r++) {
      if (raw !== undefined) {
        const [b, m] = [raw.server.batches, raw.server.messages];
        rawRounds.push(await drive(raw.port, conns, ROUND_MS));
        rawBatches += raw.server.batches - b;
        rawMessages += raw.server.messages - m;
      }
      if (VARIANTS.has('steward')) {
        t.reset();
        steward.push(await drive(listeners.steward.port, conns, ROUND_MS));
        tallies.push({ ...t.tally });
      }
      if (VARIANTS.has('perMessage')) decidedEach.push(await drive(listeners.perMessage.port, conns, ROUND_MS));
      if (VARIANTS.has('inline')) inline.push(await drive(listeners.inline.port, conns, ROUND_MS));
      if (VARIANTS.has('server')) {
        t.reset();
        server.push(await drive(listeners.server.port, conns, ROUND_MS));
        serverTallies.push({ ...t.tally });
      }
      if (VARIANTS.has('serverPipelined'))
        serverPipelined.push(await drive(listeners.serverPipelined.port, conns, ROUND_MS));
      if (VARIANTS.has('serverBefore')) {
        t.reset();
        serverBefore.push(await drive(listeners.serverBefore.port, conns, ROUND_MS));
        serverBeforeTallies.push({ ...t.tally });
      }
    }
    for (const [name, ts, rs] of [
      ["the server's journal (patient index)", serverTallies, server],
      ['the same, resolving in the transaction (the server before)', serverBeforeTallies, serverBefore],
    ] as const) {
      if (rs.length === 0) continue;
      const n = rs.reduce((k, r) => k + r.messages, 0);
      const total = (f: (x: DbTally) => number): number => ts.reduce((k, x) => k + f(x), 0);
      extra.push(
        `${storeName}, ${conns} conn, ${name}: ${(
          n /
          Math.max(
            1,
            total((x) => x.transactions + x.oneTrips),
          )
        ).toFixed(1)} messages per writer batch; ` +
          `${total((x) => x.oneTrips)} batches in one round trip, ${total((x) => x.transactions)} the general way; ` +
          `${(total((x) => x.statements) / Math.max(1, n)).toFixed(2)} other statements per message (the index's lookups included)`,
      );
    }
    const messages = steward.reduce((n, r) => n + r.messages, 0);
    const ms = steward.reduce((n, r) => n + r.ms, 0);
    const sum = (f: (x: DbTally) => number): number => tallies.reduce((n, x) => n + f(x), 0);
    const batches = sum((x) => x.transactions + x.oneTrips);
    const writerMs = sum((x) => x.txMs + x.oneTripMs);
    if (messages > 0)
      extra.push(
        `${storeName}, ${conns} conn: ${(messages / batches).toFixed(1)} messages per writer batch; ` +
          `${sum((x) => x.oneTrips)} batches in one round trip (one statement), ${sum((x) => x.transactions)} the general way ` +
          `(${(
            sum((x) => x.txStatements) /
            Math.max(
              1,
              sum((x) => x.transactions),
            )
          ).toFixed(1)} statements + BEGIN/COMMIT each); ` +
          `${(sum((x) => x.statements) / messages).toFixed(2)} other statements per message; ` +
          `writer busy ${fmt((100 * writerMs) / ms)} % of the time; ${fmt((1000 * writerMs) / messages)} µs of writer time per message`,
      );
    const rawRow =
      raw === undefined ? undefined : summarize(`raw SQL path, same rows (${storeName})`, conns, rawRounds);
    if (rawRow !== undefined) {
      rows.push(rawRow);
      rawByConn.set(`${storeName}:${conns}`, rawRow);
      extra.push(
        `${storeName}, ${conns} conn: raw SQL path ${(rawMessages / Math.max(1, rawBatches)).toFixed(1)} messages per statement (one round trip each)`,
      );
    }
    const row = summarize(`Steward listener → governed journal (${storeName})`, conns, steward);
    keep(row);
    keep(summarize(`  same, HL7 decoded on the writer's thread (${storeName}, ablation)`, conns, inline));
    keep(
      summarize(
        `  same, decoded on the writer's thread, general writer path of 5 round trips: before issue 20 (${storeName}, ablation)`,
        conns,
        decidedEach,
      ),
    );
    const serverRow = summarize(
      `Steward listener → the server's journal, with the patient index (${storeName})`,
      conns,
      server,
    );
    keep(serverRow);
    if (
      rawRow !== undefined &&
      conns >= 8 &&
      serverRow.rounds.length > 0 &&
      serverRow.perSec < target.ofRaw * rawRow.perSec
    )
      problems.push(
        `${storeName}, ${conns} conn, the server's journal: ${(serverRow.perSec / rawRow.perSec).toFixed(2)} of the raw SQL path < ${target.ofRaw}`,
      );
    keep(
      summarize(
        `  same, its writer pipelined (the next batch sent while one commits; ${storeName}, ablation)`,
        conns,
        serverPipelined,
      ),
    );
    keep(
      summarize(
        `  same, patients resolved in the filing transaction: the server before (${storeName}, ablation)`,
        conns,
        serverBefore,
      ),
    );
    if (storeName === 'PostgreSQL' && conns === 8 && row.rounds.length > 0) {
      if (row.perSec < target.msgPerSec)
        problems.push(`PostgreSQL ${Math.round(row.perSec)} msg/s < ${target.msgPerSec} msg/s`);
      if (row.p99 > target.p99Ms) problems.push(`PostgreSQL ACK p99 ${row.p99.toFixed(1)} ms > ${target.p99Ms} ms`);
    }
    if (rawRow !== undefined && conns >= 8 && row.rounds.length > 0 && row.perSec < target.ofRaw * rawRow.perSec)
      problems.push(
        `${storeName}, ${conns} conn: ${(row.perSec / rawRow.perSec).toFixed(2)} of the raw SQL path < ${target.ofRaw}`,
      );
  }
  await raw?.close();
  await rawDb?.close();
  await listeners.steward.close();
  await listeners.inline.close();
  await listeners.perMessage.close();
  await listeners.server.close();
  await listeners.serverBefore.close();
  await listeners.serverPipelined.close();
  extra.push(`${storeName}: the pipelined writer: ${JSON.stringify(pipelinedAudit.stats)}`);
  await generalAudit.close();
  await pipelinedAudit.close();

  // One round trip to the store, for scale.
  const n = 2_000;
  const r0 = performance.now();
  for (let i = 0; i < n; i++) await g.db.query('select 1');
  extra.push(`select 1, ${storeName}: ${fmt(((performance.now() - r0) / n) * 1000)} µs per round trip, sequential`);
  // policy.enforce alone: the grant read the journal does before each message.
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await g.policy.enforce(ctx, 'ehr.ingest', { site: c.site });
  const perCallMs = (performance.now() - t0) / n;
  const one = rows.find((r) => r.connections === 1 && r.name.startsWith('Steward') && r.name.includes(storeName));
  extra.push(
    `policy.enforce('ehr.ingest') alone, ${storeName}: ${fmt(perCallMs * 1000)} µs per call, sequential` +
      (one !== undefined
        ? ` (${fmt((100 * perCallMs) / one.p50, 1)} % of the 1-connection ACK p50 of ${one.p50.toFixed(2)} ms)`
        : ''),
  );
  await g.audit.flush();
  const chain = await verifyAuditLog(g.db);
  extra.push(
    `${storeName}: audit chain after the run (two writers on one database: Steward's and the ablation's): ` +
      `${chain.ok ? `verifies, ${fmt(chain.headSeq)} entries` : `DOES NOT VERIFY: ${JSON.stringify(chain)}`}; ` +
      `Steward's writer: ${JSON.stringify(g.audit.stats)}`,
  );
  if (!chain.ok) problems.push(`${storeName}: the audit chain does not verify`);
  const stored = await g.db.query<{ n: number }>(`select count(*)::int as n from ehr_inbound where status = 'stored'`);
  const events = await g.db.query<{ n: number }>('select count(*)::int as n from ehr_events');
  extra.push(`${storeName}: ${fmt(stored.rows[0]?.n ?? 0)} messages stored, ${fmt(events.rows[0]?.n ?? 0)} events`);
}

for await (const store of benchStores()) {
  const t = tallied(store.db);
  const g = await openBenchGovernance(t.db);
  try {
    await benchStore(store.name, g, t);
  } finally {
    await g.close();
  }
}

console.log(
  `${templates.length} fixture messages as templates, each sent with a unique MSH-10; ${ROUNDS} rounds of ${ROUND_MS} ms.\n`,
);
console.log(
  '| senders | connections | median msg/s | ratio to raw SQL path | ratio to bare MLLP | ACK p50 ms | ACK p99 ms | process CPU µs/msg | main thread CPU µs/msg | PostgreSQL CPU µs/msg | rounds msg/s |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const base = baselineByConn.get(r.connections);
  const store = r.name.includes('PostgreSQL') ? 'PostgreSQL' : 'PGlite';
  const rawRow = r.name.startsWith('bare') ? undefined : rawByConn.get(`${store}:${r.connections}`);
  console.log(
    `| ${r.name} | ${r.connections} | ${fmt(r.perSec)} | ${rawRow === undefined ? '' : (r.perSec / rawRow.perSec).toFixed(3)} | ${base === undefined ? '' : (r.perSec / base.perSec).toFixed(3)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${fmt(r.cpuUsPerMessage)} | ${fmt(r.mainCpuUsPerMessage)} | ${fmt(r.pgCpuUsPerMessage)} | ${r.rounds.join(', ')} |`,
  );
}
console.log('');
for (const line of extra) console.log(line);
console.log(
  `\nTargets: ≥ ${fmt(target.msgPerSec)} msg/s with ACK p99 ≤ ${target.p99Ms} ms on PostgreSQL (8 connections, on a quiet machine); ` +
    `≥ ${target.ofRaw} of the raw SQL path (PostgreSQL, 8 connections and more, at any load); PGlite reported only. ` +
    `Load average (/proc/loadavg) at the start: ${loadAtStart}; at the end: ${loadavg()}.`,
);
if (problems.length > 0) {
  console.log(`\nBelow target: ${problems.join('; ')}`);
  process.exitCode = 1;
}
