/** @module Test helpers for encryption: the real KeyRing, with a master key tests control. */
import { KeyRing } from './key-ring.js';
import { InMemoryMasterKeyProvider, masterKeyIdOf } from './master-key.js';
import type { Sql } from '@steward/store';

/** A key ring over `db` whose master key is `key`, so separate processes can share it. */
export function keyRingWithMasterKey(db: Sql, key: Buffer): Promise<KeyRing> {
  return KeyRing.open(db, new InMemoryMasterKeyProvider([{ id: masterKeyIdOf(key), key, createdAt: new Date(0) }]));
}
