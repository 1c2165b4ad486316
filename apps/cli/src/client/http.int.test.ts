/**
 * The CLI's HTTP client without a Steward server: an error body becomes a StewardError with the
 * server's code (so the documented exit code), its message and a hint; a body that is not
 * Steward's still gets a code; no server answering is SERVER_UNAVAILABLE (exit 8); the stored
 * login is written 0600 and only sent to the server it was made for.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStewardError, type StewardError } from '@steward/core';
import { connect, ServerError } from './http.js';
import { deleteCredentials, readCredentials, writeCredentials } from './credentials.js';
import { processIo, type CliIo } from '../io.js';

describe('the CLI client', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cli-client-'));
  let server: Server;
  let url = '';
  let nowhere = '';
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  const seen: IncomingMessage[] = [];
  const credentials = join(dir, 'steward', 'credentials.json');
  // The environment the client reads: its own, never this process's.
  let env: NodeJS.ProcessEnv = {};
  const io = (): CliIo => ({ ...processIo(), env, credentialsFile: credentials });
  const opts = (server?: string) => ({ io: io(), ...(server !== undefined ? { server } : {}) });

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port the system just gave out and took back: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    nowhere = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
  });
  beforeEach(() => {
    seen.length = 0;
    env = {};
    deleteCredentials(credentials);
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The refusal `fn` ends in, whether it throws at once (no token) or when the answer comes. */
  const failure = async (fn: () => Promise<unknown>): Promise<StewardError> => {
    try {
      await fn();
    } catch (e) {
      assert.ok(isStewardError(e), String(e));
      return e;
    }
    assert.fail('expected a refusal');
  };

  it("turns the server's error body into its code, exit code, message, hint and request id", async () => {
    answer = {
      status: 403,
      body: JSON.stringify({
        code: 'FORBIDDEN',
        message: 'not permitted: users.manage',
        details: [],
        requestId: 'r-1',
      }),
    };
    const e = await failure(() => connect(opts(url), 'tok').request('GET', '/users'));
    assert.ok(e instanceof ServerError);
    assert.equal(e.code, 'FORBIDDEN');
    assert.equal(e.exitCode, 4);
    assert.match(
      e.message,
      /^not permitted: users\.manage \(a grant for one site covers only that site: name it with --site; or ask an administrator.*steward grants add.*\) \[request r-1\]$/,
    );
    assert.equal(seen[0]?.headers.authorization, 'Bearer tok');
    answer = {
      status: 400,
      body: JSON.stringify({ code: 'VALIDATION_FAILED', message: 'bad', details: [{ path: 'body/x', message: 'no' }] }),
    };
    const v = await failure(() => connect(opts(url), 'tok').request('POST', '/grants', { x: 1 }));
    assert.equal(v.exitCode, 2);
    assert.deepEqual(v.details, [{ path: 'body/x', message: 'no' }]);
    assert.equal(v.retryable, false);
  });

  it('gives a code to an answer that is not Steward’s error body', async () => {
    answer = { status: 404, body: 'not json' };
    assert.equal((await failure(() => connect(opts(url), 'tok').request('GET', '/x'))).code, 'ROUTE_NOT_FOUND');
    answer = { status: 502, body: JSON.stringify({ code: 'SOMETHING_NEW' }) };
    const e = await failure(() => connect(opts(url), 'tok').request('GET', '/x'));
    assert.equal(e.code, 'INTERNAL');
    assert.equal(e.exitCode, 10);
    assert.match(e.message, /HTTP 502/);
  });

  it('says SERVER_UNAVAILABLE (exit 8, retryable) when nothing answers', async () => {
    const e = await failure(() => connect(opts(nowhere), 'tok').request('GET', '/me'));
    assert.equal(e.code, 'SERVER_UNAVAILABLE');
    assert.equal(e.exitCode, 8);
    assert.equal(e.retryable, true);
    assert.ok(e.message.startsWith(`no Steward server answers at ${nowhere}: start it (\`npm start\`)`), e.message);
  });

  it('keeps the login 0600 and sends it only to the server it was made for', async () => {
    answer = { status: 200, body: '{"ok":true}' };
    const e = await failure(() => connect(opts(url)).request('GET', '/me'));
    assert.equal(e.code, 'AUTH_REQUIRED');
    assert.equal(seen.length, 0, 'nothing was sent');
    writeCredentials({ server: url, token: 'sts_stored', kind: 'session', name: 'alice' }, credentials);
    assert.equal(statSync(credentials).mode & 0o777, 0o600);
    assert.equal(readCredentials(credentials)?.name, 'alice');
    assert.deepEqual(await connect(opts()).request('GET', '/me'), { ok: true }, 'the stored server is the default');
    assert.equal(seen[0]?.headers.authorization, 'Bearer sts_stored');
    const other = await failure(() => connect(opts(nowhere)).request('GET', '/me'));
    assert.equal(other.code, 'AUTH_REQUIRED');
    assert.ok(other.message.includes(`logged in to ${url}, not ${nowhere}`), other.message);
    env = { STEWARD_TOKEN: 'env-token' };
    await connect(opts(url)).request('GET', '/me');
    assert.equal(seen[1]?.headers.authorization, 'Bearer env-token', 'STEWARD_TOKEN wins over the stored login');
  });
});
