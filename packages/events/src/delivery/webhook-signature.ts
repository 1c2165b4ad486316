/**
 * @module Standard Webhooks signatures (`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`) with
 * Node's own HMAC: the `standardwebhooks` package computes the same signature in JavaScript, at a
 * fraction of the speed (the delivery benchmark's profile). Receivers verify with any Standard
 * Webhooks library; the tests verify with `standardwebhooks` itself.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

const prefix = 'whsec_';

/** Signs with a `whsec_…` secret (base64 after the prefix, as the scheme defines it). */
export class WebhookSigner {
  /** A key object made once: a raw Buffer key is made into one on every HMAC (the profile showed it). */
  readonly #key: KeyObject;

  constructor(secret: string) {
    const raw = Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64');
    if (raw.length === 0) throw new Error('a webhook secret cannot be empty');
    this.#key = createSecretKey(raw);
  }

  /** The `webhook-signature` header's value for this id, time (whole seconds are signed) and body. */
  sign(id: string, at: Date, body: string): string {
    const timestamp = Math.floor(at.getTime() / 1000);
    return `v1,${createHmac('sha256', this.#key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  }
}
