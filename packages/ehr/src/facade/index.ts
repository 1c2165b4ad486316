/** @module The FHIR R4 facade: governed reads and searches of a connection in FHIR's terms, minimum necessary by purpose of use. */
export { FhirFacade } from './fhir-facade.js';
export type { FhirFacadeDeps, FacadeQuery } from './fhir-facade.js';
export { elementsFor, minimumNecessary, mandatoryElements, purposeElements, subsettedTag } from './purpose-elements.js';
export {
  servedTypes,
  tokenAllows,
  requirePatientNamed,
  searchParameters,
  patientNamingParameters,
} from './search-rules.js';
export type { ServedType, FacadeInteraction } from './search-rules.js';
