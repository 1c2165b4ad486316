/**
 * `steward automation` against a server on the embedded store: a scripted demonstration on a small
 * local EHR is recorded into a draft map (Chromium, headless) whose blanks are listed; the draft is
 * refused until they are filled, then proposed; the proposer cannot approve it, a compliance
 * officer does; a second version's diff names the label that changed; credentials are set from the
 * environment (never arguments), shown only as set-when-by-whom, and refused to a coordinator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vendorIds } from '@steward/ehr';
import { createLogger } from '@steward/governance';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { migratedDataDir, runCli, startCliTestServer } from './testing.js';

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main>${body}</main></body></html>`;
const ehr: Record<string, string> = {
  '/login': page(
    'Sign in',
    `<form aria-label="Sign in" action="/home"><label for="u">User name</label><input id="u"><label for="p">Password</label><input id="p" type="password"><button>Log in</button></form>`,
  ),
  '/home': page(
    'Home',
    `<h1>Today</h1><form role="search" aria-label="Find" action="/chart/77"><input type="search" aria-label="MRN"><button>Find</button></form>`,
  ),
  '/chart/77': page(
    'Chart',
    `<section aria-label="Patient banner"><dl><dt>MRN</dt><dd>x</dd><dt>DOB</dt><dd>y</dd></dl></section><a href="/chart/77/note">Add note</a>`,
  ),
  '/chart/77/note': page(
    'Note',
    `<form aria-label="Note" action="/chart/77"><label for="n">Note text</label><textarea id="n" maxlength="400"></textarea><button>Save note</button></form>`,
  ),
};
const steps = [
  { fill: { label: 'User name' }, value: 'robot' },
  { fill: { label: 'Password' }, value: 'pw-not-kept' },
  { click: { role: 'button', name: 'Log in' } },
  { fill: { role: 'searchbox', name: 'MRN' }, value: '77' },
  { click: { role: 'button', name: 'Find' } },
  { click: { role: 'link', name: 'Add note' } },
  { fill: { label: 'Note text' }, value: 'a note' },
  { click: { role: 'button', name: 'Save note' } },
];

describe('steward automation on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-automation-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let admin: string;
  let officer: string;
  let coordinator: string;
  let connection = '';
  let server: RunningServer | undefined;
  let fixture: Server;
  let origin = '';
  const steward = (token: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    runCli({ ...env, ...extra, STEWARD_TOKEN: token }, args);

  before(async () => {
    await migratedDataDir(env);
    const r = await runCli(env, ['init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token')]);
    assert.equal(r.status, 0, r.stderr);
    admin = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      const bob = await principalWith(kernel, 'bob', { role: 'admin' });
      officer = (await principalWith(kernel, 'carol', { role: 'compliance_officer' })).token;
      coordinator = (await principalWith(kernel, 'dave', { role: 'coordinator', site: 'north' })).token;
      const added = await kernel.connections.add(
        { actor: { kind: 'user', id: bob.id, name: 'bob', authMethod: 'api-token' } },
        { name: 'clinic-screens', site: 'north', vendor: vendorIds[0], facilityTimeZone: 'America/New_York' },
      );
      connection = added.id;
    } finally {
      await kernel.close();
    }
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
    fixture = createServer((req, res) => {
      const html = ehr[new URL(req.url ?? '/', 'http://x').pathname];
      res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html' });
      res.end(html ?? 'not found');
    });
    await new Promise<void>((resolve) => fixture.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`;
  });
  after(async () => {
    await server?.stop();
    await new Promise((resolve) => fixture?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a demonstration, refuses the draft until filled in, and takes it through four-eyes review', async () => {
    const noDisplay = await steward(admin, [
      'automation',
      'record',
      '--connection',
      connection,
      '--site',
      'north',
      '--url',
      `${origin}/login`,
    ]);
    assert.equal(noDisplay.status, 2);
    assert.match(noDisplay.stderr, /DISPLAY/);

    const script = join(dir, 'steps.json');
    const draft = join(dir, 'draft.json');
    writeFileSync(script, JSON.stringify(steps));
    const rec = await steward(admin, [
      'automation',
      'record',
      '--connection',
      connection,
      '--site',
      'north',
      '--url',
      `${origin}/login`,
      '--script',
      script,
      '--out',
      draft,
    ]);
    assert.equal(rec.status, 0, rec.stderr);
    assert.match(rec.stdout, /draft screen map written to .*draft\.json: 4 screens, 1 forms/);
    assert.match(rec.stdout, /\/forms\/0\/templates\/0\/fields\/0\/key: empty: fill it in/);
    assert.match(rec.stdout, /note: chart-note: Note text takes at most 400 characters/);
    assert.equal(readFileSync(draft, 'utf8').includes('pw-not-kept'), false);

    const refused = await steward(admin, ['automation', 'maps', 'propose', draft]);
    assert.equal(refused.status, 2, 'VALIDATION_FAILED');
    assert.match(refused.stderr, /\/patientSearch\/system/);

    const map = JSON.parse(readFileSync(draft, 'utf8')) as {
      patientSearch: { system: string };
      banner: { identifiers: { system: string }[] };
      forms: { resourceType: string; templates: { fields: { key: string; label: string }[] }[] }[];
    };
    map.patientSearch.system = 'urn:mrn';
    map.banner.identifiers[0]!.system = 'urn:mrn';
    map.banner.identifiers[1]!.system = 'birthDate';
    map.forms[0]!.resourceType = 'Communication';
    map.forms[0]!.templates[0]!.fields[0]!.key = 'payload/0/contentString';
    writeFileSync(draft, JSON.stringify(map));
    const proposed = await steward(admin, ['automation', 'maps', 'propose', draft, '--note', 'recorded at north']);
    assert.equal(proposed.status, 0, proposed.stderr);
    assert.match(proposed.stdout, /proposed version 1 .*4 screens, 1 forms, 1 fields/);

    const own = await steward(admin, [
      'automation',
      'maps',
      'review',
      '--connection',
      connection,
      '--site',
      'north',
      '--version',
      '1',
      '--approve',
    ]);
    assert.equal(own.status, 4, 'FORBIDDEN: not one’s own');
    const approved = await steward(officer, [
      'automation',
      'maps',
      'review',
      '--connection',
      connection,
      '--site',
      'north',
      '--version',
      '1',
      '--approve',
    ]);
    assert.equal(approved.status, 0, approved.stderr);
    assert.match(approved.stdout, /version 1 approved/);

    map.forms[0]!.templates[0]!.fields[0]!.label = 'Message';
    writeFileSync(draft, JSON.stringify(map));
    assert.equal((await steward(admin, ['automation', 'maps', 'propose', draft])).status, 0);
    const diff = await steward(officer, [
      'automation',
      'maps',
      'diff',
      '--connection',
      'clinic-screens',
      '--site',
      'north',
      '--version',
      '2',
    ]);
    assert.equal(diff.status, 0, diff.stderr);
    assert.match(diff.stdout, /version 2 against version 1: 1 changes/);
    assert.match(
      diff.stdout,
      /changed\s+\/forms\/chart-note\/templates\/default\/fields\/payload~10~1contentString\/label: Note text -> Message/,
    );
    const list = await steward(officer, ['automation', 'maps', 'list']);
    assert.match(list.stdout, /clinic-screens\s+north\s+2 proposed\s+1\s+alice/);
    assert.equal((await steward(coordinator, ['automation', 'maps', 'list'])).status, 4);
  });

  it('sets credentials without arguments carrying secrets, shows only when and by whom', async () => {
    const secret = 'a-long-and-secret-password';
    const set = await steward(
      admin,
      ['automation', 'credentials', 'set', '--connection', 'clinic-screens', '--site', 'north', '--username', 'robot'],
      {
        STEWARD_AUTOMATION_PASSWORD: secret,
        STEWARD_AUTOMATION_TOTP_SECRET: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      },
    );
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /credentials set for clinic-screens at north \(with a TOTP secret\), at .* by alice/);
    const list = await steward(admin, ['automation', 'credentials', 'list', '--json']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout.includes(secret), false);
    assert.equal(list.stdout.includes('JBSWY3DP'), false);
    assert.match(list.stdout, /"setByName": "alice"/);
    const missing = await steward(admin, [
      'automation',
      'credentials',
      'set',
      '--connection',
      connection,
      '--site',
      'north',
      '--username',
      'robot',
    ]);
    assert.equal(missing.status, 2, 'no password: refused, not prompted off a terminal');
    const forbidden = await steward(
      coordinator,
      ['automation', 'credentials', 'set', '--connection', connection, '--site', 'north', '--username', 'x'],
      {
        STEWARD_AUTOMATION_PASSWORD: 'x',
      },
    );
    assert.equal(forbidden.status, 4);
  });
});
