import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Bundle, Resource } from '@medplum/fhirtypes';
import type { EhrEventInput, InboundJournal, InboundMessage } from '@steward/core';
import { FhirClient } from '../fhir-r4/index.js';
import { profileFor, type VendorProfile } from '../vendors/index.js';
import { FhirChanges, type FhirChangesOptions } from './fhir-changes.js';
import { MemoryInboundJournal } from './memory-inbound-journal.js';

/**
 * An in-memory FHIR server behind the client's transport: versioned resources, `_lastUpdated`
 * searches paged by `pageSize`, and instance history (newest first). It counts requests by kind.
 */
class FakeEhr {
  readonly versions = new Map<string, Resource[]>();
  readonly requests = { search: 0, history: 0 };
  /** A type whose searches the server refuses (a broken endpoint). */
  failing: string | undefined;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  constructor(private readonly pageSize: number) {}

  put<T extends Resource>(resource: T): T {
    const key = `${resource.resourceType}/${resource.id ?? ''}`;
    const list = this.versions.get(key) ?? [];
    this.clock += 1_000;
    const saved = {
      ...resource,
      meta: { versionId: String(list.length + 1), lastUpdated: new Date(this.clock).toISOString() },
    } as T;
    list.push(saved);
    this.versions.set(key, list);
    return saved;
  }

  transport = (url: string): Promise<Response> => {
    const u = new URL(url);
    const path = u.pathname.replace(/^\/fhir\//, '');
    const history = /^([A-Za-z]+)\/([^/]+)\/_history$/.exec(path);
    if (history !== null) {
      this.requests.history++;
      const list = [...(this.versions.get(`${history[1]}/${history[2]}`) ?? [])].reverse();
      return Promise.resolve(
        json({ resourceType: 'Bundle', type: 'history', entry: list.map((resource) => ({ resource })) }),
      );
    }
    this.requests.search++;
    if (path === this.failing) return Promise.resolve(new Response('{}', { status: 400 }));
    const since = Date.parse((u.searchParams.get('_lastUpdated') ?? 'gt1970-01-01T00:00:00Z').slice(2));
    const current = [...this.versions.values()]
      .map((list) => list.at(-1) as Resource)
      .filter((r) => r.resourceType === path && Date.parse(r.meta?.lastUpdated ?? '') > since)
      .sort((a, b) => Date.parse(a.meta?.lastUpdated ?? '') - Date.parse(b.meta?.lastUpdated ?? ''));
    const offset = Number(u.searchParams.get('_offset') ?? '0');
    const page = current.slice(offset, offset + this.pageSize);
    const next = new URL(u);
    next.searchParams.set('_offset', String(offset + this.pageSize));
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: page.map((resource) => ({ resource, search: { mode: 'match' } })),
      ...(offset + this.pageSize < current.length ? { link: [{ relation: 'next', url: next.toString() }] } : {}),
    };
    return Promise.resolve(json(bundle));
  };
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/fhir+json' } });
}

/** A journal that records each call: how many messages each `receiveMany` carried. */
class CountingJournal implements InboundJournal {
  readonly batches: number[] = [];
  readonly inner = new MemoryInboundJournal();
  receive(message: InboundMessage, events: readonly EhrEventInput[]): ReturnType<InboundJournal['receive']> {
    this.batches.push(1);
    return this.inner.receive(message, events);
  }
  receiveMany(items: readonly { message: InboundMessage; events: readonly EhrEventInput[] }[]) {
    this.batches.push(items.length);
    return this.inner.receiveMany(items);
  }
  deadLetter(message: InboundMessage, reason: string): ReturnType<InboundJournal['deadLetter']> {
    return this.inner.deadLetter(message, reason);
  }
  deadLetters(): ReturnType<InboundJournal['deadLetters']> {
    return this.inner.deadLetters();
  }
  ignore(message: InboundMessage, reason: string): ReturnType<InboundJournal['ignore']> {
    return this.inner.ignore(message, reason);
  }
  attention(): ReturnType<InboundJournal['attention']> {
    return this.inner.attention();
  }
  events(afterSeq: number, limit: number): ReturnType<InboundJournal['events']> {
    return this.inner.events(afterSeq, limit);
  }
}

const base = profileFor('generic-r4');
/** generic-r4 plus Observation, a type that never becomes an event. */
const profile: VendorProfile = {
  ...base,
  resources: {
    ...base.resources,
    Observation: {
      read: true,
      search: ['_lastUpdated', '_count', '_sort'],
      create: false,
      update: false,
      history: true,
    },
  },
};

function appointment(id: string, status: Appointment['status']): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    status,
    start: '2026-03-08T09:30:00-05:00',
    end: '2026-03-08T10:00:00-05:00',
    participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
  };
}

function observation(id: string, value: number): Resource {
  return { resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, valueQuantity: { value } };
}

function setup(
  pageSize: number,
  journal: InboundJournal,
  extra: Partial<FhirChangesOptions> = {},
): { ehr: FakeEhr; changes: FhirChanges } {
  const ehr = new FakeEhr(pageSize);
  const marks = new Map<string, string>();
  const changes = new FhirChanges({
    connectionId: 'c1',
    client: new FhirClient({
      baseUrl: 'http://ehr.test/fhir',
      transport: ehr.transport,
      budget: { requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: 8 },
      resilience: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, attemptTimeoutMs: 5_000 },
    }),
    profile,
    journal,
    marks: { get: (t) => Promise.resolve(marks.get(t)), set: (t, v) => Promise.resolve(void marks.set(t, v)) },
    resourceTypes: ['Appointment', 'Observation'],
    overlapMs: 0,
    ...extra,
  });
  return { ehr, changes };
}

describe('FhirChanges', () => {
  it('files each search page with one receiveMany, and reads history only for event types after the first sync', async () => {
    const journal = new CountingJournal();
    const { ehr, changes } = setup(3, journal);
    for (let i = 0; i < 5; i++) ehr.put(appointment(`a${i}`, 'booked'));
    for (let i = 0; i < 4; i++) ehr.put(observation(`o${i}`, i));

    const first = await changes.pollOnce();
    assert.deepEqual({ resources: first.resources, events: first.events }, { resources: 9, events: 5 });
    // Both types are polled at once, so their pages may interleave.
    assert.deepEqual([...journal.batches].sort(), [1, 2, 3, 3], 'one call per page (pages of 3)');
    assert.equal(ehr.requests.history, 0, 'a first sync reads no history');

    ehr.put(appointment('a1', 'cancelled'));
    ehr.put(appointment('a2', 'booked')); // a new version with nothing changed that Steward tracks
    ehr.put(observation('o1', 42));
    journal.batches.length = 0;
    const second = await changes.pollOnce();
    assert.equal(second.resources, 3);
    assert.equal(ehr.requests.history, 2, 'history for the two Appointments, none for the Observation');
    assert.deepEqual([...journal.batches].sort(), [1, 2]);
    const events = await journal.events(0, 100);
    assert.deepEqual(
      events.slice(5).map((e) => `${e.type} ${e.sourceRef}`),
      ['appointment.cancelled Appointment/a1/_history/2'],
    );

    const third = await changes.pollOnce();
    assert.equal(third.resources, 0, 'the mark moved past everything filed');
  });

  it('still files the other types when one type fails, then reports the failure; the failed type is re-read next time', async () => {
    const journal = new CountingJournal();
    const { ehr, changes } = setup(10, journal);
    ehr.put(appointment('a0', 'booked'));
    ehr.put(observation('o0', 1));
    ehr.failing = 'Observation';
    await assert.rejects(changes.pollOnce());
    assert.equal((await journal.events(0, 100)).length, 1, 'the Appointment was filed');
    ehr.failing = undefined;
    const again = await changes.pollOnce();
    assert.deepEqual({ resources: again.resources, events: again.events }, { resources: 1, events: 0 });
  });

  it('files one by one through a journal without receiveMany, with the same events', async () => {
    const inner = new MemoryInboundJournal();
    const plain: InboundJournal = {
      receive: (m, e) => inner.receive(m, e),
      deadLetter: (m, r) => inner.deadLetter(m, r),
      deadLetters: () => inner.deadLetters(),
      ignore: (m, r) => inner.ignore(m, r),
      attention: () => inner.attention(),
      events: (a, l) => inner.events(a, l),
    };
    const { ehr, changes } = setup(2, plain);
    for (let i = 0; i < 3; i++) ehr.put(appointment(`a${i}`, 'booked'));
    assert.equal((await changes.pollOnce()).events, 3);
    ehr.put(appointment('a0', 'noshow'));
    assert.equal((await changes.pollOnce()).events, 1);
    assert.deepEqual(
      (await inner.events(0, 100)).map((e) => e.type),
      ['appointment.booked', 'appointment.booked', 'appointment.booked', 'appointment.no-show'],
    );
  });

  it('stores a change seen by a notification and again by a poll as one event', async () => {
    const journal = new CountingJournal();
    const { ehr, changes } = setup(10, journal);
    ehr.put(appointment('a0', 'booked'));
    await changes.pollOnce();
    const updated = ehr.put(appointment('a0', 'cancelled'));
    const notified = await changes.notification({
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        {
          resource: {
            resourceType: 'Parameters',
            parameter: [
              { name: 'subscription', valueReference: { reference: 'Subscription/s1' } },
              { name: 'topic', valueCanonical: 'http://example.org/topic/appointment' },
              { name: 'status', valueCode: 'active' },
              { name: 'type', valueCode: 'event-notification' },
              { name: 'events-since-subscription-start', valueString: '1' },
              {
                name: 'notification-event',
                part: [
                  { name: 'event-number', valueString: '1' },
                  { name: 'focus', valueReference: { reference: 'Appointment/a0' } },
                ],
              },
            ],
          },
        },
        { fullUrl: 'http://ehr.test/fhir/Appointment/a0', resource: updated },
      ],
    });
    assert.equal(notified.events, 1);
    const polled = await changes.pollOnce();
    assert.deepEqual({ resources: polled.resources, events: polled.events }, { resources: 1, events: 0 });
    assert.deepEqual(
      (await journal.events(0, 100)).map((e) => e.type),
      ['appointment.booked', 'appointment.cancelled'],
    );
  });

  it('a resource with an unknown modifierExtension goes to the dead-letter list with the reason; the rest of the page is filed', async () => {
    const journal = new CountingJournal();
    const { ehr, changes } = setup(10, journal);
    ehr.put(appointment('a0', 'booked'));
    // A vendor's "this appointment is tentative" modifier: it changes the meaning, so it must not be ignored.
    ehr.put({
      ...appointment('a1', 'booked'),
      modifierExtension: [{ url: 'http://vendor.example/fhir/StructureDefinition/tentative', valueBoolean: true }],
    });
    ehr.put(appointment('a2', 'booked'));
    const first = await changes.pollOnce();
    assert.deepEqual({ resources: first.resources, events: first.events }, { resources: 3, events: 2 });
    const dead = await journal.deadLetters();
    assert.equal(dead.length, 1);
    assert.equal(dead[0]?.messageKey, 'Appointment/a1/_history/1');
    assert.match(
      dead[0]?.reason ?? '',
      /^FHIR_UNSUPPORTED: FHIR element Appointment.modifierExtension\[0\]: is a modifier extension Steward does not understand \(http:\/\/vendor.example\/fhir\/StructureDefinition\/tentative\)/,
    );
    assert.equal((await changes.pollOnce()).resources, 0, 'the mark moved past the refused resource');
    // Declared on the vendor profile (an allow-list entry), the same modifier is processed.
    const allowing = new CountingJournal();
    const declared = setup(10, allowing, {
      profile: {
        ...profile,
        modifierExtensions: [
          { url: 'http://vendor.example/fhir/StructureDefinition/tentative', on: 'Appointment', meaning: 'test' },
        ],
      },
    });
    declared.ehr.put({
      ...appointment('a1', 'booked'),
      modifierExtension: [{ url: 'http://vendor.example/fhir/StructureDefinition/tentative', valueBoolean: true }],
    });
    assert.equal((await declared.changes.pollOnce()).events, 1);
    assert.equal((await allowing.deadLetters()).length, 0);
  });

  it('zone-less times: read in the connection zone and flagged, or dead-lettered when the connection refuses them', async () => {
    const zoneless = { ...appointment('a0', 'booked'), start: '2026-03-08T09:30:00', end: '2026-03-08T10:00:00' };
    const inferring = new CountingJournal();
    const a = setup(10, inferring, { facilityTimeZone: 'America/Chicago' });
    a.ehr.put(zoneless);
    await a.changes.pollOnce();
    const [e] = await inferring.events(0, 10);
    assert.equal((e?.facts as { start?: string }).start, '2026-03-08T09:30:00-05:00'); // CDT from 2026-03-08 02:00
    assert.equal(e?.flags?.[0]?.code, 'zone-inferred');
    const refusing = new CountingJournal();
    const b = setup(10, refusing, { facilityTimeZone: 'America/Chicago', zonelessTimes: 'refuse' });
    b.ehr.put(zoneless);
    await b.changes.pollOnce();
    assert.equal((await refusing.events(0, 10)).length, 0);
    assert.match((await refusing.deadLetters())[0]?.reason ?? '', /Appointment.start: has a time without a UTC offset/);
  });

  it('hands the directory its resources once filed, and a directory failure fails the poll (the mark stays)', async () => {
    const journal = new MemoryInboundJournal();
    const learned: string[] = [];
    let fail = true;
    const { ehr, changes } = setup(10, journal, {
      resourceTypes: ['Appointment', 'Practitioner', 'Organization'],
      directory: (resources) => {
        if (fail) return Promise.reject(new Error('directory store down'));
        learned.push(...resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
        return Promise.resolve();
      },
    });
    ehr.put(appointment('a1', 'booked'));
    ehr.put({ resourceType: 'Practitioner', id: 'p1', name: [{ family: 'Careful', given: ['Adam'] }] });
    ehr.put({ resourceType: 'Organization', id: 'o1', name: 'Springfield Heart Partners' });
    await assert.rejects(changes.pollOnce(), /directory store down/);
    fail = false;
    const polled = await changes.pollOnce();
    assert.deepEqual([...learned].sort(), ['Organization/o1', 'Practitioner/p1']);
    assert.equal(polled.events, 0, 'a directory resource is no event: the journal keeps it as a message');
    ehr.put({ resourceType: 'Organization', id: 'o1', name: 'Springfield Heart Partners LLC' });
    learned.length = 0;
    await changes.pollOnce();
    assert.deepEqual(learned, ['Organization/o1'], 'a change to a directory resource reaches the directory');
  });
});
