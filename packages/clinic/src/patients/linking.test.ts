import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { FieldCipher } from '@steward/governance';
import {
  decideLinking,
  matchKeyOf,
  nearMatchKeysOf,
  parseSearchTerm,
  sightingKeys,
  type FoundPatient,
} from './linking.js';

/** Only the blind index is used by the linking rules: an HMAC under a fixed test key. */
const cipher = {
  blindIndex: (field: string, value: string) =>
    createHmac('sha256', 'test-key').update(`${field}\0${value.trim()}`).digest(),
} as unknown as FieldCipher;

const north = '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f';
const south = '6e1d8f5a-3b9c-4d2e-8f40-7b8c9d0e1f2a';
const mrn = (value: string, system = 'urn:north:mrn') => ({ system, value });
const found = (id: string, at: number): FoundPatient => ({ patientId: id, createdAt: new Date(at) });

describe('patient linking rules', () => {
  it('keys every identifier once and the EHR id per connection, never a value in the clear', () => {
    const keys = sightingKeys(cipher, {
      connectionId: north,
      site: 'north',
      ehrId: 'Patient/abc',
      identifiers: [mrn('N-1'), mrn('N-1'), mrn(''), { system: 'urn:ssa', value: '123' }],
    });
    assert.equal(keys.length, 3, 'duplicate and empty identifiers dropped, EHR id added');
    assert.ok(keys.every((k) => !k.key.includes('N-1') && /^[0-9a-f]{64}$/.test(k.key)));
    const bare = sightingKeys(cipher, { connectionId: north, site: 'north', ehrId: 'abc', identifiers: [] });
    assert.equal(bare[0]?.key, keys.find((k) => k.kind === 'ehr-id')?.key, '`Patient/abc` and `abc` are one EHR id');
    const elsewhere = sightingKeys(cipher, { connectionId: south, site: 'south', ehrId: 'abc', identifiers: [] });
    assert.notEqual(elsewhere[0]?.key, bare[0]?.key, 'the same EHR id on another connection is another key');
    assert.equal(elsewhere[0]?.valueKey, bare[0]?.valueKey, 'but the same bare value, for a lookup by EHR id');
  });

  it('links on any shared key, adds the new ones, and merges two known patients into the oldest', () => {
    const [a, b, c] = sightingKeys(cipher, {
      connectionId: north,
      site: 'north',
      identifiers: [mrn('1'), mrn('2'), mrn('3')],
    });
    assert.deepEqual(decideLinking([a!, b!], new Map()), { kind: 'new', keys: [a, b] });
    assert.deepEqual(decideLinking([], new Map()), { kind: 'none' });
    const known = decideLinking([a!, b!, c!], new Map([[b!.key, found('p2', 2)]]));
    assert.deepEqual(known, { kind: 'known', patientId: 'p2', addKeys: [a, c], mergeIn: [] });
    const two = decideLinking(
      [a!, b!],
      new Map([
        [a!.key, found('p-newer', 5)],
        [b!.key, found('p-older', 1)],
      ]),
    );
    assert.deepEqual(two, { kind: 'known', patientId: 'p-older', addKeys: [], mergeIn: ['p-newer'] });
  });

  it('makes equal match keys of the same name and birth date however they are written, and no key without a name', () => {
    const key = (family: string, given: string, birthDate = '1944-11-17') =>
      matchKeyOf(cipher, { name: { family, given: [given] }, birthDate });
    assert.equal(key('van de Heuvel', 'Pieter'), key('VAN DE  HEUVEL', 'Piéter'));
    assert.notEqual(key('van de Heuvel', 'Pieter'), key('van de Heuvel', 'Pieter', '1944-11-18'));
    assert.notEqual(key('van de Heuvel', 'Pieter'), key('van de Heuvel', 'Paul'));
    assert.equal(key('', 'Pieter'), undefined);
    assert.equal(key('Doe', 'Jane', '17-11-1944'), undefined);
  });

  it('makes the match keys of names one letter off, never the name itself, and none for a short name', () => {
    const key = (family: string, given: string, birthDate = '1944-11-17') =>
      matchKeyOf(cipher, { name: { family, given: [given] }, birthDate });
    const near = (family: string, given: string, birthDate = '1944-11-17') =>
      new Set(nearMatchKeysOf(cipher, { name: { family, given: [given] }, birthDate }));
    const read = near('Underhiil', 'Hollis');
    assert.ok(read.has(key('Underhill', 'Hollis') ?? ''), 'a letter changed');
    assert.ok(near('Zelinsaki', 'Dorian').has(key('Zelinski', 'Dorian') ?? ''), 'a letter added by OCR');
    assert.ok(near('Okonkw', 'Ada').has(key('Okonkwo', 'Ada') ?? ''), 'a letter lost');
    assert.ok(near("Lindgqvi'st", 'Noor').has(key('Lindqvist', 'Noor') ?? ''), 'a speck dropped, then a letter');
    assert.ok(near('Underhill', 'Holis').has(key('Underhill', 'Hollis') ?? ''), 'the given name off');
    assert.ok(near('Emerson', 'Abernathy').has(key('Abernathy', 'Emerson') ?? ''), 'the two names swapped');
    assert.ok(!read.has(key('Underhiil', 'Hollis') ?? ''), 'the name as read is not near');
    assert.ok(!read.has(key('Underhil', 'Hollis', '1944-11-18') ?? ''), 'another birth date never');
    assert.ok(!read.has(key('Underhiiil', 'Holis') ?? ''), 'two letters off never');
    assert.equal(near('Lee', 'Ana').size, 0);
    assert.equal(near('Underhiil', 'Hollis', '11/17/1944').size, 0);
  });

  it('reads a search term as a Steward id, system|value, a bare value or a name and birth date', () => {
    assert.deepEqual(parseSearchTerm('5D0C7F4E-2A8B-4C1D-9E3F-6A7B8C9D0E1F'), { kind: 'steward-id', id: north });
    assert.deepEqual(parseSearchTerm('urn:oid:1.2.3|MRN-9'), {
      kind: 'identifier',
      identifier: { system: 'urn:oid:1.2.3', value: 'MRN-9' },
    });
    assert.deepEqual(parseSearchTerm(' MRN-9 '), { kind: 'value', value: 'MRN-9' });
    assert.deepEqual(parseSearchTerm('Everyman, Adam 1961-06-15'), {
      kind: 'name',
      demographics: { name: { family: 'Everyman', given: ['Adam'] }, birthDate: '1961-06-15' },
    });
  });
});
