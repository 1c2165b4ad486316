/** @module The audit screen's shapes, generated from the server's OpenAPI document (api/types.ts). */
export type { AuditEntry, AuditPage, VerifyAnswer } from '../../api/types.js';
