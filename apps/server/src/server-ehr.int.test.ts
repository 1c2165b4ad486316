/**
 * `npm start`'s EHR layer, as the server runs it: with no EHR registered, the sandbox EHR starts
 * in-process and is connected like a real one (egress with its note, SMART ES384 key, HL7 feed),
 * subscriptions are created at the EHR and its notifications are filed through the HTTP route
 * within the test's wait, the clinic simulator's HL7 v2 feed arrives over MLLP, a forged
 * notification is refused with an OperationOutcome, `check` proves the connection, and a restart
 * on the same store keeps the subscriptions and files nothing twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Appointment, Bundle, Patient } from '@medplum/fhirtypes';
import type { EhrEvent } from '@steward/core';
import { createLogger, InMemoryMasterKeyProvider, PasswordHasher } from '@steward/governance';
import { browserUnavailable } from '@steward/automation';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import { loadConfig } from './config/index.js';
import { startServer, type RunningServer } from './server.js';
import { smallSeed, until } from './test-sandbox.js';
import { clinicDayBefore, nextClinicDay } from './demo/index.js';
import { LogCapture, bearer, principalWith } from './testing.js';
import { MllpClient } from '@steward/ehr';

for (const target of flowTargets()) {
  describe(`the server runs the EHR layer on the sandbox EHR (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    const masterKeys = InMemoryMasterKeyProvider.random();
    const logs = new LogCapture();
    const logger = createLogger({ level: 'info', destination: logs });
    const config = loadConfig({
      STEWARD_DATA_DIR: join(seedDir, 'data'),
      STEWARD_PORT: '0',
      STEWARD_SANDBOX: 'on',
      STEWARD_SANDBOX_PORT: '0',
      STEWARD_SANDBOX_MLLP_PORT: '0',
      STEWARD_SANDBOX_SPEED: '0',
      STEWARD_SANDBOX_SEED_DIR: seedDir,
    });
    let db: TestDatabase;
    let closeDb: (() => Promise<void>) | undefined;
    let server: RunningServer;
    const start = async (): Promise<RunningServer> =>
      startServer(config, logger, {
        database: db,
        masterKeys,
        passwordHasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
      });
    const events = async (s: RunningServer): Promise<readonly EhrEvent[]> => {
      const c = await s.kernel.connections.get('sandbox');
      return s.kernel.ehrJournal.forConnection({ actor: s.kernel.connections.actorOf(c) }, c).events(0, 100_000);
    };

    before(async () => {
      process.env['STEWARD_SANDBOX_SEED_DIR'] = seedDir;
      db = await target.open();
      // The store outlives one server: the restart test opens it again.
      closeDb = db.close.bind(db);
      db.close = () => Promise.resolve();
      server = await start();
    });
    after(async () => {
      await server?.stop();
      await closeDb?.();
      delete process.env['STEWARD_SANDBOX_SEED_DIR'];
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('connects to the sandbox like a real EHR: egress with its note, key, listener, subscriptions, first sync', async () => {
      const destinations = await server.kernel.egress.list();
      assert.ok(destinations.some((d) => d.kind === 'ehr' && /synthetic data only/.test(d.baaReference ?? '')));
      const c = await server.kernel.connections.get('sandbox');
      assert.equal(c.vendor, 'generic-r4');
      assert.equal(c.clientId, 'steward-sandbox');
      const status = server.ehr!.status()[0]!;
      assert.ok(status.mllp !== undefined && status.mllp.port > 0);
      assert.deepEqual(status.subscriptions, { kept: 0, created: 5, retired: 0 });
      await until('the first poll', () => Promise.resolve(server.ehr!.status()[0]!.lastPoll));
      assert.equal(server.ehr!.status()[0]!.lastPollError, undefined);
    });

    it('files an EHR change from its subscription notification, through the HTTP route', async () => {
      const ehr = server.sandbox!.ehr;
      const token = await tokenFor(ehr, ['system/*.*']);
      const patients = (await fhirFetch(ehr, token, 'GET', 'Patient?_count=1')).json as Bundle<Patient>;
      const patient = patients.entry![0]!.resource!;
      const created = await fhirFetch(ehr, token, 'POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-12-01T14:00:00-05:00',
        end: '2026-12-01T14:30:00-05:00',
        participant: [{ actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' }],
      });
      const id = (created.json as Appointment).id!;
      const event = await until('the booking event', async () =>
        (await events(server)).find(
          (e) => e.type === 'appointment.booked' && e.sourceRef.startsWith(`Appointment/${id}/`),
        ),
      );
      assert.equal(event.channel, 'fhir-subscription');
      assert.equal(event.patient.ehrId, patient.id);
      // The operators' overview says the EHR's pushes arrive: the last notification filed, and when.
      const admin = await principalWith(server.kernel, 'notification-watcher', { role: 'admin' });
      const res = await fetch(`${server.url}/ehr/connections`, { headers: bearer(admin) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        items: { name: string; running: { lastNotification?: { at: string; events: number } } | null }[];
      };
      const last = body.items.find((i) => i.name === 'sandbox')?.running?.lastNotification;
      assert.ok(last !== undefined && !Number.isNaN(Date.parse(last.at)), JSON.stringify(last));
      const flagged = await fetch(`${server.url}/ehr/connections/sandbox/flagged-events?limit=5`, {
        headers: bearer(admin),
      });
      assert.equal(flagged.status, 200, 'a limit in the query string is read as a number');
      assert.ok(((await flagged.json()) as { items: unknown[] }).items.length <= 5);
      const tooMany = await fetch(`${server.url}/ehr/connections/sandbox/flagged-events?limit=1001`, {
        headers: bearer(admin),
      });
      assert.equal(tooMany.status, 400);
    });

    it("receives the clinic's HL7 v2 feed over MLLP, ACKed after filing", async () => {
      const clinic = server.sandbox!.liveClinic()!;
      const before = (await events(server)).filter((e) => e.channel === 'hl7v2').length;
      const played = await clinic.simulator.runDays(1);
      assert.ok(played.length > 0);
      const after = (await events(server)).filter((e) => e.channel === 'hl7v2');
      // Each send waited for its ACK, and Steward ACKs only after storing: every message is in.
      assert.ok(after.length > before, 'HL7 events were filed');
      assert.ok(after.some((e) => e.type.startsWith('appointment.')));
    });

    it('shows the attention list with counts over HTTP: a reused control id is filed and counted, not lost', async () => {
      const admin = await principalWith(server.kernel, 'ehr-attention', { role: 'admin' });
      const { port } = server.ehr!.status().find((s) => s.name === 'sandbox')!.mllp!;
      const client = await MllpClient.connect({ host: '127.0.0.1', port, timeoutMs: 10_000 });
      const msg = (type: string, pid: string): string =>
        `MSH|^~\\&|EHR|CLINIC|STEWARD|CLINIC|20260301080000||${type}|REUSED-7|P|2.5.1\rEVN|A08|20260301080000\rPID|1||${pid}^^^MRN^MR||DOE^JO\rPV1|1|O`;
      try {
        assert.equal((await client.send(msg('ADT^A08^ADT_A01', 'P-1'))).code, 'AA');
        assert.equal((await client.send(msg('ADT^A08^ADT_A01', 'P-2'))).code, 'AA');
        assert.equal((await client.send(msg('ZZZ^Z01', 'P-3'))).code, 'AA');
      } finally {
        await client.close();
      }
      const res = await fetch(`${server.url}/ehr/connections/sandbox/dead-letters`, { headers: bearer(admin) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        counts: { controlIdReused: number; ignored: number };
        items: { kind: string; messageType: string; reason: string }[];
      };
      assert.deepEqual([body.counts.controlIdReused, body.counts.ignored], [2, 1]);
      assert.deepEqual(
        body.items.filter((i) => i.kind !== 'dead-letter').map((i) => [i.kind, i.messageType]),
        [
          ['control-id-reused', 'ADT^A08'],
          ['control-id-reused', 'ZZZ^Z01'],
        ],
      );
      assert.ok(!JSON.stringify(body).includes('DOE'), 'no message content');
    });

    it('refuses a notification without the connection secret, as a FHIR OperationOutcome', async () => {
      const c = await server.kernel.connections.get('sandbox');
      const res = await fetch(`${server.url}/ehr/connections/${c.id}/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', authorization: 'Bearer forged' },
        body: JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [] }),
      });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { resourceType: string; issue: { code: string }[] };
      assert.equal(body.resourceType, 'OperationOutcome');
      assert.equal(body.issue[0]!.code, 'security');
    });

    it('checks the connection over the API: discovery, token, read', async () => {
      const admin = await principalWith(server.kernel, 'ehr-checker', { role: 'admin' });
      const res = await fetch(`${server.url}/ehr/connections/sandbox/check`, {
        method: 'POST',
        headers: bearer(admin),
      });
      const report = (await res.json()) as { ok: boolean; steps: { step: string; ok: boolean }[] };
      assert.equal(res.status, 200);
      assert.deepEqual(
        report.steps.map((s) => [s.step, s.ok]),
        [
          ['discovery', true],
          ['token', true],
          ['read', true],
        ],
      );
      const coordinator = await principalWith(server.kernel, 'not-an-admin', { role: 'coordinator' });
      const denied = await fetch(`${server.url}/ehr/connections/sandbox/check`, {
        method: 'POST',
        headers: bearer(coordinator),
      });
      assert.equal(denied.status, 403);
    });

    it('opens the demo clinic on a weekday', () => {
      assert.equal(nextClinicDay(new Date('2026-11-22T12:00:00Z')), '2026-11-23'); // a Sunday
      assert.equal(nextClinicDay(new Date('2026-11-21T12:00:00Z')), '2026-11-23'); // a Saturday
      assert.equal(nextClinicDay(new Date('2026-11-24T12:00:00Z')), '2026-11-24'); // a Tuesday
      // A playing demo clinic starts nine days back (ADR 0015), on a weekday too.
      assert.equal(clinicDayBefore(new Date('2026-12-06T21:00:00Z'), 9), '2026-11-27'); // a Friday
      assert.equal(clinicDayBefore(new Date('2026-12-07T21:00:00Z'), 9), '2026-11-30'); // a Saturday: Monday
    });

    it('stops cleanly, and a restart on the same store keeps its one connection and files nothing twice', async () => {
      const before = await events(server);
      const port = Number(new URL(server.sandbox!.ehr.url).port);
      const sandboxChanges = server.sandbox!.ehr.repository.changeCount;
      const clinicNow = server.sandbox!.liveClinic()!.simulator.now;
      await server.stop();
      // The sandbox keeps its data under the data directory; Steward listens on a new port (0), so its
      // subscriptions (whose endpoint names that port) are made anew.
      server = await startServer({ ...config, sandbox: { ...config.sandbox, port } }, logger, {
        database: db,
        masterKeys,
        passwordHasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }),
      });
      assert.equal(server.sandbox!.ehr.restored, true);
      assert.ok(server.sandbox!.ehr.repository.changeCount >= sandboxChanges, 'the EHR kept what it held');
      const fhirRefs = before.filter((e) => /^[A-Z][A-Za-z]+\/[^/]+\/_history\//.test(e.sourceRef));
      assert.ok(fhirRefs.length > 0);
      for (const e of fhirRefs) {
        const [type = '', id = ''] = e.sourceRef.split('/');
        assert.ok(server.sandbox!.ehr.repository.hasHistory(type, id), 'what Steward filed still points into the EHR');
      }
      assert.equal(server.sandbox!.liveClinic()!.resumed, true);
      assert.equal(server.sandbox!.liveClinic()!.simulator.now, clinicNow);
      // The sandbox's connection once (and, where Chromium is installed, its screens connection once).
      const names = (await server.kernel.connections.all()).map((c) => c.name);
      assert.deepEqual(names, browserUnavailable() === undefined ? ['sandbox', 'sandbox-screens'] : ['sandbox']);
      assert.deepEqual(server.ehr!.status()[0]!.subscriptions, { kept: 0, created: 5, retired: 0 });
      await until('the first poll after the restart', () => Promise.resolve(server.ehr!.status()[0]!.lastPoll));
      const after = await events(server);
      assert.deepEqual(
        after.slice(0, before.length).map((e) => e.id),
        before.map((e) => e.id),
        'what was filed stays',
      );
      assert.equal(new Set(after.map((e) => e.dedupKey)).size, after.length, 'no change filed twice');
      assert.ok(!logs.text.includes('"level":50'), 'no error logged');
    });
  });
}
