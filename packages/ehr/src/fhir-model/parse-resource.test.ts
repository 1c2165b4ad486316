import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '@steward/core';
import { checkResource, parseFhirJson } from './parse-resource.js';

function refusedAt(fn: () => unknown, path: RegExp): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof UserError && e.code === 'FHIR_INVALID' && path.test(e.details[0]?.path ?? ''),
  );
}

describe('parseFhirJson', () => {
  it('strips a byte-order mark and accepts bytes', () => {
    const text = '\uFEFF{"resourceType":"Patient","id":"p1"}';
    assert.equal(parseFhirJson(text).id, 'p1');
    assert.equal(parseFhirJson(new TextEncoder().encode(text), { expectedType: 'Patient' }).resourceType, 'Patient');
  });

  it('refuses, naming the element: bad JSON, non-objects, unknown or unexpected types, bad ids, too big, too deep', () => {
    refusedAt(() => parseFhirJson('{"resourceType":'), /\(body\)/);
    refusedAt(() => parseFhirJson('[1]'), /^resource$/);
    refusedAt(() => parseFhirJson('{"id":"x"}'), /resource\.resourceType/);
    refusedAt(() => parseFhirJson('{"resourceType":"ProcedureRequest"}'), /resource\.resourceType/);
    refusedAt(
      () => parseFhirJson('{"resourceType":"Patient"}', { expectedType: 'Appointment' }),
      /resource\.resourceType/,
    );
    refusedAt(() => parseFhirJson('{"resourceType":"Patient","id":"has space"}'), /resource\.id/);
    refusedAt(() => parseFhirJson('{"resourceType":"Patient","meta":[]}'), /resource\.meta/);
    refusedAt(
      () => parseFhirJson(`{"resourceType":"Patient","x":"${'a'.repeat(200)}"}`, { maxBytes: 100 }),
      /\(body\)/,
    );
    refusedAt(() => parseFhirJson(new Uint8Array([0x7b, 0xff, 0x7d])), /\(body\)/);
    refusedAt(() => parseFhirJson(`{"resourceType":"Patient","x":${'['.repeat(100)}${']'.repeat(100)}}`), /^resource$/);
  });

  it('never echoes the input in its message', () => {
    try {
      parseFhirJson('{"resourceType":"Patient","name":"Jane Doe",}');
      assert.fail('should refuse');
    } catch (e) {
      assert.ok(e instanceof UserError);
      assert.ok(!e.message.includes('Jane'));
    }
  });

  it('a cyclic object (only possible from code) is refused, not walked forever', () => {
    const r: Record<string, unknown> = { resourceType: 'Patient' };
    r['self'] = r;
    refusedAt(() => checkResource(r), /^resource$/);
  });
});
