/** @module The clinic's directory: practitioners, roles, organizations, locations and services, per EHR connection. */
export { directoryKinds, entryKey, isDirectoryKind, participantFacts, referenceOf } from './directory-model.js';
export type {
  DirectoryEntry,
  DirectoryFacts,
  DirectoryKind,
  DirectoryLinks,
  DirectorySource,
  DirectoryStatus,
  DirectoryTelecom,
  NetworkMark,
} from './directory-model.js';
export { directoryFactsFromFhir, linkedReferences } from './map-fhir.js';
export type { DirectorySearch } from './directory-store.js';
export { DirectoryService, unresolvedParticipant } from './directory-service.js';
export type { DirectoryServiceDeps, ParticipantQuery, ParticipantView } from './directory-service.js';
export { DirectoryLearner, participantsOf } from './directory-learner.js';
export type { DirectoryLearnerOptions, DirectoryResourceReader, LearnRound } from './directory-learner.js';
