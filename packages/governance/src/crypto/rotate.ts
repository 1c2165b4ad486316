/**
 * @module `steward keys rotate`: new keys without downtime and without touching sealed data.
 *
 * 1. Optionally, a new master key version (`provider.rotate()`), persisted before anything is
 *    wrapped under it, so a failure later loses nothing.
 * 2. In one transaction: every data key not yet wrapped under the active master key is rewrapped
 *    (the key bytes do not change, so sealed values and running processes are unaffected); the
 *    active 'field' key is retired and a new one becomes active.
 *
 * The old master key version is needed until step 2 commits; after that no row names it (check
 * with `masterKeysInUse`). Keep it as long as you keep a database backup taken before the rewrap:
 * that backup's data keys are still wrapped under it.
 *
 * Retired field keys are never deleted: audit rows are immutable and must open forever. Sealed
 * values are not re-encrypted here; they open under their own (retired) key. The 'index' key is
 * not rotated: a new index key would change every blind index digest, and lookups by exact value
 * would miss every row written before, until all were recomputed. It is rewrapped like the rest.
 *
 * Processes running during a rotation keep working: their rings still hold every key they had
 * and keep sealing under their cached (now retired, still valid) field key; a ring that meets a
 * value sealed under the new key refreshes (`KeyRing.refresh`, `decryptWithRefresh`).
 */
import { ConfigError } from '@steward/core';
import type { Database } from '@steward/store';
import type { MasterKeyProvider } from './master-key.js';
import { loadDataKeys, newWrappedDataKey, wrapContext } from './data-keys.js';

export interface RotationProgress {
  readonly step: 'master-key' | 'rewrap' | 'field-key';
  readonly done: number;
  readonly total: number;
}

export interface RotateOptions {
  /** Also create a new master key version (the provider must support `rotate`). */
  readonly rotateMaster?: boolean;
  readonly onProgress?: (progress: RotationProgress) => void;
}

export interface RotationReport {
  /** The master key every data key is now wrapped under. */
  readonly masterKeyId: string;
  /** Set when a new master key version was created. */
  readonly newMasterKey: boolean;
  /** How many data keys were rewrapped under `masterKeyId`. */
  readonly rewrapped: number;
  readonly fieldKeyId: string;
  readonly retiredFieldKeyId: string | undefined;
}

export async function rotateKeys(
  db: Database,
  provider: MasterKeyProvider,
  options: RotateOptions = {},
): Promise<RotationReport> {
  const progress = options.onProgress ?? (() => undefined);
  if (options.rotateMaster === true) {
    if (provider.rotate === undefined) {
      throw new ConfigError([
        {
          path: 'master key',
          message:
            'this master key provider cannot create a new version itself: rotate the key where it is kept (for STEWARD_MASTER_KEY: set the new key and move the old one to STEWARD_MASTER_KEY_PREVIOUS, then restart), then rotate without the master option to rewrap',
        },
      ]);
    }
    progress({ step: 'master-key', done: 0, total: 1 });
    await provider.rotate();
    progress({ step: 'master-key', done: 1, total: 1 });
  }
  const masterKeyId = provider.activeKeyId;
  // Wrap the new field key before the transaction: a KMS round trip need not hold the lock.
  const fresh = await newWrappedDataKey(provider, 'field');

  return db.transaction(async (tx) => {
    // Serializes rotations and key creation (they write); readers (rings refreshing) are not blocked.
    await tx.query('lock table data_keys in exclusive mode');
    const rows = await loadDataKeys(tx);
    const stale = rows.filter((r) => r.masterKeyId !== masterKeyId);
    progress({ step: 'rewrap', done: 0, total: stale.length });
    let done = 0;
    for (const row of stale) {
      const aad = wrapContext(row.id, row.purpose);
      const dek = await provider.unwrap(row.masterKeyId, row.wrapped, aad);
      let wrapped: { masterKeyId: string; wrapped: Buffer };
      try {
        wrapped = await provider.wrap(dek, aad);
      } finally {
        dek.fill(0);
      }
      await tx.query('update data_keys set master_key_id = $2, wrapped = $3 where id = $1', [
        row.id,
        wrapped.masterKeyId,
        wrapped.wrapped,
      ]);
      progress({ step: 'rewrap', done: ++done, total: stale.length });
    }

    progress({ step: 'field-key', done: 0, total: 1 });
    const retired = await tx.query<{ id: string }>(
      `update data_keys set status = 'retired' where purpose = 'field' and status = 'active' returning id`,
    );
    await tx.query(
      `insert into data_keys (id, purpose, master_key_id, wrapped, status) values ($1, 'field', $2, $3, 'active')`,
      [fresh.id, fresh.masterKeyId, fresh.wrapped],
    );
    progress({ step: 'field-key', done: 1, total: 1 });
    return {
      masterKeyId,
      newMasterKey: options.rotateMaster === true,
      rewrapped: stale.length,
      fieldKeyId: fresh.id,
      retiredFieldKeyId: retired.rows[0]?.id,
    };
  });
}
