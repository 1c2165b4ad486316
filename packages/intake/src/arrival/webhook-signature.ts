/**
 * @module The signature check of a fax or e-mail provider's webhook, by the Standard Webhooks
 * scheme (standardwebhooks.com): headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256>`), signed content
 * `<id>.<timestamp>.<raw body>`, the secret `whsec_<base64>` (its bytes are the key). A timestamp
 * more than five minutes from now is refused (a replay), and so is any signature that does not match.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UserError } from '@steward/core';

const TOLERANCE_S = 5 * 60;

export interface WebhookHeaders {
  readonly id?: string;
  readonly timestamp?: string;
  readonly signature?: string;
}

/** A new secret in the scheme's form. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestamp}.`)
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');
  return `v1,${mac}`;
}

/** Throws UserError WEBHOOK_SIGNATURE_INVALID (401 at the edge) naming what is wrong, never the secret. */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array, now: Date): void {
  const refuse = (why: string): never => {
    throw new UserError('WEBHOOK_SIGNATURE_INVALID', `the webhook is refused: ${why}`);
  };
  if (headers.id === undefined || headers.id === '') refuse('no webhook-id header');
  if (headers.timestamp === undefined || !/^\d{1,12}$/.test(headers.timestamp))
    refuse('no valid webhook-timestamp header');
  if (headers.signature === undefined || headers.signature === '') refuse('no webhook-signature header');
  const ts = Number(headers.timestamp);
  if (Math.abs(now.getTime() / 1000 - ts) > TOLERANCE_S) refuse('webhook-timestamp is more than five minutes from now');
  const expected = Buffer.from(signWebhook(secret, headers.id as string, ts, body).slice(3), 'base64');
  const ok = (headers.signature as string).split(' ').some((part) => {
    const [version, mac] = part.split(',', 2);
    if (version !== 'v1' || mac === undefined) return false;
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) refuse('the signature does not match');
}
