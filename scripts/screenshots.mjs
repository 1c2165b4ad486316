#!/usr/bin/env node
// Screenshots of every console screen on synthetic data (the sandbox's Synthea patients and its
// simulated clinic; no PHI): starts Steward as `npm start` does — sandbox EHR, clinic playing its
// past nine days and then the real clock (ADR 0015) — in a fresh temporary data directory on its
// own ports, lets it run for the given minutes while noting when each demo moment first shows in
// the API, then signs in as every demo account in Debian's Chromium (TOTP from demo-accounts.json,
// a fresh 30-second step per sign-in), visits every entry of its navigation (read from the page, so
// new screens are included) and the moments themselves, and writes PNGs.
//
// Usage: node scripts/screenshots.mjs [minutes, default 10] [--out <folder>, default docs/screenshots]
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { createLogger, totpCode } from '@steward/governance';
import { demoAccountsFile, loadConfig, readDemoAccounts, startServer } from '@steward/server';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, 'docs/screenshots'));
const minutes = Number(args.find((a, i) => !a.startsWith('--') && i !== outAt + 1) ?? 10);
if (!(minutes >= 0)) throw new Error('usage: node scripts/screenshots.mjs [minutes] [--out <folder>]');
mkdirSync(out, { recursive: true });
const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dataDir = mkdtempSync(join(tmpdir(), 'steward-shots-'));
const config = loadConfig({
  ...process.env,
  STEWARD_DATA_DIR: dataDir,
  STEWARD_PORT: '0',
  STEWARD_SANDBOX_PORT: '0',
  STEWARD_SANDBOX_MLLP_PORT: '0',
});
const started = Date.now();
const server = await startServer(config, createLogger({ level: 'warn' }), { createMasterKey: true });
const accounts = readDemoAccounts(demoAccountsFile(dataDir));
const since = () => `${((Date.now() - started) / 60_000).toFixed(1)} min`;
say(`Steward up after ${since()} at ${server.url} (data in ${dataDir}); clinic playing for ${minutes} min`);

// A TOTP code works once per account and step: wait for the next step when this one was used (the
// demo staff's enrolment at start-up used the step it ran in).
const usedStep = new Map([...accounts.keys()].map((u) => [u, Math.floor(Date.now() / 30_000)]));
async function nextCode(username) {
  while (usedStep.get(username) === Math.floor(Date.now() / 30_000)) await sleep(1000);
  usedStep.set(username, Math.floor(Date.now() / 30_000));
  return totpCode(accounts.get(username).totpSecret, new Date());
}

/** An API session for `username`: `get(path)` answers JSON. */
async function apiSession(username) {
  const a = accounts.get(username);
  const res = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: a.password, totpCode: await nextCode(username) }),
  });
  const { sessionToken } = await res.json();
  if (sessionToken === undefined) throw new Error(`${username} could not sign in to the API (${res.status})`);
  return {
    async get(path) {
      const r = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${sessionToken}` } });
      return r.ok ? r.json() : { items: [] };
    },
  };
}

// The moments a fresh demo must show, each with how to find one through the API.
const coordinator = await apiSession('demo.coordinator');
const reviewer = await apiSession('demo.reviewer');
const site = accounts.get('demo.coordinator').site;
const first = async (session, path) => (await session.get(path)).items?.[0];
const moments = {
  'overdue referral': () => first(coordinator, `/referrals?site=${site}&overdue=true&limit=1`),
  escalation: async () =>
    (await coordinator.get(`/referrals?site=${site}&overdue=true&limit=200`)).items?.find((r) => r.escalated),
  'closed loop': () => first(coordinator, `/referrals?site=${site}&stage=closed&limit=1`),
  'no-show': async () =>
    (await coordinator.get(`/followups?site=${site}&limit=200`)).items?.find(
      (f) => f.stage === 'no-show' || f.counts?.noShows > 0,
    ),
  'reminder sent': () =>
    first(reviewer, `/review?site=${site}&actionType=reminder.send&status=committed,verified&limit=1`),
  // The reminder story's patient texts "cancel", then the front desk moves the booking (demo-replies.ts):
  // the cancellation waits for review on an appointment the EHR changed since drafting.
  'cancellation on a changed booking': async () => {
    for (const p of (await reviewer.get(`/review?site=${site}&actionType=appointment.status&limit=20`)).items ?? []) {
      const now = await reviewer.get(`/review/${p.id}/ehr-state`);
      if (p.baseVersion && now.target?.versionId && now.target.versionId !== p.baseVersion) return p;
    }
    return undefined;
  },
  // Seen once someone approves that cancellation (the walk's reviewer does, below, if nobody did).
  'conflict to re-review': () => first(reviewer, `/review?site=${site}&status=conflicted&limit=1`),
};
const seen = {};
async function look() {
  for (const [name, find] of Object.entries(moments)) {
    if (seen[name] !== undefined) continue;
    const item = await find().catch(() => undefined);
    if (item !== undefined) {
      seen[name] = { after: since(), item };
      say(`  ${since()}: first ${name}`);
    }
  }
}
const until = started + minutes * 60_000;
while (Date.now() < until) {
  await look();
  await sleep(Math.min(15_000, Math.max(0, until - Date.now())));
}
await look();

const browser = await launchChromium();
async function signedIn(username) {
  const a = accounts.get(username);
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(`${server.url}/`);
  await page.getByLabel('Username').fill(a.username);
  await page.getByLabel('Password').fill(a.password);
  await page.getByLabel('Authenticator code').fill(await nextCode(username));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}
const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const written = [];
async function shot(page, name, hash, settle = 2000) {
  if (hash !== undefined) await page.goto(`${server.url}/console/#/${hash}`);
  await sleep(settle);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
  written.push(name);
}

try {
  const signIn = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await signIn.goto(`${server.url}/`);
  await shot(signIn, 'sign-in', undefined, 1000);
  await signIn.close();

  // Every account, every entry of its navigation.
  for (const username of accounts.keys()) {
    const page = await signedIn(username);
    const who = slug(username.replace(/^demo\./, ''));
    const entries = await page
      .locator('nav[aria-label="Screens"] a')
      .evaluateAll((links) => links.map((l) => ({ href: l.getAttribute('href') ?? '', title: l.textContent ?? '' })));
    for (const e of entries) await shot(page, `${who}-${slug(e.title)}`, e.href.replace(/^#\//, ''));
    await page.close();
  }

  // The moments, as the coordinator and the reviewer open them: one that shows it now, else the first seen.
  for (const [name, find] of Object.entries(moments)) {
    const now = await find().catch(() => undefined);
    if (now !== undefined && seen[name] !== undefined) seen[name].item = now;
  }
  const coord = await signedIn('demo.coordinator');
  for (const name of ['overdue referral', 'escalation', 'closed loop']) {
    const r = seen[name]?.item;
    if (r !== undefined) await shot(coord, `moment-${slug(name)}`, `referrals/${r.workflowId}`);
  }
  if (seen['no-show'] !== undefined) await shot(coord, 'moment-no-show', `followups/${seen['no-show'].item.id}`);
  const rev = await signedIn('demo.reviewer');
  const changed = seen['cancellation on a changed booking']?.item;
  if (changed !== undefined && seen['conflict to re-review'] === undefined) {
    // The reviewer opens the cancellation ("changed since drafting") and approves it as drafted:
    // the applier finds the EHR changed and files a rebased revision, shown with its diff.
    await rev.goto(`${server.url}/console/#/review/${changed.id}`);
    // The target's "changed since drafting" badge, in view (it sits below the proposal's facts).
    await rev.getByText('changed since drafting').scrollIntoViewIfNeeded({ timeout: 15_000 });
    await shot(rev, 'moment-cancellation-on-a-changed-booking', undefined, 1000);
    await rev.getByRole('button', { name: /^Approve/ }).click();
    await rev.getByRole('button', { name: 'Approve and write' }).click();
    await rev.getByRole('heading', { name: 'The EHR changed since this was drafted' }).waitFor({ timeout: 15_000 });
    seen['conflict to re-review'] = { after: `${since()} (approved by the walk's reviewer)`, item: undefined };
    say(`  ${since()}: first conflict to re-review (the reviewer approved the changed cancellation)`);
    await shot(rev, 'moment-conflict-to-re-review', undefined, 1500);
  } else if (changed !== undefined) await shot(rev, 'moment-cancellation-on-a-changed-booking', `review/${changed.id}`);
  for (const name of ['reminder sent', 'conflict to re-review']) {
    const p = seen[name]?.item;
    if (p !== undefined) await shot(rev, `moment-${slug(name)}`, `review/${p.id}`);
  }

  // The README tour's names (one picture per screen, as the person who works in it sees it).
  await shot(rev, 'review-queue', 'review');
  const proposal = await rev
    .locator('tbody a[href^="#/review/"]')
    .first()
    .getAttribute('href')
    .catch(() => null);
  if (proposal !== null) await shot(rev, 'review-proposal', proposal.slice(2), 2500);
  await shot(coord, 'referral-board', 'referrals');
  await shot(coord, 'referral-leakage', 'referrals/leakage');
  const overdue = seen['overdue referral']?.item;
  if (overdue !== undefined) await shot(coord, 'referral-history', `referrals/${overdue.workflowId}`);
  await shot(coord, 'followups', 'followups');
  if (seen['no-show'] !== undefined) await shot(coord, 'followup-timeline', `followups/${seen['no-show'].item.id}`);
  await shot(coord, 'operations', 'dashboards', 3000);
  const compliance = await signedIn('demo.compliance');
  await shot(compliance, 'audit', 'audit', 2500);
  try {
    // Break-glass from the other site (its screens are another part's: a changed form is skipped, said so).
    const north = await signedIn('demo.north');
    await north.getByRole('button', { name: 'Break glass' }).click();
    await north.getByLabel('Site code').fill(site, { timeout: 5000 });
    await north.getByLabel(/Reason/).fill('Patient transferred to our ED; outside records needed for treatment');
    await north.getByRole('button', { name: 'Start break-glass access' }).click();
    await north.locator('.break-glass-banner').waitFor({ timeout: 10_000 });
    await shot(north, 'break-glass', undefined, 500);
    // Reads under break-glass, then the compliance officer's review of the use with those reads.
    await north.goto(`${server.url}/console/#/followups`);
    await sleep(2000);
    await shot(compliance, 'break-glass-review', 'compliance', 2500);
  } catch (e) {
    say(`  break-glass.png skipped: ${String(e.message).split('\n')[0]}`);
  }

  // A patient's whole picture, one click from the board.
  await coord.goto(`${server.url}/console/#/referrals`);
  const patientHref = await coord
    .locator('a[href^="#/patients/"]')
    .first()
    .getAttribute('href', { timeout: 10_000 })
    .catch(() => null);
  if (patientHref !== null) await shot(coord, 'patient-page', patientHref.slice(2), 3000);

  // Contacts: the documented example export (docs/contacts-import.md) imported through the console —
  // checked first (the reconciliation report, nothing written), then imported — and one contact's graph.
  try {
    const example = join(root, 'docs/examples/contacts');
    await coord.goto(`${server.url}/console/#/contacts/import`);
    await coord.getByLabel('Mapping file (JSON)').setInputFiles(join(example, 'mapping.json'));
    await coord.getByLabel('Contacts file (CSV or JSON)').setInputFiles(join(example, 'contacts.csv'));
    await coord
      .getByLabel('Relationship and note files the mapping names')
      .setInputFiles(['relationships.csv', 'notes.csv'].map((f) => join(example, f)));
    await coord.getByRole('button', { name: 'Check (nothing is written)' }).click();
    await coord.getByRole('heading', { name: /check only, nothing written/ }).waitFor({ timeout: 15_000 });
    await coord.getByRole('button', { name: 'Import', exact: true }).click();
    await coord.getByRole('heading', { name: /^Reconciliation report — imported/ }).waitFor({ timeout: 30_000 });
    await shot(coord, 'contacts-import', undefined, 500);
    await coord.goto(`${server.url}/console/#/contacts`);
    await coord.getByLabel('Name, birth date (YYYY-MM-DD) or phone').fill('rosa');
    await coord.getByRole('button', { name: 'Search' }).click();
    await coord.getByRole('list', { name: 'Contacts found' }).getByRole('link').first().click();
    await coord.locator('#contact-name').waitFor({ timeout: 10_000 });
    await shot(coord, 'contacts-graph', undefined, 1000);
  } catch (e) {
    say(`  contacts-import.png skipped: ${String(e.message).split('\n')[0]}`);
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
say(`${written.length} screenshots in ${out} (synthetic data only)`);
for (const name of Object.keys(moments))
  say(`  ${name}: ${seen[name] !== undefined ? `first seen ${seen[name].after} after start` : 'NOT seen'}`);
