// The recorder in Debian's Chromium against a small local EHR (node:http): a scripted demonstration
// (sign in, find a patient, open the chart, fill and save a task) becomes a draft map whose screens,
// login, search, banner and form fields carry the roles, accessible names, kinds, formats and limits
// the page has — each name resolving through Playwright's own accessible-name rules to exactly one
// element — with no value typed anywhere in it, and only what a demonstration cannot know left blank.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { newId } from '@steward/core';
import { validateScreenMap } from '../maps/map-schema.js';
import type { ScreenMap } from '../model/screen-map.js';
import { launchRecorderBrowser } from './browser.js';
import { parseDemonstration, replayDemonstration } from './demonstration.js';
import { Recorder } from './recorder.js';

const layout = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body>
   <header><a href="/home">Clinic EHR</a></header><nav aria-label="Main"><a href="/home">Home</a></nav>
   <main>${body}</main></body></html>`;

const pages: Record<string, string> = {
  '/login': layout(
    'Sign in',
    `<h1>Sign in</h1><form aria-label="Sign in" action="/home">
       <label for="u">Username</label><input id="u" name="u" autocomplete="username">
       <label for="p">Password</label><input id="p" name="p" type="password">
       <label for="c">One-time code</label><input id="c" name="c" inputmode="numeric">
       <button>Sign in</button></form>`,
  ),
  '/home': layout(
    'Home',
    `<h1>Today</h1><form role="search" aria-label="Find a patient" action="/patients">
       <input type="search" name="q" aria-label="MRN"><button type="submit">Search</button></form>`,
  ),
  '/patients': layout(
    'Patients',
    `<h1>Patients</h1><table><tr><th>Name</th></tr><tr><td><a href="/patients/1001">Doe, Jane</a></td></tr></table>`,
  ),
  '/patients/1001': layout(
    'Chart',
    `<section aria-label="Patient banner"><dl><dt>MRN</dt><dd>00012345</dd><dt>DOB</dt><dd>1970-02-03</dd></dl></section>
     <h1>Chart</h1><a href="/patients/1001/tasks/new">New task</a>`,
  ),
  '/patients/1001/tasks/new': layout(
    'New task',
    `<h1>New task</h1><form aria-label="New task" action="/patients/1001">
       <label for="reason">Reason for task</label><input id="reason" name="reason" maxlength="120" required>
       <span id="due-l">Due date</span><input name="due" aria-labelledby="due-l" placeholder="MM/DD/YYYY">
       <input name="follow" type="date" aria-label="Follow-up on">
       <label for="prio">Priority</label><select id="prio" name="prio"><option>Normal</option><option>Urgent</option></select>
       <label for="notes">Notes (markdown)</label><textarea id="notes" name="notes" maxlength="500"></textarea>
       <input type="submit" value="Save task"></form>`,
  ),
};

const demonstration = [
  { goto: '/login' },
  { fill: { label: 'Username' }, value: 'demo.coordinator' },
  { fill: { label: 'Password' }, value: 'hunter2-secret' },
  { fill: { label: 'One-time code' }, value: '123456' },
  { click: { role: 'button', name: 'Sign in' } },
  { fill: { role: 'searchbox', name: 'MRN' }, value: '00012345' },
  { click: { role: 'button', name: 'Search' } },
  { click: { role: 'link', name: 'Doe, Jane' } },
  { click: { role: 'link', name: 'New task' } },
  { fill: { label: 'Reason for task' }, value: 'Call about the referral to cardiology' },
  { fill: { label: 'Due date' }, value: '03/15/2026' },
  { fill: { label: 'Follow-up on' }, value: '2026-03-20' },
  { select: { label: 'Priority' }, option: 'Urgent' },
  { fill: { label: 'Notes (markdown)' }, value: '**Jane** prefers mornings' },
  { click: { role: 'button', name: 'Save task' } },
];

describe('recorder in Chromium', () => {
  let server: Server;
  let origin = '';
  let browser: Browser;

  before(async () => {
    server = createServer((req, res) => {
      const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
      res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchRecorderBrowser({ headed: false });
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('turns a demonstration into a draft map with the page’s roles, names, kinds and limits, and no values', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const connectionId = newId();
    const recorder = await Recorder.attach(page, { connectionId, site: 'north' });
    await replayDemonstration(page, origin, parseDemonstration(demonstration));
    await recorder.settle();
    const { map, todo, notes } = recorder.draft();

    assert.equal(map.origin, origin);
    assert.equal(map.home, '/home');
    assert.deepEqual(
      map.screens.map((s) => [s.id, s.kind, s.path]),
      [
        ['login', 'login', '/login'],
        ['home', 'work', '/home'],
        ['patients', 'work', '/patients'],
        ['patients-item', 'work', '/patients/:id'],
        ['patients-tasks-new', 'work', '/patients/:id/tasks/new'],
      ],
    );
    const chart = map.screens.find((s) => s.id === 'patients-item')!;
    // A record's page keeps no heading (it may be the patient's name); other pages keep theirs.
    assert.deepEqual(chart.required, []);
    assert.deepEqual(map.screens[1]!.required, [{ role: 'heading', name: 'Today' }]);
    assert.ok(chart.landmarks.some((l) => l.role === 'region' && l.name === 'Patient banner'));
    assert.ok(chart.landmarks.some((l) => l.role === 'main'));
    assert.ok(map.screens[4]!.landmarks.some((l) => l.role === 'form' && l.name === 'New task'));

    assert.deepEqual(map.login, {
      screen: 'login',
      username: { role: 'textbox', name: 'Username' },
      password: { role: 'textbox', name: 'Password' },
      code: { role: 'textbox', name: 'One-time code' },
      submit: { role: 'button', name: 'Sign in' },
    });
    assert.deepEqual(map.patientSearch, {
      screen: 'home',
      field: { role: 'searchbox', name: 'MRN' },
      system: '',
      submit: { role: 'button', name: 'Search' },
      chart: 'patients-item',
    });
    assert.deepEqual(map.banner.region, { role: 'region', name: 'Patient banner' });
    assert.deepEqual(
      map.banner.identifiers.map((i) => i.label),
      ['MRN', 'DOB'],
    );

    assert.equal(map.forms.length, 1);
    const form = map.forms[0]!;
    assert.deepEqual(
      [form.screen, form.after, form.submit],
      ['patients-tasks-new', 'patients-item', { role: 'button', name: 'Save task' }],
    );
    assert.deepEqual(form.open, [{ role: 'link', name: 'New task' }]);
    assert.deepEqual(
      form.templates[0]!.fields.map((f) => [f.label, f.kind, f.dateFormat ?? null, f.required ?? false]),
      [
        ['Reason for task', 'text', null, true],
        ['Due date', 'date', 'MM/dd/yyyy', false],
        ['Follow-up on', 'date', 'yyyy-MM-dd', false],
        ['Priority', 'dropdown', null, false],
        ['Notes (markdown)', 'markdown', null, false],
      ],
    );
    // The limits as the page sets them, and the roles the recording saw.
    const recorded = recorder.events.flatMap((e) =>
      e.type === 'fill' && e.pattern === '/patients/:id/tasks/new' ? [e.field] : [],
    );
    assert.deepEqual(
      recorded.map((f) => [f.name, f.role, f.maxLength]),
      [
        ['Reason for task', 'textbox', 120],
        ['Due date', 'textbox', null],
        ['Follow-up on', 'textbox', null],
        ['Priority', 'combobox', null],
        ['Notes (markdown)', 'textbox', 500],
      ],
    );
    assert.ok(notes.some((n) => n.includes('Reason for task takes at most 120 characters')));
    assert.ok(notes.some((n) => n.includes('Priority offers Normal | Urgent')));

    // Each recorded role and name finds exactly one element by Playwright's own accessible-name rules.
    await page.goto(`${origin}/patients/1001/tasks/new`);
    for (const f of recorded)
      assert.equal(await page.getByRole(f.role as 'textbox', { name: f.name, exact: true }).count(), 1, f.name);
    await page.goto(`${origin}/login`);
    for (const el of [map.login.username, map.login.password, map.login.code, map.login.submit])
      assert.equal(await page.getByRole(el.role as 'textbox', { name: el.name, exact: true }).count(), 1, el.name);

    // Nothing typed reached the recording or the draft, nor the patient's id or banner values.
    const kept = JSON.stringify([recorder.recording(), map, notes]);
    for (const value of [
      'demo.coordinator',
      'hunter2-secret',
      '123456',
      '00012345',
      '1001',
      'Doe',
      'cardiology',
      '03/15/2026',
      '2026-03-20',
      'mornings',
      '1970-02-03',
    ])
      assert.equal(kept.includes(value), false, `${value} was kept`);

    // Left blank: only what a demonstration cannot know; filled in, the draft is a valid map.
    assert.deepEqual(todo, [
      '/patientSearch/system: empty: fill it in',
      '/banner/identifiers/0/system: empty: fill it in',
      '/banner/identifiers/1/system: empty: fill it in',
      '/forms/0/resourceType: empty: fill it in',
      '/forms/0/templates/0/fields/0/key: empty: fill it in',
      '/forms/0/templates/0/fields/1/key: empty: fill it in',
      '/forms/0/templates/0/fields/2/key: empty: fill it in',
      '/forms/0/templates/0/fields/3/key: empty: fill it in',
      '/forms/0/templates/0/fields/4/key: empty: fill it in',
    ]);
    const edited = structuredClone(map) as unknown as {
      patientSearch: { system: string };
      banner: { identifiers: { system: string }[] };
      forms: { resourceType: string; templates: { fields: { key: string }[] }[] }[];
    };
    edited.patientSearch.system = 'urn:mrn';
    edited.banner.identifiers[0]!.system = 'urn:mrn';
    edited.banner.identifiers[1]!.system = 'birthDate';
    edited.forms[0]!.resourceType = 'Task';
    ['description', 'restriction/period/end', 'executionPeriod/end', 'priority', 'note/0/text'].forEach((key, i) => {
      edited.forms[0]!.templates[0]!.fields[i]!.key = key;
    });
    assert.equal(validateScreenMap(edited as unknown as ScreenMap).forms[0]?.resourceType, 'Task');
    await context.close();
  });

  it('stops a scripted demonstration at a step it cannot do, naming the step', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await assert.rejects(
      replayDemonstration(page, origin, [{ goto: '/login' }, { click: { role: 'button', name: 'Log on' } }], 300),
      (e: { code?: string; message?: string; details?: { path?: string }[] }) => {
        assert.equal(e.code, 'VALIDATION_FAILED');
        assert.match(e.message ?? '', /step 2 .*button Log on/);
        assert.equal(e.details?.[0]?.path, '/1');
        return true;
      },
    );
    assert.throws(() => parseDemonstration([{ goto: '/x' }, { tap: 'Save' }]), { code: 'VALIDATION_FAILED' });
    await context.close();
  });
});
