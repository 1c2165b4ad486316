/**
 * @module A FHIR resource onto a form's fields and back: a field's `key` is a slash path in the
 * resource (`description`, `note/0/text`, `executionPeriod/end`) or `identifier:<system>`; values
 * become the strings the executor enters (objects as JSON). Which template applies comes from the
 * resource's own specialty or encounter type, when it carries one.
 */
import type { FieldSpec, FormSpec } from '../model/screen-map.js';

type Json = Readonly<Record<string, unknown>>;

/** The value at a field's key, as text; undefined when the resource has none. */
export function valueAt(resource: Json, key: string): string | undefined {
  if (key.startsWith('identifier:')) {
    const system = key.slice('identifier:'.length);
    const ids = (resource['identifier'] as { system?: string; value?: string }[] | undefined) ?? [];
    return ids.find((i) => i.system === system)?.value;
  }
  if (key.startsWith('attachment:')) {
    const data = attachmentTitled(resource, key.slice('attachment:'.length))?.data;
    return typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : undefined;
  }
  let at: unknown = resource;
  for (const part of key.split('/')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? (at as unknown[])[Number(part)] : (at as Record<string, unknown>)[part];
  }
  if (at === undefined || at === null) return undefined;
  if (typeof at === 'string') return at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return JSON.stringify(at);
}

interface Attachment {
  readonly title?: string;
  readonly data?: string;
}

/** A DocumentReference's attachment by title (a section of a note, entered in its own field). */
function attachmentTitled(resource: Json, title: string): Attachment | undefined {
  const content = (resource['content'] as { attachment?: Attachment }[] | undefined) ?? [];
  return content.find((c) => c.attachment?.title === title)?.attachment;
}

/** Every field of every template of the form that the resource has a value for. */
export function fieldValues(form: FormSpec, resource: Json): Record<string, string> {
  const values: Record<string, string> = {};
  const fields: FieldSpec[] = form.templates.flatMap((t) => [...t.fields]);
  for (const f of fields) {
    const v = valueAt(resource, f.key);
    if (v !== undefined) values[f.key] = v;
  }
  return values;
}

/** The specialty and encounter type a resource carries (codings' codes or display text), for templates. */
export function templateHints(resource: Json): { specialty?: string; encounterType?: string } {
  const text = (c: unknown): string | undefined => {
    const cc = (Array.isArray(c) ? c[0] : c) as { text?: string; coding?: { code?: string }[] } | undefined;
    return cc?.coding?.[0]?.code ?? cc?.text;
  };
  const specialty = text(resource['specialty']) ?? text(resource['performerType']);
  const encounterType =
    text(resource['encounterType']) ?? (resource['resourceType'] === 'Encounter' ? text(resource['type']) : undefined);
  return {
    ...(specialty !== undefined ? { specialty } : {}),
    ...(encounterType !== undefined ? { encounterType } : {}),
  };
}

/** Elements that are never a field: the resource's type and id, its metadata, its narrative. */
const notEntered = new Set(['resourceType', 'id', 'meta', 'text']);
/** Where a resource names its patient: the chart the run opens, checked on the banner, not typed. */
const chartElements = new Set(['subject', 'for', 'patient']);

/**
 * The paths of a resource to write that no field of the form enters and the form does not set by
 * itself (`implied`, with the same value): the write must be refused, never sent without them.
 * `carriedKey` is the Steward write reference's identifier system, entered by the channel.
 */
export function uncovered(form: FormSpec, resource: Json, carriedKey: string | undefined): string[] {
  const keys = form.templates.flatMap((t) => t.fields.map((f) => f.key));
  const implied = form.implied ?? {};
  const missing: string[] = [];
  for (const [element, value] of Object.entries(resource)) {
    if (notEntered.has(element) || chartElements.has(element)) continue;
    if (element in implied) {
      if (canonical(implied[element]) !== canonical(value)) missing.push(element);
      continue;
    }
    if (element === 'identifier') {
      for (const id of (value as { system?: string }[] | undefined) ?? []) {
        const system = id.system ?? '';
        if (system !== carriedKey && !keys.includes(`identifier:${system}`)) missing.push(`identifier:${system}`);
      }
      continue;
    }
    for (const leaf of leaves(value, element)) {
      if (keys.some((k) => leaf === k || leaf.startsWith(`${k}/`))) continue;
      // A titled attachment (its title, type and data) is entered whole by its `attachment:<title>` field.
      const section = /^content\/(\d+)\/attachment\//.exec(leaf);
      const title =
        section === null ? undefined : (value as { attachment?: Attachment }[])[Number(section[1])]?.attachment?.title;
      if (title !== undefined && keys.includes(`attachment:${title}`)) continue;
      missing.push(leaf);
    }
  }
  return missing;
}

function leaves(value: unknown, path: string): string[] {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0) return [path];
  return entries.flatMap(([k, v]) => leaves(v, `${path}/${k}`));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
