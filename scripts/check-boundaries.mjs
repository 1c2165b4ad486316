#!/usr/bin/env node
// The architecture, executable: which room may import which. Imports point down the stack
// (core ← store ← governance ← server ← cli); inside governance, each folder names what it may use.
// Also: PHI tables are reached only through the governed record store. Prints every violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);

/** Room → rooms it may import. A room is a package, or a folder of governance. */
const allowed = {
  'packages/core': [],
  'packages/store': ['packages/core'],
  'packages/governance/crypto': ['packages/core', 'packages/store'],
  'packages/governance/logging': ['packages/core'],
  'packages/governance/audit': ['packages/core', 'packages/store', 'packages/governance/crypto'],
  'packages/governance/identity': [
    'packages/core',
    'packages/store',
    'packages/governance/crypto',
    'packages/governance/audit',
  ],
  'packages/governance/policy': [
    'packages/core',
    'packages/store',
    'packages/governance/crypto',
    'packages/governance/audit',
  ],
  'packages/governance/egress': ['packages/core', 'packages/store', 'packages/governance/audit'],
  'packages/governance/records': [
    'packages/core',
    'packages/store',
    'packages/governance/crypto',
    'packages/governance/audit',
    'packages/governance/policy',
    'packages/governance/retention',
  ],
  'packages/governance/retention': [
    'packages/core',
    'packages/store',
    'packages/governance/crypto',
    'packages/governance/audit',
    'packages/governance/policy',
  ],
  'packages/governance': ['*governance', 'packages/core', 'packages/store'],
  // The sandbox is another system (a stand-in EHR): it knows nothing of Steward but its vocabulary.
  'packages/sandbox-ehr': ['packages/core'],
  'packages/ehr': ['packages/core', 'packages/store', 'packages/governance'],
  // Proposals reach the EHR only through its one writer; workflows draft proposals.
  'packages/proposals': ['packages/core', 'packages/store', 'packages/governance', 'packages/ehr'],
  // Messaging commits message proposals by its own rules (quiet hours, opt-outs); it knows no workflow.
  'packages/messaging': ['packages/core', 'packages/store', 'packages/governance', 'packages/proposals'],
  'packages/workflows': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/proposals',
  ],
  'packages/relationships': ['packages/core', 'packages/store', 'packages/governance'],
  'apps/server': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/sandbox-ehr',
    'packages/proposals',
    'packages/messaging',
    'packages/workflows',
    'packages/relationships',
  ],
  'apps/cli': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/sandbox-ehr',
    'packages/proposals',
    'packages/messaging',
    'packages/workflows',
    'packages/relationships',
    'apps/server',
  ],
  // bench may measure through the server's HTTP stack (the review queue as the console calls it).
  bench: [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/sandbox-ehr',
    'packages/proposals',
    'packages/workflows',
    'packages/relationships',
    'apps/server',
  ],
  // An example of a deployment's extension: it uses Steward's public packages, as a deployment would.
  examples: [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/proposals',
    'packages/workflows',
    'apps/server',
  ],
  tests: [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/ehr',
    'packages/sandbox-ehr',
    'packages/proposals',
    'packages/workflows',
    'packages/relationships',
    'apps/server',
    'apps/cli',
  ],
};
const packageRoom = {
  '@steward/core': 'packages/core',
  '@steward/store': 'packages/store',
  '@steward/governance': 'packages/governance',
  '@steward/ehr': 'packages/ehr',
  '@steward/sandbox-ehr': 'packages/sandbox-ehr',
  '@steward/proposals': 'packages/proposals',
  '@steward/messaging': 'packages/messaging',
  '@steward/workflows': 'packages/workflows',
  '@steward/relationships': 'packages/relationships',
  '@steward/server': 'apps/server',
  '@steward/cli': 'apps/cli',
};
// SQL that touches PHI tables directly, allowed only in the governed store and the schema.
const phiTableSql =
  /\b(from|into|update|join)\s+(records|record_index|ehr_inbound|ehr_events|proposals|proposal_history|rel_parties|rel_party_index|rel_relationships|rel_notes|rel_source_records|message_outbox|message_preferences)\b/i;
const phiTableOwners = [
  'packages/governance/src/records/',
  'packages/store/src/migrations/',
  'packages/proposals/src/store/',
  'packages/relationships/src/graph/',
  'packages/messaging/src/',
];

function roomOf(file) {
  const rel = relative(root, file);
  const m = rel.match(/^packages\/governance\/src\/([^/]+)\//);
  if (m && allowed[`packages/governance/${m[1]}`]) return `packages/governance/${m[1]}`;
  return Object.keys(allowed)
    .filter((r) => rel.startsWith(r + '/'))
    .sort((a, b) => b.length - a.length)[0];
}

/** packages/x, apps/x, bench or tests: the unit a relative import must not leave. */
function packageOf(path) {
  const parts = relative(root, path).split('/');
  return parts[0] === 'packages' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0];
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const problems = [];
for (const top of ['packages', 'apps', 'bench', 'tests', 'examples']) {
  let files;
  try {
    files = [...walk(join(root, top))];
  } catch {
    continue;
  }
  for (const file of files) {
    const room = roomOf(file);
    if (room === undefined) continue;
    const text = readFileSync(file, 'utf8');
    const rel = relative(root, file);
    // tests/e2e/: end-to-end scenarios and their harness are test code throughout.
    const isTest = /\.test\.ts$|test-|testing\.ts$|-child\.ts$/.test(rel) || rel.startsWith('tests/e2e/'); // -child.ts: a process a test spawns
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      let target;
      if (spec.startsWith('.')) {
        const resolved = resolve(dirname(file), spec);
        if (packageOf(resolved) !== packageOf(file)) {
          problems.push(`${rel}: imports ${spec}: reach another room through its package name, not a path`);
        }
        target = roomOf(resolved);
      } else if (spec.startsWith('@steward/')) {
        const [scope, name, ...deep] = spec.split('/');
        target = packageRoom[`${scope}/${name}`];
        if (deep.length > 0 && deep.join('/') !== 'testing') {
          problems.push(`${rel}: imports ${spec}: use the package's public entry, not its internals`);
        }
        if (deep.join('/') === 'testing' && !isTest && !rel.startsWith('bench/'))
          problems.push(`${rel}: imports ${spec} outside a test`);
      } else continue;
      if (target === undefined || target === room) continue;
      // The sandbox EHR is a test peer: any package's tests may run against it.
      if (isTest && target === 'packages/sandbox-ehr') continue;
      const ok = allowed[room].some(
        (a) => a === target || (a === '*governance' && target.startsWith('packages/governance/')),
      );
      if (!ok) problems.push(`${rel}: ${room} may not import ${target} (${spec})`);
    }
    // Benchmarks, like tests, may count rows to check what they measured landed.
    if (
      !isTest &&
      !rel.startsWith('bench/') &&
      phiTableSql.test(text) &&
      !phiTableOwners.some((o) => rel.startsWith(o))
    ) {
      problems.push(`${rel}: touches PHI tables directly; go through the governed RecordStore`);
    }
  }
}
if (problems.length > 0) {
  console.error(`Import boundaries violated (${problems.length}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  console.error('The allowed imports are in scripts/check-boundaries.mjs and explained in docs/architecture.md.');
  process.exit(1);
}
console.log('import boundaries: ok');
