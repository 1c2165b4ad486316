#!/usr/bin/env node
// The dependency audit `npm run check` runs: `npm audit --json` over every installed package
// (production and development), then each advisory it reports must be on the allow-list
// (dependency-audit-allowlist.json: advisory id, package, why it is accepted, until when) or the
// check fails. An allow-list entry past its `until` date fails too, so acceptance is revisited.
// docs/dependency-audit.md says how to read and fix a failure.
//
// It never passes silently when it cannot audit: npm is given a deadline (STEWARD_AUDIT_TIMEOUT_MS,
// default 90 s) and killed after it, and a network or registry error is reported as such (exit 2).
//   node scripts/dependency-audit.mjs                 # run npm audit and judge its report
//   node scripts/dependency-audit.mjs --report r.json # judge a saved `npm audit --json` report
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ALLOWLIST = join(root, 'dependency-audit-allowlist.json');
const timeoutMs = Number(process.env.STEWARD_AUDIT_TIMEOUT_MS ?? 90_000);

/** Runs `npm audit --json`; resolves with its stdout, or rejects with a message saying why not. */
function runNpmAudit() {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['audit', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm audit did not answer within ${timeoutMs / 1000} s (is the registry reachable?)`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run npm audit: ${e.message}`));
    });
    // npm audit exits 1 when it finds advisories: the report decides, not the exit code.
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ out, err });
    });
  });
}

/** The advisories of an `npm audit --json` report (v2), one per advisory and package. */
export function advisoriesOf(report) {
  if (report === null || typeof report !== 'object' || typeof report.vulnerabilities !== 'object') {
    const why = report?.message ?? report?.error?.summary ?? 'no vulnerabilities section in its output';
    throw new Error(`npm audit could not reach the advisory database: ${why}`);
  }
  const found = new Map();
  for (const vuln of Object.values(report.vulnerabilities)) {
    for (const via of vuln.via ?? []) {
      // A string names another vulnerable package this one depends on: listed under its own name.
      if (typeof via !== 'object' || via === null) continue;
      const id = /GHSA-[\w-]+/i.exec(via.url ?? '')?.[0] ?? String(via.source);
      const key = `${id} ${via.name}`;
      if (!found.has(key))
        found.set(key, { id, package: via.name, severity: via.severity, title: via.title, url: via.url });
    }
  }
  return [...found.values()];
}

/** Checks the allow-list's shape; returns its entries. */
export function readAllowList(text) {
  const list = JSON.parse(text);
  if (!Array.isArray(list.accepted)) throw new Error('dependency-audit-allowlist.json: "accepted" must be an array');
  for (const [i, e] of list.accepted.entries()) {
    for (const field of ['id', 'package', 'reason', 'until']) {
      if (typeof e[field] !== 'string' || e[field].trim() === '')
        throw new Error(`dependency-audit-allowlist.json: accepted[${i}].${field} is required`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e.until) || Number.isNaN(Date.parse(e.until)))
      throw new Error(`dependency-audit-allowlist.json: accepted[${i}].until must be a date (YYYY-MM-DD)`);
  }
  return list.accepted;
}

/** What fails the check: advisories not accepted, and acceptances past their date; and stale entries (a warning). */
export function judge(advisories, accepted, today) {
  const problems = [];
  const warnings = [];
  const used = new Set();
  for (const a of advisories) {
    const entry = accepted.find((e) => e.id.toLowerCase() === a.id.toLowerCase() && e.package === a.package);
    if (entry === undefined) {
      problems.push(`${a.id} in ${a.package} (${a.severity}): ${a.title} ${a.url ?? ''}`.trim());
      continue;
    }
    used.add(entry);
    if (entry.until < today)
      problems.push(
        `${a.id} in ${a.package}: accepted until ${entry.until}, which has passed: fix it or review the acceptance`,
      );
  }
  for (const e of accepted) {
    if (!used.has(e)) warnings.push(`${e.id} in ${e.package} is no longer reported: remove it from the allow-list`);
  }
  return { problems, warnings };
}

async function main() {
  const args = process.argv.slice(2);
  const reportFile = args[0] === '--report' ? args[1] : undefined;
  let accepted;
  try {
    accepted = readAllowList(readFileSync(ALLOWLIST, 'utf8'));
  } catch (e) {
    console.error(`dependency audit: ${e.message}`);
    return 2;
  }
  let advisories;
  try {
    let text;
    if (reportFile !== undefined) text = readFileSync(reportFile, 'utf8');
    else {
      const { out, err } = await runNpmAudit();
      text = out;
      if (text.trim() === '')
        throw new Error(`npm audit printed no report${err ? `: ${err.trim().split('\n')[0]}` : ''}`);
    }
    const report = JSON.parse(text);
    // A registry (or a mirror/proxy in front of it) that answers the advisory request with a
    // refusal — 405 here, where only GET and HEAD pass — cannot audit at all. That is said plainly
    // and skipped like a missing PostgreSQL, unless STEWARD_REQUIRE_DEP_AUDIT=1 makes it a failure.
    if (typeof report.statusCode === 'number' && report.statusCode >= 400 && report.vulnerabilities === undefined) {
      const why = `the registry refused the advisory request (${report.message ?? report.statusCode})`;
      if (process.env.STEWARD_REQUIRE_DEP_AUDIT === '1') throw new Error(why);
      console.error(`dependency audit SKIPPED: ${why}.`);
      console.error('  Nothing was audited. Run it where the registry serves advisories, or judge a saved');
      console.error('  report: node scripts/dependency-audit.mjs --report r.json (docs/dependency-audit.md).');
      return 0;
    }
    advisories = advisoriesOf(report);
  } catch (e) {
    console.error(`dependency audit FAILED: ${e.message}`);
    console.error("  It needs the npm registry's advisory endpoint (POST /-/npm/v1/security/advisories/bulk).");
    return 2;
  }
  const { problems, warnings } = judge(advisories, accepted, new Date().toISOString().slice(0, 10));
  for (const w of warnings) console.error(`dependency audit: warning: ${w}`);
  if (problems.length > 0) {
    console.error(`dependency audit FAILED: ${problems.length} advisories not accepted:`);
    for (const p of problems) console.error(`  ${p}`);
    console.error('  Upgrade the package (npm audit fix, or a newer version), or accept the advisory in');
    console.error('  dependency-audit-allowlist.json with a reason and a date (docs/dependency-audit.md).');
    return 1;
  }
  console.log(`dependency audit: ${advisories.length} advisories, all accepted (${accepted.length} on the allow-list)`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
