/**
 * @module The Ed25519 key that signs checkpoints: generated on first open, its private half stored
 * sealed by the FieldCipher (context `audit_signing_keys:<id>`), its public half in the clear so
 * that verification needs no secret.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { OperationalError } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { AUDIT_LOCK } from './audit-chain.js';

export interface SigningKey {
  readonly id: string;
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** SHA-256 (hex) of the public key's SubjectPublicKeyInfo: what operators pin out of band. */
  readonly fingerprint: string;
}

export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Loads the newest signing key, creating the first one (once, across processes) when there is none. */
export async function loadOrCreateSigningKey(db: Database, cipher: FieldCipher): Promise<SigningKey> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const { rows } = await tx.query<{ id: string; public_key: string; private_key_enc: Uint8Array }>(
      'select id, public_key, private_key_enc from audit_signing_keys order by created_at desc, id desc limit 1',
    );
    const row = rows[0];
    if (row !== undefined) {
      let privateKey: KeyObject;
      try {
        const der = cipher.decrypt(Buffer.from(row.private_key_enc), `audit_signing_keys:${row.id}`);
        privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      } catch (e) {
        throw new OperationalError('KEY_UNAVAILABLE', `cannot open the audit signing key ${row.id}`, [], { cause: e });
      }
      const publicKey = createPublicKey(row.public_key);
      return { id: row.id, privateKey, publicKeyPem: row.public_key, fingerprint: keyFingerprint(publicKey) };
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const fingerprint = keyFingerprint(publicKey);
    const id = `ed25519-${fingerprint.slice(0, 16)}`;
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const sealed = cipher.encrypt(privateKey.export({ type: 'pkcs8', format: 'der' }), `audit_signing_keys:${id}`);
    await tx.query('insert into audit_signing_keys (id, public_key, private_key_enc) values ($1, $2, $3)', [
      id,
      publicKeyPem,
      sealed,
    ]);
    return { id, privateKey, publicKeyPem, fingerprint };
  });
}
