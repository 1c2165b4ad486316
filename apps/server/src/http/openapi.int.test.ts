/** The document `npm run api:generate` reads is the one the running server serves. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { openTestApp, type TestApp } from '../testing.js';
import { compileAllSchemas } from './lazy-schemas.js';
import { openApiDocument } from './openapi.js';

const target = flowTargets()[0];

describe('OpenAPI document without a server', () => {
  let t: TestApp;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    t = await openTestApp(await target.open());
  });
  after(async () => t.close());

  it('equals what /openapi.json serves, built on an inert kernel', async () => {
    const served = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<unknown>();
    const built = JSON.parse(JSON.stringify(await openApiDocument())) as unknown;
    assert.deepEqual(built, served);
  });

  it("compiles every route's validators and serializers (each compiled at its first use in a server)", async () => {
    await t.app.ready();
    const compiled = compileAllSchemas(t.app);
    assert.ok(compiled > 200, `${compiled} schemas compiled`);
    assert.equal(compileAllSchemas(t.app), 0, 'none left pending');
  });

  it('describes every answer of the console-facing routes', async () => {
    const doc = await openApiDocument();
    for (const [path, method] of [
      ['/me', 'get'],
      ['/review', 'get'],
      ['/review/{id}', 'get'],
      ['/referrals', 'get'],
      ['/referrals/{workflowId}', 'get'],
      ['/followups/{id}/timeline', 'get'],
      ['/audit/verify', 'get'],
      ['/reports/operations', 'get'],
    ] as const) {
      const operation = (doc.paths?.[path] as Record<string, { responses?: Record<string, unknown> }> | undefined)?.[
        method
      ];
      const ok = operation?.responses?.['200'] as { content?: Record<string, { schema?: unknown }> } | undefined;
      assert.ok(ok?.content?.['application/json']?.schema, `${method} ${path} declares its 200 answer`);
    }
  });
});
