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
