/**
 * Loading STEWARD_EXTENSIONS: a path or an installed package, its default or named extensions;
 * a module that is missing or exports no extension refused with CONFIG_INVALID naming it, every
 * problem at once. Modules are written to a temporary directory (no store, no network).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStewardError } from '@steward/core';
import { loadExtensions } from './extension-loader.js';

describe('loading the extensions a deployment names', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'steward-extensions-'));
    writeFileSync(join(dir, 'default.mjs'), "export default { name: 'by-default', actions: [] };\n");
    writeFileSync(
      join(dir, 'named.mjs'),
      "export const one = { name: 'one', workflows: [] };\nexport const two = { name: 'two', committers: () => ({}) };\nexport const other = 3;\n",
    );
    writeFileSync(join(dir, 'nothing.mjs'), "export const name = 'not an extension';\n");
    writeFileSync(join(dir, 'broken.mjs'), 'export const = ;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a module’s default extension, or each named one, in the order listed, from paths relative to the working directory', async () => {
    const loaded = await loadExtensions(['./named.mjs', join(dir, 'default.mjs')], dir);
    assert.deepEqual(
      loaded.map((e) => e.name),
      ['one', 'two', 'by-default'],
    );
  });

  it('loads an installed package by its name: the example extension, with its action and workflow', async () => {
    const [ext, ...rest] = await loadExtensions(['@steward/example-noshow-callback']);
    assert.equal(rest.length, 0);
    assert.equal(ext?.name, 'example-noshow-callback');
    assert.deepEqual(
      ext?.actions?.map((a) => a.type),
      ['callback-task.create'],
    );
    assert.deepEqual(
      ext?.workflows?.map((w) => w.name),
      ['example-noshow-callback'],
    );
  });

  it('refuses, all at once, a module not found, one that is no extension, one that fails to load, and a name twice', async () => {
    await assert.rejects(
      loadExtensions(
        ['./missing.mjs', '@clinic/not-installed', './nothing.mjs', './broken.mjs', './default.mjs', './default.mjs'],
        dir,
      ),
      (e) => {
        assert.ok(isStewardError(e) && e.code === 'CONFIG_INVALID', String(e));
        const messages = e.details.map((d) => `${d.path}: ${d.message}`);
        assert.equal(messages.length, 5, messages.join('\n'));
        assert.match(messages[0] ?? '', /^STEWARD_EXTENSIONS: "\.\/missing\.mjs": module not found/);
        assert.match(messages[1] ?? '', /"@clinic\/not-installed": module not found/);
        assert.match(messages[2] ?? '', /"\.\/nothing\.mjs": not a Steward extension/);
        assert.match(messages[3] ?? '', /"\.\/broken\.mjs": the module failed to load \(SyntaxError/);
        assert.match(messages[4] ?? '', /the extension "by-default" is loaded twice/);
        return true;
      },
    );
  });
});
