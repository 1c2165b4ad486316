/**
 * What changed in the EHR while a proposal waited, and the proposal carried over onto it.
 *
 * `diffResources` lists changed leaves as JSON pointers (RFC 6901 escaping), ignoring `meta` and
 * `text` (server bookkeeping and narrative). Arrays are compared by position: a reordered array
 * shows as replaced elements, which over-reports but never hides a change.
 *
 * `rebase` carries a proposal's own change (the top-level elements its payload sets differently
 * from the base version, or drops) onto the current version. Known limit: it works per top-level
 * element, so when the EHR and the proposal both changed one element (say `participant`), the
 * proposal's value wins in the rebased payload: that is exactly what the reviewer sees in the
 * diff and approves again, or rejects.
 */
import type { DiffEntry } from './proposal.js';

type Json = unknown;

const ignored = new Set(['meta', 'text']);

export function diffResources(base: Json, current: Json): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(base, current, '', out, true);
  return out;
}

function walk(a: Json, b: Json, path: string, out: DiffEntry[], top: boolean): void {
  if (same(a, b)) return;
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      if (top && ignored.has(k)) continue;
      const p = `${path}/${escape(k)}`;
      if (!(k in b)) out.push({ path: p, op: 'remove', base: a[k] });
      else if (!(k in a)) out.push({ path: p, op: 'add', current: b[k] });
      else walk(a[k], b[k], p, out, false);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}/${i}`;
      if (i >= b.length) out.push({ path: p, op: 'remove', base: a[i] });
      else if (i >= a.length) out.push({ path: p, op: 'add', current: b[i] });
      else walk(a[i], b[i], p, out, false);
    }
    return;
  }
  out.push({ path: path === '' ? '/' : path, op: 'replace', base: a, current: b });
}

/** The proposal's change (payload vs base) applied to `current`; `id` and `resourceType` come from current. */
export function rebase(
  base: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  current: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  delete next['meta'];
  for (const [k, v] of Object.entries(payload)) {
    if (k === 'meta' || k === 'id' || k === 'resourceType') continue;
    if (!same(base[k], v)) next[k] = v;
  }
  for (const k of Object.keys(base)) {
    if (k === 'meta' || k === 'text') continue;
    if (!(k in payload)) delete next[k];
  }
  return next;
}

function isObject(v: Json): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function same(a: Json, b: Json): boolean {
  return stable(a) === stable(b);
}

function stable(v: Json): string {
  return (
    JSON.stringify(v, (_k, x: unknown) =>
      isObject(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x,
    ) ?? 'undefined'
  );
}
