import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '@steward/core';
import { parseFhirJson } from './parse-resource.js';
import {
  detectGaps,
  parseSubscriptionNotification,
  parseSubscriptionStatusBundle,
} from './subscription-notification.js';
import type { SubscriptionNotification } from './subscription-notification.js';
import { readBackportSubscription } from './subscription-request.js';
import { listFiles, readText, thirdParty } from './test-fixtures.js';

const backportDir = thirdParty('fhir-r4-examples', 'subscriptions-backport');
const inferno = (name: string): string => thirdParty('fhir-r4-examples', 'subscriptions-backport', 'inferno', name);
const athena = (name: string): string => thirdParty('vendor-sandbox', 'athenahealth', name);

function notification(path: string): SubscriptionNotification {
  return parseSubscriptionNotification(parseFhirJson(readText(path)));
}

function isFhirInvalid(e: unknown): boolean {
  return e instanceof UserError && e.code === 'FHIR_INVALID' && /FHIR element \S+/.test(e.message);
}

describe('backport (R4 Parameters) notifications', () => {
  it('full-resource: the focus resource comes with the event', () => {
    const n = notification(inferno('full_resource_notification_bundle_example.json'));
    assert.equal(n.subscription, 'https://fhirserver.org/fhir/Subscription/123');
    assert.equal(n.topic, 'http://fhirserver.org/topics/patient-admission');
    assert.equal(n.type, 'event-notification');
    assert.equal(n.eventsSinceSubscriptionStart, 1);
    const [e] = n.events;
    assert.equal(e?.eventNumber, 1);
    assert.equal(e?.timestamp, '2020-05-29T11:44:13.1882432-05:00');
    assert.equal(e?.focus?.relative, 'Encounter/86009987-eabe-42bf-8c02-b112b18cb616');
    assert.equal(e?.payload, 'full-resource');
    assert.equal(e?.resource?.resourceType, 'Encounter');
  });

  it('id-only: the focus without the resource (the caller reads it)', () => {
    const [e] = notification(inferno('id_only_notification_bundle_example.json')).events;
    assert.equal(e?.payload, 'id-only');
    assert.equal(e?.resource, undefined);
    assert.equal(e?.focus?.type, 'Encounter');
  });

  it('handshake, heartbeat and empty notifications', () => {
    const h = notification(inferno('handshake_bundle_example.json'));
    assert.deepEqual(
      [h.type, h.status, h.eventsSinceSubscriptionStart, h.events.length],
      ['handshake', 'requested', 0, 0],
    );
    const hb = notification(inferno('heartbeat_bundle_example.json'));
    assert.deepEqual([hb.type, hb.eventsSinceSubscriptionStart], ['heartbeat', 2]);
    const empty = notification(inferno('empty_notification_bundle_example.json'));
    assert.equal(empty.events[0]?.payload, 'empty');
    // The non-conformant example only lacks entry.request/response, which Steward does not need.
    assert.equal(notification(inferno('empty_notification_bundle_non_conformant_example.json')).events.length, 1);
  });

  it('the $status answer is a searchset of statuses', () => {
    const [s] = parseSubscriptionStatusBundle(parseFhirJson(readText(inferno('subscription_status_example.json'))));
    assert.deepEqual([s?.eventsSinceSubscriptionStart, s?.type], [2, 'event-notification']);
    assert.throws(() => notification(inferno('subscription_status_example.json')), /Bundle\.type/);
  });

  it('every backport example either parses as a notification or is refused clearly (BOM file included)', () => {
    const files = listFiles(backportDir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 21);
    let parsed = 0;
    for (const f of files) {
      const resource = parseFhirJson(readText(f)); // one file starts with a BOM
      try {
        parseSubscriptionNotification(resource);
        parsed++;
      } catch (e) {
        assert.ok(isFhirInvalid(e), f);
        assert.notEqual(resource.resourceType === 'Bundle' && (resource as { type?: string }).type, 'history', f);
      }
    }
    assert.equal(parsed, 6);
  });

  it('reads backport Subscriptions (BOM file included): topic, filter, payload content, heartbeat', () => {
    const bom = thirdParty(
      'fhir-r4-examples',
      'subscriptions-backport',
      'fhir-candle',
      'r4',
      'Subscription-encounter-complete.json',
    );
    assert.equal(readText(bom).charCodeAt(0), 0xfeff);
    const s = readBackportSubscription(parseFhirJson(readText(bom)));
    assert.equal(s.topic, 'http://example.org/FHIR/SubscriptionTopic/encounter-complete');
    assert.deepEqual(s.filters, ['Encounter?patient=Patient/example']);
    assert.equal(s.payloadContent, 'id-only');
    assert.equal(s.heartbeatPeriodSeconds, 120);
    assert.equal(
      readBackportSubscription(parseFhirJson(readText(inferno('Subscription_full-resource.json')))).payloadContent,
      'full-resource',
    );
    const a = readBackportSubscription(parseFhirJson(readText(athena('subscription-create-request.json'))));
    assert.equal(a.topic, 'https://api.platform.athenahealth.com/fhir/r4/SubscriptionTopic/Patient.update');
    assert.deepEqual(a.filters, ['ah-practice=Organization/a-1.Practice-195900']);
    assert.equal(a.channelType, 'rest-hook');
  });
});

describe('athenahealth notifications (SubscriptionStatus resource inside an R4 bundle)', () => {
  it('appointment: focus by identifier only, AuditEvent as context', () => {
    const n = notification(athena('fhir-subscription-notification-appointment.json'));
    assert.equal(n.topic, 'https://api.platform.athenahealth.com/fhir/r4/SubscriptionTopic/Appointment.schedule');
    const [e] = n.events;
    assert.equal(e?.payload, 'id-only');
    assert.equal(e?.focus?.reference, undefined);
    assert.deepEqual(e?.focus?.identifier, { system: 'urn:athenahealth:athenanet:appointment:195900', value: '2' });
    assert.equal(e?.context[0]?.resourceType, 'AuditEvent');
  });

  it('patient: focus by reference and identifier; every recording parses', () => {
    const [e] = notification(athena('fhir-subscription-notification-patient.json')).events;
    assert.equal(e?.focus?.relative, 'Patient/a-195900.E-1');
    for (const f of ['appointment-create', 'order']) {
      const n = notification(athena(`fhir-subscription-notification-${f}.json`));
      assert.equal(n.events.length, 1, f);
      assert.equal(n.subscription, 'Subscription/62865e96-3fe4-3f6f-b476-b8eb87b90892');
    }
  });

  it('the annotated .jsonc is not JSON: refused clearly; without its comments it parses', () => {
    const text = readText(athena('fhir-subscription-notification-annotated.jsonc'));
    assert.throws(
      () => parseFhirJson(text),
      (e: unknown) => isFhirInvalid(e) && /well-formed JSON/.test((e as Error).message),
    );
    const stripped = text.replace(/(^|[^:"])\/\/[^\n]*/g, '$1');
    const n = parseSubscriptionNotification(parseFhirJson(stripped));
    assert.equal(n.events[0]?.focus?.relative, 'Patient/a-432.E-528595');
  });
});

describe('gap detection', () => {
  const base = notification(inferno('full_resource_notification_bundle_example.json'));
  const withEvents = (numbers: number[], total?: number): SubscriptionNotification => ({
    ...base,
    ...(total === undefined ? {} : { eventsSinceSubscriptionStart: total }),
    events: numbers.map((eventNumber) => ({ eventNumber, payload: 'id-only' as const, context: [] })),
  });
  it('consecutive events: no gap', () => {
    assert.deepEqual(detectGaps(undefined, base), []);
    assert.deepEqual(detectGaps(4, withEvents([5, 6], 6)), []);
  });
  it('skipped numbers are reported, so the caller polls', () => {
    assert.deepEqual(detectGaps(4, withEvents([7], 7)), [{ missedFrom: 5, missedTo: 6 }]);
    assert.deepEqual(detectGaps(1, withEvents([3, 6], 6)), [
      { missedFrom: 2, missedTo: 2 },
      { missedFrom: 4, missedTo: 5 },
    ]);
  });
  it('a heartbeat whose count is ahead of what was seen reveals lost notifications', () => {
    const hb = notification(inferno('heartbeat_bundle_example.json'));
    assert.deepEqual(detectGaps(2, hb), []);
    assert.deepEqual(detectGaps(0, hb), [{ missedFrom: 1, missedTo: 2 }]);
  });
});
