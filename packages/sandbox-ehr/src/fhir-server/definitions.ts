/**
 * @module Loads the FHIR R4 structure definitions and search parameters into @medplum/core, which search,
 * FHIRPath and the router need.
 *
 * Medplum keeps these in its own process-wide index (not ours to avoid); loading is skipped when it is already
 * populated, so starting several sandboxes in one process pays the cost once; the bundles are read through
 * `readDefinitions`, cut to what is indexed, so a process pays a fraction of it.
 */
import { getSearchParameters, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { readDefinitions, searchParameterCut, structureDefinitionCut } from './definitions-cache.js';

export function loadFhirDefinitions(): void {
  if (getSearchParameters('Patient')?.['identifier'] !== undefined) return;
  indexStructureDefinitionBundle(readDefinitions('fhir/r4/profiles-types.json', 'sd1', structureDefinitionCut));
  indexStructureDefinitionBundle(readDefinitions('fhir/r4/profiles-resources.json', 'sd1', structureDefinitionCut));
  indexSearchParameterBundle(
    readDefinitions('fhir/r4/search-parameters.json', 'sp1', searchParameterCut) as Bundle<SearchParameter>,
  );
}
