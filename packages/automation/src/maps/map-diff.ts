/**
 * @module What changed between two versions of a screen map, for the person reviewing it: screens,
 * forms, templates and reads are matched by `id`, fields and columns by `key` (so a reordered
 * list reads as "order changed", not as every item changed), and each change is one line with
 * its place (`/forms/task/templates/default/fields/description/label`), before and after. Maps hold
 * no PHI, so values are shown as they are.
 */
import type { ScreenMap } from '../model/screen-map.js';

export interface MapChange {
  /** Where, with list items named by their id or key: `/screens/chart/required`, `/forms/task/submit/name`. */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed' | 'reordered';
  /** The value before (JSON for an object or list), absent for `added`. */
  readonly before?: string;
  /** The value after, absent for `removed`. */
  readonly after?: string;
}

export interface MapDiff {
  readonly from: number | null;
  readonly to: number;
  readonly changes: readonly MapChange[];
  /** Which screens, forms and fields (by form/template/key) changed, and how many labels. */
  readonly summary: {
    readonly screens: readonly string[];
    readonly forms: readonly string[];
    readonly fields: readonly string[];
    readonly labels: number;
  };
}

/** Lists matched by a name rather than position, by the last segment of their path. */
const keyed: Readonly<Record<string, 'id' | 'key'>> = {
  screens: 'id',
  forms: 'id',
  templates: 'id',
  reads: 'id',
  fields: 'key',
  columns: 'key',
};
/** Compared whole: their order is their meaning, or they are small. */
const atoms = new Set(['synonyms', 'landmarks', 'required', 'open', 'identifiers', 'options', 'when', 'region']);
// Version and the ids a map is stored under are the store's, not a change a reviewer judges.
const ignored = new Set(['/version', '/connectionId', '/site']);

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function segment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function walk(a: unknown, b: unknown, path: string, out: MapChange[]): void {
  if (ignored.has(path)) return;
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, change: 'added', after: show(b) });
  if (b === undefined) return void out.push({ path, change: 'removed', before: show(a) });
  const name = segment(path);
  const by = keyed[name];
  if (by !== undefined && Array.isArray(a) && Array.isArray(b)) return walkKeyed(a, b, by, path, out);
  if (!atoms.has(name) && isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], `${path}/${k}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, change: 'changed', before: show(a), after: show(b) });
}

function walkKeyed(a: unknown[], b: unknown[], by: 'id' | 'key', path: string, out: MapChange[]): void {
  const name = (x: unknown, i: number): string => (isObject(x) && typeof x[by] === 'string' ? x[by] : `#${i}`);
  const before = new Map(a.map((x, i) => [name(x, i), x]));
  const after = new Map(b.map((x, i) => [name(x, i), x]));
  // A key is a slash path itself (`note/0/text`): escaped as in a JSON pointer (`note~10~1text`).
  const at = (k: string): string => `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  for (const [k, x] of before) walk(x, after.get(k), at(k), out);
  for (const [k, x] of after) if (!before.has(k)) walk(undefined, x, at(k), out);
  const kept = (m: Map<string, unknown>, other: Map<string, unknown>): string[] =>
    [...m.keys()].filter((k) => other.has(k));
  const order = kept(before, after);
  const newOrder = kept(after, before);
  if (order.join('\u0000') !== newOrder.join('\u0000'))
    out.push({ path, change: 'reordered', before: order.join(', '), after: newOrder.join(', ') });
}

/** The changes from `a` (null: nothing before, the first map) to `b`. */
export function diffScreenMaps(a: ScreenMap | null, b: ScreenMap, from: number | null, to: number): MapDiff {
  const out: MapChange[] = [];
  // A first map is compared with an empty one, so its screens and forms are listed one by one.
  walk(a ?? { screens: [], forms: [], ...(b.reads !== undefined ? { reads: [] } : {}) }, b, '', out);
  const screens = new Set<string>();
  const forms = new Set<string>();
  const fields = new Set<string>();
  let labels = 0;
  for (const c of out) {
    const parts = c.path.split('/');
    if (parts[1] === 'screens' && parts[2] !== undefined) screens.add(parts[2]);
    if (parts[1] === 'forms' && parts[2] !== undefined) forms.add(parts[2]);
    if (parts[1] === 'forms' && parts[5] === 'fields' && parts[6] !== undefined)
      fields.add(`${parts[2]}/${parts[4]}/${parts[6]}`);
    if (c.change === 'changed' && /\/(label|name|header|synonyms)$/.test(c.path)) labels++;
  }
  return { from, to, changes: out, summary: { screens: [...screens], forms: [...forms], fields: [...fields], labels } };
}
