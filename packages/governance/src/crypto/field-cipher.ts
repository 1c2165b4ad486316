/**
 * @module The port every PHI field goes through on its way to and from the store.
 *
 * Envelope encryption: each field is sealed with AES-256-GCM under a data key; data keys are
 * stored wrapped by a master key. `context` is bound as additional authenticated data, so a
 * ciphertext moved to another row or column fails to open.
 */
export interface FieldCipher {
  /** Seals `plaintext` under the active data key. */
  encrypt(plaintext: Uint8Array | string, context: string): Buffer;
  /** Opens a value sealed by `encrypt` with the same `context`; throws if it was altered or moved. */
  decrypt(sealed: Uint8Array, context: string): Buffer;
  /** A keyed digest (HMAC-SHA-256) of a normalized value, for exact-match lookup without plaintext. */
  blindIndex(field: string, value: string): Buffer;
  /** The id of the data key a sealed value was made with. */
  keyIdOf(sealed: Uint8Array): string;
}
