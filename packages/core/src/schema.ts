/**
 * @module Small runtime schemas that also give the TypeScript type: what an extension point
 * (a signal, an effect, an action's payload) declares once, so the producer and the consumer share
 * one shape and data read back from the database is checked where it enters, not cast.
 *
 * Deliberately small (strings, numbers, booleans, literals, objects, arrays, records, JSON):
 * objects keep fields they do not declare, so a payload recorded by an older version still reads.
 * A failure is a ValidationError naming the path, never the value (no PHI in errors).
 */
import { ValidationError, type ErrorDetail } from './errors.js';

export interface Schema<T> {
  /** What the value must be, for error messages and docs (`string`, `one of a, b`). */
  readonly expected: string;
  /** Problems with `value` at `path`, none when it fits. */
  check(value: unknown, path: string, problems: ErrorDetail[]): void;
  /** The value typed, or a ValidationError listing every problem. */
  parse(value: unknown, what?: string): T;
  /** Whether the value fits (no error). */
  is(value: unknown): value is T;
  /** Marks a field of `object` that may be absent. */
  optional(): OptionalSchema<T>;
}

export interface OptionalSchema<T> {
  readonly optional: true;
  readonly inner: Schema<T>;
}

/** The type a schema checks. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

type Field = Schema<unknown> | OptionalSchema<unknown>;
type Shape = Readonly<Record<string, Field>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type FieldType<F> = F extends OptionalSchema<infer T> ? T : F extends Schema<infer T> ? T : never;
// Mutable on purpose: a parsed payload often becomes part of a workflow's state, which `decide` edits on a copy.
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: FieldType<S[K]> } & {
  [K in OptionalKeys<S>]?: FieldType<S[K]>;
};

function schema<T>(
  expected: string,
  check: (value: unknown, path: string, problems: ErrorDetail[]) => void,
): Schema<T> {
  const self: Schema<T> = {
    expected,
    check,
    parse(value, what = 'value') {
      const problems: ErrorDetail[] = [];
      check(value, '', problems);
      if (problems.length > 0) throw new ValidationError(`the ${what} is not valid`, problems);
      return value as T;
    },
    is(value): value is T {
      const problems: ErrorDetail[] = [];
      check(value, '', problems);
      return problems.length === 0;
    },
    optional: () => ({ optional: true, inner: self }),
  };
  return self;
}

const at = (path: string): string => (path === '' ? '/' : path);

export function string(options: { readonly pattern?: RegExp; readonly maxLength?: number } = {}): Schema<string> {
  const { pattern, maxLength } = options;
  return schema('string', (v, path, problems) => {
    if (typeof v !== 'string') problems.push({ path: at(path), message: 'a string' });
    else if (maxLength !== undefined && v.length > maxLength)
      problems.push({ path: at(path), message: `at most ${maxLength} characters` });
    else if (pattern !== undefined && !pattern.test(v)) problems.push({ path: at(path), message: 'a known format' });
  });
}

export function number(options: { readonly integer?: boolean } = {}): Schema<number> {
  return schema('number', (v, path, problems) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push({ path: at(path), message: 'a number' });
    else if (options.integer === true && !Number.isInteger(v)) problems.push({ path: at(path), message: 'an integer' });
  });
}

export function boolean(): Schema<boolean> {
  return schema('boolean', (v, path, problems) => {
    if (typeof v !== 'boolean') problems.push({ path: at(path), message: 'true or false' });
  });
}

/** One of a fixed set of strings (or numbers, booleans, null). */
export function literal<const T extends readonly (string | number | boolean | null)[]>(
  ...values: T
): Schema<T[number]> {
  const expected = `one of ${values.map((v) => String(v)).join(', ')}`;
  return schema(expected, (v, path, problems) => {
    if (!values.includes(v as T[number])) problems.push({ path: at(path), message: expected });
  });
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema(`${inner.expected} or null`, (v, path, problems) => {
    if (v !== null) inner.check(v, path, problems);
  });
}

export function array<T>(item: Schema<T>, options: { readonly maxItems?: number } = {}): Schema<T[]> {
  return schema(`array of ${item.expected}`, (v, path, problems) => {
    if (!Array.isArray(v)) return void problems.push({ path: at(path), message: 'an array' });
    if (options.maxItems !== undefined && v.length > options.maxItems)
      problems.push({ path: at(path), message: `at most ${options.maxItems} items` });
    v.forEach((x, i) => item.check(x, `${path}/${i}`, problems));
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object with these fields; fields it does not declare are kept (a newer producer, an older reader). */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return schema('object', (v, path, problems) => {
    if (!isObject(v)) return void problems.push({ path: at(path), message: 'an object' });
    for (const [key, field] of Object.entries(shape)) {
      const value = v[key];
      if ('optional' in field && field.optional === true) {
        if (value !== undefined) field.inner.check(value, `${path}/${key}`, problems);
      } else if (value === undefined) {
        problems.push({ path: `${path}/${key}`, message: 'required' });
      } else {
        field.check(value, `${path}/${key}`, problems);
      }
    }
  });
}

/** An object whose every value fits `value` (keys are free). */
export function record<T>(value: Schema<T>): Schema<Record<string, T>> {
  return schema(`record of ${value.expected}`, (v, path, problems) => {
    if (!isObject(v)) return void problems.push({ path: at(path), message: 'an object' });
    for (const [key, x] of Object.entries(v)) value.check(x, `${path}/${key}`, problems);
  });
}

/** A JSON value: what a signal, an effect or a stored payload may hold (the workflow engine's `Json`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function jsonProblem(v: unknown, depth: number): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return false;
  if (typeof v === 'number') return !Number.isFinite(v);
  if (depth > 64) return true;
  if (Array.isArray(v)) return v.some((x) => jsonProblem(x, depth + 1));
  if (isObject(v) && Object.getPrototypeOf(v) === Object.prototype)
    return Object.values(v).some((x) => jsonProblem(x, depth + 1));
  return true;
}

/** Any JSON value (plain objects, arrays, finite numbers, strings, booleans, null). */
export function json(): Schema<JsonValue> {
  return schema('JSON', (v, path, problems) => {
    if (jsonProblem(v, 0)) problems.push({ path: at(path), message: 'JSON' });
  });
}

/** Any value: for a part another layer checks (a FHIR resource the EHR validates). */
export function unknownValue(): Schema<unknown> {
  return schema('any value', () => undefined);
}

/** The schema builders, as one name to import (`s.object({ id: s.string() })`). */
export const s = {
  string,
  number,
  boolean,
  literal,
  nullable,
  array,
  object,
  record,
  json,
  unknown: unknownValue,
} as const;
