/**
 * @module FHIR ingest into the governed journal: the sandbox EHR is seeded with Synthea bundles
 * (its seed option), and Steward's FhirChanges polls every seeded type from the epoch over HTTP
 * with a SMART Backend Services token (ES384), filing each search page's messages, events and
 * audit entries in the governed EhrJournal with one `receiveMany` (instance history is read for
 * the previous version only for the six event types, and not on a type's first sync), on
 * PGlite (a temp data directory) and PostgreSQL. Each round uses a new connection, so nothing is
 * a duplicate. Figure: resources/s over one full poll.
 *
 * Baseline, same run: the same searches and pages with the same FhirClient (token, paging,
 * JSON.parse) and no Steward processing. In between, for the analysis: FhirChanges into an
 * in-memory journal (the HTTP work of Steward's path without storage).
 *
 * Latency, change → stored event: the time from the sandbox's commit of an Appointment update
 * (its repository's change listener, same process) to the journal having stored the event,
 * (a) by subscription: a rest-hook (full-resource) to an HTTP endpoint this benchmark runs, which
 * hands the body to FhirChanges.notification and answers after it resolves; one update at a time;
 * (b) by polling every POLL_MS, with updates every UPDATE_GAP_MS (not a divisor of the interval).
 *
 * Target (the issue): ≥ 1,500 resources/s on PostgreSQL. The generic-r4 profile offers only the
 * workflow types; the benchmark extends it with search + history for every seeded type (Synthea
 * has Observations, Claims...), which the sandbox serves. Types outside the six event types are
 * filed (message row + audit) with no events. The transport is plain `fetch` (the server's egress
 * registry is not part of this benchmark).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import type { Appointment, Resource, ResourceType } from '@medplum/fhirtypes';
import type { EhrEvent, InboundJournal, ReceiveOutcome, RequestContext } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import {
  FhirChanges,
  FhirClient,
  MemoryInboundJournal,
  SmartBackendAuth,
  planPolling,
  profileFor,
  type PrivateJwk,
  type VendorProfile,
} from '@steward/ehr';
import { startSandboxEhr, subscriptionTopicUrls, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, makeKey, tokenFor } from '@steward/sandbox-ehr/testing';
import { median } from './harness.js';
import { benchStores, fmt, openBenchGovernance, percentile, tallied, type BenchGovernance } from './ehr-governance.js';

type Tally = ReturnType<typeof tallied>;

const MAX_PATIENTS = 3;
const ROUNDS = 3;
const SUB_UPDATES = 100;
const POLL_MS = 1_000;
const POLL_UPDATES = 16;
const UPDATE_GAP_MS = 370;
const target = { resourcesPerSec: 1_500 };
const problems: string[] = [];
const clientId = 'steward-bench';
const scopes = ['system/*.rs'];

const ehr: SandboxEhr = await startSandboxEhr({
  seed: { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: MAX_PATIENTS },
  accessTokenTtlSeconds: 3_600,
  subscriptionRetryDelayMs: 20,
});
const ehrToken = await tokenFor(ehr, ['system/*.*']);
const key = await makeKey('ES384');
ehr.registerClient({ clientId, jwks: { keys: [key.publicJwk] }, allowedScopes: scopes });
const privateKey = { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk;

const seeded = ehr.seedReport?.byType ?? {};
const types = Object.keys(seeded).sort();
const expected = types.reduce((n, t) => n + (seeded[t] ?? 0), 0);
const base = profileFor('generic-r4');
const profile: VendorProfile = {
  ...base,
  resources: {
    ...Object.fromEntries(
      types.map((t) => [
        t,
        { read: true, search: ['_id', '_lastUpdated', '_count', '_sort'], create: false, update: false, history: true },
      ]),
    ),
    ...base.resources,
  },
};

/** HTTP requests by kind (instance history, search pages, token and discovery), to see where the time goes. */
const requests = { history: 0, search: 0, other: 0 };
function newClient(): FhirClient {
  const transport = (url: string, init: RequestInit): Promise<Response> => {
    if (url.includes('/_history')) requests.history++;
    else if (url.includes('?')) requests.search++;
    else requests.other++;
    return fetch(url, init);
  };
  return new FhirClient({
    baseUrl: ehr.fhirBaseUrl,
    transport,
    auth: new SmartBackendAuth({ fhirBaseUrl: ehr.fhirBaseUrl, clientId, privateKey, scopes, transport }),
    budget: { requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: 16 },
    resilience: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 10_000 },
  });
}

interface Row {
  readonly name: string;
  readonly perSec: number;
  readonly rounds: readonly number[];
}
const rows: Row[] = [];
const notes: string[] = [];

/** Resources/s of `fn` (which returns how many resources it handled), over ROUNDS rounds. */
async function rounds(name: string, fn: (round: number) => Promise<number>, tally?: Tally): Promise<Row> {
  const perSec: number[] = [];
  const before = { ...requests };
  tally?.reset();
  let ms = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const n = await fn(r);
    ms += performance.now() - t0;
    perSec.push((n / (performance.now() - t0)) * 1000);
    if (n !== expected) problems.push(`${name}, round ${r + 1}: ${n} resources, expected ${expected}`);
  }
  const per = (x: number): string => (x / (ROUNDS * expected)).toFixed(2);
  let line = `${name}: HTTP requests per resource: ${per(requests.history - before.history)} instance history, ${per(requests.search - before.search)} search pages; ${fmt(ms / (ROUNDS * expected), 2)} ms per resource`;
  if (tally !== undefined) {
    const t = tally.tally;
    line += `; store: ${per(t.txStatements)} statements per resource in the audit writer's transactions + ${per(t.statements)} outside, ${(t.transactions === 0 ? 0 : (ROUNDS * expected) / t.transactions).toFixed(1)} resources per transaction, ${fmt(t.txMs / (ROUNDS * expected), 2)} ms of writer time per resource`;
  }
  notes.push(line);
  const row = { name, perSec: median(perSec), rounds: perSec.map(Math.round) };
  rows.push(row);
  return row;
}

// ---- baseline: the same pages, no Steward processing ----

const plainClient = newClient();
await plainClient.capabilities(); // warm the token and connection
const baseline = await rounds('same pages, FhirClient + JSON.parse only (baseline)', async () => {
  let n = 0;
  for (const type of types) {
    const plan = planPolling(profile, type, '1970-01-01T00:00:00Z');
    for await (const r of plainClient.searchAll(plan.resourceType as ResourceType, plan.params)) if (r.id) n++;
  }
  return n;
});

const memoryMarks = (): { get(t: string): Promise<string | undefined>; set(t: string, v: string): Promise<void> } => {
  const m = new Map<string, string>();
  return { get: (t) => Promise.resolve(m.get(t)), set: (t, v) => Promise.resolve(void m.set(t, v)) };
};
await rounds('FhirChanges into an in-memory journal (no storage)', async (r) => {
  const changes = new FhirChanges({
    connectionId: `memory-${r}`,
    client: plainClient,
    profile,
    journal: new MemoryInboundJournal(),
    marks: memoryMarks(),
    resourceTypes: types,
  });
  return (await changes.pollOnce()).resources;
});

// ---- latency helpers ----

/** Commit instants of the sandbox's changes, by `Type/id/_history/version`. */
const committed = new Map<string, number>();
ehr.repository.onChange((c) => {
  if (c.resource?.meta?.versionId !== undefined)
    committed.set(`${c.resourceType}/${c.id}/_history/${c.resource.meta.versionId}`, performance.now());
});

/** Wraps a journal: resolves waiters when an event for a source reference is stored. */
class WatchedJournal implements InboundJournal {
  private readonly waiters = new Map<string, (at: number) => void>();
  readonly storedAt = new Map<string, number>();
  constructor(private readonly inner: InboundJournal) {}
  async receive(...args: Parameters<InboundJournal['receive']>): ReturnType<InboundJournal['receive']> {
    const outcome = await this.inner.receive(...args);
    this.note([outcome]);
    return outcome;
  }
  async receiveMany(
    items: Parameters<NonNullable<InboundJournal['receiveMany']>>[0],
  ): Promise<readonly ReceiveOutcome[]> {
    const outcomes =
      this.inner.receiveMany !== undefined
        ? await this.inner.receiveMany(items)
        : await Promise.all(items.map((i) => this.inner.receive(i.message, i.events)));
    this.note(outcomes);
    return outcomes;
  }
  private note(outcomes: readonly ReceiveOutcome[]): void {
    const at = performance.now();
    for (const outcome of outcomes)
      if (outcome.status === 'stored')
        for (const e of outcome.events) {
          this.storedAt.set(e.sourceRef, at);
          this.waiters.get(e.sourceRef)?.(at);
        }
  }
  deadLetter(...args: Parameters<InboundJournal['deadLetter']>): ReturnType<InboundJournal['deadLetter']> {
    return this.inner.deadLetter(...args);
  }
  deadLetters(): ReturnType<InboundJournal['deadLetters']> {
    return this.inner.deadLetters();
  }
  ignore(...args: Parameters<InboundJournal['ignore']>): ReturnType<InboundJournal['ignore']> {
    return this.inner.ignore(...args);
  }
  attention(limit?: number): ReturnType<InboundJournal['attention']> {
    return this.inner.attention(limit);
  }
  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]> {
    return this.inner.events(afterSeq, limit);
  }
  stored(sourceRef: string, timeoutMs: number): Promise<number> {
    const known = this.storedAt.get(sourceRef);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event for ${sourceRef} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(sourceRef, (at) => {
        clearTimeout(timer);
        this.waiters.delete(sourceRef);
        resolve(at);
      });
    });
  }
}

/** The EHR's own users toggling an appointment booked ↔ cancelled (one event each). */
async function toggle(id: string): Promise<string> {
  const current = (await fhirFetch(ehr, ehrToken, 'GET', `Appointment/${id}`)).json as Appointment;
  const next = { ...current, status: current.status === 'booked' ? 'cancelled' : 'booked' } as Appointment;
  const r = await fhirFetch(ehr, ehrToken, 'PUT', `Appointment/${id}`, next);
  if (r.status >= 300) throw new Error(`PUT Appointment: ${r.status}`);
  const saved = r.json as Appointment;
  return `Appointment/${id}/_history/${saved.meta?.versionId ?? ''}`;
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}
const summarize = (xs: number[]): Latency => ({ p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), n: xs.length });

async function latencies(storeName: string, g: BenchGovernance): Promise<{ sub: Latency; poll: Latency }> {
  const c = await g.connections.add(g.admin, {
    name: 'bench-latency',
    site: 'north',
    vendor: 'generic-r4',
    facilityTimeZone: 'America/New_York',
  });
  const ctx: RequestContext = { actor: g.connections.actorOf(c) };
  const journal = new WatchedJournal(g.journals.forConnection(ctx, c));
  const changes = new FhirChanges({
    connectionId: c.id,
    client: newClient(),
    profile,
    journal,
    marks: memoryMarks(),
    resourceTypes: ['Appointment'],
  });
  // Appointments for a seeded patient; the first poll files them.
  const patient = (
    (await fhirFetch(ehr, ehrToken, 'GET', 'Patient?_count=1')).json as { entry: { resource: Resource }[] }
  ).entry[0]?.resource.id;
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = await fhirFetch(ehr, ehrToken, 'POST', 'Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      start: `2027-01-${String(10 + i)}T14:00:00-05:00`,
      end: `2027-01-${String(10 + i)}T14:30:00-05:00`,
      participant: [{ actor: { reference: `Patient/${patient ?? ''}` }, status: 'accepted' }],
    });
    ids.push((a.json as Appointment).id ?? '');
  }
  await changes.pollOnce();

  // (a) subscription: rest-hook to our endpoint, which files through FhirChanges.notification.
  let filing = true;
  const hook: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('end', () => {
      if (!filing) return void res.writeHead(200).end();
      changes
        .notification(JSON.parse(Buffer.concat(chunks).toString('utf8')))
        .then(() => res.writeHead(200).end())
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const topic = subscriptionTopicUrls.find((u) => u.endsWith('/appointment-changed')) ?? '';
  const sub = await fhirFetch(ehr, ehrToken, 'POST', 'Subscription', {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'benchmark',
    criteria: topic,
    channel: {
      type: 'rest-hook',
      endpoint: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      payload: 'application/fhir+json',
      _payload: {
        extension: [
          {
            url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content',
            valueCode: 'full-resource',
          },
        ],
      },
    },
  });
  if (sub.status !== 201) throw new Error(`Subscription: ${sub.status}`);
  const subLatencies: number[] = [];
  for (let i = 0; i < SUB_UPDATES; i++) {
    const ref = await toggle(ids[i % ids.length] ?? '');
    const at = await journal.stored(ref, 10_000);
    subLatencies.push(at - (committed.get(ref) ?? at));
  }

  // (b) polling every POLL_MS; notifications are answered but not filed.
  filing = false;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const started = performance.now();
      await changes.pollOnce();
      const wait = POLL_MS - (performance.now() - started);
      if (wait > 0 && polling) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  const refs: string[] = [];
  for (let i = 0; i < POLL_UPDATES; i++) {
    refs.push(await toggle(ids[i % ids.length] ?? ''));
    await new Promise((r) => setTimeout(r, UPDATE_GAP_MS));
  }
  const pollLatencies: number[] = [];
  for (const ref of refs) {
    const at = await journal.stored(ref, 10_000);
    pollLatencies.push(at - (committed.get(ref) ?? at));
  }
  polling = false;
  await poller;
  await new Promise<void>((resolve) => hook.close(() => resolve()));
  void storeName;
  return { sub: summarize(subLatencies), poll: summarize(pollLatencies) };
}

// ---- Steward: FhirChanges into the governed journal ----

const latencyRows: string[] = [];
for await (const store of benchStores()) {
  const t = tallied(store.db);
  const g = await openBenchGovernance(t.db);
  try {
    const row = await rounds(
      `FhirChanges → governed journal (${store.name})`,
      async (r) => {
        const c = await g.connections.add(g.admin, {
          name: `bench-ingest-${r}`,
          site: 'north',
          vendor: 'generic-r4',
          facilityTimeZone: 'America/New_York',
        });
        const changes = new FhirChanges({
          connectionId: c.id,
          client: plainClient,
          profile,
          journal: g.journals.forConnection({ actor: g.connections.actorOf(c) }, c),
          marks: {
            get: (type) => g.connections.highWater(c.id, type),
            set: (type, value) => g.connections.setHighWater(c.id, type, value),
          },
          resourceTypes: types,
        });
        return (await changes.pollOnce()).resources;
      },
      t,
    );
    if (store.name === 'PostgreSQL' && row.perSec < target.resourcesPerSec)
      problems.push(`PostgreSQL ${Math.round(row.perSec)} resources/s < ${target.resourcesPerSec}/s`);
    const events = await g.db.query<{ n: number }>('select count(*)::int as n from ehr_events');
    notes.push(`${store.name}: ${fmt(events.rows[0]?.n ?? 0)} events from ${ROUNDS} × ${fmt(expected)} resources`);
    const l = await latencies(store.name, g);
    latencyRows.push(
      `| subscription (rest-hook, full resource), one update at a time (${store.name}) | ${l.sub.n} | ${fmt(l.sub.p50, 1)} | ${fmt(l.sub.p99, 1)} |`,
      `| polling every ${POLL_MS} ms, an update every ${UPDATE_GAP_MS} ms (${store.name}) | ${l.poll.n} | ${fmt(l.poll.p50, 1)} | ${fmt(l.poll.p99, 1)} |`,
    );
  } finally {
    await g.close();
  }
}
await ehr.close();

console.log(
  `Sandbox seeded with ${MAX_PATIENTS} Synthea patients: ${fmt(expected)} resources of ${types.length} types (${types.map((t) => `${t} ${seeded[t] ?? 0}`).join(', ')}). ${ROUNDS} rounds, one full poll each.\n`,
);
console.log('| path | median resources/s | ratio to the baseline | rounds |');
console.log('| --- | ---: | ---: | --- |');
for (const r of rows)
  console.log(`| ${r.name} | ${fmt(r.perSec)} | ${(r.perSec / baseline.perSec).toFixed(3)} | ${r.rounds.join(', ')} |`);
console.log('\n| change → stored event | updates | p50 ms | p99 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const l of latencyRows) console.log(l);
console.log('');
for (const n of notes) console.log(n);
console.log(`\nTarget: ≥ ${fmt(target.resourcesPerSec)} resources/s on PostgreSQL.`);
if (problems.length > 0) {
  console.log(`\nBelow target: ${problems.join('; ')}`);
  process.exitCode = 1;
}
