/**
 * Steward's EHR layer end to end against the sandbox EHR over real HTTP: a connection registered
 * through the kernel, SMART Backend Services (ES384) through the egress registry, discovery and
 * paging, changes polled into the governed journal as normalized events, subscription
 * notifications, and the one writer: version-aware, idempotent, guarded against the wrong chart,
 * and exactly-once under injected faults.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK } from 'jose';
import type { Appointment, Patient, Resource, Task } from '@medplum/fhirtypes';
import { flowTargets } from '@steward/store/testing';
import { isStewardError, type InboundJournal, type RequestContext } from '@steward/core';
import {
  FhirChanges,
  FhirClient,
  FhirR4Channel,
  GovernedEhr,
  SmartBackendAuth,
  profileFor,
  stewardWriteSystem,
  type EhrConnection,
  type EhrWriteChannel,
  type PatientGuard,
  type PrivateJwk,
  type WriteRequest,
} from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, makeKey, tokenFor } from '@steward/sandbox-ehr/testing';
import { openTestApp, principalWith, type TestApp } from './testing.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';

for (const target of flowTargets()) {
  describe(`EHR layer against the sandbox EHR on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let ehr: SandboxEhr;
    let ehrToken: string;
    let connection: EhrConnection;
    let client: FhirClient;
    let journal: InboundJournal;
    let changes: FhirChanges;
    let writer: EhrWriteChannel;
    let asInterface: RequestContext;
    let patient: Patient;
    let guard: PatientGuard;

    /** The EHR's own users changing the record (not Steward). */
    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };

    before(async () => {
      t = await openTestApp(await target.open());
      ehr = await startSandboxEhr({ faultSeed: 7 });
      ehrToken = await tokenFor(ehr, ['system/*.*']);
      const admin = await principalWith(t.kernel, 'ehr-admin', { role: 'admin' });
      const adminActor = { kind: admin.kind, id: admin.id, name: 'ehr-admin', authMethod: 'api-token' } as const;
      const adminCtx: RequestContext = { actor: adminActor };
      await t.kernel.egress.register(adminActor, {
        name: 'sandbox-ehr',
        kind: 'ehr',
        baseUrl: ehr.url,
        baaOnRecord: true,
        baaReference: 'sandbox (synthetic data only)',
        allowPrivateNetwork: true,
      });
      const key = await makeKey('ES384');
      ehr.registerClient({
        clientId: 'steward-north',
        jwks: { keys: [key.publicJwk] },
        allowedScopes: ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'],
      });
      connection = await t.kernel.connections.add(adminCtx, {
        name: 'north-sandbox',
        site: 'north',
        vendor: 'generic-r4',
        fhirBaseUrl: ehr.fhirBaseUrl,
        clientId: 'steward-north',
        privateKey: { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk,
        scopes: ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'],
        facilityTimeZone: 'America/New_York',
        budget: { requestsPerSecond: 200, burst: 50, maxConcurrency: 8 },
      });
      const actor = t.kernel.connections.actorOf(connection);
      asInterface = { actor };
      const transport = (url: string, init: RequestInit): Promise<Response> =>
        t.kernel.egress.fetch(actor, url, { ...init, phi: true });
      const privateKey = await t.kernel.connections.privateKey(connection);
      assert.ok(privateKey !== undefined);
      const auth = new SmartBackendAuth({
        fhirBaseUrl: ehr.fhirBaseUrl,
        clientId: 'steward-north',
        privateKey: privateKey,
        scopes: [...connection.scopes],
        transport,
      });
      client = new FhirClient({
        baseUrl: ehr.fhirBaseUrl,
        transport,
        auth,
        budget: { requestsPerSecond: 200, burst: 50, maxConcurrent: 8 },
        resilience: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 500 },
        breaker: { coolDownMs: 20 },
      });
      journal = t.kernel.ehrJournal.forConnection(asInterface, connection);
      changes = new FhirChanges({
        connectionId: connection.id,
        client,
        profile: profileFor('generic-r4'),
        journal,
        marks: {
          get: (type) => t.kernel.connections.highWater(connection.id, type),
          set: (type, value) => t.kernel.connections.setHighWater(connection.id, type, value),
        },
        resourceTypes: ['Appointment', 'Task'],
      });
      writer = new GovernedEhr({
        channel: new FhirR4Channel(() => Promise.resolve(client)),
        policy: t.kernel.policy,
        audit: t.kernel.audit,
        cipher: t.cipher,
        connection: () => Promise.resolve({ site: connection.site, actor: asInterface.actor }),
      }).writer;
      patient = (await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: [
          { system: MRN, value: 'MRN-1001' },
          { system: ENTERPRISE, value: 'E-77' },
        ],
        name: [{ family: 'Synthetic', given: ['Test'] }],
        birthDate: '1970-01-01',
      })) as unknown as Patient;
      guard = {
        ehrId: patient.id!,
        identifiers: [
          { system: MRN, value: 'MRN-1001' },
          { system: ENTERPRISE, value: 'E-77' },
        ],
      };
    });
    after(async () => {
      await ehr?.close();
      await t?.close();
    });

    const appointment = (start: string): Appointment => ({
      resourceType: 'Appointment',
      status: 'booked',
      start,
      end: start.replace(':00:00', ':30:00'),
      participant: [{ actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' }],
    });

    it('discovers the server, gets a token with the granted scopes, and pages through a search', async () => {
      const capabilities = await client.capabilities();
      assert.equal(capabilities.resourceType, 'CapabilityStatement');
      assert.equal(await client.supports('Appointment', 'update'), true);
      for (let i = 0; i < 25; i++)
        await ehrSide('POST', 'Appointment', appointment(`2026-12-0${1 + (i % 9)}T14:00:00-05:00`));
      const seen: string[] = [];
      for await (const a of client.searchAll('Appointment', { _count: 10 })) seen.push(a.id!);
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
      await assert.rejects(client.create({ resourceType: 'Communication', status: 'completed' }), {
        code: 'EHR_SCOPE_NOT_GRANTED',
      });
    });

    it('turns EHR changes into normalized events by polling, once each', async () => {
      const first = await changes.pollOnce();
      assert.equal(first.resources, 25);
      const events = await journal.events(0, 1000);
      assert.equal(events.filter((e) => e.type === 'appointment.booked').length, 25);
      assert.ok(events.every((e) => e.patient.ehrId === patient.id));

      const one = (await ehrSide('GET', `Appointment?_count=1`)) as { entry: { resource: Appointment }[] };
      const booked = one.entry[0]!.resource;
      await ehrSide('PUT', `Appointment/${booked.id!}`, { ...booked, status: 'cancelled' });
      const second = await changes.pollOnce();
      assert.ok(second.duplicates >= 0);
      const after = await journal.events(events.at(-1)!.seq, 1000);
      assert.deepEqual(
        after.map((e) => e.type),
        ['appointment.cancelled'],
      );
      const third = await changes.pollOnce();
      assert.equal(third.events, 0, 'a poll over the overlap files nothing twice');
    });

    it('files a subscription notification, and the same change seen again by polling is not a second event', async () => {
      const one = (await ehrSide('GET', `Appointment?status=booked&_count=1`)) as {
        entry: { resource: Appointment }[];
      };
      const a = one.entry[0]!.resource;
      const updated = (await ehrSide('PUT', `Appointment/${a.id!}`, {
        ...a,
        status: 'noshow',
      })) as unknown as Appointment;
      const before = (await journal.events(0, 10_000)).length;
      const result = await changes.notification({
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
                    { name: 'focus', valueReference: { reference: `Appointment/${a.id!}` } },
                  ],
                },
              ],
            },
          },
          { fullUrl: `${ehr.fhirBaseUrl}/Appointment/${a.id!}`, resource: updated },
        ],
      });
      assert.equal(result.events, 1);
      await changes.pollOnce();
      const all = await journal.events(0, 10_000);
      assert.equal(all.length, before + 1);
      assert.equal(all.at(-1)!.type, 'appointment.no-show');
    });

    it('writes an approved change with If-Match, and reports a conflict instead of overwriting', async () => {
      const one = (await ehrSide('GET', `Appointment?status=booked&_count=1`)) as {
        entry: { resource: Appointment }[];
      };
      const a = one.entry[0]!.resource;
      const base = a.meta!.versionId!;
      const out = await writer.write(
        connection.id,
        {
          kind: 'update',
          resource: { ...a, id: a.id!, status: 'arrived' },
          baseVersion: base,
          patient: guard,
          idempotencyKey: 'proposal-0001',
        },
        asInterface,
      );
      assert.equal(out.status, 'written');
      // Someone in the EHR changes it after Steward's draft was based on version `base`.
      await assert.rejects(
        writer.write(
          connection.id,
          {
            kind: 'update',
            resource: { ...a, id: a.id!, status: 'fulfilled' },
            baseVersion: base,
            patient: guard,
            idempotencyKey: 'proposal-0002',
          },
          asInterface,
        ),
        { code: 'EHR_CONFLICT' },
      );
      const now = (await client.read('Appointment', a.id!)).resource;
      assert.equal(now.status, 'arrived', 'the conflicting write was not applied');
    });

    it('never writes to the wrong chart', async () => {
      const task: Task = {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        for: { reference: `Patient/${patient.id!}` },
      };
      const write = (g: PatientGuard, key: string): Promise<unknown> =>
        writer.write(connection.id, { kind: 'create', resource: task, patient: g, idempotencyKey: key }, asInterface);
      await assert.rejects(
        write({ ...guard, identifiers: [guard.identifiers[0]!, { system: ENTERPRISE, value: 'E-78' }] }, 'wrong-0001'),
        { code: 'EHR_WRONG_PATIENT' },
      );
      await assert.rejects(write({ ...guard, ehrId: 'someone-else' }, 'wrong-0002'), { code: 'EHR_WRONG_PATIENT' });
      const merged = (await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: false,
        identifier: guard.identifiers,
        link: [{ type: 'replaced-by', other: { reference: `Patient/${patient.id!}` } }],
      })) as unknown as Patient;
      await assert.rejects(
        writer.write(
          connection.id,
          {
            kind: 'create',
            resource: { ...task, for: { reference: `Patient/${merged.id!}` } },
            patient: { ...guard, ehrId: merged.id! },
            idempotencyKey: 'wrong-0003',
          },
          asInterface,
        ),
        { code: 'EHR_WRONG_PATIENT' },
      );
      const found = (await ehrSide('GET', `Task?identifier=${encodeURIComponent(stewardWriteSystem)}|`)) as {
        entry?: unknown[];
      };
      assert.equal((found.entry ?? []).length, 0, 'nothing was written');
    });

    for (const fault of [
      { kind: 'status', status: 503 },
      { kind: 'rate-limit', retryAfterSeconds: 0 },
      { kind: 'timeout' },
      { kind: 'drop' },
      { kind: 'lost-response' },
      { kind: 'latency', latencyMs: 50 },
    ] as const) {
      it(`lands every intended write exactly once, on the right patient, with 20% of requests failing by ${fault.kind}`, async () => {
        ehr.faults.setRules([{ pathPrefix: '/fhir/R4/Task', rate: 0.2, ...fault }] as never);
        const keys = Array.from({ length: 12 }, (_, i) => `${fault.kind}-${String(i).padStart(4, '0')}`);
        const failures: string[] = [];
        for (const key of keys) {
          const request: WriteRequest = {
            kind: 'create',
            resource: {
              resourceType: 'Task',
              status: 'requested',
              intent: 'order',
              for: { reference: `Patient/${patient.id!}` },
            } as Resource,
            patient: guard,
            idempotencyKey: key,
          };
          // The applier tries again until the write is confirmed, as it would after a restart,
          // waiting out the circuit breaker's short cool-down.
          for (let round = 0; ; round++) {
            try {
              await writer.write(connection.id, request, asInterface);
              break;
            } catch (e) {
              if (!isStewardError(e) || !e.retryable || round >= 30) {
                failures.push(`${key}: ${isStewardError(e) ? e.code : String(e)}`);
                break;
              }
              await new Promise((r) => setTimeout(r, 30));
            }
          }
        }
        const injected = ehr.faults.counters;
        ehr.faults.clear();
        assert.deepEqual(failures, []);
        assert.ok(JSON.stringify(injected).match(/[1-9]/), 'faults were injected');
        for (const key of keys) {
          const found = (await ehrSide(
            'GET',
            `Task?identifier=${encodeURIComponent(`${stewardWriteSystem}|${key}`)}`,
          )) as { entry?: { resource: Task }[] };
          assert.equal((found.entry ?? []).length, 1, `${key} landed exactly once`);
          assert.equal(found.entry![0]!.resource.for?.reference, `Patient/${patient.id!}`, 'on the right patient');
        }
      });
    }
  });
}
