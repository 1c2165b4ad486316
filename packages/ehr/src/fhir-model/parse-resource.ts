/**
 * @module Defensive FHIR JSON parsing: the single door through which FHIR text from an EHR (a
 * response body, a subscription notification, a stored recording) becomes a resource object.
 * Strips a UTF-8 byte-order mark (some servers and files carry one), caps the size, requires a
 * JSON object with a known resourceType (and the expected one when the caller says), and bounds
 * nesting depth so later walks cannot overflow the stack. Anything else is `FHIR_INVALID` naming
 * the element; no other error escapes, whatever the input.
 * Known limit: this checks the envelope, not the resource's full structure; mappers check the
 * elements they read (see read-elements.ts).
 */
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import { fhirInvalid, isObject } from './read-elements.js';
import { knownResourceTypes } from './resource-types.js';

/** 4 MiB: far above any single workflow resource; bundles of pages are parsed per page. */
export const defaultMaxBytes = 4 * 1024 * 1024;
/** FHIR resources nest a few levels deep; 64 leaves room for contained resources and extensions. */
export const defaultMaxDepth = 64;

export interface ParseOptions<T extends ResourceType = ResourceType> {
  /** The resourceType the caller expects; a different one is FHIR_INVALID. */
  readonly expectedType?: T | readonly T[];
  readonly maxBytes?: number;
  readonly maxDepth?: number;
}

/** Parses FHIR JSON text (or bytes) into a resource. Throws only `UserError('FHIR_INVALID')`. */
export function parseFhirJson<T extends ResourceType = ResourceType>(
  input: string | Uint8Array,
  options: ParseOptions<T> = {},
): Extract<Resource, { resourceType: T }> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  let text: string;
  if (typeof input === 'string') {
    // A UTF-16 string's length is at most its UTF-8 byte length, so this check is conservative.
    if (input.length > maxBytes) throw fhirInvalid('(body)', `exceeds ${maxBytes} bytes`);
    text = input;
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes) throw fhirInvalid('(body)', `exceeds ${maxBytes} bytes`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw fhirInvalid('(body)', 'is not valid UTF-8');
    }
  } else {
    throw fhirInvalid('(body)', 'must be text or bytes');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw fhirInvalid('(body)', `exceeds ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the offending text, which may be PHI: not passed on.
    throw fhirInvalid('(body)', 'is not well-formed JSON');
  }
  return checkResource(value, options);
}

/**
 * Checks an already-decoded value (e.g. an entry of a bundle) the same way as `parseFhirJson`.
 * Throws only `UserError('FHIR_INVALID')`.
 */
export function checkResource<T extends ResourceType = ResourceType>(
  value: unknown,
  options: ParseOptions<T> = {},
  path = 'resource',
): Extract<Resource, { resourceType: T }> {
  if (!isObject(value)) throw fhirInvalid(path, 'must be a JSON object');
  const type = value['resourceType'];
  if (typeof type !== 'string') throw fhirInvalid(`${path}.resourceType`, 'is required');
  if (!knownResourceTypes.has(type)) throw fhirInvalid(`${path}.resourceType`, 'is not a known FHIR R4 resource type');
  const expected = options.expectedType;
  if (expected !== undefined) {
    const list: readonly string[] = typeof expected === 'string' ? [expected] : expected;
    if (!list.includes(type)) throw fhirInvalid(`${path}.resourceType`, `must be ${list.join(' or ')}`);
  }
  const id = value['id'];
  if (id !== undefined && (typeof id !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(id))) {
    throw fhirInvalid(`${path}.id`, 'must be 1-64 letters, digits, - or .');
  }
  if (value['meta'] !== undefined && !isObject(value['meta'])) throw fhirInvalid(`${path}.meta`, 'must be an object');
  if (depthExceeds(value, options.maxDepth ?? defaultMaxDepth)) {
    throw fhirInvalid(path, `nests deeper than ${options.maxDepth ?? defaultMaxDepth} levels`);
  }
  return value as unknown as Extract<Resource, { resourceType: T }>;
}

/**
 * Iterative, so that a hostile depth cannot overflow the stack while it is being measured. A
 * cycle (possible only in objects handed to `checkResource`, never from JSON text) exceeds the
 * depth; shared sub-objects are walked once per path, so the walk is also capped in nodes.
 */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  let visits = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > max) return true;
    if (typeof node !== 'object' || node === null) continue;
    if (++visits > 1_000_000) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
