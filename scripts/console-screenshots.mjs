#!/usr/bin/env node
// Takes the README tour's screenshots (docs/screenshots/) of the console on synthetic data: starts
// Steward as `npm start` does (sandbox EHR + clinic simulator, in a fresh temporary data directory),
// lets the clinic play for a while, then signs in as the demo staff in Debian's Chromium and
// photographs each screen. Usage: node scripts/console-screenshots.mjs [seconds of clinic, default 120]
// The review tests add the conflict-diff and hostile-text screenshots with STEWARD_SCREENSHOTS_DIR.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { createLogger, totpCode } from '@steward/governance';
import { demoAccountsFile, loadConfig, readDemoAccounts, startServer } from '@steward/server';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });
const seconds = Number(process.argv[2] ?? 120);
const dataDir = mkdtempSync(join(tmpdir(), 'steward-shots-'));
const config = loadConfig({
  ...process.env,
  STEWARD_DATA_DIR: dataDir,
  STEWARD_PORT: '0',
  STEWARD_SANDBOX_PORT: '0',
  STEWARD_SANDBOX_MLLP_PORT: '0',
  STEWARD_SANDBOX_SPEED: process.env.STEWARD_SANDBOX_SPEED ?? '200',
});
const server = await startServer(config, createLogger({ level: 'warn' }), { createMasterKey: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
process.stdout.write(`clinic playing for ${seconds} s at ${server.url}…\n`);
await sleep(seconds * 1000);

const accounts = readDemoAccounts(demoAccountsFile(dataDir));
const browser = await launchChromium();
const used = new Map();
async function signedIn(username) {
  const a = accounts.get(username);
  // A TOTP code works once: wait for the next step if this user already used the current one.
  while (used.get(username) === Math.floor(Date.now() / 30_000)) await sleep(1000);
  used.set(username, Math.floor(Date.now() / 30_000));
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(`${server.url}/`);
  await page.getByLabel('Username').fill(a.username);
  await page.getByLabel('Password').fill(a.password);
  await page.getByLabel('Authenticator code').fill(totpCode(a.totpSecret, new Date()));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}
async function shot(page, name, hash, settle = 1500) {
  if (hash !== undefined) await page.goto(`${server.url}/console/#/${hash}`);
  await sleep(settle);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
  process.stdout.write(`  ${name}.png\n`);
}

try {
  const first = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await first.goto(`${server.url}/`);
  await shot(first, 'sign-in', undefined, 500);
  await first.close();

  const coord = await signedIn('demo.coordinator');
  await shot(coord, 'review-queue', 'review');
  const firstProposal = await coord.locator('tbody a').first().getAttribute('href');
  if (firstProposal !== null) await shot(coord, 'review-proposal', firstProposal.slice(2), 2500);
  await shot(coord, 'referral-board', 'referrals');
  await shot(coord, 'referral-leakage', 'referrals/leakage');
  const referral = await coord
    .locator('a[href^="#/referrals/"]')
    .filter({ hasNotText: /leak/i })
    .first()
    .getAttribute('href')
    .catch(() => null);
  if (referral !== null) await shot(coord, 'referral-history', referral.slice(2));
  await shot(coord, 'followups', 'followups');
  const followup = await coord
    .locator('a[href^="#/followups/"]')
    .first()
    .getAttribute('href')
    .catch(() => null);
  if (followup !== null) await shot(coord, 'followup-timeline', followup.slice(2));
  await shot(coord, 'operations', 'dashboards', 3000);

  const compliance = await signedIn('demo.compliance');
  await shot(compliance, 'audit', 'audit', 2500);
  await shot(compliance, 'approval-policies', 'policies');

  const admin = await signedIn('demo.admin');
  await shot(admin, 'admin-connections', 'connections', 2500);
  await shot(admin, 'admin-sites', 'sites');
  await shot(admin, 'admin-users', 'users', 2500);

  const north = await signedIn('demo.north');
  await north.getByRole('button', { name: 'Break glass' }).click();
  await north.getByLabel('Site code').fill('sandbox');
  await north.getByLabel(/Reason/).fill('Patient transferred to our ED; outside records needed for treatment');
  await north.getByRole('button', { name: 'Start break-glass access' }).click();
  await north.locator('.break-glass-banner').waitFor();
  await shot(north, 'break-glass', undefined, 500);
} finally {
  await browser.close();
  await server.stop();
}
