/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import type { Patient } from '@medplum/fhirtypes';
import { thirdPartyFixture } from '@steward/core/testing';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, tokenFor } from '../testing/index.js';
import { formatDate } from './dates.js';
import { externalReferenceSystem, mrnSystem, personIdSystem } from './screen-kit.js';
import { totpCode } from './totp.js';
import { variants } from './variants.js';
import { URLPattern as Polyfill } from 'urlpattern-polyfill/urlpattern';

// The sandbox does not depend on the automation package: its launch rule, repeated (the headless
// shell when installed, at half the CPU of the full browser).
const chromiumPath =
  process.env['STEWARD_CHROMIUM'] ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** URLPattern: Node 24's own, the WHATWG polyfill on Node 22. */
const URLPattern: typeof Polyfill = (globalThis as { URLPattern?: typeof Polyfill }).URLPattern ?? Polyfill;

const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const user = { username: 'nurse.kim', password: 'correct horse', totpSecret: secret, displayName: 'Kim (RN)' };

/** A browser-like client: follows nothing by itself, keeps the session cookie. */
class Browser {
  cookie = '';
  constructor(readonly ehr: SandboxEhr) {}
  async go(
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; location: string | null; text: string }> {
    const res = await fetch(`${this.ehr.url}${path}`, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: this.cookie,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return { status: res.status, location: res.headers.get('location'), text: await res.text() };
  }
  async signIn(variant: string): Promise<void> {
    const res = await this.go(`/web/${variant}/login`, {
      username: user.username,
      password: user.password,
      code: totpCode(secret, Date.now()),
    });
    assert.equal(res.status, 303, 'signed in');
  }
}

/** The text of the element that follows a label in a description list or "label: value" banner item. */
function after_(html: string, label: string): string | undefined {
  const re = new RegExp(
    `>${label.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&')}:?</(?:dt|span|th)>\\s*<(?:dd|span|td)[^>]*>(?:<(?:span|pre)[^>]*>)?([^<]*)<`,
  );
  return re.exec(html)?.[1];
}

describe('sandbox web screens', () => {
  let ehr: SandboxEhr;
  let token: string;
  let patient: Patient;
  const mrn = (): string => patient.identifier?.find((i) => i.system === mrnSystem)?.value ?? '';

  before(async () => {
    ehr = await startSandboxEhr({
      seed: { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: 3 },
      webUsers: [user],
    });
    token = await tokenFor(ehr, ['system/*.*']);
    const bundle = await fhirFetch(ehr, token, 'GET', 'Patient?_count=1');
    patient = bundle.json.entry[0].resource as Patient;
  });
  after(() => ehr.close());

  it('lists its variants and signs in only with password and the current TOTP code', async () => {
    const list = (await (await fetch(`${ehr.url}/$sandbox/web/variants`)).json()) as { variants: { id: string }[] };
    assert.deepEqual(
      list.variants.map((v) => v.id),
      ['north', 'lakeside', 'summit'],
    );
    const b = new Browser(ehr);
    const unauth = await b.go('/web/north/patients');
    assert.equal(unauth.status, 303);
    assert.equal(unauth.location, '/web/north/login?next=%2Fweb%2Fnorth%2Fpatients');
    const login = await b.go('/web/north/login');
    assert.match(login.text, /<label for="f-code">Verification code<\/label>/);

    const wrongCode = String((Number(totpCode(secret, Date.now())) + 500_000) % 1_000_000).padStart(6, '0');
    const refusedCode = await b.go('/web/north/login', {
      username: user.username,
      password: user.password,
      code: wrongCode,
    });
    assert.equal(refusedCode.status, 401);
    assert.match(refusedCode.text, /role="alert"[^>]*>The verification code is incorrect/);
    assert.equal(b.cookie, '');
    const refusedPassword = await b.go('/web/north/login', {
      username: user.username,
      password: 'wrong',
      code: totpCode(secret, Date.now()),
    });
    assert.equal(refusedPassword.status, 401);
    assert.equal(b.cookie, '');

    await b.signIn('north');
    assert.match(b.cookie, /^ehr_session=.+/);
    const home = await b.go('/web/north/patients');
    assert.equal(home.status, 200);
    assert.match(home.text, /<nav aria-label="Main">/);
    // A session belongs to its clinic: the cookie's path keeps it from the others, and it does not open them.
    assert.equal((await b.go('/web/lakeside/patients')).status, 303);
  });

  it('ends an idle session on a "Session expired" screen, then the sign-in; a form post writes nothing', async () => {
    const reader = new Browser(ehr);
    const writer = new Browser(ehr);
    await reader.signIn('summit');
    await writer.signIn('summit');
    const formPath = `/web/summit/patients/${patient.id}/tasks/new`;
    assert.equal((await writer.go(formPath)).status, 200);
    const count = async (): Promise<number> =>
      (await fhirFetch(ehr, token, 'GET', 'Task?_summary=count')).json.total as number;
    const before = await count();
    ehr.web.sessions.setIdleMs(40);
    try {
      await new Promise((resolve) => setTimeout(resolve, 80));
      // A page: the notice first, with the way back; the session is over after it.
      const page = await reader.go(formPath);
      assert.equal(page.location, `/web/summit/session-expired?next=${encodeURIComponent(formPath)}`);
      const expired = await reader.go(page.location ?? '');
      assert.match(expired.text, /<h1>Session expired — sign in again<\/h1>/);
      assert.match(expired.text, /<a href="\/web\/summit\/login\?next=[^"]+">Return to sign on<\/a>/);
      assert.equal((await reader.go(formPath)).location, `/web/summit/login?next=${encodeURIComponent(formPath)}`);
      // A form post: the notice, nothing written; posting again leads to the sign-in, still nothing written.
      const post = await writer.go(formPath, { description: 'after expiry', priority: 'routine' });
      assert.equal(post.location, '/web/summit/session-expired');
      const again = await writer.go(formPath, { description: 'after expiry', priority: 'routine' });
      assert.equal(again.location, '/web/summit/login');
      assert.equal(await count(), before);
    } finally {
      ehr.web.sessions.setIdleMs(15 * 60_000);
    }
    await reader.signIn('summit');
    assert.equal((await reader.go(formPath)).status, 200);
  });

  it('expires every session on the control endpoint', async () => {
    const a = new Browser(ehr);
    const b = new Browser(ehr);
    await a.signIn('north');
    await b.signIn('lakeside');
    const res = await fetch(`${ehr.url}/$sandbox/web/expire`, { method: 'POST' });
    assert.ok(((await res.json()) as { expired: number }).expired >= 2);
    assert.equal((await a.go('/web/north/tasks')).location, '/web/north/session-expired?next=%2Fweb%2Fnorth%2Ftasks');
    assert.equal((await b.go('/web/lakeside/schedule')).location?.startsWith('/web/lakeside/session-expired'), true);
  });

  it('finds a patient by MRN and by name, and shows the banner with two identifiers in each variant', async () => {
    const family = patient.name?.[0]?.family ?? '';
    for (const variant of variants) {
      const b = new Browser(ehr);
      await b.signIn(variant.id);
      const byMrn =
        variant.search === 'single'
          ? await b.go(`/web/${variant.id}/patients?q=${encodeURIComponent(mrn())}`)
          : await b.go(`/web/${variant.id}/patients?mrn=${encodeURIComponent(mrn())}`);
      assert.match(byMrn.text, new RegExp(`<caption>${variant.labels['search.results']}</caption>`));
      const links = [...byMrn.text.matchAll(/<a href="(\/web\/[^"]+\/patients\/[^"/]+)">/g)].map((m) => m[1]);
      assert.deepEqual(links, [`/web/${variant.id}/patients/${patient.id}`], `${variant.id}: one result`);
      const byName =
        variant.search === 'single'
          ? await b.go(`/web/${variant.id}/patients?q=${encodeURIComponent(family)}`)
          : await b.go(`/web/${variant.id}/patients?name=${encodeURIComponent(family)}`);
      assert.ok(byName.text.includes(`/web/${variant.id}/patients/${patient.id}"`), `${variant.id}: found by name`);

      const chart = await b.go(`/web/${variant.id}/patients/${patient.id}`);
      const region = new RegExp(`aria-label="${variant.labels['banner.region']}"`);
      assert.match(chart.text, region);
      const bannerStart = chart.text.search(region);
      assert.ok(chart.text.slice(bannerStart, bannerStart + 200).includes(`>${family}, `), `${variant.id}: name`);
      assert.equal(after_(chart.text, variant.labels['banner.mrn']), mrn());
      assert.equal(
        after_(chart.text, variant.labels['banner.person']),
        patient.identifier?.find((i) => i.system === personIdSystem)?.value,
      );
      assert.equal(
        after_(chart.text, variant.labels['banner.birthDate']),
        formatDate(patient.birthDate, variant.dateFormat),
      );
    }
  });

  it('saves a task from each variant in its own date format, as a Task the FHIR API finds', async () => {
    const due: Record<string, string> = { north: '03/09/2027', lakeside: '09.03.2027', summit: '2027-03-09' };
    for (const variant of variants) {
      const b = new Browser(ehr);
      await b.signIn(variant.id);
      const form = await b.go(`/web/${variant.id}/patients/${patient.id}/tasks/new`);
      assert.match(form.text, new RegExp(`maxlength="${variant.limits.note}"`));
      assert.match(form.text, new RegExp(`>${variant.priorityText.urgent}</option>`));
      const reference = `ref-${variant.id}-${Date.now()}`;
      const note = `Line one\nLine two — ${'é'.repeat(3)}`;
      const res = await b.go(`/web/${variant.id}/patients/${patient.id}/tasks/new`, {
        description: `Call the patient (${variant.id})`,
        priority: 'urgent',
        due: due[variant.id] ?? '',
        note,
        reference,
      });
      assert.equal(res.status, 303, `${variant.id}: saved`);
      const shown = await b.go(res.location ?? '');
      assert.match(shown.text, new RegExp(`<p role="status">${variant.labels['task.saved']}</p>`));
      assert.equal(after_(shown.text, variant.labels['task.due']), due[variant.id]);
      assert.equal(after_(shown.text, variant.labels['task.priority']), variant.priorityText.urgent);

      const found = await fhirFetch(
        ehr,
        token,
        'GET',
        `Task?identifier=${encodeURIComponent(`${externalReferenceSystem}|${reference}`)}`,
      );
      assert.equal(found.json.entry?.length, 1, `${variant.id}: one Task`);
      const task = found.json.entry[0].resource;
      assert.equal(task.for.reference, `Patient/${patient.id}`);
      assert.equal(task.description, `Call the patient (${variant.id})`);
      assert.equal(task.priority, 'urgent');
      assert.equal(task.restriction.period.end, '2027-03-09');
      assert.equal(task.note[0].text, note);

      const list = await b.go(`/web/${variant.id}/tasks`);
      assert.match(list.text, new RegExp(`<caption>${variant.labels['tasks.table']}</caption>`));
      assert.match(list.text, new RegExp(`<th scope="col">${variant.labels['col.due']}</th>`));
      assert.ok(list.text.includes(`>Call the patient (${variant.id})</a>`));
      // The chart's own list shows it under its external reference (how a write is found again).
      const chart = await b.go(`/web/${variant.id}/patients/${patient.id}`);
      assert.match(chart.text, new RegExp(`<th scope="col">${variant.labels['task.reference']}</th>`));
      assert.ok(chart.text.includes(`<td>${reference}</td>`));
    }
  });

  it('refuses text over a limit and a date in another format, naming the field and saving nothing', async () => {
    const count = async (): Promise<number> =>
      (await fhirFetch(ehr, token, 'GET', 'Task?_summary=count')).json.total as number;
    const before = await count();
    for (const variant of variants) {
      const b = new Browser(ehr);
      await b.signIn(variant.id);
      const path = `/web/${variant.id}/patients/${patient.id}/tasks/new`;
      const tooLong = 'n'.repeat(variant.limits.note + 1);
      const res = await b.go(path, { description: 'Fax the referral', priority: 'routine', note: tooLong });
      assert.equal(res.status, 422);
      assert.match(
        res.text,
        new RegExp(
          `${variant.labels['task.note'].replace(/[()]/g, '\\$&')} is too long: ${variant.limits.note + 1} characters, at most ${variant.limits.note}`,
        ),
      );
      // The text comes back whole in the field, for a person to shorten: never cut to fit.
      assert.ok(res.text.includes(`>${tooLong}</textarea>`));
      const wrongFormat = variant.dateFormat === 'yyyy-MM-dd' ? '03/09/2027' : '2027-03-09';
      const badDate = await b.go(path, { description: 'Fax the referral', priority: 'routine', due: wrongFormat });
      assert.equal(badDate.status, 422);
      assert.ok(
        badDate.text.includes(
          `${variant.labels['task.due']} must be a date written ${variant.dateFormat.toUpperCase()}`,
        ),
      );
      const noPriority = await b.go(path, { description: 'Fax the referral', priority: 'soon' });
      assert.equal(noPriority.status, 422);
      // What the EHR's own validation refuses (a control character) is said on the form, not a server error.
      const refused = await b.go(path, { description: 'Fax\u0001 the referral', priority: 'routine' });
      assert.equal(refused.status, 422);
      assert.ok(refused.text.includes('The record was refused by the EHR'));
    }
    assert.equal(await count(), before);
  });

  it('changes the encounter form with specialty and length, validates the JSON and saves a DocumentReference', async () => {
    const b = new Browser(ehr);
    await b.signIn('north');
    const base = `/web/north/patients/${patient.id}/notes/new`;
    // Every section is on the page; those the specialty and length do not ask for are hidden and disabled.
    const has = (html: string, label: string): boolean => {
      const row = new RegExp(
        `<div class="row"([^>]*)><label for="[^"]+">${label.replace(/[()]/g, '\\$&')}</label>`,
      ).exec(html);
      assert.ok(row, `${label} is on the page`);
      return !(row[1] ?? '').includes('hidden');
    };
    const cardioLong = await b.go(`${base}?specialty=cardiology&length=long`);
    assert.ok(has(cardioLong.text, 'Blood pressure') && has(cardioLong.text, 'Plan details'));
    assert.ok(!has(cardioLong.text, 'Lesion site'));
    const dermShort = await b.go(`${base}?specialty=dermatology&length=short`);
    assert.ok(
      has(dermShort.text, 'Lesion site') &&
        !has(dermShort.text, 'Plan details') &&
        !has(dermShort.text, 'Blood pressure'),
    );
    assert.ok(has(dermShort.text, 'Structured vitals (JSON)') && has(dermShort.text, 'Assessment'));
    assert.match(dermShort.text, /name="notes" maxlength="1000"/);

    const fields = {
      specialty: 'cardiology',
      visitLength: 'long',
      bloodPressure: '128/82',
      vitals: '{"pulse": 72, "spo2": 98}',
      assessment: '**Stable** angina, no change.\n\n- continue meds',
      plan: '1. Stress test\n2. Review in 4 weeks',
      notes: 'Patient prefers morning calls.',
      reference: 'note-ref-1',
      // A section of another specialty (as a page without its script would send) is not saved.
      lesionSite: 'left forearm',
    };
    const badJson = await b.go(base, { ...fields, vitals: '{pulse: 72' });
    assert.equal(badJson.status, 422);
    assert.match(badJson.text, /Structured vitals \(JSON\) must be a JSON object/);
    const missingPlan = await b.go(base, { ...fields, plan: '' });
    assert.match(missingPlan.text, /Plan details is required/);

    const saved = await b.go(base, fields);
    assert.equal(saved.status, 303);
    const noteId = /\/web\/north\/notes\/([^?]+)/.exec(saved.location ?? '')?.[1] ?? '';
    const doc = (await fhirFetch(ehr, token, 'GET', `DocumentReference/${noteId}`)).json;
    assert.equal(doc.status, 'current');
    assert.equal(doc.docStatus, 'preliminary');
    assert.equal(doc.subject.reference, `Patient/${patient.id}`);
    assert.equal(doc.content[0].attachment.contentType, 'text/markdown');
    const markdown = Buffer.from(doc.content[0].attachment.data as string, 'base64').toString('utf8');
    assert.ok(markdown.includes('## Blood pressure\n\n128/82') && markdown.includes('- continue meds'));
    const section = (title: string): string =>
      Buffer.from(
        (doc.content as { attachment: { title: string; data: string } }[]).find((c) => c.attachment.title === title)
          ?.attachment.data ?? '',
        'base64',
      ).toString('utf8');
    assert.equal(section('vitals'), fields.vitals);
    assert.equal(section('plan'), fields.plan);
    assert.equal(doc.description, fields.notes);
    assert.deepEqual(doc.identifier, [{ system: externalReferenceSystem, value: 'note-ref-1' }]);
    assert.equal(section('lesion-site'), '');
    assert.ok(!markdown.includes('left forearm'));
    // A textarea's CRLF (as browsers post it) is kept as the LF the field showed.
    const crlf = await b.go(base, { ...fields, assessment: 'one\r\ntwo', reference: 'note-ref-2' });
    const crlfId = /\/web\/north\/notes\/([^?]+)/.exec(crlf.location ?? '')?.[1] ?? '';
    const crlfDoc = (await fhirFetch(ehr, token, 'GET', `DocumentReference/${crlfId}`)).json;
    const assessment = (crlfDoc.content as { attachment: { title: string; data: string } }[]).find(
      (c) => c.attachment.title === 'assessment',
    )?.attachment.data;
    assert.equal(Buffer.from(assessment ?? '', 'base64').toString('utf8'), 'one\ntwo');

    const page = await b.go(saved.location ?? '');
    assert.match(page.text, /<p role="status">Encounter note saved<\/p>/);
    assert.ok(page.text.includes('<dt>Blood pressure</dt><dd><pre>128/82</pre></dd>'));
    assert.ok(page.text.includes(`<pre>${fields.vitals.replace(/"/g, '&quot;')}</pre>`));
    const chart = await b.go(`/web/north/patients/${patient.id}`);
    assert.match(chart.text, /<caption>Encounter notes<\/caption>/);
    assert.ok(chart.text.includes('<td>note-ref-1</td>'));
  });

  it("shows a day's appointments in the variant's date format", async () => {
    const appointment = await ehr.repository.createResource({
      resourceType: 'Appointment',
      status: 'booked',
      start: '2027-05-04T09:30:00-04:00',
      end: '2027-05-04T09:45:00-04:00',
      appointmentType: { text: 'Follow-up' },
      participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }],
    });
    const day: Record<string, string> = { north: '05/04/2027', lakeside: '04.05.2027', summit: '2027-05-04' };
    for (const variant of variants) {
      const b = new Browser(ehr);
      await b.signIn(variant.id);
      const res = await b.go(`/web/${variant.id}/schedule?date=${encodeURIComponent(day[variant.id] ?? '')}`);
      assert.equal(res.status, 200);
      assert.match(res.text, new RegExp(`<caption>${variant.labels['schedule.table']}</caption>`));
      assert.match(
        res.text,
        new RegExp(
          `<tr><td>09:30</td><td><a href="[^"]+">[^<]+</a></td><td>Follow-up</td><td>${variant.appointmentStatusText['booked'] ?? ''}</td><td>${appointment.id}</td></tr>`,
        ),
      );
      const other = await b.go(
        `/web/${variant.id}/schedule?date=${encodeURIComponent(day[variant.id] === '2027-05-04' ? '05/04/2027' : '2027-05-04')}`,
      );
      assert.equal(other.status, 422);
    }
  });

  it('renames a label on the control endpoint, as a clinic release would', async () => {
    const b = new Browser(ehr);
    await b.signIn('lakeside');
    const rename = await fetch(`${ehr.url}/$sandbox/web/relabel`, {
      method: 'POST',
      body: JSON.stringify({ variant: 'lakeside', key: 'task.note', label: 'Remarks' }),
    });
    assert.equal(rename.status, 200);
    try {
      const form = await b.go(`/web/lakeside/patients/${patient.id}/tasks/new`);
      assert.ok(form.text.includes('>Remarks</label>') && !form.text.includes('>Comments</label>'));
    } finally {
      await fetch(`${ehr.url}/$sandbox/web/relabel`, { method: 'DELETE' });
    }
    const form = await b.go(`/web/lakeside/patients/${patient.id}/tasks/new`);
    assert.ok(form.text.includes('>Comments</label>'));
    const bad = await fetch(`${ehr.url}/$sandbox/web/relabel`, {
      method: 'POST',
      body: JSON.stringify({ variant: 'lakeside', key: 'no.such', label: 'x' }),
    });
    assert.equal(bad.status, 400);
  });

  it('has screen maps whose every reference names a contract of the same map', () => {
    for (const variant of variants) {
      const map = readMap(variant.id);
      const ids = new Set(map.screens.map((s) => s.id));
      const refs = [
        map.login.screen,
        map.patientSearch.screen,
        map.patientSearch.chart,
        ...map.forms.flatMap((f) => [f.screen, f.after]),
        ...(map.reads ?? []).map((r) => r.screen),
      ];
      for (const ref of refs) assert.ok(ids.has(ref), `${variant.id}: ${ref}`);
      for (const form of map.forms) {
        const read = map.reads?.find((r) => r.id === form.lookup?.read);
        assert.ok(
          read?.columns.some((c) => c.key === form.lookup?.column),
          `${variant.id}: ${form.id} lookup`,
        );
      }
      assert.ok(map.screens.every((s) => s.path.startsWith(`/web/${variant.id}/`)));
      assert.deepEqual(
        map.banner.identifiers.map((i) => i.system),
        [mrnSystem, personIdSystem],
      );
      assert.equal(map.patientSearch.system, mrnSystem);
      const task = map.forms.find((f) => f.screen === 'task-form');
      assert.deepEqual(
        task?.templates[0]?.fields.map((f) => f.key),
        variant.taskOrder.map(
          (f) =>
            ({
              description: 'description',
              priority: 'priority',
              due: 'restriction/period/end',
              note: 'note/0/text',
              reference: 'identifier:urn:steward:write',
            })[f],
        ),
      );
    }
  });

  // The screen maps Steward follows on these screens (packages/automation/maps): every landmark, element and
  // field they name must be what Chromium's accessibility tree exposes, by role and name, on each variant.
  it(
    'exposes to the accessibility tree every landmark, element and field the screen maps name',
    { skip: existsSync(chromiumPath) ? false : `no Chromium at ${chromiumPath}` },
    async () => {
      const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
      try {
        for (const variant of variants) {
          const map = readMap(variant.id);
          const context = await browser.newContext();
          const page = await context.newPage();
          const check = async (id: string): Promise<string[]> => {
            const contract = map.screens.find((s) => s.id === id);
            assert.ok(contract, `${variant.id}: screen ${id} in the map`);
            return expectContract(page, contract, variant.id);
          };
          // Signed in the way the executor will: by the login spec's roles and names.
          await page.goto(`${ehr.url}${map.home}`);
          await check(map.login.screen);
          await role(page, map.login.username).fill(user.username);
          await role(page, map.login.password).fill(user.password);
          assert.ok(map.login.code);
          await role(page, map.login.code).fill(totpCode(secret, Date.now()));
          await role(page, map.login.submit).click();
          await page.waitForURL(`**${map.home}`);
          await check(map.patientSearch.screen);
          await role(page, map.patientSearch.field).fill(mrn());
          await role(page, map.patientSearch.submit).click();
          await page.locator(`a[href$="/patients/${patient.id}"]`).click();
          await page.waitForURL(`**/patients/${patient.id}`);
          await check(map.patientSearch.chart);
          const bannerText = await role(page, map.banner.region).innerText();
          for (const { label } of map.banner.identifiers)
            assert.ok(bannerText.includes(label), `${variant.id}: ${label}`);

          for (const form of map.forms) {
            // Opened from the chart by the map's steps, as the executor opens it (the defaults shown). Every
            // field of every template is found by its label before any choice (hidden ones too, as the
            // executor checks them before its first input); each template's choices then show its fields.
            await page.goto(`${ehr.url}/web/${variant.id}/patients/${patient.id}`);
            for (const step of form.open) await role(page, step).click();
            await page.waitForURL(`**/new`);
            for (const label of new Set(form.templates.flatMap((t) => t.fields.map((f) => f.label)))) {
              assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `${variant.id}: ${label}`);
            }
            for (const template of form.templates) {
              // The template's choices (the encounter note's specialty and length), made as a person makes them.
              for (const field of template.fields.filter((f) => f.key.startsWith('context/'))) {
                const code = field.key.includes('practiceSetting')
                  ? (template.when?.specialty ?? 'general')
                  : (template.when?.encounterType ?? 'short');
                await page
                  .getByLabel(field.label, { exact: true })
                  .selectOption({ label: field.options?.[code] ?? '' });
              }
              const tree = await check(form.screen);
              let last = -1;
              for (const field of template.fields) {
                const at = lineOf(tree, field.kind === 'dropdown' ? 'combobox' : 'textbox', field.label);
                assert.ok(at > last, `${variant.id} ${template.id}: field ${field.label}, in the map's order`);
                last = at;
                for (const text of Object.values(field.options ?? {})) {
                  assert.ok(lineOf(tree, 'option', text) > at, `${variant.id}: option ${text}`);
                }
              }
              // Exactly the template's fields are shown: the sections of other choices are hidden.
              const controls = tree.filter((line) => /^\s*- (textbox|combobox) /.test(line)).length;
              assert.equal(controls, template.fields.length, `${variant.id} ${template.id}: only its fields`);
              assert.ok(lineOf(tree, form.submit.role, form.submit.name) > last);
            }
          }
          for (const read of map.reads ?? []) {
            // A read with no steps is on the patient's chart (how a write is looked up); the others from home.
            if (read.open.length === 0) {
              const chart = `${ehr.url}/web/${variant.id}/patients/${patient.id}`;
              if (page.url() !== chart) await page.goto(chart);
            } else {
              await page.goto(`${ehr.url}${map.home}`);
              for (const step of read.open) await role(page, step).click();
              await page.waitForURL(`**${read.screen === 'schedule' ? '/schedule' : '/tasks'}`);
            }
            const tree = await check(read.screen);
            const at = lineOf(tree, read.table.role, read.table.name);
            const depth = (line: string): number => line.length - line.trimStart().length;
            const end = tree.findIndex((line, i) => i > at && depth(line) <= depth(tree[at] ?? ''));
            const table = tree.slice(at, end < 0 ? undefined : end);
            let column = 0;
            for (const { header } of read.columns) {
              const next = lineOf(table, 'columnheader', header, `${variant.id} ${read.id}`);
              assert.ok(next > column, `${variant.id} ${read.id}: column ${header}, in order`);
              column = next;
            }
          }
          await fetch(`${ehr.url}/$sandbox/web/expire`, { method: 'POST' });
          await page.goto(`${ehr.url}${map.home}`);
          const expired = map.screens.find((s) => s.kind === 'session-expired');
          assert.ok(expired);
          await check(expired.id);
          await context.close();
        }
      } finally {
        await browser.close();
      }
    },
  );
});

/** The parts of a screen map (packages/automation/src/model/screen-map.ts) this check reads. */
interface ElementJson {
  readonly role: string;
  readonly name: string;
}
interface ScreenContractJson {
  readonly id: string;
  readonly kind: string;
  readonly path: string;
  readonly landmarks: readonly ElementJson[];
  readonly required: readonly ElementJson[];
}
interface ScreenMapJson {
  readonly home: string;
  readonly screens: readonly ScreenContractJson[];
  readonly login: {
    screen: string;
    username: ElementJson;
    password: ElementJson;
    code?: ElementJson;
    submit: ElementJson;
  };
  readonly patientSearch: { screen: string; field: ElementJson; system: string; submit: ElementJson; chart: string };
  readonly banner: { region: ElementJson; identifiers: readonly { system: string; label: string }[] };
  readonly forms: readonly {
    readonly id: string;
    readonly open: readonly ElementJson[];
    readonly screen: string;
    readonly after: string;
    readonly lookup?: { read: string; column: string };
    readonly submit: ElementJson;
    readonly templates: readonly {
      readonly id: string;
      readonly when?: { specialty?: string; encounterType?: string };
      readonly fields: readonly { key: string; label: string; kind: string; options?: Record<string, string> }[];
    }[];
  }[];
  readonly reads?: readonly {
    readonly id: string;
    readonly screen: string;
    readonly open: readonly ElementJson[];
    readonly table: ElementJson;
    readonly columns: readonly { key: string; header: string }[];
  }[];
}

function readMap(variant: string): ScreenMapJson {
  const url = new URL(`../../../automation/maps/sandbox-${variant}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as ScreenMapJson;
}

function role(page: Page, spec: ElementJson): ReturnType<Page['getByRole']> {
  return page.getByRole(spec.role as Parameters<Page['getByRole']>[0], { name: spec.name, exact: true });
}

/**
 * The contract holds on the page: its URL pattern, each landmark and required element exactly once. Read
 * from one snapshot of the accessibility tree (one round trip per page, not one per element).
 */
async function expectContract(page: Page, contract: ScreenContractJson, variant: string): Promise<string[]> {
  const url = new URL(page.url());
  assert.ok(
    new URLPattern({ pathname: contract.path }).test({ pathname: url.pathname }),
    `${variant}: ${url.pathname} is ${contract.id}`,
  );
  const tree = (await page.locator('body').ariaSnapshot()).split('\n');
  for (const spec of [...contract.landmarks, ...contract.required]) {
    lineOf(tree, spec.role, spec.name, `${variant} ${contract.id}`);
  }
  return tree;
}

/** The line of the one node with this role and exact name in an aria snapshot (fails on none or several). */
function lineOf(tree: readonly string[], roleName: string, name: string, where = ''): number {
  const quoted = JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const node = new RegExp(`^\\s*- ${roleName} ${quoted}(?:[:\\s\\[]|$)`);
  const lines = tree.flatMap((line, i) => (node.test(line) ? [i] : []));
  assert.equal(lines.length, 1, `${where}: one ${roleName} "${name}" on the page`);
  return lines[0] ?? -1;
}
