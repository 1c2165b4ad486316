/**
 * Behind a reverse proxy, rate limits are kept per real client only when the proxy is named in
 * STEWARD_TRUST_PROXY (off by default): then X-Forwarded-For from it is believed; otherwise it is
 * ignored, so a client cannot pick its own address to escape a limit.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { flowTargets } from '@steward/store/testing';
import { loadConfig } from '../config/index.js';
import { openTestApp, testHttpConfig, type TestApp } from '../testing.js';
import { buildApp } from './app.js';

const target = flowTargets()[0];

describe('trusted reverse proxies', () => {
  let t: TestApp;
  let behindProxy: FastifyInstance;
  let direct: FastifyInstance;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
    const limited = { ...testHttpConfig, loginRateLimitPerMinute: 2 };
    behindProxy = await buildApp(t.kernel, { ...limited, trustProxy: ['127.0.0.1'] }, t.logger);
    direct = await buildApp(t.kernel, limited, t.logger);
  });
  after(async () => {
    await behindProxy?.close();
    await direct?.close();
    await t?.close();
  });

  const login = (app: FastifyInstance, client: string) =>
    app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': client },
      payload: { username: 'nobody.here', password: 'not a password', totpCode: '123456' },
    });

  it('is off by default, and accepts only addresses, ranges and the named groups', () => {
    assert.equal(loadConfig({}).http.trustProxy, false);
    assert.equal(loadConfig({ STEWARD_TRUST_PROXY: 'off' }).http.trustProxy, false);
    assert.deepEqual(loadConfig({ STEWARD_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,::1' }).http.trustProxy, [
      '10.0.0.5',
      '10.1.0.0/16',
      'loopback',
      '::1',
    ]);
    for (const bad of ['true', 'all', '10.0.0.1/40', 'proxy.example', '10.0.0.1,'])
      assert.throws(() => loadConfig({ STEWARD_TRUST_PROXY: bad }), /STEWARD_TRUST_PROXY/, bad);
  });

  it('keeps a budget per client behind a trusted proxy', async () => {
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await login(behindProxy, '198.51.100.1')).statusCode);
    assert.deepEqual(first, [401, 401, 429]);
    assert.equal((await login(behindProxy, '198.51.100.2')).statusCode, 401, 'another client has its own budget');
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const statuses = [];
    for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3'])
      statuses.push((await login(direct, client)).statusCode);
    assert.deepEqual(statuses, [401, 401, 429]);
  });
});
