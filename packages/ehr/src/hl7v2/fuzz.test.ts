import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStewardError } from '@steward/core';
import { mapHl7 } from './map.js';
import { parseHl7 } from './parse.js';
import { allHl7Fixtures, segmentsOf, testContext } from './test-fixtures.js';

/**
 * Mutated fixture messages through parse + map: the only acceptable outcomes are events or an
 * `HL7_INVALID` error with a non-empty reason. Anything else (TypeError, RangeError, a hang) fails.
 * 100,000 cases, seeded so a failure reproduces.
 */
const seeds = allHl7Fixtures()
  .filter(([path]) => path.endsWith('.hl7'))
  .map(([, text]) => text);
const separators = ['|', '^', '~', '\\', '&', '\r', '\n', '\r\n', '\x0b', '\x1c', '#', ''];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('shuffle' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 1000, max: 20_000 }) }),
  fc.record({ kind: fc.constant('separator' as const), at: fc.nat(), sep: fc.constantFrom(...separators) }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: fc.string({ maxLength: 20 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(message: string, m: Mutation): string {
  const n = Math.max(message.length, 1);
  switch (m.kind) {
    case 'flip': {
      const i = m.at % n;
      return message.slice(0, i) + String.fromCharCode(m.byte) + message.slice(i + 1);
    }
    case 'truncate':
      return message.slice(0, m.at % n);
    case 'shuffle': {
      const segs = segmentsOf(message);
      if (segs.length < 2) return message;
      const a = m.a % segs.length;
      const b = m.b % segs.length;
      [segs[a], segs[b]] = [segs[b] ?? '', segs[a] ?? ''];
      return segs.join('\r');
    }
    case 'drop': {
      const segs = segmentsOf(message);
      segs.splice(m.at % Math.max(segs.length, 1), 1);
      return segs.join('\r');
    }
    case 'huge': {
      const i = m.at % n;
      return message.slice(0, i) + '9'.repeat(m.size) + message.slice(i);
    }
    case 'separator':
    case 'text': {
      const i = m.at % n;
      return message.slice(0, i) + (m.kind === 'separator' ? m.sep : m.text) + message.slice(i);
    }
  }
}

describe('HL7 v2 fuzz: parse + map', () => {
  // Tens of thousands of the inputs are refused with an HL7_INVALID error, and capturing each one's
  // stack trace is CPU the fuzz never uses: a failure still reports its error, counterexample, seed
  // and path (replay those with this limit left alone to see a stack), as in fhir-input.fuzz.test.ts.
  let stackTraceLimit = Error.stackTraceLimit;
  before(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  after(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it('100,000 mutated fixture messages: events or a clear HL7_INVALID, never a crash', () => {
    let mapped = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, mutations) => {
          const input = mutations.reduce(apply, seeds[seed] ?? '');
          try {
            const events = mapHl7(parseHl7(input), testContext);
            for (const e of events) {
              assert.ok(e.dedupKey.startsWith('hl7:'));
              assert.ok(!Number.isNaN(Date.parse(e.occurredAt)), 'occurredAt is a parseable instant');
            }
            mapped++;
          } catch (err) {
            if (!(isStewardError(err) && err.code === 'HL7_INVALID' && err.message.length > 0)) throw err;
            rejected++;
          }
        },
      ),
      { numRuns: 100_000, seed: 20_260_101, endOnFailure: true },
    );
    // Both outcomes must actually occur, or the generator is not exercising the code.
    assert.ok(mapped > 1000, `mapped ${mapped}`);
    assert.ok(rejected > 1000, `rejected ${rejected}`);
  });
});
