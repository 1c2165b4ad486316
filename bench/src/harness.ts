/**
 * @module Benchmark harness. Machines here are shared and noisy, so every figure is reported as
 * the median of several rounds AND as a ratio to a baseline measured in the same run.
 */
import { storeTargets, type TestDatabase } from '@steward/store/testing';

/**
 * A fresh, migrated PostgreSQL database for one benchmark run (dropped by its `close()`), from
 * BENCH_DATABASE_URL or STEWARD_TEST_DATABASE_URL; undefined when neither names a server.
 */
export async function freshPostgres(): Promise<TestDatabase | undefined> {
  const benchUrl = process.env['BENCH_DATABASE_URL'];
  if (benchUrl !== undefined && benchUrl !== '') process.env['STEWARD_TEST_DATABASE_URL'] = benchUrl;
  const target = storeTargets().find((t) => t.name === 'postgres');
  return target === undefined || target.skip !== undefined ? undefined : target.open();
}

export interface Measurement {
  readonly name: string;
  /** Operations per second: the median over rounds. */
  readonly opsPerSec: number;
  readonly rounds: readonly number[];
}

/** Runs `fn` (which performs `opsPerCall` operations) for `rounds` rounds of at least `minMs`. */
export async function measure(
  name: string,
  fn: () => unknown,
  options: { opsPerCall?: number; rounds?: number; minMs?: number } = {},
): Promise<Measurement> {
  const opsPerCall = options.opsPerCall ?? 1;
  const rounds: number[] = [];
  for (let r = 0; r < (options.rounds ?? 5); r++) {
    let ops = 0;
    const start = process.hrtime.bigint();
    let elapsedMs = 0;
    while (elapsedMs < (options.minMs ?? 500)) {
      await fn();
      ops += opsPerCall;
      elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    }
    rounds.push((ops / elapsedMs) * 1000);
  }
  return { name, opsPerSec: median(rounds), rounds };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Prints one markdown table row: name, median ops/s, and the ratio to the baseline. */
export function report(rows: readonly Measurement[], baseline: Measurement): void {
  console.log(`| benchmark | median ops/s | ratio to ${baseline.name} |`);
  console.log('| --- | ---: | ---: |');
  for (const m of [baseline, ...rows]) {
    console.log(
      `| ${m.name} | ${Math.round(m.opsPerSec).toLocaleString('en-US')} | ${(m.opsPerSec / baseline.opsPerSec).toFixed(3)} |`,
    );
  }
}
