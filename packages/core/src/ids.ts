/** @module Identifiers: random, unguessable, URL-safe. */
import { randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** A secret of `bytes` random bytes, base64url encoded. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
