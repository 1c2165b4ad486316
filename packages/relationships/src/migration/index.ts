/** @module Migration of a practice's contacts, relationships and notes into the graph, with reconciliation. */
export { ContactMigration } from './contact-migration.js';
export type { ImportOptions, ImportProgress } from './contact-migration.js';
export { readContactSource, contactSourceOfFiles, csvRows } from './source-reader.js';
export type { ContactSource, SourceRow, SourceFile } from './source-reader.js';
export { parseMapping } from './mapping.js';
export type { ContactMapping, ContactsMapping, RelationshipsMapping, NotesMapping, LinkMapping } from './mapping.js';
export { normalizeSource } from './normalize.js';
export type { Listed, RecordKind, NormalizedSource } from './normalize.js';
export type { ReconciliationReport, KindCounts, ReviewItem, HashMismatch } from './report.js';
