/**
 * @module Test-only fixtures: sample entries, and an in-memory log built exactly as the writer
 * builds it (same canonical text, chain hash and checkpoint signature), for the pure verifier tests.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { AuditEntryInput } from './audit-entry.js';
import { chainHash, checkpointMessage, entryText, GENESIS_HASH } from './audit-chain.js';
import type { StoredCheckpointRow, StoredEntryRow, StoredSigningKey } from './chain-verifier.js';

export const PATIENTS = ['0197a000-0000-7000-8000-000000000001', '0197a000-0000-7000-8000-000000000002'] as const;

export function sampleEntry(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    actor: { kind: 'user', id: `user-${i % 3}`, name: `clinician${i % 3}`, authMethod: 'password+totp' },
    event: 'phi.read',
    action: 'R',
    outcome: 'success',
    patientIds: [PATIENTS[i % 2] as string],
    entity: { kind: 'referral', id: `rec-${i}`, version: 1 },
    fields: ['status'],
    site: 'main',
    purposeOfUse: 'TREAT',
    source: { address: '10.0.0.7', requestId: `req-${i}` },
    ...overrides,
  };
}

export interface MemoryLog {
  rows: StoredEntryRow[];
  checkpoints: StoredCheckpointRow[];
  keys: StoredSigningKey[];
}

/** A log of `inputs` with a checkpoint every `every` entries and one at the end. */
export function memoryLog(inputs: readonly AuditEntryInput[], every = 1_000): MemoryLog {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = 'k1';
  const rows: StoredEntryRow[] = [];
  const checkpoints: StoredCheckpointRow[] = [];
  let prev: Buffer = GENESIS_HASH;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const checkpoint = (seq: number, hash: string): void => {
    const atUs = (start + seq) * 1000;
    const signature = sign(null, checkpointMessage(seq, hash, new Date(atUs / 1000).toISOString()), privateKey);
    checkpoints.push({ seq, hash, atUs, keyId, signature });
  };
  inputs.forEach((input, i) => {
    const seq = i + 1;
    const at = new Date(start + seq).toISOString();
    const entry = entryText(seq, at, input, undefined);
    const hash = chainHash(prev, entry);
    rows.push({
      seq,
      atUs: Date.parse(at) * 1000,
      actorId: input.actor.id,
      action: input.action,
      event: input.event,
      outcome: input.outcome,
      patientIds: input.patientIds ?? [],
      entry,
      prevHash: prev.toString('hex'),
      hash: hash.toString('hex'),
    });
    prev = hash;
    if (seq % every === 0 || seq === inputs.length) checkpoint(seq, hash.toString('hex'));
  });
  return {
    rows,
    checkpoints,
    keys: [{ id: keyId, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  };
}

/** Rehashes a stored row the way an attacker who knows the algorithm would. */
export function rehash(row: StoredEntryRow, prevHash: string): StoredEntryRow {
  return {
    ...row,
    prevHash,
    hash: createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(row.entry).digest('hex'),
  };
}
