/** @module The graph's vocabulary and the per-practice relationship type list. */
export { displayName } from './types.js';
export type { PartyKind, Provenance, ContactPoint, PartyData, Party, Relationship, NoteData, Note } from './types.js';
export {
  defaultRelationshipTypes,
  validateRelationshipTypes,
  authorityPermissions,
  fhirHomes,
} from './relationship-types.js';
export type { RelationshipTypeDefinition, AuthorityPermission, FhirHome } from './relationship-types.js';
export { RelationshipTypeCatalog } from './type-catalog.js';
