/**
 * `steward start` with STEWARD_EXTENSIONS naming this example, end to end on the embedded store:
 * the real bin starts, loads the package through the StewardExtension mechanism, runs its workflow
 * beside Steward's own, serves its action in the API document, and `steward review` filters by it.
 * A start naming a module that is missing or no extension is refused before anything opens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedStoreDir } from '@steward/store';
import { copyPgliteTemplate } from '@steward/store/testing';

// The `steward` command as a deployment runs it (spawned, not imported: an example sits above no app).
const bin = fileURLToPath(new URL('../../../apps/cli/bin/steward.js', import.meta.url));
/**
 * What the test runner gives its own processes, passed on to each `steward` it spawns: its
 * `--liftoff-only` (scripts/run-tests.mjs; `init` and `start` start PGlite's WebAssembly anew) and
 * its compiled-code cache (without it every spawn compiles all of Steward's modules again).
 */
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');
const compileCache = { NODE_COMPILE_CACHE: process.env['NODE_COMPILE_CACHE'] };

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runSteward(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, bin, ...args], {
      env: { ...compileCache, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

describe('steward start with STEWARD_EXTENSIONS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-extensions-start-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_PORT: '0',
    STEWARD_SANDBOX: 'off',
    STEWARD_EHR: 'off',
    STEWARD_WORKFLOWS: 'on',
    STEWARD_RETENTION_PURGE_HOURS: '0',
    STEWARD_LOG_LEVEL: 'info',
  };
  let server: ChildProcess | undefined;
  let logs = '';
  let url = '';
  let token = '';

  before(async () => {
    // A copy of the tests' migrated store: init on it skips creating and migrating one (seconds of CPU).
    await copyPgliteTemplate(embeddedStoreDir(join(dir, 'data')));
    const init = await runSteward(env, ['init', '--admin-user', 'alice', '--token-out', join(dir, 'token')]);
    assert.equal(init.status, 0, init.stderr);
    token = readFileSync(join(dir, 'token'), 'utf8').trim();
    server = spawn(process.execPath, [...NODE_FLAGS, bin, 'start'], {
      env: { ...compileCache, ...env, STEWARD_EXTENSIONS: '@steward/example-noshow-callback' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const seen = (d: Buffer): void => {
        logs += d.toString('utf8');
        // The address from Fastify's own line (the logger redacts URLs in Steward's fields).
        const listening = /"msg":"Server listening at (https?:\/\/[^"]+)"/.exec(logs);
        // Started once Steward says so (after the workflows): the API listens before that.
        if (listening?.[1] !== undefined && logs.includes('"msg":"steward listening"')) resolve(listening[1]);
      };
      server?.stdout?.on('data', seen);
      server?.stderr?.on('data', seen);
      server?.on('exit', (code) => reject(new Error(`steward start exited (${code}): ${logs}`)));
    });
  });
  after(async () => {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the example: its workflow runs beside the built-in ones and its action is in the API document', async () => {
    assert.match(logs, /"extensions":\["example-noshow-callback"\][^\n]*"msg":"extensions loaded"/);
    const running = /"workflows":(\[[^\]]*\])[^\n]*"msg":"workflows running"/.exec(logs);
    assert.ok(running?.[1] !== undefined, logs);
    assert.ok((JSON.parse(running[1]) as string[]).includes('noshow-callback'), running[1]);
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, { put?: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    const accepted = doc.paths['/approval-policies/{actionType}']?.put?.parameters.find((p) => p.name === 'actionType');
    assert.ok(accepted?.schema.enum?.includes('callback-task.create'), JSON.stringify(accepted));
  });

  it('steward review filters by the extension’s action; the server refuses an action it does not know', async () => {
    const as = { ...env, STEWARD_TOKEN: token, STEWARD_SERVER_URL: url };
    const grant = await runSteward(as, ['grants', 'add', '--user', 'alice', '--role', 'clinician_reviewer']);
    assert.equal(grant.status, 0, grant.stderr);
    const listed = await runSteward(as, ['review', 'list', '--action', 'callback-task.create', '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { items: unknown[] }).items, []);
    const unknown = await runSteward(as, ['review', 'list', '--action', 'nothing.known', '--json']);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /VALIDATION_FAILED[\s\S]*actionType/);
  });

  it('refuses to start with a module that is missing or is not an extension, naming each', async () => {
    writeFileSync(join(dir, 'plain.mjs'), 'export const answer = 42;\n');
    const [nowhere, plain] = [join(dir, 'nowhere.mjs'), join(dir, 'plain.mjs')];
    const r = await runSteward({ ...env, STEWARD_EXTENSIONS: `${nowhere},${plain}` }, ['start']);
    assert.equal(r.status, 9, r.stderr);
    assert.match(r.stderr, /CONFIG_INVALID/);
    assert.ok(r.stderr.includes(`"${nowhere}": module not found`), r.stderr);
    assert.ok(r.stderr.includes(`"${plain}": not a Steward extension`), r.stderr);
  });
});
