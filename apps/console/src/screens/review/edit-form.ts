/**
 * @module The edit form's logic (pure: tested under Node, apps/console/test): the fields an action
 * declares (`fields` of its `defineAction`, sent as the proposal's `form`) read from the payload and
 * written back into a copy of it, so a reviewer edits named fields, not JSON. Every other part of
 * the payload is kept as drafted (the server refuses changing the patient or the target anyway).
 */
import type { ProposalDetail } from '../../api/types.js';

export type FormField = ProposalDetail['form'][number];
type Json = Record<string, unknown>;

const segments = (path: string): string[] => path.split('/');
const isIndex = (s: string): boolean => /^\d+$/.test(s);
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value at `path` (`note/0/text`) in `payload`, or undefined when any step is missing. */
export function valueAt(payload: unknown, path: string): unknown {
  let at: unknown = payload;
  for (const s of segments(path)) {
    if (Array.isArray(at) && isIndex(s)) at = at[Number(s)];
    else if (isObject(at)) at = at[s];
    else return undefined;
  }
  return at;
}

/**
 * A copy of `payload` with `value` at `path`, making the objects and arrays on the way; `undefined`
 * removes the field (and an object or array it leaves empty). `payload` itself is not changed.
 */
export function withValue(payload: Json, path: string, value: unknown): Json {
  return set(payload, segments(path), value) as Json;
}

function set(node: unknown, path: readonly string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (isIndex(head)) {
    const copy = Array.isArray(node) ? [...(node as unknown[])] : [];
    const i = Number(head);
    const next = set(copy[i], rest, value);
    if (next === undefined) {
      if (i < copy.length) copy.splice(i, 1);
    } else copy[i] = next;
    return copy.length === 0 && value === undefined ? undefined : copy;
  }
  const copy: Json = isObject(node) ? { ...node } : {};
  const next = set(copy[head], rest, value);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return Object.keys(copy).length === 0 && value === undefined ? undefined : copy;
}

/** The form's text for each field, by path: what the payload holds now ('' when absent). */
export function formValues(fields: readonly FormField[], payload: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = valueAt(payload, f.path);
    out[f.path] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  }
  return out;
}

// An instant with its offset, as FHIR dateTime holds it (a date alone is accepted too).
const dateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * The payload with the form's values written in, or the problems (by field label) when a value is
 * not what its field takes. An emptied field is removed; a field left as it was is not touched.
 */
export function applyForm(
  fields: readonly FormField[],
  payload: Json,
  values: Readonly<Record<string, string>>,
): { readonly payload: Json } | { readonly problems: readonly string[] } {
  const before = formValues(fields, payload);
  const problems: string[] = [];
  let next = payload;
  for (const f of fields) {
    const raw = values[f.path] ?? '';
    const value = f.kind === 'long-text' ? raw.replace(/\s+$/, '') : raw.trim();
    if (value === before[f.path]) continue;
    if (value !== '' && f.kind === 'choice' && !(f.options ?? []).includes(value))
      problems.push(`${f.label}: one of ${(f.options ?? []).join(', ')}`);
    else if (value !== '' && f.kind === 'date-time' && !dateTime.test(value))
      problems.push(`${f.label}: a date and time with its offset, like 2026-12-01T14:00:00-05:00`);
    else next = withValue(next, f.path, value === '' ? undefined : value);
  }
  return problems.length > 0 ? { problems } : { payload: next };
}
