// The boundary check against planted trees: a clean tree passes, and each kind of violation fails
// naming the file, the line and the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkBoundaries } from './check-boundaries.mjs';

const script = fileURLToPath(new URL('./check-boundaries.mjs', import.meta.url));

const ownershipSource = (debts) => `export const tableOwners = {
  'packages/store/': ['widgets'],
  'packages/governance/src/audit/': ['audit_log'],
  'packages/workflows/': ['workflow_instances'],
};
export const tableDebts = [
${debts.map((d) => `  { file: '${d.file}', table: '${d.table}' },`).join('\n')}
];
`;

const serverDebt = { file: 'apps/server/src/routes/audit.ts', table: 'audit_log' };

/** A small repository that follows every rule. */
const clean = {
  'packages/core/src/index.ts': `export const core = 1;\n`,
  'packages/store/src/index.ts': `import { core } from '@steward/core';\nexport const store = core;\n`,
  'packages/store/src/migrations/001-base.ts': `export const sql = \`
create table widgets (id int);
create table audit_log (id int);
create table if not exists workflow_instances (id int);\`;\n`,
  'packages/governance/src/audit/audit-log.ts': `import type { Database } from '@steward/store';
export const q = (db: Database) => db.query('select * from audit_log where id = $1');\n`,
  'packages/governance/src/index.ts': `export { q } from './audit/audit-log.js';\n`,
  'packages/workflows/src/engine/engine.ts': `import { q } from '@steward/governance';
export const rows = \`select id from workflow_instances where id = \${1}\`;
export const back = q;
// Prose that says "from audit_log" in a comment is not SQL.\n`,
  // A test may count rows in any table.
  'packages/workflows/src/engine/engine.test.ts': `export const n = 'select count(*) from audit_log';\n`,
  'apps/server/src/routes/audit.ts': `import { rows } from '@steward/workflows';
export const search = 'select * from audit_log order by id';
export const again = rows;
export const later = () => import('@steward/proposals');\n`,
  'apps/console/src/main.tsx': `import './styles.css';
import type { ReactNode } from 'react';
import { useState } from 'react';
export const App = (): ReactNode => { useState(0); return null; };\n`,
  'apps/console/locate.js': `import { fileURLToPath } from 'node:url';\nexport const dir = fileURLToPath(import.meta.url);\n`,
};

function plant(files, debts = [serverDebt]) {
  const root = mkdtempSync(join(tmpdir(), 'steward-boundaries-'));
  for (const [path, text] of Object.entries({ ...files, 'scripts/table-ownership.mjs': ownershipSource(debts) })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function check(files, debts) {
  const root = plant(files, debts);
  try {
    const ownership = await import(`${join(root, 'scripts/table-ownership.mjs')}?t=${Date.now()}`);
    return checkBoundaries({ root, ownership }).problems.map((p) => `${p.file}:${p.line} [${p.rule}]`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('a tree that follows the rules passes', async () => {
  assert.deepEqual(await check(clean), []);
});

test('a side-effect import of code is refused, and still checked against the layering', async () => {
  const found = await check({
    ...clean,
    'packages/store/src/boot.ts': `// boots\nimport './register.js';\n`,
    'packages/core/src/boot.ts': `import '@steward/server';\n`,
  });
  assert.deepEqual(found.sort(), [
    'packages/core/src/boot.ts:1 [layering]',
    'packages/core/src/boot.ts:1 [side-effect-import]',
    'packages/store/src/boot.ts:2 [side-effect-import]',
  ]);
});

test('a type-only import up the stack is refused like a runtime one', async () => {
  const found = await check({
    ...clean,
    'packages/store/src/kernel-type.ts': `import type { Kernel } from '@steward/server';\nexport type K = Kernel;\n`,
    'packages/store/src/re-export.ts': `\n\nexport type { Engine } from '@steward/workflows';\n`,
    'packages/store/src/inline.ts': `export type S = typeof import('@steward/ehr');\n`,
  });
  assert.deepEqual(found.sort(), [
    'packages/store/src/inline.ts:1 [type-import]',
    'packages/store/src/kernel-type.ts:1 [type-import]',
    'packages/store/src/re-export.ts:3 [type-import]',
  ]);
});

test('every runtime import form pointing up the stack is refused', async () => {
  const found = await check({
    ...clean,
    'packages/core/src/up.ts': [
      `import { store } from '@steward/store';`,
      `export { rows } from '@steward/workflows';`,
      `export const later = () => import('@steward/proposals');`,
      `declare const require: (s: string) => unknown;`,
      `export const old = require('@steward/ehr');`,
      `import gov = require('@steward/governance');`,
      `export const used = [store, gov];`,
      `export const computed = (name: string) => import(name);`,
      `import { sibling } from '../../store/src/index.js';`,
    ].join('\n'),
    // Governance folders have their own arrows: crypto may not use audit.
    'packages/governance/src/crypto/keys.ts': `\nimport { q } from '../audit/audit-log.js';\nexport const k = q;\n`,
    'packages/sandbox-ehr/src/index.ts': `import { q } from '@steward/governance';\nexport const s = q;\n`,
  });
  assert.deepEqual(found.sort(), [
    'packages/core/src/up.ts:1 [layering]',
    'packages/core/src/up.ts:2 [layering]',
    'packages/core/src/up.ts:3 [layering]',
    'packages/core/src/up.ts:5 [layering]',
    'packages/core/src/up.ts:6 [layering]',
    'packages/core/src/up.ts:8 [dynamic-import]',
    'packages/core/src/up.ts:9 [layering]',
    'packages/core/src/up.ts:9 [relative-escape]',
    'packages/governance/src/crypto/keys.ts:2 [layering]',
    'packages/sandbox-ehr/src/index.ts:1 [layering]',
  ]);
});

test('the console imports no Steward package, not even its types, and no Node built-in', async () => {
  const found = await check({
    ...clean,
    'apps/console/src/screens/review.tsx': [
      `import type { ReactNode } from 'react';`,
      `import { startServer } from '@steward/server';`,
      `import type { ProposalDetail } from '@steward/proposals';`,
      `import { readFileSync } from 'node:fs';`,
      `export const R = (p: ProposalDetail): ReactNode => [startServer, readFileSync, p] as never;`,
    ].join('\n'),
  });
  assert.deepEqual(found.sort(), [
    'apps/console/src/screens/review.tsx:2 [console-http-only]',
    'apps/console/src/screens/review.tsx:3 [console-http-only]',
    'apps/console/src/screens/review.tsx:4 [console-browser]',
  ]);
});

test("SQL on another package's table is refused at the line that names it", async () => {
  const found = await check({
    ...clean,
    'packages/workflows/src/engine/peek.ts': `export const peek = (id: number) => \`
  select w.id
    from workflow_instances w
    join audit_log a on a.id = \${id}\`;
export const purge = "delete from widgets";\n`,
  });
  assert.deepEqual(found.sort(), [
    'packages/workflows/src/engine/peek.ts:4 [table-ownership]',
    'packages/workflows/src/engine/peek.ts:5 [table-ownership]',
  ]);
});

test('a table created without an owner is refused', async () => {
  const found = await check({
    ...clean,
    'packages/store/src/migrations/002-more.ts': `export const sql = 'create table gadgets (id int)';\n`,
  });
  assert.deepEqual(found, ['packages/store/src/migrations/002-more.ts:1 [table-ownership]']);
});

test('a debt that is no longer true fails until it is removed from the list', async () => {
  const stale = { file: 'apps/server/src/routes/audit.ts', table: 'workflow_instances' };
  const found = await check(clean, [serverDebt, stale]);
  // Line 8 of the planted declaration: the second debt.
  assert.deepEqual(found, ['scripts/table-ownership.mjs:8 [stale-debt]']);
  // And without the debt the server's own SQL on audit_log is refused.
  assert.deepEqual(await check(clean, []), ['apps/server/src/routes/audit.ts:2 [table-ownership]']);
});

test('a package the layering does not know is refused', async () => {
  const found = await check({ ...clean, 'packages/newcomer/src/index.ts': `export const n = 1;\n` });
  assert.deepEqual(found, ['packages/newcomer/src/index.ts:1 [unknown-room]']);
});

test('the command prints file, line and rule and exits 1; a clean tree exits 0', () => {
  const bad = plant({ ...clean, 'packages/core/src/up.ts': `\nimport '@steward/store';\n` });
  const good = plant(clean);
  try {
    const failed = spawnSync(process.execPath, [script, bad], { encoding: 'utf8' });
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /packages\/core\/src\/up\.ts:2 \[side-effect-import\]/);
    assert.match(
      failed.stderr,
      /packages\/core\/src\/up\.ts:2 \[layering\] packages\/core may not import packages\/store/,
    );
    const passed = spawnSync(process.execPath, [script, good], { encoding: 'utf8' });
    assert.equal(passed.status, 0, passed.stderr);
    assert.match(passed.stdout, /boundaries: ok/);
  } finally {
    rmSync(bad, { recursive: true, force: true });
    rmSync(good, { recursive: true, force: true });
  }
});
