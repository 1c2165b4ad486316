/**
 * @module Browser tests of the administration screens: an administrator reads a connection's health
 * (its attention list with a dead letter and its reason), grants a role and revokes a token after
 * confirming (both effective at the server), a compliance officer sets an approval policy after
 * confirming, sees it named as theirs and retires it, a site is configured (an impossible holiday
 * refused with its reason) and edited, and a coordinator is offered none of these screens.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { principalWith } from '@steward/server/testing';
import { screenshot, signIn, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function adminTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;

  before(async () => {
    ({ world, browser } = suite);
    await world.staff('it.admin', 'admin', '*');
    await world.staff('policy.officer', 'compliance_officer', '*');
    await world.staff('desk.coord', 'coordinator', 'north');
  });

  it("shows the administrator the sandbox connection's health, with a dead letter and its reason", async () => {
    const { kernel } = world.t;
    const c = world.connection;
    await kernel.ehrJournal.forConnection({ actor: kernel.connections.actorOf(c) }, c).deadLetter(
      {
        connectionId: c.id,
        channel: 'hl7v2',
        messageKey: 'ADMIN-BAD-1',
        raw: 'not an HL7 message',
        messageType: 'ADT^A04',
        receivedAt: kernel.clock.now(),
      },
      'MSH segment missing',
    );
    const page = await browser.newPage();
    await signIn(page, world, 'it.admin');
    await page.getByRole('link', { name: 'EHR connections' }).click();
    const panel = page.getByRole('region', { name: `Connection ${c.name}` });
    await panel.getByText('1 dead letter', { exact: true }).waitFor();
    const row = panel.getByRole('row', { name: /ADT\^A04/ });
    assert.match(await row.innerText(), /Dead letter[\s\S]*MSH segment missing/);
    assert.match(await panel.innerText(), /HL7 v2 listener/);
    assert.ok(!(await page.content()).includes('not an HL7 message'), 'never the message content');
    await screenshot(page, 'admin-connections');
    await page.close();
  });

  it('grants a role and revokes a token, each after confirming where it cannot be undone', async () => {
    const hire = await world.staff('new.hire', 'front_desk', 'north');
    const service = await principalWith(world.t.kernel, 'ai-service', { role: 'automation', site: 'north' });
    const page = await browser.newPage();
    await signIn(page, world, 'it.admin');
    await page.getByRole('link', { name: 'Users and access' }).click();
    const grant = page.getByRole('form', { name: 'Grant a role' });
    await grant.getByLabel('Who').selectOption({ label: 'new.hire' });
    await grant.getByLabel('Role').selectOption({ label: 'Clinician reviewer' });
    await grant.getByLabel('Site').selectOption({ label: 'north' });
    await grant.getByRole('button', { name: 'Grant role' }).click();
    await page.getByText('new.hire is now Clinician reviewer at north.').waitFor();
    const grants = await world.t.kernel.grants.forPrincipal(hire.id);
    assert.ok(grants.some((g) => g.principalId === hire.id && g.role === 'clinician_reviewer' && g.site === 'north'));

    const me = () =>
      world.t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${service.token}` } });
    assert.equal((await me()).statusCode, 200);
    await page.getByRole('button', { name: 'Revoke token test of ai-service (service)' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Revoke token test?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await me()).statusCode, 200, 'cancelled: nothing revoked');
    await page.getByRole('button', { name: 'Revoke token test of ai-service (service)' }).click();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Token test of ai-service (service) is revoked.').waitFor();
    assert.equal((await me()).statusCode, 401);
    assert.ok(!(await page.content()).includes(service.token), 'no token secret on the page');
    await screenshot(page, 'admin-users');
    await page.close();
  });

  it('lets a compliance officer require a clinician for an action type and retire it, after confirming, named as theirs', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'policy.officer');
    await page.getByRole('link', { name: 'Approval policies' }).click();
    await page.getByRole('button', { name: 'Change the policy for File a document draft' }).click();
    await page.getByLabel('Clinician reviewer').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alertdialog', { name: 'Set the policy for File a document draft?' }).waitFor();
    await page.getByRole('button', { name: 'Require review' }).click();
    await page
      .getByRole('status')
      .getByText(/File a document draft: reviewed by a clinician reviewer/)
      .waitFor();
    const row = page.getByRole('row', { name: /File a document draft/ });
    await row.getByText('policy.officer').waitFor();
    // Retired: back to the rule without a policy (so later tests' reviewers are not bound by it).
    await page.getByRole('button', { name: 'Retire the policy for File a document draft' }).click();
    await page.getByRole('button', { name: 'Require review' }).click();
    await row.getByText('reviewed by anyone who may decide reviews at the site').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retire the policy for File a document draft' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Users and access' }).count(), 0, 'no user administration');
    await page.close();
  });

  it('configures a site, refusing an impossible holiday with its reason, then edits it as a new version', async () => {
    await world.staff('east.coord', 'coordinator', 'east');
    const page = await browser.newPage();
    await signIn(page, world, 'it.admin');
    await page.getByRole('link', { name: 'Sites' }).click();
    await page.getByRole('button', { name: 'Configure east' }).click();
    const form = page.getByRole('dialog', { name: 'Configure site east' });
    await form.getByLabel('Name', { exact: true }).fill('East Clinic');
    await form.getByLabel(/^Time zone/).fill('America/Chicago');
    await form.getByLabel(/^Holidays/).fill('2026-12-25\n2026-13-01');
    await form.getByRole('button', { name: 'Save site' }).click();
    await form.getByText(/Refused: .*holidays\.1/).waitFor();
    await form.getByLabel(/^Holidays/).fill('2026-12-25');
    await form.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Site East Clinic saved.').waitFor();
    const card = page.getByRole('region', { name: 'Site East Clinic' });
    assert.match(await card.innerText(), /America\/Chicago[\s\S]*Saturday: closed[\s\S]*2026-12-25/);

    await card.getByRole('button', { name: 'Edit East Clinic' }).click();
    await page.getByLabel('Name', { exact: true }).fill('East Heart Clinic');
    await page.getByRole('button', { name: 'Save site' }).click();
    const renamed = page.getByRole('region', { name: 'Site East Heart Clinic' });
    await renamed.getByText(/by it\.admin \(version 2\)/).waitFor();
    await page.close();
  });

  it('offers a coordinator none of the administration screens, even by address', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'desk.coord');
    const nav = await page.getByRole('navigation', { name: 'Screens' }).innerText();
    for (const title of ['Approval policies', 'Sites', 'EHR connections', 'Users and access'])
      assert.ok(!nav.includes(title), `${title} not offered`);
    await page.goto(`${world.url}/console/#/users`);
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Users, grants and tokens' }).count(), 0);
    await page.close();
  });
}
