/**
 * @module Browser tests of the console's sign-in and session: sign-in with MFA, the session cookie
 * surviving a reload and shared by a second tab, the idle warning and lock with re-authentication
 * that resumes the same screen (and still locked after a reload), break-glass end to end (offered
 * only to the eligible, the other site selectable with a countdown, the compliance review with the
 * reads made under it and their patients by name), and a role that must not see a patient not seeing it.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { principalWith } from '@steward/server/testing';
import { signIn, staffPassword, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function sessionTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;

  before(async () => {
    ({ world, browser } = suite);
    await world.staff('coord.north', 'coordinator', 'north');
    await world.staff('coord.south', 'coordinator', 'south', { breakGlass: true });
    await world.staff('compliance', 'compliance_officer', '*');
    await world.staff('coord.west', 'coordinator', 'west');
  });

  it('a reload keeps the session, and the token never reaches the page', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.north');
    const cookie = await sessionCookie(page.context());
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'no script can read it');
    await page.goto(`${world.url}/console/#/followups`);
    await page.reload();
    await page.getByRole('heading', { name: /^Follow-ups at north/ }).waitFor();
    assert.equal(await page.getByLabel('Signed in as').innerText(), 'coord.north');
    assert.equal(await page.getByRole('heading', { name: 'Sign in to Steward' }).count(), 0);
    await page.close();
  });

  it('a second tab shares it, and signing out in one ends both', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    await signIn(first, world, 'coord.north');
    const second = await context.newPage();
    await second.goto(`${world.url}/console/#/referrals`);
    await second.getByRole('heading', { name: /^Referrals at north/ }).waitFor();
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    // The first tab hears of it at once, without waiting for its next request.
    await first.getByRole('heading', { name: 'Session locked' }).waitFor();
    assert.equal((await context.cookies()).filter((c) => c.name === cookieName).length, 0, 'cleared');
    await context.close();
  });

  it('still locked after the idle limit: a reload does not bring the session back', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.install();
    await signIn(page, world, 'coord.north');
    await page.clock.fastForward(15 * 60_000 + 2_000);
    await page.getByRole('heading', { name: 'Session locked' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Screens' }).count(), 0);

    await context.close();
  });

  it('asks for password and TOTP first, refuses a wrong code, and lets the right one in', async () => {
    const page = await browser.newPage();
    await page.goto(`${world.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    await page.getByLabel('Username').fill('coord.north');
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByLabel('Authenticator code').fill('000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /incorrect/);
    assert.equal(await page.getByRole('navigation', { name: 'Screens' }).count(), 0, 'nothing behind the sign-in');

    await page.getByLabel('Password').fill(staffPassword);
    await page.getByLabel('Authenticator code').fill(world.nextCode('coord.north'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Review queue' }).getAttribute('aria-current'), 'page');
    await page.close();
  });

  it('warns before the idle time-out, locks at it (ending the session at the server), and resumes after re-authentication', async () => {
    const patient = await world.patient('Idle');
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await page.clock.install();
    await signIn(page, world, 'coord.north');
    const { value: token } = await sessionCookie(page.context());
    await page.goto(`${world.url}/console/#/review/${proposal.id}`);
    await page.getByRole('heading', { name: /Change appointment status/ }).waitFor();

    // 15 minutes idle at the server's setting: the warning comes a minute before.
    await page.clock.fastForward(14 * 60_000 + 5_000);
    const warning = page.getByRole('alertdialog', { name: 'Still there?' });
    await warning.waitFor();
    assert.match(await warning.innerText(), /signed out in \d+ seconds/);
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'detached' });

    await page.clock.fastForward(15 * 60_000 + 2_000);
    await page.getByRole('heading', { name: 'Session locked' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: /Change appointment status/ }).isVisible(), false);
    // The session the page used is dead at the server.
    await waitFor(async () => {
      const r = await world.t.app.inject({ method: 'GET', url: '/me', headers: { cookie: `${cookieName}=${token}` } });
      return r.statusCode === 401;
    });
    assert.equal(await page.getByLabel('Username').inputValue(), 'coord.north');
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByLabel('Authenticator code').fill(world.nextCode('coord.north'));
    await page.getByRole('button', { name: 'Sign in to resume' }).click();
    await page.getByRole('heading', { name: /Change appointment status/ }).waitFor();
    await page.close();
  });

  it('an ineligible user is not offered the form, and is told why at once', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.west');
    await page.getByRole('button', { name: 'Break glass' }).click();
    const dialog = page.getByRole('dialog', { name: 'Break-glass access' });
    await dialog.waitFor();
    assert.match(await dialog.getByRole('alert').innerText(), /not on the break-glass list/);
    assert.equal(await dialog.getByLabel(/Reason/).count(), 0, 'no form to fill in');
    assert.equal(await page.getByRole('button', { name: 'Start break-glass access' }).count(), 0);
    await page.close();
  });

  it('break-glass makes the other site’s queue visible, with a countdown banner, until it ends', async () => {
    const page = await browser.newPage();
    await page.clock.install();
    await signIn(page, world, 'coord.south');
    const picker = page.getByLabel('Site in view');
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['south']);
    await page.getByRole('button', { name: 'Break glass' }).click();
    const start = page.getByRole('button', { name: 'Start break-glass access' });
    await page.getByLabel('Site code').fill('north');
    await page.getByLabel(/Reason/).fill('too short');
    assert.equal(await start.isDisabled(), true, 'a reason under 10 characters is not enough');
    await page.getByLabel(/Reason/).fill('Patient in ED, chart needed for emergency treatment');
    await page.getByLabel(/Minutes/).fill('2');
    await start.click();
    const banner = page.locator('.break-glass-banner');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Break-glass access active/);
    assert.match(text, /north/);
    assert.match(text, /Patient in ED, chart needed for emergency treatment/);
    assert.match(text, /[12] min \d\d s left/);
    await page.clock.fastForward(30_000);
    assert.match(await banner.innerText(), /1 min [0-3]\d s left/, 'it counts down');

    // The other site is in view, its chart screens (not the review queue) work.
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['north (break-glass)', 'south']);
    assert.equal(await picker.inputValue(), 'north');
    assert.equal(await page.getByRole('link', { name: 'Review queue' }).count(), 0);
    await page.getByRole('link', { name: 'Follow-ups' }).click();
    await page.getByRole('heading', { name: /^Follow-ups at north/ }).waitFor();
    await page.getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('heading', { name: /^Referrals at north/ }).waitFor();
    await page.getByText(/\d+ referrals; \d+ overdue/).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'no refusal');
    const episodes = await world.t.kernel.breakGlass.list({ unreviewedOnly: true });
    assert.ok(episodes.some((e) => e.site === 'north' && e.username === 'coord.south'));

    // It ends: the banner goes, and the screens lose the site.
    world.t.clock.advance(2 * 60_000);
    await page.clock.fastForward(95_000);
    await banner.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: /^Referrals at south/ }).waitFor();
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['south']);
    await page.close();
  });

  it('the compliance officer reviews the use, with the reads made under it', async () => {
    // An emergency physician of another site breaks the glass and searches north's follow-ups (through the API).
    const doctor = await principalWith(
      world.t.kernel,
      'er.doctor',
      { role: 'clinician_reviewer', site: 'east' },
      {
        breakGlass: true,
      },
    );
    const as = { authorization: `Bearer ${doctor.token}` };
    const started = await world.t.app.inject({
      method: 'POST',
      url: '/break-glass',
      headers: as,
      payload: { site: 'north', reason: 'Unconscious patient brought to the ED', minutes: 5 },
    });
    assert.equal(started.statusCode, 201, started.body);
    assert.equal(
      (await world.t.app.inject({ method: 'GET', url: '/followups?site=north', headers: as })).statusCode,
      200,
    );
    // …and opens one north patient's page (filed by north's coordinator): the review must say whose
    // chart it was (ADR 0021).
    const filer = await principalWith(world.t.kernel, 'bg.filer', { role: 'coordinator', site: 'north' });
    const patient = await world.t.kernel.patients.resolve(
      { actor: { kind: 'user', id: filer.id, name: 'bg.filer', authMethod: 'api-token' } },
      {
        connectionId: world.connection.id,
        site: 'north',
        identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-BG-0001' }],
        demographics: { name: { family: 'Glassbrook', given: ['Ada'] }, birthDate: '1961-07-14' },
      },
    );
    assert.equal(
      (await world.t.app.inject({ method: 'GET', url: `/patients/${patient}/overview`, headers: as })).statusCode,
      200,
    );

    const page = await browser.newPage();
    await signIn(page, world, 'compliance');
    assert.equal(await page.getByRole('button', { name: 'Break glass' }).count(), 0, 'reads no charts: not offered');
    await page.getByRole('link', { name: 'Break-glass review' }).click();
    const episode = page.getByRole('listitem').filter({ hasText: 'er.doctor at north' });
    await episode.waitFor();
    assert.match(await episode.innerText(), /Unconscious patient brought to the ED/);
    await episode.getByRole('table').waitFor();
    const reads = await episode.getByRole('table').innerText();
    assert.match(reads, /Searched charts/, 'the follow-up search made under it');
    assert.match(reads, /Glassbrook, Ada · born 1961-07-14/, 'the patient read under it, by name and birth date');
    assert.doesNotMatch(reads, new RegExp(patient.slice(0, 8)), 'not as a Steward id');
    assert.doesNotMatch(reads, /Break glass start/);
    await episode.getByLabel(/Review note/).fill('Checked with the ED: justified, admitted patient.');
    await episode.getByRole('button', { name: 'Record review' }).click();
    await episode.waitFor({ state: 'detached' });
    const reviewed = await world.t.kernel.breakGlass.list({});
    assert.ok(reviewed.some((e) => e.username === 'er.doctor' && e.reviewedAt !== undefined));
    await page.getByLabel('Include episodes already reviewed').check();
    await page.getByRole('listitem').filter({ hasText: 'er.doctor at north' }).getByText('Reviewed').first().waitFor();
    await page.close();
  });

  it('a coordinator of another site sees neither the proposal nor the patient, even by its address', async () => {
    const patient = await world.patient('Hiddenname');
    const { proposal } = await world.draftAppointmentStatus(patient, 'cancelled');
    const outsider = await browser.newPage();
    await signIn(outsider, world, 'compliance');
    // The compliance officer has no review screen at all.
    assert.equal(await outsider.getByRole('link', { name: 'Review queue' }).count(), 0);
    await outsider.close();

    const page = await browser.newPage();
    await world.staff('coord.east', 'coordinator', 'east');
    await signIn(page, world, 'coord.east');
    await page.getByText(/Nothing here: no proposals match/).waitFor();
    await page.goto(`${world.url}/console/#/review/${proposal.id}`);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /not found/);
    const body = await page.locator('body').innerText();
    assert.doesNotMatch(body, /Hiddenname/);
    assert.doesNotMatch(body, new RegExp(patient.identifiers[0]!.value));
    await page.close();
  });

  it('the compliance officer finds who accessed a patient by their MRN, and a term naming nobody says so', async () => {
    const patient = await world.patient('Audited');
    const mrn = patient.identifiers[0]!;
    // Steward met the patient as the EHR's feed would give them (by EHR id and MRN).
    const feed = await principalWith(world.t.kernel, 'north-feed', { role: 'integration', site: 'north' });
    await world.t.kernel.patients.resolve(
      { actor: { kind: 'service', id: feed.id, name: 'north-feed', authMethod: 'api-token' } },
      { connectionId: world.connection.id, site: 'north', ehrId: patient.ehrId, identifiers: patient.identifiers },
    );
    // The coordinator opens the patient's proposal in the console: a PHI read naming the patient.
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const coord = await browser.newPage();
    await signIn(coord, world, 'coord.north');
    await coord.goto(`${world.url}/console/#/review/${proposal.id}`);
    await coord.getByRole('heading', { name: /Change appointment status/ }).waitFor();
    await coord.close();

    const page = await browser.newPage();
    await signIn(page, world, 'compliance');
    await page.goto(`${world.url}/console/#/audit`);
    await page.getByLabel('Patient').fill(mrn.value);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const rows = page.locator('.audit-results tbody tr');
    await rows.first().waitFor();
    const text = await page.locator('.audit-results').innerText();
    assert.match(text, /phi\.read/, 'the coordinator’s read of the proposal is listed');
    assert.match(text, /coord\.north/, 'by the coordinator’s name, not only an id');
    assert.equal(await page.getByText(/No patient matches/).count(), 0);

    await page.getByLabel('Patient').fill('MRN-0000-nobody');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText(/No patient matches “MRN-0000-nobody”/).waitFor();
    assert.equal(await rows.count(), 0, 'no table when the term names nobody');
    await page.close();
  });
}

const cookieName = '__Host-steward_session';

/** The console's session cookie in a browser context (the test reads it; the page's script cannot). */
async function sessionCookie(
  context: BrowserContext,
): Promise<{ value: string; httpOnly: boolean; secure: boolean; sameSite: string }> {
  const cookie = (await context.cookies()).find((c) => c.name === cookieName);
  if (cookie === undefined) throw new Error('no session cookie');
  return cookie;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
