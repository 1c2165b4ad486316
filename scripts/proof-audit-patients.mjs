#!/usr/bin/env node
// Issue 15's proof, on Steward as `npm start` runs it (sandbox EHR + clinic simulator, a fresh
// temporary data directory, the default clinic speed): "with the sandbox clinic running 10 minutes,
// every PHI read or write audit entry names at least one patient (0 unnamed), and `steward audit
// query --patient <MRN>` lists the accesses made through the console in that time."
//   node scripts/proof-audit-patients.mjs [minutes, default 10]
// While the clinic plays, the demo coordinator works in the console in Debian's Chromium (review
// queue and a proposal, the referral board and a referral, the follow-ups and a timeline), once a
// minute. Then the demo compliance officer: every audit entry is read and the PHI accesses
// (apps/server/src/phi-access.ts) without a patient counted; the real CLI, `steward audit query
// --patient <MRN>`, is asked about a patient whose referral the coordinator opened, by the MRN the
// EHR holds; and the console's audit search is walked with that MRN and with a term naming nobody
// (screenshots in a temporary directory, deleted unless STEWARD_PROOF_KEEP=1: synthetic, but
// patient-shaped). Prints the figures; exits 1 when the proof fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launchChromium } from './chromium.mjs';
import { createLogger, totpCode } from '@steward/governance';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { demoAccountsFile, isPhiAccess, loadConfig, readDemoAccounts, startServer } from '@steward/server';

const root = new URL('..', import.meta.url).pathname;
const minutes = Number(process.argv[2] ?? 10);
const dataDir = mkdtempSync(join(tmpdir(), 'steward-proof-'));
const shots = mkdtempSync(join(tmpdir(), 'steward-proof-shots-'));
const config = loadConfig({
  ...process.env,
  STEWARD_DATA_DIR: dataDir,
  STEWARD_PORT: '0',
  STEWARD_SANDBOX_PORT: '0',
  STEWARD_SANDBOX_MLLP_PORT: '0',
});
const started = new Date();
const server = await startServer(config, createLogger({ level: 'warn' }), { createMasterKey: true });
const accounts = readDemoAccounts(demoAccountsFile(dataDir));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line) => process.stdout.write(`${line}\n`);
say(`clinic playing for ${minutes} min at ${server.url} (data in ${dataDir})`);

const browser = await launchChromium();
// A TOTP code works once: wait for the next 30-second step when this user already used this one
// (the demo staff's enrolment at start-up used the code of its step).
const usedStep = new Map([...accounts.keys()].map((u) => [u, Math.floor(Date.now() / 30_000)]));
async function nextCode(username) {
  while (usedStep.get(username) === Math.floor(Date.now() / 30_000)) await sleep(1000);
  usedStep.set(username, Math.floor(Date.now() / 30_000));
  return totpCode(accounts.get(username).totpSecret, new Date());
}
async function signedIn(username) {
  const a = accounts.get(username);
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  await page.goto(`${server.url}/`);
  await page.getByLabel('Username').fill(a.username);
  await page.getByLabel('Password').fill(a.password);
  await page.getByLabel('Authenticator code').fill(await nextCode(username));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  try {
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  } catch (e) {
    // What the screen said instead (a refusal, a lock-out) is what to look at.
    await page.screenshot({ path: join(shots, `sign-in-${username}.png`) });
    throw new Error(`${username} could not sign in (see ${shots}): ${e.message.split('\n')[0]}`);
  }
  return page;
}
/** Opens `#/<hash>`, then the n-th link matching `selector` (modulo how many there are), if any. */
async function openNth(page, hash, selector, n) {
  await page.goto(`${server.url}/console/#/${hash}`);
  await sleep(1500);
  const links = page.locator(selector);
  const count = await links.count();
  if (count === 0) return false;
  await links.nth(n % count).click();
  await sleep(1500);
  return true;
}

let failed = false;
const check = (ok, line) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  if (!ok) failed = true;
};

try {
  // The coordinator's day, once a minute: what they opened is what the officer later looks for.
  const coordinator = await signedIn('demo.coordinator');
  const referralsOpened = new Map();
  coordinator.on('response', async (r) => {
    const m = /\/referrals\/([0-9a-f-]{36})$/.exec(new URL(r.url()).pathname);
    if (m === null || r.status() !== 200) return;
    const body = await r.json().catch(() => undefined);
    if (body?.serviceRequest != null && body.patientLabel?.id !== undefined)
      referralsOpened.set(m[1], { serviceRequest: body.serviceRequest, patientId: body.patientLabel.id });
  });
  const deadline = started.getTime() + minutes * 60_000;
  for (let round = 0; Date.now() < deadline; round++) {
    const roundEnds = Date.now() + 60_000;
    await openNth(coordinator, 'review', 'tbody a[href^="#/review/"]', round);
    await openNth(coordinator, 'referrals', 'a[href^="#/referrals/"]:not([href*="leak"])', round);
    await openNth(coordinator, 'followups', 'a[href^="#/followups/"]', round);
    say(`  minute ${round + 1}: ${referralsOpened.size} referral(s) with an EHR order opened so far`);
    await sleep(Math.max(0, Math.min(roundEnds, deadline) - Date.now()));
  }
  const ended = new Date();
  // What the coordinator's board looked like at the end (kept with STEWARD_PROOF_KEEP=1, to look at).
  await coordinator.goto(`${server.url}/console/#/referrals`);
  await sleep(1500);
  await coordinator.screenshot({ path: join(shots, 'referral-board.png') });

  // The compliance officer: a session for the API and the CLI.
  const officer = accounts.get('demo.compliance');
  const login = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: officer.username,
      password: officer.password,
      totpCode: await nextCode('demo.compliance'),
    }),
  });
  const { sessionToken } = await login.json();
  const entries = async (query = '') => {
    const all = [];
    for (let after; ;) {
      const r = await fetch(
        `${server.url}/audit/events?limit=1000${query}${after !== undefined ? `&after=${after}` : ''}`,
        { headers: { authorization: `Bearer ${sessionToken}` } },
      );
      if (r.status !== 200) throw new Error(`/audit/events: ${r.status}`);
      const page = await r.json();
      all.push(...page.items);
      if (page.next == null) return all;
      after = page.next;
    }
  };
  const all = await entries();
  const phi = all.filter(isPhiAccess);
  const unnamed = phi.filter((e) => e.patientIds.length === 0);
  const byKind = (es) =>
    Object.entries(
      es.reduce(
        (m, e) => ({
          ...m,
          [`${e.event} ${e.entity?.kind ?? ''}`]: (m[`${e.event} ${e.entity?.kind ?? ''}`] ?? 0) + 1,
        }),
        {},
      ),
    )
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  say(
    `audit: ${all.length} entries in ${((ended - started) / 60_000).toFixed(1)} min, ${phi.length} PHI reads or writes`,
  );
  say(`  PHI by kind: ${byKind(phi)}`);
  check(phi.length > 100, `enough PHI access to mean something (${phi.length})`);
  if (process.env.STEWARD_PROOF_DEBUG === '1')
    for (const e of unnamed.slice(0, 8)) say(`  unnamed: ${JSON.stringify(e)}`);
  check(
    unnamed.length === 0,
    `PHI entries naming no patient: ${unnamed.length}${unnamed.length > 0 ? ` (${byKind(unnamed)})` : ''}`,
  );

  // "Who accessed this patient", by the MRN the EHR holds for a patient whose referral was opened.
  const coordinatorId = all.find((e) => e.actor.name === 'demo.coordinator')?.actor.id;
  const [workflowId, opened] = [...referralsOpened].at(-1) ?? [];
  check(opened !== undefined, 'the coordinator opened a referral of an EHR order');
  if (opened !== undefined) {
    const ehrToken = await tokenFor(server.sandbox.ehr, ['system/*.*']);
    const sr = (await fhirFetch(server.sandbox.ehr, ehrToken, 'GET', opened.serviceRequest)).json;
    const patient = (await fhirFetch(server.sandbox.ehr, ehrToken, 'GET', sr.subject.reference)).json;
    const mrn = patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value;
    check(mrn !== undefined, 'the EHR holds an MRN for that patient');
    // The CLI as its own process (the server runs in this one, so it must not be blocked meanwhile).
    const cli = await promisify(execFile)(
      process.execPath,
      [join(root, 'apps/cli/bin/steward.js'), 'audit', 'query', '--patient', mrn, '--json'],
      {
        env: { ...process.env, STEWARD_SERVER_URL: server.url, STEWARD_TOKEN: sessionToken },
        maxBuffer: 64 * 1024 * 1024,
      },
    ).then(
      ({ stdout }) => ({ status: 0, stdout, stderr: '' }),
      (e) => ({ status: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(e) }),
    );
    check(
      cli.status === 0,
      `steward audit query --patient <MRN> exits ${cli.status}${cli.status !== 0 ? `: ${cli.stderr}` : ''}`,
    );
    const found = cli.status === 0 ? JSON.parse(cli.stdout).items : [];
    const theirs = found.filter((e) => e.actor.id === coordinatorId && e.event.startsWith('phi.'));
    const kinds = new Set(theirs.map((e) => `${e.event} ${e.entity?.kind ?? ''}`));
    say(
      `  the CLI lists ${found.length} entries for that MRN, ${theirs.length} of them the coordinator's: ${[...kinds].join(', ')}`,
    );
    check(
      theirs.some((e) => e.event === 'phi.read' && e.entity?.kind === 'Referral' && e.entity.id === workflowId),
      'it lists the coordinator opening that referral in the console',
    );
    check(
      found.every((e) => e.patientIds.includes(opened.patientId)),
      'every entry it lists names the patient',
    );

    // The same search in the console's audit screen, as the officer would type it.
    const audit = await signedIn('demo.compliance');
    await audit.goto(`${server.url}/console/#/audit`);
    await audit.getByLabel('Patient').fill(mrn);
    await audit.getByRole('button', { name: 'Search', exact: true }).click();
    await audit.locator('.audit-results tbody tr').first().waitFor();
    const rows = await audit.locator('.audit-results tbody tr').count();
    await audit.screenshot({ path: join(shots, 'audit-by-mrn.png') });
    check(rows > 0, `the console's audit search by MRN shows ${rows} entries on its first page`);
    await audit.getByLabel('Patient').fill('MRN-0000-nobody');
    await audit.getByRole('button', { name: 'Search', exact: true }).click();
    const nobody = audit.getByText(/No patient matches/);
    await nobody.waitFor();
    await audit.screenshot({ path: join(shots, 'audit-no-match.png') });
    check(await nobody.isVisible(), 'a term naming nobody says "No patient matches", not "no entries"');
  }
} catch (e) {
  failed = true;
  say(`FAIL ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (process.env.STEWARD_PROOF_KEEP === '1' || failed) say(`screenshots kept in ${shots}`);
  else rmSync(shots, { recursive: true, force: true });
}
say(failed ? 'proof FAILED' : 'proof holds');
process.exit(failed ? 1 : 0);
