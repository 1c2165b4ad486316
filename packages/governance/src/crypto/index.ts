/**
 * @module Encryption at rest: PHI fields sealed with AES-256-GCM under data keys, data keys wrapped
 * by a master key (envelope encryption), keyed blind indexes for exact-match lookup, and rotation.
 */
export type { FieldCipher } from './field-cipher.js';
export { KeyRing, normalizeForIndex } from './key-ring.js';
export type { MasterKeyProvider, MasterKeyVersion } from './master-key.js';
export { EnvMasterKeyProvider, InMemoryMasterKeyProvider, MASTER_KEY_BYTES, masterKeyIdOf } from './master-key.js';
export { FileMasterKeyProvider } from './file-master-key.js';
export type { FileMasterKeyOptions } from './file-master-key.js';
export { masterKeysInUse } from './data-keys.js';
export type { DataKeyPurpose, DataKeyStatus } from './data-keys.js';
export { rotateKeys } from './rotate.js';
export type { RotateOptions, RotationProgress, RotationReport } from './rotate.js';
