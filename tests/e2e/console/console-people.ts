/**
 * @module Browser tests of the contacts screen: a patient's relationships shown as the graph they
 * form (family caregiver, guarantor, referring provider, case manager, broker; an ended one marked),
 * walked from the caregiver to the patient, and an import in the console: check first (the
 * reconciliation report with a refused row and its reason, nothing written), then import. Synthetic
 * people only.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { principalWith } from '@steward/server/testing';
import { screenshot, signIn, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

const mapping = {
  source: 'browser-test-crm',
  dateOrder: 'us',
  contacts: {
    id: 'id',
    kind: 'type',
    kindValues: { Person: 'person', Org: 'organization' },
    family: 'last',
    given: 'first',
    organizationName: 'org',
    birthDate: 'dob',
    phone: 'phone',
  },
  relationships: {
    file: 'relationships.csv',
    id: 'rel_id',
    from: 'from_id',
    to: 'to_id',
    type: 'kind',
    typeValues: {
      Caregiver: 'family-caregiver',
      Guarantor: 'guarantor',
      Referrer: 'referring-provider',
      'Case Mgr': 'case-manager',
      Broker: 'insurance-broker',
    },
    start: 'start',
    end: 'end',
  },
  notes: {
    file: 'notes.csv',
    id: 'note_id',
    contact: 'contact_id',
    relationship: 'rel_id',
    author: 'author',
    time: 'written_at',
    text: 'body',
  },
};

/** A practice's export around one patient; `tag` keeps each test's people apart. */
function exportFiles(tag: string, brokenNote: boolean) {
  const contacts = [
    'id,type,last,first,org,dob,phone',
    `${tag}1,Person,Hartwell${tag},Rosa,,03/02/1941,555-0100-7001`,
    `${tag}2,Person,Hartwell${tag},Daniel,,1968-07-19,555-0100-7002`,
    `${tag}3,Org,,,Northside Cardiology ${tag},,555-0100-7003`,
    `${tag}4,Person,Lindqvist${tag},Maya,,,555-0100-7004`,
    `${tag}5,Org,,,Harbor Benefits ${tag},,555-0100-7005`,
  ];
  const relationships = [
    'rel_id,from_id,to_id,kind,start,end',
    `${tag}R1,${tag}2,${tag}1,Caregiver,01/15/2020,`,
    `${tag}R2,${tag}2,${tag}1,Guarantor,01/15/2020,`,
    `${tag}R3,${tag}3,${tag}1,Referrer,06/01/2024,`,
    `${tag}R4,${tag}4,${tag}1,Case Mgr,2023-01-01,12/31/2024`,
    `${tag}R5,${tag}5,${tag}1,Broker,,`,
  ];
  const notes = [
    'note_id,contact_id,rel_id,author,written_at,body',
    `${tag}N1,${tag}1,,Staff Avery,03/14/2025 2:05 PM,Prefers morning calls; daughter-in-law drives`,
    `${tag}N2,,${tag}R1,Staff Blake,2025-02-01,Daniel manages appointments since the fall`,
    `${tag}N3,${tag}2,,Staff Casey,2025-02-02,${brokenNote ? '' : 'Spoke with Daniel about billing'}`,
  ];
  const file = (name: string, lines: string[]) => ({ name, content: lines.join('\n') + '\n' });
  return {
    mapping: file('mapping.json', [JSON.stringify(mapping, null, 2)]),
    contacts: file('contacts.csv', contacts),
    files: [file('relationships.csv', relationships), file('notes.csv', notes)],
  };
}

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function peopleTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;

  before(async () => {
    ({ world, browser } = suite);
    await world.staff('people.north', 'coordinator', 'north');
  });

  it("a caregiver's relationships are shown", async () => {
    const importer = await principalWith(world.t.kernel, 'people-importer', { role: 'coordinator', site: 'north' });
    const imported = await world.t.app.inject({
      method: 'POST',
      url: '/contacts/import/files',
      headers: { authorization: `Bearer ${importer.token}` },
      payload: { site: 'north', ...exportFiles('G', false) },
    });
    assert.equal(imported.statusCode, 200, imported.body);
    assert.equal(imported.json<{ reconciled: boolean }>().reconciled, true);

    const page = await browser.newPage();
    await signIn(page, world, 'people.north');
    await page.goto(`${world.url}/console/#/contacts`);
    await page.getByRole('heading', { name: 'Contacts and relationships at north' }).waitFor();
    await page.getByLabel('Name, birth date (YYYY-MM-DD) or phone').fill('daniel hartwellg');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list', { name: 'Contacts found' }).getByRole('link', { name: 'Daniel HartwellG' }).click();
    // The caregiver: two relationships to the patient, each with its role, period and authority.
    await page.getByRole('heading', { name: 'Daniel HartwellG' }).waitFor();
    const rows = page.getByRole('table').getByRole('row');
    // Each row names the other person's role: Rosa is the one Daniel cares for and guarantees.
    await rows.filter({ hasText: 'cared-for person' }).waitFor();
    const caregiving = await rows.filter({ hasText: 'cared-for person' }).innerText();
    assert.match(caregiving, /Rosa HartwellG/);
    assert.match(caregiving, /since 2020-01-15/);
    assert.match(caregiving, /manages appointments/);
    assert.match(caregiving, /Daniel manages appointments since the fall/, 'the relationship’s note');
    assert.match(await rows.filter({ hasText: 'guaranteed party' }).innerText(), /receives bills/);

    // Walk the graph to the patient: every relationship around her, the ended one marked.
    await page.getByRole('table').getByRole('link', { name: 'Rosa HartwellG' }).first().click();
    await page.getByRole('heading', { name: 'Rosa HartwellG' }).waitFor();
    const graph = page.getByRole('img', { name: /^Relationship graph of Rosa HartwellG/ });
    const label = (await graph.getAttribute('aria-label')) ?? '';
    for (const role of [
      'Daniel HartwellG, family caregiver and guarantor',
      'referring provider',
      'case manager (ended)',
      'insurance broker',
    ])
      assert.ok(label.includes(role), `${role} in ${label}`);
    assert.match(
      await page.getByRole('heading', { name: /^Relationships/ }).innerText(),
      /Relationships \(5, 4 current\)/,
    );
    assert.match(await rows.filter({ hasText: 'Maya LindqvistG' }).innerText(), /2023-01-01 to 2024-12-31\s*ended/);
    assert.match(await page.locator('.contact__notes').last().innerText(), /2025-03-14T14:05:00 · Staff Avery/);
    await screenshot(page, 'contacts-relationships');
    await page.close();
  });

  it('an import shows its reconciliation report', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'people.north');
    await page.goto(`${world.url}/console/#/contacts/import`);
    await page.getByRole('heading', { name: 'Import contacts into north' }).waitFor();
    const upload = (f: { name: string; content: string }) => ({
      name: f.name,
      mimeType: f.name.endsWith('.json') ? 'application/json' : 'text/csv',
      buffer: Buffer.from(f.content),
    });
    const files = exportFiles('I', true);
    await page.getByLabel('Mapping file (JSON)').setInputFiles(upload(files.mapping));
    await page.getByLabel('Contacts file (CSV or JSON)').setInputFiles(upload(files.contacts));
    await page.getByLabel('Relationship and note files the mapping names').setInputFiles(files.files.map(upload));
    assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled(), true, 'check first');
    await page.getByRole('button', { name: 'Check (nothing is written)' }).click();
    await page.getByRole('heading', { name: /check only, nothing written/ }).waitFor();
    const report = page.locator('.reconciliation');
    assert.match(await report.getByRole('row', { name: /^Contacts/ }).innerText(), /Contacts\s+5\s+5\s+0\s+0\s+0\s+0/);
    assert.match(await report.getByRole('row', { name: /^Notes/ }).innerText(), /Notes\s+3\s+2\s+0\s+0\s+0\s+1/);
    const refused = await report.locator('.reconciliation__refused tbody tr').allInnerTexts();
    assert.deepEqual(
      refused.map((r) => r.split('\t').map((c) => c.trim())),
      [['notes.csv', '4', 'note', 'body', 'missing note text']],
    );
    await screenshot(page, 'contacts-import-check');
    const { rows } = await world.t.db.query<{ n: string | number }>('select count(*) as n from rel_source_records');
    const before = Number(rows[0]?.n);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Reconciliation report — imported' }).waitFor();
    assert.match(await report.getByRole('status').innerText(), /every row is accounted for/);
    assert.match(await report.getByRole('row', { name: /^Relationships/ }).innerText(), /Relationships\s+5\s+5/);
    const after = await world.t.db.query<{ n: string | number }>('select count(*) as n from rel_source_records');
    assert.equal(
      Number(after.rows[0]?.n),
      before + 10,
      'five contacts and five relationships filed by the import, none by the check',
    );
    await page.close();
  });
}
