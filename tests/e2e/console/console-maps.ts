/**
 * @module Browser tests of the screen maps screen: a map an administrator proposed is listed with
 * its connection by name; the administrator cannot approve their own (the server's reason shown);
 * the compliance officer opens it on what it changes and approves it, after which runs follow it.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { expectAccessible, screenshot, signIn, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function mapsTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;
  let proposerId = '';

  before(async () => {
    ({ world, browser } = suite);
    proposerId = (await world.staff('maps.admin', 'admin', '*')).id;
    await world.staff('maps.officer', 'compliance_officer', '*');
  });

  it('lists a proposed map, refuses its proposer, and lets the compliance officer approve it', async () => {
    const c = world.connection;
    const ctx = { actor: { kind: 'user', id: proposerId, name: 'maps.admin', authMethod: 'password' } } as const;
    const element = (role: string, name: string) => ({ role, name });
    await world.t.kernel.screenMaps.propose(
      ctx,
      {
        connectionId: c.name,
        site: c.site,
        version: 0,
        origin: 'https://ehr.example.org',
        home: '/home',
        screens: [
          { id: 'login', kind: 'login', path: '/login', landmarks: [element('main', '')], required: [] },
          { id: 'home', kind: 'work', path: '/home', landmarks: [element('main', '')], required: [] },
          {
            id: 'chart',
            kind: 'work',
            path: '/patients/:id',
            landmarks: [element('region', 'Patient banner')],
            required: [],
          },
        ],
        login: {
          screen: 'login',
          username: element('textbox', 'Username'),
          password: element('textbox', 'Password'),
          submit: element('button', 'Sign in'),
        },
        patientSearch: {
          screen: 'home',
          field: element('searchbox', 'MRN'),
          system: 'urn:mrn',
          submit: element('button', 'Search'),
          chart: 'chart',
        },
        banner: {
          region: element('region', 'Patient banner'),
          identifiers: [
            { system: 'urn:mrn', label: 'MRN' },
            { system: 'birthDate', label: 'DOB' },
          ],
        },
        forms: [
          {
            id: 'note',
            resourceType: 'Communication',
            open: [element('link', 'Add note')],
            screen: 'chart',
            submit: element('button', 'Save note'),
            after: 'chart',
            templates: [
              { id: 'default', fields: [{ key: 'payload/0/contentString', label: 'Note text', kind: 'text' }] },
            ],
          },
        ],
      },
      'recorded at the front desk',
    );

    const own = await browser.newPage();
    await signIn(own, world, 'maps.admin');
    await own.getByRole('link', { name: 'Screen maps' }).click();
    await own.getByRole('button', { name: `Review version 1 for ${c.name} at ${c.site}` }).click();
    await own.getByRole('button', { name: 'Approve version 1' }).click();
    await own.getByText(/Refused: .*someone other than the person who proposed it/).waitFor();
    await own.close();

    const page = await browser.newPage();
    await signIn(page, world, 'maps.officer');
    await page.getByRole('link', { name: 'Screen maps' }).click();
    // The screen's own button first: until it renders, rows of the screen before it match too.
    await page.getByRole('button', { name: `Review version 1 for ${c.name} at ${c.site}` }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(c.name) });
    assert.match(await row.innerText(), /None approved[\s\S]*Version 1: Waiting for review[\s\S]*maps\.admin/);
    await page.getByRole('button', { name: `Review version 1 for ${c.name} at ${c.site}` }).click();
    const panel = page.getByRole('region', { name: `Version 1 for ${c.name} at ${c.site}` });
    await panel.getByText('The first map for this connection and site', { exact: false }).waitFor();
    assert.match(await panel.innerText(), /Note from maps\.admin: recorded at the front desk/);
    assert.match(await panel.innerText(), /added \/forms\/note/);
    await expectAccessible(page, 'screen maps review');
    await screenshot(page, 'admin-screen-maps');
    await panel.getByRole('button', { name: 'Approve version 1' }).click();
    await page.getByText(`Version 1 approved: runs at ${c.site} follow it from now on.`).waitFor();
    assert.equal((await world.t.kernel.screenMaps.current(c.id, c.site))?.version, 1);
    await page.close();
  });
}
