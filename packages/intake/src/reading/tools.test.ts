import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStewardError } from '@steward/core';
import { Limiter, resolveTool } from './tools.js';

describe('local tools', () => {
  it('prefers the system directory over a stand-in earlier on PATH', () => {
    const system = mkdtempSync(join(tmpdir(), 'steward-tools-sys-'));
    const path = mkdtempSync(join(tmpdir(), 'steward-tools-path-'));
    try {
      writeFileSync(join(path, 'convert'), '#!/bin/sh\necho not imagemagick\n', { mode: 0o755 });
      assert.equal(resolveTool('convert', path, system), join(path, 'convert'));
      writeFileSync(join(system, 'convert'), '#!/bin/sh\n', { mode: 0o755 });
      assert.equal(resolveTool('convert', path, system), join(system, 'convert'));
    } finally {
      rmSync(system, { recursive: true, force: true });
      rmSync(path, { recursive: true, force: true });
    }
  });

  it('names the Debian package of a program that is not installed', () => {
    const empty = mkdtempSync(join(tmpdir(), 'steward-tools-empty-'));
    try {
      assert.throws(
        () => resolveTool('zbarimg', empty, empty),
        (e: unknown) =>
          isStewardError(e) && e.code === 'INTAKE_TOOL_MISSING' && e.message.includes('Debian package: zbar-tools'),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('runs at most `limit` tasks at once', async () => {
    const limiter = new Limiter(2);
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        limiter.run(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    assert.equal(most, 2);
  });
});
