/**
 * @module Small helpers the identity files share: digests, constant-time comparison, id checks,
 * and the audit actor shape. Internal to identity; not exported from its index.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '@steward/core';
import type { AuditEntryInput, AuditSink } from '../audit/audit-entry.js';

/** SHA-256 of a bearer secret: what the store keeps instead of the secret itself. */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Equal-length digests compared without an early exit, so timing reveals no matching prefix. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `id` is a lowercase UUID. Checked before a query, so garbage never reaches a `uuid` cast. */
export function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}

/** Only the four fields audit records, so session and token ids of the caller never leak into entries. */
export function auditActor(actor: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>): AuditEntryInput['actor'] {
  return { kind: actor.kind, id: actor.id, name: actor.name, authMethod: actor.authMethod };
}

/**
 * Appends `entry`; if the append fails, runs `undo` (best effort) and rethrows. Used where a change
 * must not stand unaudited. The sink may share the store's single connection (PGlite), so audit is
 * never appended inside our own transaction; compensation is the alternative.
 */
export async function auditOrUndo(
  audit: AuditSink,
  entry: AuditEntryInput,
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    await audit.append(entry);
  } catch (e) {
    await undo().catch(() => undefined);
    throw e;
  }
}

/** Rows carry bytea as Uint8Array (PGlite) or Buffer (pg); one shape for both. */
export function bytes(value: Uint8Array | null): Buffer | null {
  return value === null ? null : Buffer.from(value);
}

/**
 * Who audit names when nobody has authenticated: a rejected bearer, or a login for a username
 * that does not exist. The attempted username is deliberately not recorded for unknown users:
 * people type their password into the username field, and the audit log must never hold one.
 */
export function anonymousActor(authMethod: Actor['authMethod']): AuditEntryInput['actor'] {
  return { kind: 'user', id: 'anonymous', name: 'anonymous', authMethod };
}

export interface RequestSource {
  readonly address?: string;
  readonly requestId?: string;
}

/** `source` for an audit entry, omitted when empty (exact optional properties). */
export function auditSource(source: RequestSource | undefined): Pick<AuditEntryInput, 'source'> {
  if (source === undefined || (source.address === undefined && source.requestId === undefined)) return {};
  return { source };
}
