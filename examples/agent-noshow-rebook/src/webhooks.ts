/**
 * @module The agent's webhook receiver: subscribes with Steward (the URL must lie under a destination
 * an administrator registered; the demo's is http://127.0.0.1:8475/), then checks every delivery's
 * Standard Webhooks signature before it trusts it — a tampered or replayed delivery is answered 401
 * and never handled. Deliveries are at least once: a repeated `webhook-id` is acknowledged, not redone.
 */
import { createServer, type Server } from 'node:http';
import type { Steward, StewardEvent } from '@steward/sdk';
import { verifyWebhook, WebhookSignatureError } from '@steward/sdk/webhooks';

export interface WebhookReceiver {
  readonly url: string;
  readonly subscriptionId: string;
  /** Deliveries refused for their signature (a count, for the log and the tests). */
  readonly refused: () => number;
  close(): Promise<void>;
}

export async function receiveWebhooks(
  steward: Steward,
  options: {
    readonly port: number;
    readonly path?: string;
    readonly types: readonly string[];
    readonly onEvent: (event: StewardEvent) => Promise<unknown>;
  },
): Promise<WebhookReceiver> {
  // Known once Steward answers the subscription; a delivery before that is refused and sent again.
  const subscribed: { secret?: string } = {};
  let refused = 0;
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: StewardEvent;
      try {
        if (subscribed.secret === undefined) throw new WebhookSignatureError('not subscribed yet');
        event = verifyWebhook(subscribed.secret, req.headers, body);
      } catch (e) {
        refused += 1;
        res.writeHead(e instanceof WebhookSignatureError ? 401 : 400).end();
        return;
      }
      if (seen.has(event.data.id)) return void res.writeHead(204).end();
      // Acknowledge once handled: a failure answers 500, and Steward delivers it again later.
      options.onEvent(event).then(
        () => {
          seen.add(event.data.id);
          res.writeHead(204).end();
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://127.0.0.1:${port}${options.path ?? '/steward-events'}`;
  const created = await steward.http.POST('/events/subscriptions', { body: { url, types: [...options.types] } });
  if (created.data === undefined) {
    await new Promise((r) => server.close(r));
    throw new Error(`Steward refused the subscription (${created.response.status})`);
  }
  subscribed.secret = created.data.secret;
  const subscriptionId = created.data.subscription.id;
  return {
    url,
    subscriptionId,
    refused: () => refused,
    async close() {
      await steward.http.DELETE('/events/subscriptions/{id}', { params: { path: { id: subscriptionId } } });
      await new Promise((r) => server.close(r));
    },
  };
}
