/**
 * @module The patient index (packages/clinic/src/patients): what resolving each inbound event's
 * patient adds to ingest, and lookup by identifier at a large index.
 *
 * 1. Resolution per inbound event: the governed journal files ADT events (one message, one event,
 *    two identifiers: an MRN and an enterprise id) from 8 concurrent senders, without a resolver
 *    (the baseline, same run, alternating rounds) and with the `PatientIndex` as its resolver.
 *    Steady state: patients drawn from a pool of 5,000 already in the index (a clinic's feed is
 *    mostly about patients it has seen). Also, for information, every event naming a new patient
 *    (the index's first days). Figure: events/s both ways, and the resolution's share of the ingest
 *    cost per event, `(1/with − 1/without) / (1/without)`. Target: ≤ 10 %.
 * 2. Lookup by identifier: the index filled with N patients (2 identifiers and an EHR id each;
 *    N = 1,000,000 on PostgreSQL, 100,000 on PGlite; `BENCH_PATIENTS` overrides), then
 *    `patientIdsFor(ctx, 'system|value')` (what an audit search by MRN runs: key lookup, merges
 *    followed) and by bare value, one at a time, 2,000 each on random patients: p50/p99. Baseline
 *    (same run): a primary-key point read of one `clinic_patients` row. Target: p99 ≤ 2 ms at
 *    1,000,000 on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { EhrEventInput, InboundJournal, InboundMessage, RequestContext } from '@steward/core';
import { EhrJournal, type FieldCipher } from '@steward/governance';
import type { Database } from '@steward/store';
import { PatientIndex } from '@steward/clinic';
import { median } from './harness.js';
import { benchStores, fmt, openBenchGovernance, percentile } from './ehr-governance.js';

// BENCH_ROUNDS: more, shorter rounds when the machine's own drift hides a 10 % difference.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 3_000);
const SENDERS = 8;
const POOL = 5_000;
const LOOKUPS = 2_000;
const site = 'north';
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
} as const;
const problems: string[] = [];

let serial = 0;
/** `fresh`: a patient never seen (numbers above the pool); otherwise one of the pool. */
function item(connectionId: string, fresh = false): { message: InboundMessage; events: EhrEventInput[] } {
  const n = ++serial;
  const p = fresh ? POOL + n : Math.floor(Math.random() * POOL);
  const key = `BENCH-${process.pid}-${n}`;
  return {
    message: {
      connectionId,
      channel: 'hl7v2',
      messageKey: key,
      raw: `MSH|^~\\&|EHR|N|STEWARD|N|20261122||ADT^A08|${key}|P|2.5\rPID|1||MRN${p}^^^NORTH^MR~E${p}^^^EMPI^PI`,
      messageType: 'ADT^A08',
      receivedAt: new Date(),
    },
    events: [
      {
        type: 'patient.updated',
        connectionId,
        channel: 'hl7v2',
        dedupKey: `hl7:${key}`,
        occurredAt: '2026-11-22T09:30:00-05:00',
        patient: {
          identifiers: [
            { system: 'urn:north:mrn', value: `MRN${p}` },
            { system: 'urn:empi', value: `E${p}` },
          ],
        },
        facts: { kind: 'Patient' },
        sourceRef: 'ADT^A08',
      },
    ],
  };
}

/** Events/s filed by `SENDERS` senders, each awaiting its own receipt, for `ROUND_MS`. */
async function ingestRound(journal: InboundJournal, connectionId: string, fresh = false): Promise<number> {
  let done = 0;
  const start = performance.now();
  const until = start + ROUND_MS;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (performance.now() < until) {
        const { message, events } = item(connectionId, fresh);
        await journal.receive(message, events);
        done++;
      }
    }),
  );
  return (done / (performance.now() - start)) * 1000;
}

const hex = (b: Buffer): string => b.toString('hex');

/**
 * Fills the index with patients `from..to-1` straight into its tables (keys made with the index's
 * own blind-index fields), 10,000 per transaction: what resolving them one by one would leave.
 */
async function fill(
  db: Database,
  cipher: FieldCipher,
  connectionId: string,
  from: number,
  to: number,
  keysOf: (i: number) => readonly (readonly ['identifier' | 'ehr-id', string, string])[],
): Promise<void> {
  const idx = (field: string, value: string) => hex(cipher.blindIndex(field, value));
  for (let start = from; start < to; start += 10_000) {
    const ids: string[] = [];
    const keys: string[] = [];
    const kinds: string[] = [];
    const values: string[] = [];
    const owners: string[] = [];
    for (let i = start; i < Math.min(to, start + 10_000); i++) {
      const id = randomUUID();
      ids.push(id);
      for (const [kind, key, value] of keysOf(i)) {
        keys.push(idx(kind === 'identifier' ? 'clinic_patient_keys.identifier' : 'clinic_patient_keys.ehr-id', key));
        kinds.push(kind);
        values.push(idx('clinic_patient_keys.value', value));
        owners.push(id);
      }
    }
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into clinic_patients (id, site, created_at, updated_at) select id, $2, now() - interval '1 day', now() from unnest($1::uuid[]) as id`,
        [ids, site],
      );
      await tx.query(
        `insert into clinic_patient_keys (key, kind, value_key, patient_id, connection_id, created_at)
         select decode(k, 'hex'), kind, decode(v, 'hex'), p, $5, now()
           from unnest($1::text[], $2::text[], $3::text[], $4::uuid[]) as t(k, kind, v, p)`,
        [keys, kinds, values, owners, connectionId],
      );
    });
  }
  await db.query('analyze clinic_patients');
  await db.query('analyze clinic_patient_keys');
}

for await (const { name, db } of benchStores()) {
  const gov = await openBenchGovernance(db);
  const feedId = randomUUID();
  const connectionId = randomUUID();
  await db.query(`insert into service_accounts (id, name) values ($1, 'bench-feed')`, [feedId]);
  await db.query(
    `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
     values ($1, 'bench-adt', $2, 'generic-r4', 'America/New_York', now(), now())`,
    [connectionId, site],
  );
  await gov.grants.add(bootstrap, {
    principalKind: 'service',
    principalId: feedId,
    role: 'integration',
    site,
    workflow: '*',
    purposeOfUse: 'HOPERAT',
  });
  const ctx: RequestContext = { actor: { kind: 'service', id: feedId, name: 'bench-feed', authMethod: 'api-token' } };
  const index = new PatientIndex({ db, cipher: gov.cipher, policy: gov.policy, audit: gov.audit });
  const bare = new EhrJournal(db, gov.cipher, gov.policy, gov.audit).forConnection(ctx, { id: connectionId, site });
  const resolving = new EhrJournal(db, gov.cipher, gov.policy, gov.audit, undefined, { patients: index }).forConnection(
    ctx,
    {
      id: connectionId,
      site,
    },
  );

  // ---- 1. resolution per inbound event ----
  await fill(db, gov.cipher, connectionId, 0, POOL, (i) => [
    ['identifier', `urn:north:mrn|MRN${i}`, `MRN${i}`],
    ['identifier', `urn:empi|E${i}`, `E${i}`],
  ]);
  // Steady state: the pool is in the index's key cache, as a clinic's active patients are (what is
  // left of the gap between the resolver alone and end to end is the journal's and audit's share:
  // the events' patient column and the audit entries' patient ids and their index).
  for (let from = 0; from < POOL; from += 100) {
    const batch = Array.from({ length: Math.min(100, POOL - from) }, (_, k) => ({
      id: randomUUID(),
      input: {
        ...item(connectionId).events[0]!,
        patient: {
          identifiers: [
            { system: 'urn:north:mrn', value: `MRN${from + k}` },
            { system: 'urn:empi', value: `E${from + k}` },
          ],
        },
      },
    }));
    await index.resolveEvents(db, ctx, site, batch);
  }
  await ingestRound(bare, connectionId); // warm-up
  await ingestRound(resolving, connectionId);
  console.log(`### ${name}: resolution per inbound event (${SENDERS} senders)\n`);
  console.log(
    "| figure | events/s (median of rounds) | rounds | resolution's share of ingest cost (median of paired rounds) |",
  );
  console.log('| --- | ---: | --- | ---: |');
  let baselineKnown = 0;
  for (const fresh of [false, true]) {
    const without: number[] = [];
    const withIndex: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      without.push(await ingestRound(bare, connectionId, fresh));
      withIndex.push(await ingestRound(resolving, connectionId, fresh));
    }
    const a = median(without);
    const b = median(withIndex);
    if (!fresh) baselineKnown = a;
    // Each round with the index against the baseline round just before it (the machine drifts
    // between rounds), the median of those paired shares.
    const share = median(without.map((w, i) => (1 / withIndex[i]! - 1 / w) / (1 / w)));
    const what = fresh ? 'every event a new patient' : `known patients (pool ${fmt(POOL)})`;
    console.log(
      `| ingest without resolution (baseline), ${what} | ${fmt(a)} | ${without.map((x) => fmt(x)).join(' / ')} | |`,
    );
    console.log(
      `| ingest with the patient index, ${what} | ${fmt(b)} | ${withIndex.map((x) => fmt(x)).join(' / ')} | ${fmt(share * 100, 1)} % |`,
    );
    if (!fresh && share > 0.1)
      problems.push(`${name}: resolution adds ${fmt(share * 100, 1)} % to ingest (target ≤ 10 %)`);
  }
  // The resolver alone, in-process, on known patients in batches of SENDERS (what one writer
  // transaction resolves): its cost per event against the baseline's cost per event (1/rate).
  const resolveAlone: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let events = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      const batch = Array.from({ length: SENDERS }, () => ({ id: randomUUID(), input: item(connectionId).events[0]! }));
      // Outside a transaction: with every patient known it writes nothing (the journal calls it inside its own).
      await index.resolveEvents(db, ctx, site, batch);
      events += batch.length;
    }
    resolveAlone.push((performance.now() - start) / events);
  }
  const aloneMs = median(resolveAlone);
  console.log(
    `\nresolver alone, known patients, batches of ${SENDERS}: ${fmt(aloneMs * 1000, 0)} µs per event, ` +
      `${fmt((aloneMs / (1000 / baselineKnown)) * 100, 1)} % of the baseline's ${fmt(1000 / baselineKnown, 2)} ms per event\n`,
  );

  // ---- 2. lookup by identifier at a large index ----
  const n = Number(process.env['BENCH_PATIENTS'] ?? (name === 'PostgreSQL' ? 1_000_000 : 100_000));
  const filling = performance.now();
  await fill(db, gov.cipher, connectionId, POOL, POOL + n, (i) => [
    ['identifier', `urn:big:mrn|M${i}`, `M${i}`],
    ['identifier', `urn:big:empi|X${i}`, `X${i}`],
    ['ehr-id', `${connectionId}|P${i}`, `P${i}`],
  ]);
  const fillS = (performance.now() - filling) / 1000;
  const sample = async (f: (i: number) => Promise<unknown>): Promise<number[]> => {
    const times: number[] = [];
    for (let k = 0; k < LOOKUPS; k++) {
      const i = POOL + Math.floor(Math.random() * n);
      const t = performance.now();
      await f(i);
      times.push(performance.now() - t);
    }
    return times;
  };
  const anyId =
    (await db.query<{ id: string }>('select id::text as id from clinic_patients limit 1')).rows[0]?.id ?? '';
  const pk = await sample(() => db.query('select id from clinic_patients where id = $1', [anyId]));
  const bySystem = await sample(async (i) => {
    const found = await index.patientIdsFor(ctx, `urn:big:mrn|M${i}`);
    if (found.length !== 1) throw new Error('a lookup found no patient');
  });
  const byValue = await sample(async (i) => {
    const found = await index.patientIdsFor(ctx, `X${i}`);
    if (found.length !== 1) throw new Error('a lookup found no patient');
  });
  console.log(
    `### ${name}: lookup by identifier, ${fmt(n)} patients (${fmt(3 * n)} keys, filled in ${fmt(fillS, 1)} s)\n`,
  );
  console.log('| lookup | p50 ms | p99 ms |');
  console.log('| --- | ---: | ---: |');
  for (const [label, xs] of [
    ['primary-key read of one patient row (baseline)', pk],
    ['`patientIdsFor` by `system|value`', bySystem],
    ['`patientIdsFor` by bare value', byValue],
  ] as const) {
    console.log(`| ${label} | ${fmt(percentile(xs, 0.5), 3)} | ${fmt(percentile(xs, 0.99), 3)} |`);
  }
  console.log('');
  if (name === 'PostgreSQL' && n >= 1_000_000 && percentile(bySystem, 0.99) > 2)
    problems.push(`${name}: lookup p99 ${fmt(percentile(bySystem, 0.99), 3)} ms at ${fmt(n)} (target ≤ 2 ms)`);
  await gov.close();
}

if (problems.length > 0) {
  console.log(`Targets not met:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exitCode = 1;
}
