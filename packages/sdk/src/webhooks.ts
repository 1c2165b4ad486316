/**
 * @module Checking a Steward webhook before trusting it (`@steward/sdk/webhooks`): the Standard
 * Webhooks signature (HMAC-SHA256 over id, timestamp and the raw body, with the subscription's
 * `whsec_…` secret) and a timestamp within five minutes, so a replayed or altered delivery is refused.
 * Deliveries are at least once: keep the `webhook-id` of what you handled and skip a repeat.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { isStewardEvent, type StewardEvent } from './event.js';

export type { StewardEvent };

export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
}

/**
 * The event a delivery carries, once its signature checks out; throws WebhookSignatureError
 * otherwise. `body` must be the raw bytes or text as received (not re-serialised JSON).
 */
export function verifyWebhook(
  secret: string,
  headers: Headers | Readonly<Record<string, string | readonly string[] | undefined>>,
  body: string | Uint8Array,
): StewardEvent {
  const flat: Record<string, string> = {};
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v: string | readonly string[] | undefined = headers[name] ?? headers[name.toLowerCase()];
    return typeof v === 'string' ? v : v?.[0];
  };
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const v = get(name);
    if (v === undefined) throw new WebhookSignatureError(`the delivery has no ${name} header`);
    flat[name] = v;
  }
  let event: unknown;
  try {
    event = new Webhook(secret).verify(body, flat);
  } catch (e) {
    if (e instanceof WebhookVerificationError)
      throw new WebhookSignatureError(`not a delivery from Steward: ${e.message}`);
    throw e;
  }
  if (!isStewardEvent(event)) throw new WebhookSignatureError('the delivery is signed but is not a Steward event');
  return event;
}
