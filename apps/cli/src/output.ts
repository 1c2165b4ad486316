/** @module Output: tables for people, JSON for scripts, progress bars on long work (only on a terminal). */
import cliProgress from 'cli-progress';
import type { Output } from './io.js';

export function printJson(out: Output, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(out: Output, rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
  if (rows.length === 0) {
    out.write('(none)\n');
    return;
  }
  const cell = (v: unknown): string => {
    if (v instanceof Date) return v.toISOString();
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.map(cell).join(',');
    if (typeof v === 'object') return JSON.stringify(v);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v.toString();
    return ''; // a symbol or function: never a stored value
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  out.write(`${line([...columns])}\n`);
  for (const r of rows) out.write(`${line(columns.map((c) => cell(r[c])))}\n`);
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (CI, pipes). */
export function progress(err: Output, label: string): Progress {
  if (err.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total}`,
      // Only a real stream is a terminal (the process's own stderr).
      stream: err as NodeJS.WritableStream,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total ?? done, done);
        started = true;
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** What the server adds to a list item for a person to recognise it (the HTTP contract's fields). */
export interface Recognisable {
  readonly patientLabel?: {
    readonly id: string;
    readonly name?: string;
    readonly birthDate?: string;
    readonly mrn?: string;
  };
  readonly assigneeName?: string;
}

/**
 * A list item's patient as the server let this reader see it: "Quill, Ada 1970-04-05 MRN ••••7123",
 * or the Steward id alone (a role that may not see demographics), or the given fallback.
 */
export function patientText(
  label:
    { readonly id: string; readonly name?: string; readonly birthDate?: string; readonly mrn?: string } | undefined,
  fallback?: string,
): string | undefined {
  if (label === undefined) return fallback;
  const parts = [label.name, label.birthDate, label.mrn !== undefined ? `MRN ${label.mrn}` : undefined].filter(
    (x): x is string => x !== undefined,
  );
  return parts.length > 0 ? parts.join(' ') : label.id;
}
