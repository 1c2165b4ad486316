import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookSigner } from './webhook-signature.js';

describe('WebhookSigner', () => {
  it('signs exactly as the standardwebhooks package does, and its verify accepts it', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const id = randomUUID();
    const at = new Date();
    const body = JSON.stringify({ type: 'appointment.no-show', data: { id, note: 'é ✓' } });
    const signature = new WebhookSigner(secret).sign(id, at, body);
    assert.equal(signature, new Webhook(secret).sign(id, at, body));
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    };
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(body.replace('é', 'e'), headers), /signature/i);
  });
});
