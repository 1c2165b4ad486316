/**
 * Fuzz: mutated real FHIR examples, mutated JSON text and random JSON through parse → map →
 * change events → notification parsing. Only two outcomes are allowed: a result, or
 * `UserError('FHIR_INVALID' | 'FHIR_UNSUPPORTED')` naming an element. 100,000 cases in all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Resource } from '@medplum/fhirtypes';
import { UserError } from '@steward/core';
import { changeEvents } from './change-events.js';
import { appointmentPatient, mapAppointment } from './map-appointment.js';
import { documentReferencePatient, mapDocumentReference } from './map-document-reference.js';
import { encounterPatient, mapEncounter } from './map-encounter.js';
import { mapPatient, patientLinks } from './map-patient.js';
import { mapServiceRequest, serviceRequestPatient } from './map-service-request.js';
import { mapTask, taskPatient } from './map-task.js';
import { checkResource, parseFhirJson } from './parse-resource.js';
import { parseSubscriptionNotification } from './subscription-notification.js';
import { listFiles, r4Examples, readText, thirdParty } from './test-fixtures.js';

const ctx = { connectionId: 'c', channel: 'fhir-subscription', receivedAt: '2024-01-01T00:00:00Z' } as const;

const seedTexts: string[] = [
  ...['Appointment', 'ServiceRequest', 'Task', 'Encounter', 'DocumentReference', 'Patient'].flatMap((t) =>
    r4Examples(t).map((e) => readText(e.path)),
  ),
  ...listFiles(thirdParty('fhir-r4-examples', 'subscriptions-backport'))
    .filter((f) => f.endsWith('.json'))
    .map(readText),
  ...listFiles(thirdParty('vendor-sandbox', 'athenahealth'))
    .filter((f) => /fhir-subscription-notification-[a-z-]+\.json$/.test(f))
    .map(readText),
];
/**
 * Each seed as JSON text without its BOM: a case mutates a fresh copy, and parsing the text again
 * makes one several times faster than `structuredClone` of the parsed seed (a fifth of this file's CPU).
 */
const seedJson: string[] = seedTexts.map((t) => t.replace(/^\uFEFF/, ''));

let rejected = 0;
let accepted = 0;

/** Runs the whole inbound path; lets through only FHIR_INVALID / FHIR_UNSUPPORTED with an element named. */
function pipeline(run: () => unknown): void {
  try {
    run();
    accepted++;
  } catch (e) {
    if (!(e instanceof UserError) || (e.code !== 'FHIR_INVALID' && e.code !== 'FHIR_UNSUPPORTED')) throw e;
    assert.match(e.message, /^FHIR element \S/);
    assert.ok((e.details[0]?.path ?? '').length > 0);
    rejected++;
  }
}

function throughModel(value: unknown): void {
  const r = checkResource(value);
  const mappers: Partial<Record<string, (x: Resource) => unknown>> = {
    Appointment: (x) => [mapAppointment(x as never), appointmentPatient(x as never)],
    ServiceRequest: (x) => [mapServiceRequest(x as never), serviceRequestPatient(x as never)],
    Task: (x) => [mapTask(x as never), taskPatient(x as never)],
    Encounter: (x) => [mapEncounter(x as never), encounterPatient(x as never)],
    DocumentReference: (x) => [mapDocumentReference(x as never), documentReferencePatient(x as never)],
    Patient: (x) => [mapPatient(x as never), patientLinks(x as never)],
  };
  pipeline(() => mappers[r.resourceType]?.(r));
  pipeline(() => changeEvents(r, undefined, ctx));
  if (r.resourceType === 'Bundle') {
    const n = parseSubscriptionNotification(r);
    for (const e of n.events) if (e.resource) pipeline(() => changeEvents(e.resource as Resource, undefined, ctx));
  }
}

/** Every object/array in a value, found iteratively. */
function containers(root: unknown): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n !== 'object' || n === null) continue;
    out.push(n as Record<string, unknown>);
    stack.push(...(Array.isArray(n) ? (n as unknown[]) : Object.values(n as Record<string, unknown>)));
  }
  return out;
}

/**
 * One of eight operations, equally likely; a JSON value is generated only for the two that use
 * one (generating it for every mutation was a fifth of this file's CPU).
 */
const mutation = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      where: fc.nat(),
      key: fc.nat(),
      op: fc.constantFrom('replace', 'string'),
      value: fc.jsonValue({ maxDepth: 2 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      where: fc.nat(),
      key: fc.nat(),
      op: fc.constantFrom('delete', 'null', 'number', 'array', 'object', 'deep'),
      value: fc.constant(null),
    }),
  },
);

/** Deeper than the parser's limit (200 arrays, each inside the next): must be refused, not walked recursively. */
const deep = (): unknown => {
  let value: unknown[] = [];
  for (let depth = 1; depth < 200; depth++) value = [value];
  return value;
};

function mutate(seed: string, muts: { where: number; key: number; op: string; value: unknown }[]): unknown {
  const root = JSON.parse(seed) as unknown;
  for (const m of muts) {
    const all = containers(root);
    const target = all[m.where % all.length];
    if (!target) continue;
    const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
    if (keys.length === 0) continue;
    const k = keys[m.key % keys.length] as string & number;
    const t = target as Record<string | number, unknown>;
    const replacement = (): unknown => {
      if (m.op === 'replace') return m.value;
      if (m.op === 'null') return null;
      if (m.op === 'number') return m.key;
      if (m.op === 'string') return JSON.stringify(m.value);
      if (m.op === 'array') return [t[k]];
      if (m.op === 'object') return { value: t[k] };
      return deep();
    };
    if (m.op === 'delete') {
      if (Array.isArray(target)) target.splice(k, 1);
      else delete t[k];
    } else t[k] = replacement();
  }
  return root;
}

describe('fuzz: FHIR JSON inputs', () => {
  // Tens of thousands of the inputs are refused with a UserError, and capturing each one's stack
  // trace was a third of this file's CPU. The fuzz never reads them: a failure still reports its
  // error, counterexample, seed and path (replay those with this limit left alone to see a stack).
  let stackTraceLimit = Error.stackTraceLimit;
  before(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  after(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it('mutated real examples: 50,000 cases', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seedJson.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (i, muts) => {
          pipeline(() => throughModel(mutate(seedJson[i] ?? 'null', muts)));
        },
      ),
      { numRuns: 50_000 },
    );
  });

  it('mutated JSON text (bytes cut, inserted, BOMs): 25,000 cases', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seedTexts.length - 1 }),
        fc.nat(),
        fc.nat({ max: 8 }),
        fc.string({ maxLength: 4 }),
        (i, at, cut, insert) => {
          const text = seedTexts[i] ?? '';
          const p = at % (text.length + 1);
          const mutated = (at % 7 === 0 ? '\uFEFF' : '') + text.slice(0, p) + insert + text.slice(p + cut);
          pipeline(() => throughModel(parseFhirJson(mutated)));
        },
      ),
      { numRuns: 25_000 },
    );
  });

  it('random JSON, bare and dressed as workflow resources: 25,000 cases', { timeout: 120_000 }, () => {
    const type = fc.constantFrom(
      'Appointment',
      'ServiceRequest',
      'Task',
      'Encounter',
      'DocumentReference',
      'Patient',
      'Bundle',
      'Nope',
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), type, fc.boolean(), (value, resourceType, dress) => {
        const input =
          dress && typeof value === 'object' && value !== null && !Array.isArray(value)
            ? { ...value, resourceType, id: 'x1', meta: { versionId: '1', lastUpdated: '2024-01-01T00:00:00+01:00' } }
            : value;
        pipeline(() => throughModel(input));
        pipeline(() => throughModel(parseFhirJson(JSON.stringify(input) ?? 'undefined')));
      }),
      { numRuns: 25_000 },
    );
  });

  it('both outcomes occurred (the fuzzing reached past the envelope)', () => {
    assert.ok(accepted > 1000, `accepted ${accepted}`);
    assert.ok(rejected > 1000, `rejected ${rejected}`);
  });
});
