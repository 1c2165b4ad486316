/**
 * @module Browser tests of the review screen against the sandbox EHR: approve (written and verified in the
 * EHR) and reject (nothing written), a conflict shown as a diff on the rebased revision, approval
 * with the keyboard alone from sign-in to written, bulk approval confirmed with each patient and
 * change, an edit through the action's form and its diff for the next reviewer, approve not offered
 * on one's own edit, rollback of a written change, retry of a failed one, and hostile text from the
 * EHR rendered inert.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import type { Browser, Page } from 'playwright-core';
import {
  screenshot,
  signIn,
  staffPassword,
  type ConsoleSuite,
  type ConsoleWorld,
  type Staff,
} from './console-harness.js';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function reviewTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;
  let coord: Staff;
  let clin: Staff;

  before(async () => {
    ({ world, browser } = suite);
    coord = await world.staff('coord', 'coordinator', 'north');
    clin = await world.staff('clin', 'clinician_reviewer', 'north');
  });

  /** A patient in the EHR and in Steward's patient index, so lists name them (as the clinic's ingest does). */
  const indexedPatient = async (family: string): Promise<Awaited<ReturnType<ConsoleWorld['patient']>>> => {
    const p = await world.patient(family);
    const stewardId = await world.t.kernel.patients.resolve(as(coord), {
      connectionId: world.connection.id,
      site: 'north',
      ehrId: p.ehrId,
      identifiers: p.identifiers,
      demographics: { name: { family, given: ['Synthetic'] }, birthDate: '1970-01-01' },
    });
    return { ...p, stewardId };
  };

  /** A staff member acting through the API (not the browser), as their session would. */
  const as = (s: Staff): RequestContext => ({
    actor: { kind: 'user', id: s.id, name: s.username, authMethod: 'password' },
  });

  const appointmentStatus = async (id: string): Promise<string> =>
    String((await world.ehrSide('GET', `Appointment/${id}`))['status']);

  const openProposal = async (page: Page, id: string): Promise<void> => {
    await page.goto(`${world.url}/console/#/review/${id}`);
    await page.getByRole('heading', { name: 'In the EHR now' }).waitFor();
  };

  it('approves: the change is written to the EHR and verified', async () => {
    const patient = await world.patient('Approve');
    const { appointment, proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await page.getByRole('link', { name: 'Change appointment status' }).first().waitFor();
    await openProposal(page, proposal.id);
    // The EHR's current state is beside the proposal: the patient's chart to check.
    await page.getByText('Synthetic Approve').waitFor();
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('button', { name: 'Approve and write' }).click();
    await page.getByText(/Approved: verified/).waitFor();
    assert.equal(await appointmentStatus(String(appointment['id'])), 'noshow');
    await page.close();
  });

  it('shows a reviewer at one site with another role everywhere the queue of their site, not a refusal', async () => {
    await world.staff('mixed', 'coordinator', 'north', { alsoGranted: { role: 'front_desk', site: '*' } });
    const patient = await world.patient('Mixed');
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await signIn(page, world, 'mixed');
    // The picker offers "All sites" (front desk everywhere); the queue shows north, and says so.
    assert.equal(await page.getByLabel('Site in view').inputValue(), '*');
    await page.getByText('Showing site north: you review there, not at every site.').waitFor();
    await page.locator(`a[href="#/review/${proposal.id}"]`).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'no refusal on the screen');
    await page.close();
  });

  it('shows a birth date as the calendar day the EHR holds, in a browser west of UTC', async () => {
    const patient = await world.patient('Westward'); // born 1970-01-01
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage({ timezoneId: 'America/New_York', locale: 'en-US' });
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByText('Synthetic Westward').waitFor();
    await page.getByText('Jan 1, 1970').waitFor({ timeout: 5_000 });
    assert.equal(await page.getByText('Dec 31, 1969').count(), 0, 'not the day before');
    await page.close();
  });

  it('retry of a failed one: says why an approved write did not land and when it is tried again; Retry now writes it once the EHR is back', async () => {
    const patient = await world.patient('Outage');
    const { appointment, proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByText('Synthetic Outage').waitFor();
    world.ehr.faults.setRules([
      { method: 'PUT', pathPrefix: '/fhir/R4/Appointment', rate: 1, kind: 'status', status: 503 },
    ]);
    try {
      await page.getByRole('button', { name: /^Approve/ }).click();
      await page.getByRole('button', { name: 'Approve and write' }).click();
      await page.getByText(/Not written yet|not written yet/).waitFor();
      await page.getByText('Not written', { exact: true }).waitFor();
      await page.getByText(/Tried \d+ times?\. Next try/).waitFor();
      await screenshot(page, 'review-write-failed');
    } finally {
      world.ehr.faults.clear();
    }
    assert.notEqual(
      await appointmentStatus(String(appointment['id'])),
      'noshow',
      'nothing written while the EHR was down',
    );
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByText('Sent to the EHR again.').waitFor();
    assert.equal(await appointmentStatus(String(appointment['id'])), 'noshow');
    await page.close();
  });

  it('rejects with a reason: nothing is written', async () => {
    const patient = await world.patient('Reject');
    const { appointment, proposal } = await world.draftAppointmentStatus(patient, 'cancelled');
    const page = await browser.newPage();
    await signIn(page, world, 'clin');
    await openProposal(page, proposal.id);
    await page.getByRole('button', { name: /^Reject/ }).click();
    const reject = page.getByRole('button', { name: 'Reject', exact: true });
    assert.equal(await reject.isDisabled(), true, 'a reason is required');
    await page.getByLabel(/Reason/).fill('The patient called to confirm; keep the booking.');
    await reject.click();
    await page.getByText(/Rejected\. Nothing was written/).waitFor();
    assert.equal(await appointmentStatus(String(appointment['id'])), 'booked');
    await page.goto(`${world.url}/console/#/review/${proposal.id}`);
    await page.getByRole('heading', { name: /Rejected/ }).waitFor();
    await page.getByText('The patient called to confirm; keep the booking.').waitFor();
    await page.close();
  });

  it('shows what changed in the EHR since drafting as a diff on the rebased revision', async () => {
    const patient = await world.patient('Conflict');
    const { appointment, proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const id = String(appointment['id']);
    // Meanwhile, the front desk moves the appointment in the EHR.
    const current = await world.ehrSide('GET', `Appointment/${id}`);
    await world.ehrSide('PUT', `Appointment/${id}`, {
      ...current,
      start: '2026-12-02T09:00:00-05:00',
      end: '2026-12-02T09:30:00-05:00',
    });
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByRole('button', { name: /^Approve/ }).click();
    await page.getByRole('button', { name: 'Approve and write' }).click();
    const diff = page.getByRole('heading', { name: 'The EHR changed since this was drafted' });
    await diff.waitFor();
    const table = page.locator('table.diff');
    const text = await table.innerText();
    assert.match(text, /\/start/);
    assert.match(text, /2026-12-01T14:00:00-05:00/);
    assert.match(text, /2026-12-02T09:00:00-05:00/);
    assert.notEqual(page.url().split('/').at(-1), proposal.id, 'the rebased revision is open');
    await screenshot(page, 'review-conflict-diff');
    assert.equal(await appointmentStatus(id), 'booked', 'nothing written on a conflict');
    await page.close();
  });

  it('approves with the keyboard alone, from sign-in to written', async () => {
    const patient = await world.patient('Keyboard');
    const { appointment } = await world.draftAppointmentStatus(patient, 'noshow', { priority: 1 });
    const page = await browser.newPage();
    await page.goto(`${world.url}/`);
    // React renders after the load event: wait for the form, or the keys land on an empty page.
    await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'username');
    await page.keyboard.type('coord');
    await page.keyboard.press('Tab');
    await page.keyboard.type(staffPassword);
    await page.keyboard.press('Tab');
    await page.keyboard.type(world.nextCode('coord'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.getByRole('link', { name: 'Change appointment status' }).first().waitFor();
    // The most urgent (priority 1) is first: j then k lands on it with focus, Enter opens.
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'In the EHR now' }).waitFor();
    await page.getByText('Synthetic Keyboard').waitFor();
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'Approve and write' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByText(/Approved: verified/).waitFor();
    assert.equal(await appointmentStatus(String(appointment['id'])), 'noshow');
    await page.close();
  });

  it('bulk approval needs confirmation and names each patient', async () => {
    const one = await indexedPatient('Bulkone');
    const two = await indexedPatient('Bulktwo');
    const a = await world.draftAppointmentStatus(one, 'noshow', { workflow: 'bulk-demo' });
    const b = await world.draftAppointmentStatus(two, 'noshow', { workflow: 'bulk-demo' });
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await page.getByLabel('Workflow').fill('bulk-demo');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText(/Page 1: 2 proposals/).waitFor();
    // Each row says who and what, before anything is opened.
    const rows = await page.locator('table.data tbody tr').allInnerTexts();
    assert.ok(
      rows.some((r) => /Bulkone/.test(r) && /status: noshow/.test(r)),
      rows.join('\n'),
    );
    assert.ok(rows.some((r) => /Bulktwo/.test(r)));
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Approve selected (2)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Approve 2 proposals' }).waitFor();
    const listed = await dialog.innerText();
    assert.match(listed, /Bulkone/);
    assert.match(listed, /Bulktwo/);
    assert.match(listed, /status: noshow/);
    await screenshot(page, 'review-bulk-confirm');
    // Nothing is written before the confirmation: cancel, and both are still booked.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await appointmentStatus(String(a.appointment['id'])), 'booked');
    await page.getByRole('button', { name: 'Approve selected (2)' }).click();
    await page.getByRole('button', { name: 'Approve 2 proposals' }).click();
    await page.getByText(/2 approved/).waitFor();
    assert.equal(await appointmentStatus(String(a.appointment['id'])), 'noshow');
    assert.equal(await appointmentStatus(String(b.appointment['id'])), 'noshow');
    await page.close();
  });

  it('a revision shows its diff: edited through the form, the next reviewer sees what changed', async () => {
    const patient = await world.patient('Revised');
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByRole('button', { name: /^Edit/ }).click();
    const dialog = page.getByRole('dialog');
    // A form of the action's fields; the JSON only behind Advanced.
    assert.equal(await dialog.getByLabel('Payload (FHIR JSON)').count(), 0, 'no raw JSON by default');
    await dialog.getByLabel('Status').selectOption('cancelled');
    await dialog.getByLabel('Comment').fill('The patient called: cancel rather than no-show.');
    await dialog.getByRole('button', { name: 'Save as new revision' }).click();
    await page.getByText('Saved as a new revision').waitFor();
    await screenshot(page, 'review-own-edit');
    await page.close();

    const next = await browser.newPage();
    await signIn(next, world, 'clin');
    const revised = (
      await world.t.kernel.proposals.list(as(clin), { site: 'north', workflow: 'no-show-follow-up', limit: 200 })
    ).items.find((p) => p.supersedes === proposal.id);
    assert.ok(revised !== undefined, 'the edit is a new revision in the queue');
    await openProposal(next, revised.id);
    await next.getByRole('heading', { name: 'What changed since revision 1' }).waitFor();
    const text = await next.locator('table.revision-diff').innerText();
    assert.match(text, /status\s+Replace\s+"noshow"\s+"cancelled"/);
    assert.match(text, /comment\s+Add\s+\(absent\)\s+"The patient called: cancel rather than no-show\."/);
    await screenshot(next, 'review-revision-diff');
    await next.close();
  });

  it('approve is not offered on one’s own edit', async () => {
    const patient = await world.patient('Ownedit');
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow', { workflow: 'own-edit' });
    const mine = await world.t.kernel.proposals.edit(as(coord), proposal.id, {
      ...(await world.t.kernel.proposals.get(as(coord), proposal.id)).payload,
      status: 'cancelled',
    });
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await page.getByLabel('Workflow').fill('own-edit');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText(/Page 1: 1 proposal\./).waitFor();
    assert.equal(await page.getByRole('checkbox').count(), 0, 'not selectable for bulk approval either');
    await openProposal(page, mine.id);
    await page.getByText('You drafted this revision: someone else must approve it.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0);
    await page.getByRole('button', { name: /^Reject/ }).waitFor();
    await page.keyboard.press('a');
    assert.equal(await page.getByRole('dialog').count(), 0, 'the a key opens nothing either');
    await page.close();
  });

  it('rollback of a written proposal: confirmed, with a reason, and the EHR restored', async () => {
    const patient = await world.patient('Rollback');
    const { appointment, proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    await world.t.kernel.proposals.approve(as(clin), proposal.id, { contentHash: proposal.contentHash });
    const written = await world.t.kernel.applier.commit(as(clin), proposal.id);
    assert.equal(written.status, 'verified');
    const id = String(appointment['id']);
    assert.equal(await appointmentStatus(id), 'noshow');
    const page = await browser.newPage();
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByText('Yes: it can be rolled back').waitFor();
    await page.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Roll back', exact: true });
    assert.equal(await confirm.isDisabled(), true, 'a reason is required');
    await dialog.getByLabel(/Reason/).fill('Marked no-show on the wrong visit.');
    await screenshot(page, 'review-rollback-confirm');
    await confirm.click();
    await page.getByText('Rolled back: the Appointment is back to what it was before this change.').waitFor();
    assert.equal(await appointmentStatus(id), 'booked');
    await page.getByText('Marked no-show on the wrong visit.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Roll back' }).count(), 0, 'not offered twice');
    await page.close();
  });

  it('renders hostile text from the EHR inert: no script runs, no handler fires, markup shows as text', async () => {
    const hostileNarrative =
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Chart</p><img src="x" onerror="window.__xss=1"/><script>window.__xss=2</script><a href="javascript:window.__xss=3">link</a></div>';
    const patient = await world.patient('Xss', hostileNarrative);
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    // A plain-text field from the EHR carrying markup: a note on the appointment.
    const apptId = proposal.target.id!;
    const appt = await world.ehrSide('GET', `Appointment/${apptId}`);
    await world.ehrSide('PUT', `Appointment/${apptId}`, {
      ...appt,
      comment: '<img src=x onerror="window.__xss=4"><b>bold?</b>',
      // The target is shown beside the proposal, narrative included (the patient's is not shown).
      text: { status: 'generated', div: hostileNarrative },
    });
    const page = await browser.newPage();
    // Chrome reports the sanitiser's own parse of the hostile markup (in an inert document) as a
    // blocked inline handler: the CSP's second wall. Anything else would be a finding.
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text()) && !/inline event handler/.test(m.text()))
        violations.push(m.text());
    });
    await signIn(page, world, 'coord');
    await openProposal(page, proposal.id);
    await page.getByText('Synthetic Xss').waitFor();

    await page.locator('.narrative').first().waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await page.locator('.narrative img, .narrative script, .narrative a[href^="javascript"]').count(), 0);
    assert.match(await page.locator('.narrative').first().innerText(), /Chart/);
    // The JSON view shows the comment's markup as characters, not elements.
    assert.ok((await page.locator('pre.json').allTextContents()).some((t) => t.includes('<img src=x onerror=')));
    assert.equal(await page.locator('main img').count(), 0);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].filter((a) => a.name.startsWith('on') || /^\s*javascript:/i.test(a.value)).map((a) => a.name),
      ),
    );
    assert.deepEqual(handlers, [], 'no element in the page carries an event handler or a javascript: URL');
    assert.deepEqual(violations, [], 'nothing else ran into the CSP');
    await screenshot(page, 'review-xss-inert');
    await page.close();
  });
}
