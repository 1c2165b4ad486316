/**
 * @module Test-only: the sandbox's repository (every write validated against R4) loaded with Synthea patients from the shared fixtures
 * (generated-sample-data: plain urn:uuid references, posted as transactions through FhirRouter
 * so they resolve). Only the resource types the clinic derives from are kept, for speed.
 */
import { thirdPartyFixture } from '@steward/core/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FhirRouter } from '@medplum/fhir-router';
import type { MemoryRepository } from '@medplum/fhir-router';
import { SandboxRepository } from '../fhir-server/sandbox-repository.js';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** The sandbox's own loader: indexes the FHIR R4 definitions MemoryRepository search needs, once per process. */
export { loadFhirDefinitions } from '../fhir-server/definitions.js';

/** The bulk-export NDJSON set: conditional references left unresolved, as a partial export has them. */
export async function loadSyntheaBulk(): Promise<MemoryRepository> {
  const repo = new SandboxRepository(); // validates every write, as the sandbox does
  const dir = join(syntheaDir(), '..', 'bulk-ndjson-10-patients');
  for (const type of keep) {
    for (const line of readFileSync(join(dir, `${type}.000.ndjson`), 'utf8').split('\n')) {
      if (line.trim()) await repo.createResource(JSON.parse(line) as Resource);
    }
  }
  return repo;
}

function syntheaDir(): string {
  return thirdPartyFixture('synthea-r4', 'generated-sample-data');
}

const keep = new Set(['Patient', 'Encounter', 'Organization', 'Practitioner', 'Location', 'PractitionerRole']);

export async function loadSynthea(maxBundles = 16): Promise<MemoryRepository> {
  const repo = new SandboxRepository(); // validates every write, as the sandbox does
  const router = new FhirRouter();
  const dir = syntheaDir();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .slice(0, maxBundles)) {
    const bundle = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Bundle;
    bundle.entry = (bundle.entry ?? []).filter((e) => keep.has(e.resource?.resourceType ?? ''));
    const [outcome] = await router.handleRequest(
      { method: 'POST', url: '/', pathname: '', params: {}, query: {}, body: bundle, headers: {} },
      repo,
    );
    if (outcome.issue?.some((i) => i.severity === 'error')) throw new Error(`fixture bundle ${name} did not load`);
  }
  return repo;
}
