#!/usr/bin/env node
// The architecture, executable. Reads every source file of every package, app (the console's
// .tsx included), bench and tests with the TypeScript parser and refuses:
//   - an import of any form (static, side-effect, `import type`, `export … from`, `import()`,
//     `require`, `import x = require()`, `typeof import()`) that points up or across the stack;
//   - a side-effect import of code (`import './x.js'`): Steward modules do nothing when loaded;
//   - any Steward package in the console, which talks to the server over HTTP only;
//   - SQL naming a table another folder owns (scripts/table-ownership.mjs), past the listed debts.
// Each problem is printed as `file:line [rule] message`. Usage: node scripts/check-boundaries.mjs [root]
//
// Known limits: SQL is found in string and template literals only, so a table name held in a
// variable (`from ${table}`) is not seen; an `import()` or `require()` whose argument is not a
// literal is refused rather than guessed.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep, posix } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import module, { createRequire } from 'node:module';

// Loaded with require: importing the 9 MB CommonJS file as ESM first scans it for named exports.
// On Node 22+ the compiled code is cached between runs (about a second saved); Node 20 has no cache.
module.enableCompileCache?.();
const ts = createRequire(import.meta.url)('typescript');

const down = (...rooms) => rooms;
const appRooms = down(
  'packages/core',
  'packages/store',
  'packages/governance',
  'packages/clinic',
  'packages/ehr',
  'packages/automation',
  'packages/sandbox-ehr',
  'packages/proposals',
  'packages/messaging',
  'packages/workflows',
  'packages/relationships',
  'packages/events',
  'packages/intake',
);

/**
 * Room → rooms it may import. A room is a package, or a folder of governance. Type-only imports
 * follow the same arrows as runtime ones: a type from above is still a dependency on above (and
 * would make the TypeScript project references circular).
 */
export const layering = {
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
  // The governance entry and its test kit may use every governance folder.
  'packages/governance': ['*governance', 'packages/core', 'packages/store'],
  // The sandbox is another system (a stand-in EHR): it knows nothing of Steward but its vocabulary.
  'packages/sandbox-ehr': ['packages/core'],
  // The clinic model: patients across identifiers, sites and their clocks, the directory, the staff.
  'packages/clinic': ['packages/core', 'packages/store', 'packages/governance'],
  'packages/ehr': ['packages/core', 'packages/store', 'packages/governance', 'packages/clinic'],
  // Automation of EHR screens: a second EHR channel (screens), its executor and run record.
  'packages/automation': ['packages/core', 'packages/store', 'packages/governance', 'packages/clinic', 'packages/ehr'],
  // Proposals reach the EHR only through its one writer; workflows draft proposals.
  'packages/proposals': ['packages/core', 'packages/store', 'packages/governance', 'packages/clinic', 'packages/ehr'],
  // Messaging commits message proposals by its own rules (quiet hours, opt-outs); it knows no workflow.
  'packages/messaging': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/clinic',
    'packages/proposals',
  ],
  'packages/workflows': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/clinic',
    'packages/ehr',
    'packages/proposals',
  ],
  'packages/relationships': ['packages/core', 'packages/store', 'packages/governance', 'packages/clinic'],
  // Events out (issue 18): the outbox, webhooks and the stream, over the journal and proposals' outcomes.
  'packages/events': ['packages/core', 'packages/store', 'packages/governance', 'packages/proposals'],
  // Intake (issue 19): documents read, sorted, matched, checked, then filed through proposals and
  // handed to people through the workflows' handoffs.
  'packages/intake': [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/clinic',
    'packages/ehr',
    'packages/proposals',
    'packages/workflows',
  ],
  // The server serves the console's built files: it may ask the console package where they are.
  'apps/server': [...appRooms, 'apps/console'],
  'apps/cli': [...appRooms, 'apps/server'],
  // The console runs in a browser and talks to the server over HTTP only: no Steward package, not
  // even `import type`, because its types come from the API contract (src/api), which is what the
  // server actually sends; a type imported from the server would let the two drift unseen.
  'apps/console': [],
  // The SDK runs in an outside service or a browser and talks to Steward over HTTP only, like the
  // console: its types come from the generated API contract (src/schema.d.ts), never from a package.
  'packages/sdk': [],
  // bench may measure through the server's HTTP stack (the review queue as the console calls it).
  bench: [...appRooms, 'apps/server'],
  tests: [...appRooms, 'apps/server', 'apps/cli', 'packages/sdk'],
  // An example of a deployment's extension: it uses Steward's public packages, as a deployment would.
  examples: [
    'packages/core',
    'packages/store',
    'packages/governance',
    'packages/clinic',
    'packages/ehr',
    'packages/proposals',
    'packages/workflows',
    'packages/sdk',
    'apps/server',
  ],
};

const packageRoom = {
  '@steward/core': 'packages/core',
  '@steward/store': 'packages/store',
  '@steward/governance': 'packages/governance',
  '@steward/clinic': 'packages/clinic',
  '@steward/ehr': 'packages/ehr',
  '@steward/automation': 'packages/automation',
  '@steward/sandbox-ehr': 'packages/sandbox-ehr',
  '@steward/proposals': 'packages/proposals',
  '@steward/messaging': 'packages/messaging',
  '@steward/workflows': 'packages/workflows',
  '@steward/relationships': 'packages/relationships',
  '@steward/events': 'packages/events',
  '@steward/intake': 'packages/intake',
  '@steward/sdk': 'packages/sdk',
  '@steward/server': 'apps/server',
  '@steward/cli': 'apps/cli',
  '@steward/console': 'apps/console',
};

/** The subpaths a room's package.json `exports` declares besides `.` and `./testing`. */
let checkedRoot = '.';
const declared = new Map();
function declaredSubpaths(room) {
  if (room === undefined) return new Set();
  if (!declared.has(room)) {
    const file = join(checkedRoot, room, 'package.json');
    const exports = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).exports ?? {}) : {};
    declared.set(
      room,
      new Set(
        Object.keys(exports)
          .map((k) => k.replace(/^\.\/?/, ''))
          .filter((k) => k !== '' && k !== 'testing'),
      ),
    );
  }
  return declared.get(room);
}

const sourceFile = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
// Test code: unit and integration tests, test kits, processes a test spawns; tests/e2e throughout.
const testFile = (rel) => /\.test\.tsx?$|test-|testing\.ts$|-child\.ts$/.test(rel) || rel.startsWith('tests/e2e/');
const sqlVerb = String.raw`\b(?:from|join|into|update|delete\s+from|truncate(?:\s+table)?|lock\s+table)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?`;

function roomOf(rel) {
  const m = rel.match(/^packages\/governance\/src\/([^/]+)\//);
  if (m && layering[`packages/governance/${m[1]}`]) return `packages/governance/${m[1]}`;
  return Object.keys(layering)
    .filter((r) => rel.startsWith(r + '/'))
    .sort((a, b) => b.length - a.length)[0];
}

/** packages/x, apps/x, bench or tests: the unit a relative import must not leave. */
function packageOf(rel) {
  const parts = rel.split('/');
  return parts[0] === 'packages' || parts[0] === 'apps' ? parts.slice(0, 2).join('/') : parts[0];
}

function* walk(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (sourceFile.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

/** Every module reference in a file: { spec, kind, typeOnly, node } (spec undefined: not a literal). */
function moduleReferences(sf) {
  const found = [];
  const add = (specNode, kind, typeOnly, node) =>
    found.push({
      spec: specNode && ts.isStringLiteralLike(specNode) ? specNode.text : undefined,
      kind,
      typeOnly,
      node,
    });
  const declaration = (node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      // Under verbatimModuleSyntax `import { type A } from 'x'` still loads 'x': only `import type` is type-only.
      add(node.moduleSpecifier, clause === undefined ? 'side-effect' : 'import', clause?.isTypeOnly ?? false, node);
    } else if (ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) add(node.moduleSpecifier, 'export-from', node.isTypeOnly, node);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (ts.isExternalModuleReference(node.moduleReference))
        add(node.moduleReference.expression, 'require', node.isTypeOnly, node);
    } else return false;
    return true;
  };
  const visit = (node) => {
    if (declaration(node)) return;
    if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal, 'import-type', true, node);
    } else if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic', false, node);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1)
        add(node.arguments[0], 'require', false, node);
    }
    ts.forEachChild(node, visit);
  };
  // Declarations sit at the top level (or in a `declare module` block); only a file that says
  // `import(` or `require(` somewhere needs the whole tree walked.
  if (/\bimport\s*\(|\brequire\s*\(/.test(sf.text)) visit(sf);
  else for (const statement of sf.statements) declaration(statement);
  return found;
}

/** Literal text pieces of a file with where each starts: string literals and template parts. */
function literalPieces(sf) {
  const pieces = [];
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      pieces.push({ pos: node.getStart(sf), text: sf.text.slice(node.getStart(sf), node.end) });
      return;
    }
    if (ts.isTemplateExpression(node)) {
      for (const part of [node.head, ...node.templateSpans.map((s) => s.literal)])
        pieces.push({ pos: part.getStart(sf), text: sf.text.slice(part.getStart(sf), part.end) });
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    // Module specifiers are not SQL.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return pieces;
}

/**
 * Checks the tree at `root`. `ownership` is { tableOwners, tableDebts } and `ownershipFile` the
 * file (relative to root) that declares them, named when a debt is stale.
 * Returns the problems found ({ file, line, rule, message }) and how many files were read.
 */
export function checkBoundaries({ root, ownership, ownershipFile = 'scripts/table-ownership.mjs' }) {
  checkedRoot = root;
  declared.clear();
  const problems = [];
  const report = (file, line, rule, message) => problems.push({ file, line, rule, message });

  const ownerOf = new Map();
  for (const [owner, tables] of Object.entries(ownership.tableOwners)) {
    for (const table of tables) {
      if (ownerOf.has(table))
        report(ownershipFile, 1, 'table-ownership', `${table} has two owners: ${ownerOf.get(table)} and ${owner}`);
      ownerOf.set(table, owner);
    }
  }
  const sqlRef = new RegExp(sqlVerb, 'gi');
  // A file is parsed for SQL only when it names an owned table at all.
  const mayHaveSql = new RegExp(`\\b(?:${[...ownerOf.keys()].join('|')})\\b`, 'i');
  const debtUsed = ownership.tableDebts.map(() => false);
  const createdTables = [];
  let files = 0;

  for (const top of ['packages', 'apps', 'bench', 'tests', 'examples']) {
    for (const path of walk(join(root, top))) {
      files += 1;
      const rel = relative(root, path).split(sep).join('/');
      const text = readFileSync(path, 'utf8');
      const kind = /\.tsx$/.test(rel)
        ? ts.ScriptKind.TSX
        : /\.[mc]?js$/.test(rel)
          ? ts.ScriptKind.JS
          : ts.ScriptKind.TS;
      const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
      const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;
      const room = roomOf(rel);
      const isTest = testFile(rel);
      if (room === undefined) {
        report(
          rel,
          1,
          'unknown-room',
          `${packageOf(rel)} has no place in the layering: add it to scripts/check-boundaries.mjs`,
        );
        continue;
      }
      for (const ref of moduleReferences(sf)) {
        const line = lineOf(ref.node.getStart(sf));
        checkImport(rel, line, room, isTest, ref, report);
      }
      if (rel.startsWith('packages/store/src/migrations/')) {
        for (const m of text.matchAll(/\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)/gi))
          createdTables.push({ table: m[1].toLowerCase(), file: rel, line: lineOf(m.index) });
        continue;
      }
      if (rel === 'packages/store/src/migrate.ts') continue;
      // Tests and benchmarks may count rows to check that what they did landed.
      if (isTest || rel.startsWith('bench/')) continue;
      if (!mayHaveSql.test(text)) continue;
      for (const piece of literalPieces(sf)) {
        for (const m of piece.text.matchAll(sqlRef)) {
          const table = m[1].toLowerCase();
          const owner = ownerOf.get(table);
          if (owner === undefined || rel.startsWith(owner)) continue;
          const debt = ownership.tableDebts.findIndex((d) => d.file === rel && d.table === table);
          if (debt >= 0) {
            debtUsed[debt] = true;
            continue;
          }
          const line = lineOf(piece.pos) + (piece.text.slice(0, m.index).match(/\n/g)?.length ?? 0);
          report(
            rel,
            line,
            'table-ownership',
            `SQL on ${table}, which ${owner} owns: ask that package's service (scripts/table-ownership.mjs)`,
          );
        }
      }
    }
  }

  for (const { table, file, line } of createdTables) {
    if (!ownerOf.has(table)) report(file, line, 'table-ownership', `table ${table} has no owner in ${ownershipFile}`);
  }
  const declaration = existsSync(join(root, ownershipFile)) ? readFileSync(join(root, ownershipFile), 'utf8') : '';
  ownership.tableDebts.forEach((d, i) => {
    if (debtUsed[i]) return;
    const at = declaration.split('\n').findIndex((l) => l.includes(`'${d.file}'`) && l.includes(`'${d.table}'`));
    report(
      ownershipFile,
      at + 1 || 1,
      'stale-debt',
      `${d.file} no longer touches ${d.table}: remove this debt so the list only shrinks`,
    );
  });
  return { problems, files };
}

/**
 * The one module that imports by a computed name, by design: the server's loader of the extensions a
 * deployment names in STEWARD_EXTENSIONS (their names come from configuration, not from Steward).
 */
const computedImportAllowed = new Set(['apps/server/src/extension-loader.ts']);

function checkImport(rel, line, room, isTest, ref, report) {
  const { spec, kind, typeOnly } = ref;
  if (spec === undefined && kind !== 'require' && computedImportAllowed.has(rel)) return;
  if (spec === undefined) {
    report(
      rel,
      line,
      'dynamic-import',
      `${kind === 'require' ? 'require' : 'import()'} of a computed name cannot be checked: use a string literal`,
    );
    return;
  }
  if (rel.startsWith('apps/console/src/') && /^node:/.test(spec) && !isTest) {
    report(rel, line, 'console-browser', `the console runs in a browser: ${spec} is not there`);
    return;
  }
  if (kind === 'side-effect' && (spec.startsWith('.') || spec.startsWith('@steward/')) && !/\.css$/.test(spec)) {
    report(
      rel,
      line,
      'side-effect-import',
      `import '${spec}' loads a module for its effects; Steward modules have none (one composition root): import what you use`,
    );
  }
  let target;
  if (spec.startsWith('.')) {
    const targetRel = posix.normalize(posix.join(posix.dirname(rel), spec));
    if (packageOf(targetRel) !== packageOf(rel)) {
      report(rel, line, 'relative-escape', `imports ${spec}: reach another room through its package name, not a path`);
    }
    target = roomOf(targetRel);
  } else if (spec.startsWith('@steward/')) {
    const [scope, name, ...deep] = spec.split('/');
    target = packageRoom[`${scope}/${name}`];
    const subpath = deep.join('/');
    // A subpath the package's own `exports` map declares is public (`@steward/sdk/webhooks`).
    if (deep.length > 0 && subpath !== 'testing' && !declaredSubpaths(target).has(subpath)) {
      report(rel, line, 'deep-import', `imports ${spec}: use the package's public entry, not its internals`);
    }
    if (subpath === 'testing' && !isTest && !rel.startsWith('bench/')) {
      report(rel, line, 'testing-outside-test', `imports ${spec} outside a test`);
    }
    if (target === undefined) {
      report(rel, line, 'unknown-room', `${spec} has no place in the layering: add it to scripts/check-boundaries.mjs`);
      return;
    }
  } else return;
  if (target === undefined || target === room) return;
  if (room === 'apps/console') {
    report(
      rel,
      line,
      'console-http-only',
      `the console talks to the server over HTTP only and may not import ${spec}${typeOnly ? ' (not even its types: they come from src/api)' : ''}`,
    );
    return;
  }
  // The sandbox EHR is a test peer: any package's tests may run against it.
  if (isTest && target === 'packages/sandbox-ehr') return;
  const ok = layering[room].some(
    (a) => a === target || (a === '*governance' && target.startsWith('packages/governance/')),
  );
  if (ok) return;
  if (typeOnly)
    report(
      rel,
      line,
      'type-import',
      `${room} may not import types from ${target} (${spec}): a type import is still an arrow up or across the stack`,
    );
  else report(rel, line, 'layering', `${room} may not import ${target} (${spec}): imports point down the stack`);
}

async function main() {
  const started = performance.now();
  const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
  const declared = join(root, 'scripts/table-ownership.mjs');
  const ownership = await import(pathToFileURL(declared).href);
  const { problems, files } = checkBoundaries({ root, ownership });
  const took = `${files} files in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.file}:${p.line} [${p.rule}] ${p.message}`);
    console.error(`Boundaries violated (${problems.length}, ${took}):\n${lines.join('\n')}`);
    console.error(
      'The rules are in scripts/check-boundaries.mjs and scripts/table-ownership.mjs, explained in docs/architecture.md.',
    );
    process.exit(1);
  }
  console.log(`boundaries: ok (${took})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
