/**
 * @module Field encryption: seal + open of 256 B, 512 B and 1 KB fields per second through the
 * KeyRing, against raw node:crypto AES-256-GCM on the same payloads in the same run. The baseline
 * imports its key once (a KeyObject, as the ring holds its keys); the old baseline, which passed
 * raw key bytes and so re-imported the key on every call, is still shown for comparison.
 * Target (the issue): at least 100,000 seal+open per second per core. One thread, so one core.
 *
 * The ring is the in-memory one: the store is not on the hot path (keys are unwrapped once at
 * start-up), so this measures exactly what every PHI read and write pays.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { KeyRing } from '@steward/governance';
import { measure, median, report } from './harness.js';
import type { Measurement } from './harness.js';

const TARGET_OPS_PER_SEC = 100_000;
const BATCH = 256;
/** The ring may cost at most a quarter of raw AES-GCM's throughput. */
const MIN_RATIO = 0.75;
const sizes = [256, 512, 1024] as const;

function payloads(size: number): { data: Buffer; context: string }[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    data: randomBytes(size),
    context: `records:${randomBytes(16).toString('hex')}:${i}`,
  }));
}

/** What the ring does, minus everything it adds: random IV, AAD = context, 16-byte tag. */
function rawRoundTrip(key: KeyObject | Buffer, data: Buffer, context: string): Buffer {
  const iv = randomBytes(12);
  const aad = Buffer.from(context, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = cipher.getAuthTag();
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

const ring = KeyRing.inMemory();
const rawKeyBytes = randomBytes(32);
/** Imported once, like the ring's keys: the fair baseline. */
const rawKey = createSecretKey(Buffer.from(rawKeyBytes));
let sink = 0; // keeps results alive so nothing is optimized away
const problems: string[] = [];

/**
 * Measures each of `cases` in alternating rounds, so that a change in machine load (shared
 * runners) hits all alike and their ratios stay meaningful.
 */
async function interleaved(
  cases: readonly { name: string; fn: () => void }[],
  rounds = 7,
): Promise<{ wall: Measurement[]; cpu: Measurement[] }> {
  const all: number[][] = cases.map(() => []);
  const perCpu: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of cases.entries()) {
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      const m = await measure(c.name, c.fn, { opsPerCall: BATCH, rounds: 1 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      (all[i] as number[]).push(...m.rounds);
      // The same operations per second of CPU time: a core's rate, whatever the machine's load.
      (perCpu[i] as number[]).push((m.opsPerSec * seconds) / ((used.user + used.system) / 1e6));
    }
  }
  const summary = (xs: number[][], suffix: string): Measurement[] =>
    cases.map((c, i) => ({
      name: `${c.name}${suffix}`,
      opsPerSec: median(xs[i] as number[]),
      rounds: xs[i] as number[],
    }));
  return { wall: summary(all, ''), cpu: summary(perCpu, ', per CPU second') };
}

for (const size of sizes) {
  const set = payloads(size);
  // Check once that both paths really round-trip before timing them.
  for (const { data, context } of set) {
    if (!rawRoundTrip(rawKey, data, context).equals(data)) throw new Error('raw AES-GCM round trip failed');
    if (!rawRoundTrip(rawKeyBytes, data, context).equals(data)) throw new Error('raw AES-GCM round trip failed');
    if (!ring.decrypt(ring.encrypt(data, context), context).equals(data)) throw new Error('KeyRing round trip failed');
  }
  const measured = await interleaved([
    {
      name: `raw AES-256-GCM ${size} B, key imported once`,
      fn: () => {
        for (const { data, context } of set) sink += rawRoundTrip(rawKey, data, context).length;
      },
    },
    {
      name: `KeyRing encrypt+decrypt ${size} B`,
      fn: () => {
        for (const { data, context } of set) sink += ring.decrypt(ring.encrypt(data, context), context).length;
      },
    },
    {
      name: `raw AES-256-GCM ${size} B, key bytes re-imported per call (the old baseline)`,
      fn: () => {
        for (const { data, context } of set) sink += rawRoundTrip(rawKeyBytes, data, context).length;
      },
    },
  ]);
  const [baseline, keyRing, reimport] = measured.wall as [Measurement, Measurement, Measurement];
  const [baselineCpu, keyRingCpu] = measured.cpu as [Measurement, Measurement, Measurement];
  console.log(`\n### ${size} B fields\n`);
  report([keyRing, reimport], baseline);
  console.log('');
  report([keyRingCpu], baselineCpu);
  const ratio = keyRing.opsPerSec / baseline.opsPerSec;
  if (keyRing.opsPerSec < TARGET_OPS_PER_SEC) {
    problems.push(
      `${size} B: KeyRing ${fmt(keyRing.opsPerSec)}/s is below the ${fmt(TARGET_OPS_PER_SEC)}/s target` +
        (baseline.opsPerSec < TARGET_OPS_PER_SEC
          ? ` (so is raw AES-GCM on this machine: ${fmt(baseline.opsPerSec)}/s)`
          : '') +
        `; per CPU second: KeyRing ${fmt(keyRingCpu.opsPerSec)}/s, raw ${fmt(baselineCpu.opsPerSec)}/s`,
    );
  }
  // The ring's own cost is what this code controls: fail when it adds more than a quarter.
  if (ratio < MIN_RATIO) {
    process.exitCode = 1;
    problems.push(`${size} B: KeyRing runs at ${ratio.toFixed(2)} of raw AES-GCM (minimum ${MIN_RATIO})`);
  }
}

const blind = await measure(
  'KeyRing blindIndex (32-character value)',
  () => {
    for (let i = 0; i < BATCH; i++) sink += ring.blindIndex('mrn', `MRN-${i.toString().padStart(28, '0')}`).length;
  },
  { opsPerCall: BATCH },
);
console.log(`\n${blind.name}: ${fmt(blind.opsPerSec)} ops/s (median)`);
console.log(`\n(checksum ${sink % 997})`);
console.log(
  problems.length === 0
    ? `\nEvery size meets the ${fmt(TARGET_OPS_PER_SEC)}/s per-core target.`
    : `\n${problems.join('\n')}`,
);

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
