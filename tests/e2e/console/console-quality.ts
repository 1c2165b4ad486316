/**
 * @module Browser tests of the console's accessibility: axe-core on the sign-in page, on every screen
 * the navigation offers (read from the page, so a new screen is covered without a new line here) with
 * a visible focus ring on everything a Tab reaches there, on a referral, a proposal and its dialogs, the
 * patient page (opened from the proposal's patient link), and on the idle warning and lock; and a coordinator's path with the keyboard alone (skip link,
 * navigation, a dialog that traps focus and gives it back, focus always visible).
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  referralWorkflow,
  WorkflowEngine,
  WorkflowWorker,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from '@steward/workflows';
import { principalWith } from '@steward/server/testing';
import {
  expectAccessible,
  signIn,
  SITE,
  staffPassword,
  type ConsoleSuite,
  type ConsoleWorld,
} from './console-harness.js';

/** Waits until the screen in `main` has stopped saying it is loading. */
async function settled(page: Page, label: string): Promise<void> {
  await page.locator('main h1').first().waitFor();
  try {
    await page.waitForFunction(() => !/Loading/.test(document.querySelector('main')?.textContent ?? ''), undefined, {
      timeout: 10_000,
    });
  } catch (e) {
    const text = await page.locator('main').innerText();
    const line = text.split('\n').find((l) => l.includes('Loading'));
    throw new Error(`${label} still says it is loading: ${String(line)}`, { cause: e });
  }
}

/**
 * Focuses every element a Tab can reach on the page, as the keyboard would (`focusVisible`), and fails
 * naming those that draw no focus ring (no outline and no box-shadow). Cheaper than pressing Tab through
 * a screen, so every screen gets it.
 */
async function expectFocusVisible(page: Page, label: string): Promise<number> {
  const { stops, invisible } = await page.evaluate(() => {
    const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    const all = [...document.querySelectorAll<HTMLElement>(selector)].filter(
      (el) => !el.matches(':disabled') && el.getClientRects().length > 0 && el.closest('[inert]') === null,
    );
    const bad: string[] = [];
    for (const el of all) {
      el.focus({ focusVisible: true } as FocusOptions);
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      if (!ring)
        bad.push(
          `<${el.tagName.toLowerCase()}> "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`,
        );
    }
    (document.activeElement as HTMLElement | null)?.blur();
    return { stops: all.length, invisible: bad };
  });
  assert.deepEqual(
    invisible,
    [],
    `${label}: focus is not visible on ${String(invisible.length)} of ${String(stops)} elements`,
  );
  return stops;
}

/** What has focus: its tag, accessible text and whether its outline (the focus ring) is drawn. */
async function focused(page: Page): Promise<{ tag: string; text: string; outline: string; inDialog: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el === null ? undefined : getComputedStyle(el);
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(),
      outline: style === undefined ? '' : `${style.outlineStyle} ${style.outlineWidth}`,
      inDialog: el?.closest('dialog[open]') != null,
    };
  });
}

/**
 * A referral at the world's site, as the referral workflow keeps it (started by a ServiceRequest, then
 * received by the destination's Task), so the board has a card and a detail to check. The clock is
 * left alone: moving it days ahead would date the EHR token's assertions in the future.
 */
async function seedReferral(world: ConsoleWorld, sr: string): Promise<void> {
  const engine = new WorkflowEngine({
    db: world.t.db,
    clock: world.t.clock,
    definitions: [referralWorkflow],
    effects: {},
  });
  const worker = new WorkflowWorker(engine, { id: 'quality-seed' });
  const at = world.t.clock.now().toISOString();
  const start: ReferralStartPayload = {
    eventId: crypto.randomUUID(),
    occurredAt: at,
    connectionId: world.connection.id,
    site: 'north',
    serviceRequest: `ServiceRequest/${sr}`,
    status: 'active',
    priority: 'routine',
    requester: 'Practitioner/pcp',
    performers: [{ kind: 'Organization', ref: 'Organization/card', systems: [] }],
  };
  const key = `referral:${world.connection.id}:${sr}`;
  await engine.start('referral', key, start);
  await worker.drain();
  const received: ReferralSignalPayload = {
    eventId: crypto.randomUUID(),
    eventType: 'task.updated',
    occurredAt: at,
    status: 'received',
    ref: null,
    start: null,
    participants: [],
  };
  await engine.signal(key, 'task', received);
  await worker.drain();
}

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function qualityTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;

  before(async () => {
    ({ world, browser } = suite);
    // Wide grants: every screen a coordinator, a compliance officer and an administrator see. All at
    // `*`: a coordinator at one site with a `*` grant of another role opens on "All sites", where the
    // review queue is refused (a known gap of the site picker, not what this test is about).
    const wide = await world.staff('wide', 'coordinator', '*');
    for (const role of ['compliance_officer', 'admin'] as const)
      await world.t.kernel.grants.add(
        { kind: 'service', id: '00000000-0000-4000-8000-000000000000', name: 'test', authMethod: 'local-operator' },
        {
          principalKind: 'user',
          principalId: wide.id,
          role,
          site: '*',
          workflow: '*',
          purposeOfUse: role === 'compliance_officer' ? 'HCOMPL' : 'TREAT',
        },
      );
    await world.staff('keys', 'coordinator', 'north');
    await seedReferral(world, 'quality-1');
  });

  it('axe finds no serious or critical violation on the sign-in page, every screen (focus visible on each), a referral, a proposal, its dialogs, the patient page, the idle warning and the lock', async () => {
    const patient = await world.patient('Axe');
    // In the patient index as ingest files it, so the proposal names the patient with a link to their page.
    const indexer = await principalWith(world.t.kernel, 'quality-indexer', { role: 'coordinator', site: SITE });
    await world.t.kernel.patients.resolve(
      { actor: { kind: 'user', id: indexer.id, name: 'quality-indexer', authMethod: 'api-token' } },
      {
        connectionId: world.connection.id,
        site: SITE,
        identifiers: patient.identifiers,
        demographics: { name: { family: 'Axe', given: ['Synthetic'] }, birthDate: '1970-01-01' },
      },
    );
    const { proposal } = await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await page.clock.install(); // for the idle warning and the lock at the end
    await page.goto(`${world.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    await expectAccessible(page, 'sign-in page');
    await signIn(page, world, 'wide');

    const nav = page.getByRole('navigation', { name: 'Screens' }).getByRole('link');
    const entries = await nav.evaluateAll((links) =>
      links.map((a) => ({ name: (a.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' })),
    );
    assert.ok(entries.length >= 5, `the wide user sees every screen: ${entries.map((e) => e.name).join(', ')}`);
    for (const entry of entries) {
      await page
        .getByRole('navigation', { name: 'Screens' })
        .getByRole('link', { name: entry.name, exact: true })
        .click();
      await page
        .getByRole('navigation', { name: 'Screens' })
        .locator(`a[href="${entry.href}"][aria-current="page"]`)
        .waitFor();
      await settled(page, entry.name);
      await expectAccessible(page, `screen "${entry.name}" (${entry.href})`);
      assert.ok((await expectFocusVisible(page, `screen "${entry.name}"`)) > 0);
    }

    // A referral's card on the board, and its detail.
    await page
      .getByRole('navigation', { name: 'Screens' })
      .getByRole('link', { name: 'Referrals', exact: true })
      .click();
    await page.locator('.referral-card__title').first().click();
    await page.getByRole('link', { name: 'Back to the board' }).waitFor();
    await settled(page, 'a referral');
    await expectAccessible(page, "a referral's detail");
    await expectFocusVisible(page, "a referral's detail");

    // By the hash, as a link would: the page (and axe in it) stays loaded.
    await page.evaluate((id) => (window.location.hash = `#/review/${id}`), proposal.id);
    await page.getByRole('heading', { name: 'In the EHR now' }).waitFor();
    await page.getByText('Synthetic Axe').waitFor();
    await expectAccessible(page, 'a proposal');
    await expectFocusVisible(page, 'a proposal');
    for (const button of [/^Approve/, /^Reject/]) {
      await page.getByRole('button', { name: button }).first().click();
      await page.locator('dialog[open]').waitFor();
      await expectAccessible(page, `the ${String(button)} dialog`);
      await page.keyboard.press('Escape');
      await page.locator('dialog[open]').waitFor({ state: 'detached' });
    }
    await page.getByRole('button', { name: 'Break glass' }).click();
    await page.locator('dialog[open]').waitFor();
    await expectAccessible(page, 'the break-glass dialog');
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });

    // The patient page (not in the navigation), opened from the proposal's patient link as from a card.
    await page.locator('a.patient-link').first().click();
    await page.getByRole('heading', { name: /Axe, Synthetic/, level: 1 }).waitFor();
    assert.match(new URL(page.url()).hash, /^#\/patients\//);
    await settled(page, 'the patient page');
    await expectAccessible(page, 'the patient page');
    await expectFocusVisible(page, 'the patient page');

    // The idle warning and the lock.
    await page.clock.fastForward(14 * 60_000 + 5_000);
    await page.getByRole('alertdialog', { name: 'Still there?' }).waitFor();
    await expectAccessible(page, 'the idle warning');
    await page.clock.fastForward(60_000 + 2_000);
    await page.getByRole('heading', { name: 'Session locked' }).waitFor();
    await expectAccessible(page, 'the locked session');
    await page.close();
  });

  it('a coordinator works with the keyboard alone: skip link, navigation, a proposal, a dialog that traps and returns focus', async () => {
    const patient = await world.patient('Keys');
    await world.draftAppointmentStatus(patient, 'noshow');
    const page = await browser.newPage();
    await page.goto(`${world.url}/`);
    await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type('keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type(staffPassword);
    await page.keyboard.press('Tab');
    await page.keyboard.type(world.nextCode('keys'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();

    /** Tabs (forward or back) until `match` (on `tag:text`) has focus, checking every stop shows its focus ring. */
    const tabTo = async (match: RegExp, key = 'Tab', limit = 30): Promise<void> => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press(key);
        const f = await focused(page);
        assert.ok(f.tag !== 'body', 'focus never falls back to the page itself');
        assert.doesNotMatch(f.outline, /^none|^\S+ 0px/, `focus is visible on <${f.tag}> "${f.text}"`);
        if (match.test(`${f.tag}:${f.text}`)) return;
      }
      throw new Error(`${String(limit)} presses of ${key} did not reach ${String(match)}`);
    };

    // The first stop is the skip link; it moves focus to the screen, past the header.
    await tabTo(/^a:Skip to content$/, 'Tab', 1);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

    // Back up into the navigation, open Referrals, then the queue again.
    await tabTo(/^a:Referrals$/, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Referrals', level: 1 }).waitFor();
    await tabTo(/^a:Review queue$/, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Change appointment status' }).first().waitFor();

    // Into the queue, open the proposal, and open Reject: focus stays in the dialog until Escape.
    await tabTo(/^a:Change appointment status/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'In the EHR now' }).waitFor();
    await tabTo(/^button:Reject/);
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    for (let i = 0; i < 8; i++) {
      assert.equal((await focused(page)).inDialog, true, `focus is inside the dialog after ${String(i)} Tabs`);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    assert.match((await focused(page)).text, /^Reject/, 'Escape gives focus back to the button that opened the dialog');

    // The break-glass dialog from the header does the same.
    await tabTo(/^button:Break glass$/, 'Shift+Tab', 60);
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    assert.equal((await focused(page)).inDialog, true);
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    assert.match((await focused(page)).text, /^Break glass$/);
    await page.close();
  });
}
