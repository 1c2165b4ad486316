/**
 * @module The conflict diff as rows for people (pure: tested under Node, apps/console/test): each
 * field the EHR changed since drafting, with its value then and now.
 */
import { humanize } from '../../ui/format.js';

export interface DiffRow {
  /** The field's path in the resource, e.g. "status" or "participant/0/actor". */
  readonly path: string;
  /** What happened to it, in words ("Replace", "Add", "Remove"). */
  readonly change: string;
  readonly before: string;
  readonly after: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A value as shown in a cell: JSON, or "(absent)" when the field was not there. */
export function diffValue(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v, null, 1);
}

export function diffRows(diff: Record<string, unknown>): DiffRow[] {
  const changes = Array.isArray(diff['changes']) ? (diff['changes'] as unknown[]) : [];
  return changes.map(record).map((c) => ({
    path: str(c['path']) ?? '?',
    change: humanize(str(c['op']) ?? 'change'),
    before: diffValue(c['base']),
    after: diffValue(c['current']),
  }));
}

/** The versions the diff is between: drafted on `base`, the EHR now at `current` ("?" when unknown). */
export function diffVersions(diff: Record<string, unknown>): { readonly base: string; readonly current: string } {
  return { base: str(diff['baseVersion']) ?? '?', current: str(diff['currentVersion']) ?? '?' };
}

/**
 * What a revision changed in what would be written, against the revision before it: one row per
 * field added, removed or replaced (objects and arrays walked into, `meta` left out), in path order.
 */
export function revisionDiffRows(before: unknown, after: unknown): DiffRow[] {
  const rows: DiffRow[] = [];
  walk(before, after, '', rows);
  return rows;
}

function walk(a: unknown, b: unknown, path: string, rows: DiffRow[]): void {
  const container = (v: unknown): boolean => v !== null && typeof v === 'object';
  if (container(a) && container(b) && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
    if (!Array.isArray(a)) keys.sort();
    for (const k of keys) {
      if (path === '' && k === 'meta') continue;
      walk(ra[k], rb[k], path === '' ? k : `${path}/${k}`, rows);
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  rows.push({
    path: path === '' ? '/' : path,
    change: a === undefined ? 'Add' : b === undefined ? 'Remove' : 'Replace',
    before: diffValue(a),
    after: diffValue(b),
  });
}
