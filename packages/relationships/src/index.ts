/** @module Relationships: the contact graph of people and organizations, notes, migration and export. */
export { Relationships } from './service/index.js';
export type { RelationshipsDeps } from './service/index.js';
export {
  displayName,
  defaultRelationshipTypes,
  validateRelationshipTypes,
  authorityPermissions,
  fhirHomes,
  RelationshipTypeCatalog,
} from './model/index.js';
export type {
  PartyKind,
  Provenance,
  ContactPoint,
  PartyData,
  Party,
  Relationship,
  NoteData,
  Note,
  RelationshipTypeDefinition,
  AuthorityPermission,
  FhirHome,
} from './model/index.js';
export { ContactGraph, ContactNoteRetention } from './graph/index.js';
export type { ContactView, RelationshipView, NoteView, ContactMatch } from './graph/index.js';
export { PatientLinks } from './patient-links/index.js';
export type {
  LinkPatient,
  PatientLink,
  PatientContact,
  LinkSuggestion,
  PatientContacts,
} from './patient-links/index.js';
export { Authority } from './authority/index.js';
export type { AuthorityQuery, AuthorityDecision } from './authority/index.js';
export { ContactMigration, readContactSource, contactSourceOfFiles, parseMapping } from './migration/index.js';
export type {
  ImportOptions,
  ImportProgress,
  ContactSource,
  SourceRow,
  SourceFile,
  ContactMapping,
  Listed,
  ReconciliationReport,
  KindCounts,
  ReviewItem,
  HashMismatch,
} from './migration/index.js';
export { GraphExport, exportFormats, toFhirBundle, STEWARD_RELATIONSHIP_EXTENSION } from './export/index.js';
export type { ExportFormat, ExportFile, GraphExportResult, FhirBundle } from './export/index.js';
// The synthetic practice export (tests, benchmarks, demos): synthetic names only, never PHI.
export { generateContactExport } from './testing/contact-generator.js';
export type { GeneratorOptions, GeneratedExport } from './testing/contact-generator.js';
