/**
 * @module Browser tests of the automation runs screen: a compliance officer who also reads charts at
 * the site finds a run by outcome, sees the patient by name and the approver by name, replays it step
 * by step (real PNG screenshots, decrypted by the server, each view audited naming the patient), and
 * an administrator sees the same run without its screenshots.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RequestContext } from '@steward/core';
import { queryAudit } from '@steward/governance';
import { principalWith } from '@steward/server/testing';
import { SITE, expectAccessible, screenshot, signIn, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function automationTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;
  let runId = '';
  let patientId = '';

  before(async () => {
    ({ world, browser } = suite);
    const { t, connection } = world;
    await world.staff('priya.runs', 'compliance_officer', '*', { alsoGranted: { role: 'coordinator', site: SITE } });
    await world.staff('lee.runs', 'admin', '*');
    const approver = await world.staff('maria.runs', 'coordinator', SITE);
    const indexer = await principalWith(t.kernel, 'runs-indexer', { role: 'coordinator', site: SITE });
    patientId = await t.kernel.patients.resolve(
      { actor: { kind: 'user', id: indexer.id, name: 'runs-indexer', authMethod: 'api-token' } },
      {
        connectionId: connection.id,
        site: SITE,
        identifiers: [{ system: MRN, value: 'MRN-R5521' }],
        demographics: { name: { family: 'Okonkwo', given: ['Ada'] }, birthDate: '1958-07-14' },
      },
    );
    // Real screenshots: two EHR-like pages rendered by the browser itself.
    const painter = await browser.newPage({ viewport: { width: 480, height: 240 } });
    const shot = async (title: string, colour: string): Promise<Buffer> => {
      await painter.setContent(
        `<body style="margin:0;font:20px sans-serif;background:${colour}"><h1>${title}</h1><p>Okonkwo, Ada</p></body>`,
      );
      return painter.screenshot({ type: 'png' });
    };
    const shots = [await shot('Chart', '#dfe9f5'), await shot('Encounter form', '#f5ecdf')];
    await painter.close();
    const screens = await principalWith(t.kernel, 'north-screens', { role: 'integration', site: SITE });
    const ctx: RequestContext = {
      actor: { kind: 'user', id: screens.id, name: 'north-screens', authMethod: 'api-token' },
    };
    const runs = t.kernel.automationRuns;
    const run = await runs.start(ctx, {
      connectionId: connection.id,
      site: SITE,
      purpose: 'TREAT',
      kind: 'write',
      identity: { accountId: screens.id, approvedBy: approver.id },
      patients: [patientId],
      proposalId: '7d3f2a10-4c5b-4e6f-8a9b-0c1d2e3f4a5b',
      mapVersion: 2,
    });
    runId = run.id;
    const at = t.clock.now().getTime();
    const step = (index: number) => ({
      index,
      startedAt: new Date(at + index * 900).toISOString(),
      outcome: 'ok' as const,
    });
    const rec = runs.recorder(run.id);
    await rec.step({
      ...step(0),
      action: 'open-patient',
      screen: 'chart',
      target: 'patient search',
      inputEvents: 14,
      durationMs: 820,
      screenshot: shots[0]!,
    });
    await rec.step({
      ...step(1),
      action: 'fill',
      screen: 'encounter-form',
      target: 'Reason for visit',
      value: 'Knee pain since May',
      inputEvents: 9,
      durationMs: 310,
      screenshot: shots[1]!,
    });
    await rec.step({
      ...step(2),
      action: 'read-back',
      screen: 'encounter-form',
      target: 'Reason for visit',
      inputEvents: 0,
      durationMs: 40,
    });
    await runs.finish(run.id, {
      status: 'halted',
      reason: 'read-back-mismatch',
      detail: 'field: Reason for visit',
      steps: 3,
      submitted: false,
    });
    // A screen read that finished: the outcome filter leaves it out.
    const other = await runs.start(ctx, {
      connectionId: connection.id,
      site: SITE,
      purpose: 'TREAT',
      kind: 'read',
      identity: { accountId: screens.id },
      patients: [],
      mapVersion: 2,
    });
    await runs.finish(other.id, { status: 'done', steps: 0 });
  });

  it('finds a halted run, names its people, and replays it step by step with each screenshot audited', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'priya.runs');
    await page.getByRole('link', { name: 'Automation runs' }).click();
    await page
      .getByLabel('Outcome')
      .selectOption({ label: 'Stopped: a value read back differed from what was entered' });
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByRole('table').getByRole('row');
    await rows.nth(1).getByText('Okonkwo, Ada').waitFor();
    assert.equal(await rows.count(), 2, 'the header and the one halted run');
    const row = await rows.nth(1).innerText();
    assert.match(
      row,
      /Okonkwo, Ada · born 1958-07-14[\s\S]*Write to the EHR at north[\s\S]*north-screens[\s\S]*maria\.runs[\s\S]*3/,
    );
    assert.match(row, /Stopped: a value read back differed from what was entered \(field: Reason for visit\)/);
    // The list's accessibility is checked with every screen the navigation offers (console-quality.ts).
    await screenshot(page, 'automation-runs');
    await rows.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: 'Step 1 of 3' }).waitFor();
    const img = page.getByRole('img', { name: 'The EHR screen after step 1' });
    await img.waitFor();
    assert.ok((await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)) === 480, 'the decrypted PNG shows');
    assert.match(await page.locator('main').innerText(), /Opened the patient[\s\S]*patient search[\s\S]*820 ms/);
    await screenshot(page, 'automation-run-step-1');
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByRole('heading', { name: 'Step 2 of 3' }).waitFor();
    await page.getByRole('img', { name: 'The EHR screen after step 2' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Entered a value[\s\S]*Reason for visit/);
    assert.ok(!(await page.content()).includes('Knee pain'), 'the value entered is not shown');
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByText('No screenshot was taken at this step.').waitFor();
    assert.ok(await page.getByRole('button', { name: 'Next step' }).isDisabled());
    await expectAccessible(page, 'automation run replay');
    await screenshot(page, 'automation-run');
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(await page.locator('main').innerText()), 'no UUIDs on screen');
    const views = (await queryAudit(world.t.db, world.t.cipher, { events: ['phi.read'], entityId: runId })).entries;
    assert.deepEqual(
      views.map((e) => [e.reason, e.patientIds, e.fields]),
      [
        ['replay:step:0', [patientId], ['screenshot']],
        ['replay:step:1', [patientId], ['screenshot']],
      ],
    );
    await page.close();
  });

  it('shows an administrator the run without its screenshots', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'lee.runs');
    await page.goto(`${world.url}/console/#/automation/${runId}`);
    await page.getByRole('heading', { name: 'Step 1 of 3' }).waitFor();
    await page.getByText(/Screenshots show patient data/).waitFor();
    assert.equal(await page.getByRole('img').count(), 0);
    await page.close();
  });
}
