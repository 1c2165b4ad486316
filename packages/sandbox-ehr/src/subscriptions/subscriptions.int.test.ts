/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, tokenFor } from '../testing/index.js';
import { topicBase } from './topics.js';

interface Received {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bundle: any;
}

/** A real HTTP receiver; fails the first `failFirst` posts with 500 to exercise retries. */
async function startReceiver(
  failFirst = 0,
): Promise<{ url: string; received: Received[]; waitFor: (n: number) => Promise<void>; close: () => Promise<void> }> {
  const received: Received[] = [];
  let failures = failFirst;
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, bundle: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const waitFor = async (n: number): Promise<void> => {
    while (received.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function param(bundle: any, name: string): any {
  return bundle.entry[0].resource.parameter.find((p: { name: string }) => p.name === name);
}

describe('topic-based subscriptions (R4 backport, rest-hook)', () => {
  let ehr: SandboxEhr;
  let token: string;
  before(async () => {
    ehr = await startSandboxEhr({ subscriptionRetryDelayMs: 10 });
    token = await tokenFor(ehr, ['system/*.*']);
  });
  after(async () => ehr.close());

  it('advertises its topics', async () => {
    const topics = await fhirFetch(ehr, token, 'GET', 'Basic?code=SubscriptionTopic');
    assert.equal(topics.json.total, 5);
  });

  it('refuses a subscription to an unknown topic', async () => {
    const res = await fhirFetch(ehr, token, 'POST', 'Subscription', {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'test',
      criteria: `${topicBase}/nope`,
      channel: { type: 'rest-hook', endpoint: 'http://127.0.0.1:9/x', payload: 'application/fhir+json' },
    });
    assert.equal(res.status, 422);
  });

  it('sends a handshake, then ordered notifications after Appointment writes, retrying failures', async () => {
    const receiver = await startReceiver(2);
    try {
      const sub = await fhirFetch(ehr, token, 'POST', 'Subscription', {
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'test',
        criteria: `${topicBase}/appointment-changed`,
        channel: {
          type: 'rest-hook',
          endpoint: receiver.url,
          payload: 'application/fhir+json',
          _payload: {
            extension: [
              {
                url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content',
                valueCode: 'full-resource',
              },
            ],
          },
          header: ['Authorization: Bearer hook-secret'],
        },
      });
      assert.equal(sub.status, 201);
      const created = await fhirFetch(ehr, token, 'POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'proposed',
        // Valid R4: an actor on the participant (app-1), start and end once booked (app-3).
        start: '2024-03-11T09:00:00-04:00',
        end: '2024-03-11T09:30:00-04:00',
        participant: [{ status: 'needs-action', actor: { reference: 'Practitioner/example' } }],
      });
      await fhirFetch(ehr, token, 'PUT', `Appointment/${created.json.id}`, { ...created.json, status: 'booked' });
      await fhirFetch(ehr, token, 'POST', 'Patient', { resourceType: 'Patient' }); // another topic: not sent
      await receiver.waitFor(3);

      const [handshake, first, second] = receiver.received;
      assert.equal(handshake?.bundle.type, 'history');
      assert.equal(param(handshake?.bundle, 'type').valueCode, 'handshake');
      assert.equal(handshake?.headers.authorization, 'Bearer hook-secret');
      assert.equal(param(first?.bundle, 'events-since-subscription-start').valueString, '1');
      assert.equal(param(second?.bundle, 'events-since-subscription-start').valueString, '2');
      const event = param(second?.bundle, 'notification-event');
      assert.equal(event.part.find((p: { name: string }) => p.name === 'event-number').valueString, '2');
      const focus = event.part.find((p: { name: string }) => p.name === 'focus').valueReference.reference;
      assert.equal(focus, `${ehr.fhirBaseUrl}/Appointment/${created.json.id}`);
      assert.equal(first?.bundle.entry[1].resource.status, 'proposed');
      assert.equal(second?.bundle.entry[1].resource.status, 'booked');
      assert.equal(receiver.received.length, 3);
      assert.ok(ehr.subscriptionStats().failedAttempts >= 2);
      const stored = await fhirFetch(ehr, token, 'GET', `Subscription/${sub.json.id}`);
      assert.equal(stored.json.status, 'active');
    } finally {
      await receiver.close();
    }
  });
});
