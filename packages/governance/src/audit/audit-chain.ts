/**
 * @module The hash chain's pure parts: the canonical entry text that is hashed, the chain hash,
 * and the checkpoint message that is signed. Writer and verifier share them, so they cannot drift.
 */
import { createHash } from 'node:crypto';
import type { AuditEntryInput } from './audit-entry.js';

/** prev_hash of entry 1. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/**
 * Any constant shared by every Steward process: the audit writer's transaction-level advisory
 * lock, which makes "read the head, append after it" one step across processes.
 */
export const AUDIT_LOCK = 7_406_517_302;

/**
 * JSON with keys sorted at every level and `undefined` members left out, so one value has exactly
 * one text. Arrays keep their order. Only plain data (strings, finite numbers, booleans, null,
 * arrays, plain objects) is expected.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in audit entry');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The hashed document of one entry. `queryEnc` replaces `query`: the hash covers the ciphertext. */
export interface CanonicalEntry {
  readonly seq: number;
  /** ISO-8601, milliseconds, UTC. */
  readonly at: string;
  readonly actor: { readonly kind: string; readonly id: string; readonly name: string; readonly authMethod: string };
  readonly event: string;
  readonly action: string;
  readonly outcome: string;
  readonly patientIds?: readonly string[];
  readonly entity?: { readonly kind: string; readonly id: string; readonly version?: number };
  readonly fields?: readonly string[];
  readonly site?: string;
  readonly workflow?: string;
  readonly purposeOfUse?: string;
  readonly breakGlassId?: string;
  readonly source?: { readonly address?: string; readonly requestId?: string };
  /** base64 of the FieldCipher-sealed canonical JSON of the query parameters. */
  readonly queryEnc?: string;
  readonly reason?: string;
  readonly digests?: Readonly<Record<string, string>>;
}

/** The canonical text of entry `seq`. Copies only known fields, so extra properties never leak in. */
export function entryText(seq: number, at: string, input: AuditEntryInput, queryEnc: string | undefined): string {
  const { actor, entity, source } = input;
  const doc: CanonicalEntry = {
    seq,
    at,
    actor: { kind: actor.kind, id: actor.id, name: actor.name, authMethod: actor.authMethod },
    event: input.event,
    action: input.action,
    outcome: input.outcome,
    ...(input.patientIds !== undefined && input.patientIds.length > 0 ? { patientIds: [...input.patientIds] } : {}),
    ...(entity !== undefined
      ? {
          entity: {
            kind: entity.kind,
            id: entity.id,
            ...(entity.version !== undefined ? { version: entity.version } : {}),
          },
        }
      : {}),
    ...(input.fields !== undefined && input.fields.length > 0 ? { fields: [...input.fields] } : {}),
    ...(input.site !== undefined ? { site: input.site } : {}),
    ...(input.workflow !== undefined ? { workflow: input.workflow } : {}),
    ...(input.purposeOfUse !== undefined ? { purposeOfUse: input.purposeOfUse } : {}),
    ...(input.breakGlassId !== undefined ? { breakGlassId: input.breakGlassId } : {}),
    ...(source !== undefined
      ? {
          source: {
            ...(source.address !== undefined ? { address: source.address } : {}),
            ...(source.requestId !== undefined ? { requestId: source.requestId } : {}),
          },
        }
      : {}),
    ...(queryEnc !== undefined ? { queryEnc } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    // Absent on entries without digests, so every entry written before they existed hashes as it did.
    ...(input.digests !== undefined && Object.keys(input.digests).length > 0 ? { digests: { ...input.digests } } : {}),
  };
  return canonicalJson(doc);
}

/** SHA-256(prev_hash || utf8(entry)). */
export function chainHash(prev: Uint8Array, entry: string): Buffer {
  return createHash('sha256').update(prev).update(entry, 'utf8').digest();
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointMessage(seq: number, hashHex: string, atIso: string): Buffer {
  return Buffer.from(`steward-audit-checkpoint:v1:${seq}:${hashHex}:${atIso}`, 'utf8');
}

/** ISO-8601 with milliseconds in UTC: the one time format of entries and checkpoints. */
export function isoMillis(d: Date): string {
  return d.toISOString();
}
