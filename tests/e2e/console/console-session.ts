/**
 * @module Browser tests of the console's sign-in and session: sign-in with MFA, the idle warning and lock with re-authentication
 * that resumes the same screen, break-glass with its reason on screen, and a role that must not
 * see a patient not seeing it.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
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
    const tokens = new Set<string>();
    page.on('request', (r) => {
      const auth = r.headers()['authorization'];
      if (auth !== undefined) tokens.add(auth);
    });
    await signIn(page, world, 'coord.north');
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
    // The token the page used is dead at the server.
    await waitFor(async () => {
      for (const auth of tokens) {
        const r = await world.t.app.inject({ method: 'GET', url: '/me', headers: { authorization: auth } });
        if (r.statusCode !== 401) return false;
      }
      return true;
    });
    assert.equal(await page.getByLabel('Username').inputValue(), 'coord.north');
    await page.getByLabel('Password').fill(staffPassword);
    await page.getByLabel('Authenticator code').fill(world.nextCode('coord.north'));
    await page.getByRole('button', { name: 'Sign in to resume' }).click();
    await page.getByRole('heading', { name: /Change appointment status/ }).waitFor();
    await page.close();
  });

  it('starts break-glass only with a reason, and shows the reason on screen while it lasts', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.south');
    await page.getByRole('button', { name: 'Break glass' }).click();
    const start = page.getByRole('button', { name: 'Start break-glass access' });
    await page.getByLabel('Site code').fill('north');
    await page.getByLabel(/Reason/).fill('too short');
    assert.equal(await start.isDisabled(), true, 'a reason under 10 characters is not enough');
    await page.getByLabel(/Reason/).fill('Patient in ED, chart needed for emergency treatment');
    await start.click();
    const banner = page.locator('.break-glass-banner');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Break-glass access active/);
    assert.match(text, /north/);
    assert.match(text, /Patient in ED, chart needed for emergency treatment/);
    const episodes = await world.t.kernel.breakGlass.list({ unreviewedOnly: true });
    assert.ok(episodes.some((e) => e.site === 'north' && e.username === 'coord.south'));
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

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
