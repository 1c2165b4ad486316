/** @module The EHR channel port, its FHIR R4 implementation, and the governed decorator around every channel. */
export { FhirR4Channel } from './fhir-r4.channel.js';
export { InMemoryEhrChannel } from './in-memory.channel.js';
export { GovernedEhr, ehrPatientId } from './governed-ehr.js';
export type { GovernedEhrDeps } from './governed-ehr.js';
export { stewardWriteSystem, writableTypes, contains } from './governed-write.js';
export type {
  WriteRequest,
  WriteOutcome,
  WriteTarget,
  PatientGuard,
  EhrWriterOptions,
  WritableType,
} from './governed-write.js';
export type {
  EhrChannel,
  EhrReader,
  EhrWriteChannel,
  EhrPatient,
  EhrReference,
  EhrResource,
  EhrSearch,
  WriteContext,
  WriteProvenance,
  EhrSearchPage,
  SearchPageOptions,
  ReadOptions,
  Disclosure,
  ChannelPage,
} from './ehr-channel.js';
export { ChannelsByConnection } from './ehr-channel.js';
