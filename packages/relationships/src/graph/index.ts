/** @module The graph's store: the only SQL on its tables, and the governed contact read. */
export { GraphRows, isUuid, joinSealed } from './graph-rows.js';
export type { NewParty, NewNote, NewRelationship, SourceRecordRow, ImportRows, SealedRows } from './graph-rows.js';
export { ContactGraph, entityKind } from './contact-graph.js';
export type { ContactView, RelationshipView, NoteView, ContactMatch } from './contact-graph.js';
export {
  sealContext,
  matchDigests,
  matchValues,
  normalizeName,
  normalizePhone,
  normalizeEmail,
  sourceKeyDigest,
} from './codec.js';
export type { MatchField } from './codec.js';
export { ContactNoteRetention } from './note-retention.js';
