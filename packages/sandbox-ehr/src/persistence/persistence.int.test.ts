/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
/**
 * The sandbox keeps its data across restarts in its data directory: what a client wrote, deleted and the history
 * of it, read back after a restart by a third-party FHIR client (fhir-kit-client); the seed is applied once.
 */
import { thirdPartyFixture } from '@steward/core/testing';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'fhir-kit-client';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { tokenFor } from '../testing/index.js';
import { subscriptionTopicUrls } from '../subscriptions/index.js';
import { journalFileName } from './journal.js';

const seed = { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: 2 };

async function clientFor(ehr: SandboxEhr): Promise<Client> {
  return new Client({ baseUrl: ehr.fhirBaseUrl, bearerToken: await tokenFor(ehr, ['system/*.cruds']) });
}

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (e) {
    const response = (e as { response?: { status: number } }).response;
    if (response) return response.status;
    throw e;
  }
}

describe('sandbox data across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-ehr-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps writes, deletes, versions and history; seeds only the first time', async () => {
    const first = await startSandboxEhr({ dataDir, seed });
    let patientId: string;
    let deletedId: string;
    let patientsAtFirst: number;
    try {
      assert.equal(first.restored, false);
      assert.equal(first.seedReport?.patients, 2);
      const client = await clientFor(first);
      const patient = (await client.create({
        resourceType: 'Patient',
        body: { resourceType: 'Patient', identifier: [{ system: 'urn:restart', value: 'kept' }] },
      })) as any;
      patientId = patient.id;
      await client.update({ resourceType: 'Patient', id: patientId, body: { ...patient, active: true } });
      const doomed = (await client.create({ resourceType: 'Device', body: { resourceType: 'Device' } })) as any;
      deletedId = doomed.id;
      await client.delete({ resourceType: 'Device', id: deletedId });
      patientsAtFirst = ((await client.search({ resourceType: 'Patient', searchParams: { _summary: 'count' } })) as any)
        .total;
      // A refused transaction leaves nothing behind, in memory or on disk.
      await status(
        client.transaction({
          body: {
            resourceType: 'Bundle',
            type: 'transaction',
            entry: [
              { resource: { resourceType: 'Device' }, request: { method: 'POST', url: 'Device' } },
              { resource: { resourceType: 'Patient', gender: 'robot' }, request: { method: 'POST', url: 'Patient' } },
            ],
          },
        }),
      );
    } finally {
      await first.close();
    }

    const second = await startSandboxEhr({ dataDir, seed });
    try {
      assert.equal(second.restored, true);
      assert.equal(second.seedReport?.patients, 2, 'the report of the seed applied at the first start');
      const client = await clientFor(second);
      const patients = (await client.search({ resourceType: 'Patient', searchParams: { _summary: 'count' } })) as any;
      assert.equal(patients.total, patientsAtFirst, 'not seeded again');
      const kept = (await client.read({ resourceType: 'Patient', id: patientId })) as any;
      assert.equal(kept.active, true);
      assert.equal(kept.meta.versionId, '2');
      assert.equal(await status(client.read({ resourceType: 'Device', id: deletedId })), 410);
      const devices = (await client.typeHistory({ resourceType: 'Device' })) as any;
      assert.deepEqual(
        devices.entry.map((e: any) => e.request.method),
        ['DELETE', 'POST'],
      );
      const updated = (await client.update({
        resourceType: 'Patient',
        id: patientId,
        body: { ...kept, active: false },
      })) as any;
      assert.equal(updated.meta.versionId, '3');
    } finally {
      await second.close();
    }
  });

  it('takes up stored Subscriptions again after a restart: a new handshake, then notifications', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const bundle = JSON.parse(body);
        const status = bundle.entry?.[0]?.resource;
        const type: string = status?.parameter?.find((p: any) => p.name === 'type')?.valueCode ?? 'unknown';
        received.push(type);
        // The first answer is held back so the first server closes while that delivery is still in flight:
        // a close is not the subscriber's failure, and the Subscription must be taken up after the restart.
        setTimeout(() => res.writeHead(200).end(), received.length === 1 ? 300 : 0);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const until = async (n: number): Promise<void> => {
      // A deadline, not a count of polls: on a loaded CI machine the restarted server's handshake
      // has taken more than 2 s to arrive.
      const deadline = Date.now() + 15_000;
      while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(received.length >= n, `${received.length} notifications, wanted ${n}`);
    };
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-ehr-subs-'));
    try {
      const first = await startSandboxEhr({ dataDir: dir });
      try {
        const client = await clientFor(first);
        await client.create({
          resourceType: 'Subscription',
          body: {
            resourceType: 'Subscription',
            status: 'requested',
            reason: 'restart test',
            criteria: subscriptionTopicUrls.find((u) => u.endsWith('appointment-changed'))!,
            channel: { type: 'rest-hook', endpoint, payload: 'application/fhir+json' },
          },
        });
        await until(1);
      } finally {
        await first.close();
      }
      const second = await startSandboxEhr({ dataDir: dir });
      try {
        await until(2);
        const client = await clientFor(second);
        await client.create({
          resourceType: 'Appointment',
          body: {
            resourceType: 'Appointment',
            status: 'proposed',
            participant: [{ status: 'needs-action', actor: { reference: 'Practitioner/example' } }],
          },
        });
        await until(3);
        assert.deepEqual(received, ['handshake', 'handshake', 'event-notification']);
      } finally {
        await second.close();
      }
    } finally {
      receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops a torn last line (a write that was never acknowledged) and starts', async () => {
    const journal = join(dataDir, journalFileName);
    const before = readFileSync(journal, 'utf8');
    appendFileSync(journal, '{"kind":"changes","changes":[{"kind":"create","resourceType":"Pat');
    const ehr = await startSandboxEhr({ dataDir });
    try {
      assert.equal(ehr.restored, true);
      assert.equal(readFileSync(journal, 'utf8'), before);
    } finally {
      await ehr.close();
    }
    // A write the journal cannot take (here: closed) is refused and undone, never kept in memory only.
    const count = ehr.repository.changeCount;
    await assert.rejects(ehr.repository.createResource({ resourceType: 'Device' }));
    assert.equal(ehr.repository.changeCount, count);
    assert.deepEqual(await ehr.repository.searchResources({ resourceType: 'Device', filters: [] }), []);
  });

  it('refuses to start on a journal damaged before its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-ehr-bad-'));
    try {
      writeFileSync(join(dir, journalFileName), '{"kind":"meta","key":"a","value":1}\nnot json\n{"kind":"meta"}\n');
      await assert.rejects(startSandboxEhr({ dataDir: dir }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'STORE_UNAVAILABLE');
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
