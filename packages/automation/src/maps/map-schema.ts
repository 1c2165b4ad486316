/**
 * @module What makes a screen map valid, checked before it is stored: its shape (every field, with
 * unknown fields refused, so a misspelt `requried` cannot silently drop a rule) and its meaning —
 * every form's `screen` and `after` and every other screen reference names a contract of the map,
 * the login screen is a `login` contract, the banner names at least two identifiers, each `path`
 * parses as a URLPattern pathname, each field key is a slash path or `identifier:<system>`, dates
 * carry their format and ids are unique. Every problem is reported at once, each with its JSON
 * pointer (`/forms/0/templates/1/fields/2/key`), never with a value that might be PHI.
 */
import { ValidationError, type ErrorDetail } from '@steward/core';
import type { ScreenMap } from '../model/screen-map.js';
import { URLPattern } from '../model/url-pattern.js';

type Check = (v: unknown, path: string, out: ErrorDetail[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(options: { readonly max?: number; readonly pattern?: RegExp; readonly hint?: string } = {}): Check {
  const max = options.max ?? 200;
  return (v, path, out) => {
    if (typeof v !== 'string') out.push({ path, message: 'a string' });
    else if (v.trim() === '') out.push({ path, message: 'empty: fill it in' });
    else if (v.length > max) out.push({ path, message: `at most ${max} characters` });
    else if (options.pattern !== undefined && !options.pattern.test(v))
      out.push({ path, message: options.hint ?? 'a known format' });
  };
}

function oneOf(...values: readonly string[]): Check {
  return (v, path, out) => {
    if (typeof v !== 'string' || !values.includes(v)) out.push({ path, message: `one of ${values.join(', ')}` });
  };
}

function list(item: Check, options: { readonly min?: number; readonly max?: number } = {}): Check {
  const max = options.max ?? 200;
  return (v, path, out) => {
    if (!Array.isArray(v)) return void out.push({ path, message: 'an array' });
    if (options.min !== undefined && v.length < options.min)
      out.push({ path, message: `at least ${options.min} ${options.min === 1 ? 'item' : 'items'}` });
    if (v.length > max) out.push({ path, message: `at most ${max} items` });
    v.forEach((x, i) => item(x, `${path}/${i}`, out));
  };
}

/** An object of any keys (at most `max`), every value checked by `item`. */
function record(item: Check, max: number): Check {
  return (v, path, out) => {
    if (!isObject(v)) return void out.push({ path, message: 'an object' });
    const entries = Object.entries(v);
    if (entries.length > max) out.push({ path, message: `at most ${max} entries` });
    for (const [k, x] of entries) {
      if (k.trim() === '' || k.length > 200) out.push({ path, message: 'keys of 1 to 200 characters' });
      item(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  };
}

interface Field {
  readonly check: Check;
  readonly optional?: boolean;
}
const opt = (check: Check): Field => ({ check, optional: true });

/** An object with exactly these fields: a field it does not declare is refused (a typo, not an extension). */
function obj(shape: Readonly<Record<string, Check | Field>>): Check {
  return (v, path, out) => {
    if (!isObject(v)) return void out.push({ path, message: 'an object' });
    for (const [key, f] of Object.entries(shape)) {
      const field: Field = typeof f === 'function' ? { check: f } : f;
      const value = v[key];
      if (value === undefined) {
        if (field.optional !== true) out.push({ path: `${path}/${key}`, message: 'required' });
      } else field.check(value, `${path}/${key}`, out);
    }
    for (const key of Object.keys(v))
      if (!(key in shape))
        out.push({
          path: `${path}/${escapePointer(key)}`,
          message: `not a field of a screen map here (known: ${Object.keys(shape).join(', ')})`,
        });
  };
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1').slice(0, 80);
}

const id = str({ max: 64, pattern: /^[a-z0-9][a-z0-9._-]*$/, hint: 'lower-case letters, digits, . _ -' });
const role = str({ max: 40, pattern: /^[a-z]+$/, hint: 'an ARIA role in lower case (textbox, button, …)' });
const name = str({ max: 200 });

const element = obj({ role, name, synonyms: opt(list(name, { max: 20 })) });
/** A landmark may have no name (`main`, `navigation` are often unnamed): '' is its name then. */
const landmark = obj({
  role,
  name: (v, path, out) => {
    if (typeof v !== 'string') out.push({ path, message: 'a string' });
    else if (v.length > 200) out.push({ path, message: 'at most 200 characters' });
  },
  synonyms: opt(list(name, { max: 20 })),
});

const screenContract = obj({
  id,
  kind: oneOf('login', 'session-expired', 'work'),
  path: str({ max: 500 }),
  landmarks: list(landmark, { max: 20 }),
  required: list(element, { max: 50 }),
});

/**
 * `description`, `note/0/text`, `executionPeriod/end`, `identifier:<system>`, or
 * `attachment:<title>` (the text of the attachment with that title: a section of a note).
 */
export const fieldKeyPattern =
  /^(identifier:\S+|attachment:[a-z0-9][a-z0-9-]*|[A-Za-z][A-Za-z0-9]*(\/([A-Za-z][A-Za-z0-9]*|\d+))*)$/;

const field = obj({
  key: str({
    max: 300,
    pattern: fieldKeyPattern,
    hint: 'a slash path in the FHIR resource (description, note/0/text), identifier:<system> or attachment:<title>',
  }),
  label: name,
  synonyms: opt(list(name, { max: 20 })),
  kind: oneOf('text', 'markdown', 'json', 'date', 'dropdown'),
  dateFormat: opt(
    str({ max: 40, pattern: /^[yMdHhmsaLE.\-/ :,']+$/, hint: 'Luxon tokens (MM/dd/yyyy, dd.MM.yyyy, yyyy-MM-dd)' }),
  ),
  options: opt((v, path, out) => {
    if (!isObject(v)) return void out.push({ path, message: 'an object (Steward value → option text)' });
    for (const [k, x] of Object.entries(v)) str()(x, `${path}/${escapePointer(k)}`, out);
  }),
  required: opt((v, path, out) => {
    if (typeof v !== 'boolean') out.push({ path, message: 'true or false' });
  }),
});

const template = obj({
  id,
  when: opt(obj({ specialty: opt(name), encounterType: opt(name) })),
  fields: list(field, { min: 1 }),
});

const form = obj({
  id,
  resourceType: str({ max: 64, pattern: /^[A-Z][A-Za-z]+$/, hint: 'a FHIR resource type (Task, Encounter, …)' }),
  open: list(element, { max: 20 }),
  screen: id,
  submit: element,
  after: id,
  templates: list(template, { min: 1, max: 50 }),
  lookup: opt(obj({ read: id, column: str({ max: 100 }) })),
  implied: opt((v, path, out) => {
    if (!isObject(v)) out.push({ path, message: 'an object (element → the value the form sets by itself)' });
  }),
});

const read = obj({
  id,
  screen: id,
  open: list(element, { max: 20 }),
  table: element,
  columns: list(obj({ key: str({ max: 100 }), header: name, synonyms: opt(list(name, { max: 20 })) }), { min: 1 }),
  day: opt(obj({ field: element, format: str({ max: 40 }), submit: element })),
  rows: opt(oneOf('appointment', 'task')),
  values: opt(record(record(str({ max: 100 }), 200), 20)),
  formats: opt(record(str({ max: 40 }), 20)),
});

const shape = obj({
  connectionId: str({ max: 64 }),
  site: str({ max: 64, pattern: /^[a-z0-9][a-z0-9._-]{0,63}$/, hint: 'a site code' }),
  version: (v, path, out) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) out.push({ path, message: 'a whole number' });
  },
  origin: str({ max: 300 }),
  home: str({ max: 500, pattern: /^\//, hint: 'a path on the origin, starting with /' }),
  screens: list(screenContract, { min: 1 }),
  login: obj({ screen: id, username: element, password: element, code: opt(element), submit: element }),
  patientSearch: obj({ screen: id, field: element, system: str({ max: 300 }), submit: element, chart: id }),
  banner: obj({
    region: element,
    identifiers: list(obj({ system: str({ max: 300 }), label: name }), { min: 2, max: 10 }),
  }),
  forms: list(form, { max: 100 }),
  reads: opt(list(read, { max: 100 })),
});

/** Whether `path` parses as a URLPattern pathname (`/patients/:id/tasks/new`). */
export function pathPatternProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'a URL path pattern starting with /';
  try {
    new URLPattern({ pathname: path });
    return undefined;
  } catch {
    return 'not a URLPattern pathname (named groups are :name, wildcards *)';
  }
}

/** The meaning: references between parts, ids unique, formats present. Only run on a well-shaped map. */
function meaning(map: ScreenMap, out: ErrorDetail[]): void {
  const screens = new Map<string, ScreenMap['screens'][number]>();
  map.screens.forEach((s, i) => {
    if (screens.has(s.id)) out.push({ path: `/screens/${i}/id`, message: `screen ${s.id} is listed twice` });
    screens.set(s.id, s);
    const problem = pathPatternProblem(s.path);
    if (problem !== undefined) out.push({ path: `/screens/${i}/path`, message: problem });
  });
  const ref = (screen: string, path: string, kinds?: readonly string[]): void => {
    const s = screens.get(screen);
    if (s === undefined) out.push({ path, message: `names screen ${screen}, which is not in /screens` });
    else if (kinds !== undefined && !kinds.includes(s.kind))
      out.push({ path, message: `screen ${screen} is a ${s.kind} screen; here it must be ${kinds.join(' or ')}` });
  };
  try {
    const origin = new URL(map.origin);
    if (origin.origin !== map.origin || !['http:', 'https:'].includes(origin.protocol))
      out.push({ path: '/origin', message: 'an origin only: scheme, host and port (https://ehr.example.org)' });
  } catch {
    out.push({ path: '/origin', message: 'an origin: https://ehr.example.org' });
  }
  ref(map.login.screen, '/login/screen', ['login']);
  ref(map.patientSearch.screen, '/patientSearch/screen', ['work']);
  ref(map.patientSearch.chart, '/patientSearch/chart', ['work']);
  const systems = new Set<string>();
  map.banner.identifiers.forEach((b, i) => {
    if (systems.has(b.system))
      out.push({ path: `/banner/identifiers/${i}/system`, message: 'two different identifier systems are needed' });
    systems.add(b.system);
  });
  const formIds = new Set<string>();
  map.forms.forEach((f, i) => {
    if (formIds.has(f.id)) out.push({ path: `/forms/${i}/id`, message: `form ${f.id} is listed twice` });
    formIds.add(f.id);
    ref(f.screen, `/forms/${i}/screen`, ['work']);
    ref(f.after, `/forms/${i}/after`, ['work']);
    const templateIds = new Set<string>();
    let defaults = 0;
    f.templates.forEach((t, j) => {
      const at = `/forms/${i}/templates/${j}`;
      if (templateIds.has(t.id)) out.push({ path: `${at}/id`, message: `template ${t.id} is listed twice` });
      templateIds.add(t.id);
      if (t.when === undefined || (t.when.specialty === undefined && t.when.encounterType === undefined)) defaults++;
      const keys = new Set<string>();
      t.fields.forEach((fd, k) => {
        if (keys.has(fd.key)) out.push({ path: `${at}/fields/${k}/key`, message: `field ${fd.key} is listed twice` });
        keys.add(fd.key);
        if (fd.kind === 'date' && fd.dateFormat === undefined)
          out.push({ path: `${at}/fields/${k}/dateFormat`, message: 'required for a date: the form’s own format' });
        if (fd.kind !== 'date' && fd.dateFormat !== undefined)
          out.push({ path: `${at}/fields/${k}/dateFormat`, message: 'only for a date field' });
        if (fd.kind !== 'dropdown' && fd.options !== undefined)
          out.push({ path: `${at}/fields/${k}/options`, message: 'only for a dropdown field' });
      });
    });
    if (defaults > 1)
      out.push({ path: `/forms/${i}/templates`, message: 'at most one template without `when` (the default)' });
  });
  const readIds = new Set<string>();
  (map.reads ?? []).forEach((r, i) => {
    if (readIds.has(r.id)) out.push({ path: `/reads/${i}/id`, message: `read ${r.id} is listed twice` });
    readIds.add(r.id);
    ref(r.screen, `/reads/${i}/screen`, ['work']);
    // What a read turns into events needs the columns it reads them from.
    const needs =
      r.rows === 'appointment' ? ['id', 'time', 'patient', 'status'] : r.rows === 'task' ? ['patient', 'status'] : [];
    for (const key of needs)
      if (!r.columns.some((c) => c.key === key))
        out.push({ path: `/reads/${i}/columns`, message: `a read of ${r.rows ?? ''}s needs a column with key ${key}` });
    for (const key of [...Object.keys(r.values ?? {}), ...Object.keys(r.formats ?? {})])
      if (!r.columns.some((c) => c.key === key))
        out.push({ path: `/reads/${i}`, message: `values or formats name ${key}, which is no column of the read` });
  });
  // A form's lookup names a read of the map and one of its columns.
  map.forms.forEach((f, i) => {
    if (f.lookup === undefined) return;
    const r = (map.reads ?? []).find((x) => x.id === f.lookup?.read);
    if (r === undefined) out.push({ path: `/forms/${i}/lookup/read`, message: 'names no read of the map' });
    else if (!r.columns.some((c) => c.key === f.lookup?.column))
      out.push({ path: `/forms/${i}/lookup/column`, message: `names no column of read ${r.id}` });
  });
  if (!map.home.startsWith('/')) out.push({ path: '/home', message: 'a path on the origin' });
}

/** Every problem of a candidate map, each with its JSON pointer; none when it is valid. */
export function screenMapProblems(value: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  shape(value, '', out);
  for (const p of out) if (p.path === '') Object.assign(p, { path: '/' });
  if (out.length === 0) meaning(value as ScreenMap, out);
  return out;
}

/** The map, typed, or a ValidationError naming every problem by its path. */
export function validateScreenMap(value: unknown): ScreenMap {
  const problems = screenMapProblems(value);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ValidationError(
      `the screen map is not valid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}; first: ${first.path ?? '/'} ${first.message})`,
      problems.slice(0, 100),
    );
  }
  return value as ScreenMap;
}
