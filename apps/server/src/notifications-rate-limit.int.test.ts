/**
 * Subscription notifications are rate limited by who sent them, after checking the connection's
 * secret: a flood of forged posts (which need only the connection id in the path) spends the
 * budget of its own address and never the real EHR's, so the EHR's notifications keep landing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import { EhrRuntime, type EhrConnection } from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { flowTargets } from '@steward/store/testing';
import { buildApp } from './http/app.js';
import { connectSandboxEhr, openTestApp, principalWith, testHttpConfig, type TestApp } from './testing.js';

const target = flowTargets()[0];
const limit = 20;

describe('notification rate limits are keyed by the authenticated sender', () => {
  let t: TestApp;
  let ehr: SandboxEhr;
  let runtime: EhrRuntime;
  let app: FastifyInstance;
  let connection: EhrConnection;
  let secret: string;
  const handshake = readFileSync(
    thirdPartyFixture('fhir-r4-examples', 'subscriptions-backport', 'inferno', 'handshake_bundle_example.json'),
    'utf8',
  );

  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
    ehr = await startSandboxEhr({});
    const admin = await principalWith(t.kernel, 'ehr-admin', { role: 'admin' });
    const adminCtx: RequestContext = {
      actor: { kind: 'user', id: admin.id, name: 'ehr-admin', authMethod: 'api-token' },
      purposeOfUse: 'HSYSADMIN',
    };
    connection = await connectSandboxEhr(t.kernel, ehr, adminCtx, {
      name: 'north-sandbox',
      site: 'north',
      clientId: 'steward-north',
      scopes: ['system/Patient.read', 'system/Appointment.read'],
    });
    runtime = new EhrRuntime(
      {
        connections: t.kernel.connections,
        journal: t.kernel.ehrJournal,
        clients: t.kernel.connectionClients,
        cipher: t.cipher,
        logger: t.logger,
        clock: t.kernel.clock,
      },
      { overrides: { 'north-sandbox': { pollIntervalMs: 3_600_000 } } },
    );
    await runtime.startConnection(connection);
    app = await buildApp(t.kernel, { ...testHttpConfig, rateLimitPerMinute: limit }, t.logger, { ehr: runtime });
    // The connection's secret, as its Subscriptions carry it (a keyed hash of its id).
    secret = t.cipher.blindIndex('ehr.notification-secret', connection.id).toString('base64url');
  });
  after(async () => {
    await app?.close();
    await runtime?.stop();
    await t?.close();
    await ehr?.close();
  });

  const post = (authorization: string, remoteAddress = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: `/ehr/connections/${connection.id}/notifications`,
      remoteAddress,
      headers: { 'content-type': 'application/fhir+json', authorization },
      payload: handshake,
    });

  it("a flood of forged posts from the EHR's own address does not starve the EHR", async () => {
    const forged: number[] = [];
    for (let i = 0; i < limit + 5; i++) forged.push((await post('Bearer forged-secret')).statusCode);
    assert.deepEqual(forged.slice(0, limit), Array<number>(limit).fill(401));
    assert.deepEqual(forged.slice(limit), Array<number>(5).fill(429), 'the forger is limited');

    const real = await post(`Bearer ${secret}`);
    assert.equal(real.statusCode, 200, real.body);
    assert.equal(real.json<{ type: string }>().type, 'handshake');
  });

  it("the EHR has its own budget, and a forger elsewhere spends only its address's", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < limit; i++) statuses.push((await post(`Bearer ${secret}`)).statusCode);
    // One real notification was already counted by the test before.
    assert.deepEqual(statuses.slice(0, limit - 1), Array<number>(limit - 1).fill(200));
    assert.equal(statuses.at(-1), 429, 'the sender is limited at its budget');
    assert.equal((await post('Bearer forged-secret', '198.51.100.7')).statusCode, 401);
  });
});
