/**
 * `steward review` and `steward policies` end to end, as a reviewer runs them against a server
 * on the embedded store: the queue, a proposal shown with its content hash, an approval refused
 * without the hash or with a stale one, an approval with the hash committed and verified at the
 * sandbox EHR; a rejection; approval policies set by a compliance officer only. Proposals are
 * drafted in-process (as a workflow would) before the server starts on the same store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '@steward/core';
import { createLogger } from '@steward/governance';
import type { ProposalSummary } from '@steward/proposals';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { connectSandboxEhr, principalWith } from '@steward/server/testing';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { migratedDataDir, runCli, startCliTestServer, type Run } from './testing.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';
const scopes = ['system/*.rs', 'system/Appointment.u'];
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test-bootstrap',
  authMethod: 'local-operator',
} as const;

describe('steward review on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-review-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let ehr: SandboxEhr;
  let ehrToken: string;
  let adminToken: string;
  let reviewerToken: string;
  let server: RunningServer | undefined;
  const proposals: ProposalSummary[] = [];

  /** Runs a command in this process, acting with `token`. */
  const steward = (token: string, ...args: string[]): Promise<Run> => runCli({ ...env, STEWARD_TOKEN: token }, args);
  const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const r = await fhirFetch(ehr, ehrToken, method, path, body);
    assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
    return r.json as Record<string, unknown>;
  };

  before(async () => {
    ehr = await startSandboxEhr({});
    ehrToken = await tokenFor(ehr, ['system/*.*']);
    await migratedDataDir(env);
    const init = await steward('', 'init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token'));
    assert.equal(init.status, 0, init.stderr);
    adminToken = readFileSync(join(dir, 'admin.token'), 'utf8').trim();

    // A workflow drafts proposals in-process; the store is closed again before the next command.
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      const alice = (await kernel.bootstrap.users.list()).find((u) => u.username === 'alice');
      assert.ok(alice !== undefined);
      const admin: RequestContext = { actor: { kind: 'user', id: alice.id, name: 'alice', authMethod: 'api-token' } };
      await kernel.grants.add(bootstrap, {
        principalKind: 'user',
        principalId: alice.id,
        role: 'compliance_officer',
        site: '*',
        workflow: '*',
        purposeOfUse: 'HCOMPL',
      });
      const connection = await connectSandboxEhr(kernel, ehr, admin, {
        name: 'north-sandbox',
        site: 'north',
        clientId: 'steward-north',
        scopes,
      });
      const bob = await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' });
      reviewerToken = bob.token;
      const automation = await principalWith(kernel, 'no-show-flow', { role: 'automation' });
      const flow: RequestContext = {
        actor: { kind: 'service', id: automation.id, name: 'no-show-flow', authMethod: 'api-token' },
      };
      const identifiers = [
        { system: MRN, value: 'MRN-4001' },
        { system: ENTERPRISE, value: 'E-4001' },
      ];
      // The patient as the index knows them (as ingest would have resolved them).
      const stewardId = await kernel.patients.resolve(
        { actor: { kind: 'user', id: bob.id, name: 'bob', authMethod: 'api-token' } },
        {
          connectionId: connection.id,
          site: 'north',
          identifiers,
          demographics: { name: { family: 'Rivera', given: ['Sam'] }, birthDate: '1980-01-02' },
        },
      );
      const patient = await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: identifiers,
      });
      for (let i = 0; i < 3; i++) {
        const a = await ehrSide('POST', 'Appointment', {
          resourceType: 'Appointment',
          status: 'booked',
          start: `2026-12-0${i + 1}T14:00:00-05:00`,
          end: `2026-12-0${i + 1}T14:30:00-05:00`,
          participant: [{ actor: { reference: `Patient/${String(patient['id'])}` }, status: 'accepted' }],
        });
        const { meta, ...rest } = a as { meta: { versionId: string } };
        proposals.push(
          await kernel.proposals.draft(flow, {
            action: 'appointment.status',
            connectionId: connection.id,
            site: 'north',
            workflow: i === 2 ? 'referral-tracking' : 'no-show-follow-up',
            patient: { stewardId, ehrId: String(patient['id']), identifiers },
            target: { resourceType: 'Appointment', id: String(a['id']) },
            baseVersion: meta.versionId,
            payload: { ...rest, status: 'noshow' },
            evidence: { eventIds: [], resources: [`Appointment/${String(a['id'])}`], reasonCode: 'no-show' },
            priority: i + 1,
          }),
        );
      }
    } finally {
      await kernel.close();
    }
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
  });
  after(async () => {
    await server?.stop();
    await ehr?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the queue as a table and as JSON, filtered', async () => {
    const table = await steward(reviewerToken, 'review', 'list', '--site', 'north');
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^id\s+status\s+action/);
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(/\s+/)[0]),
      proposals.map((p) => p.id),
      'most urgent first',
    );
    assert.equal(
      lines.filter((l) => l.includes('Rivera, Sam 1980-01-02')).length,
      proposals.length,
      'each row names the patient as a coordinator at the site may see them',
    );
    const json = await steward(
      reviewerToken,
      ...['review', 'list', '--site', 'north', '--workflow', 'referral-tracking', '--json'],
    );
    assert.equal(json.status, 0, json.stderr);
    const page = JSON.parse(json.stdout) as { items: { id: string }[] };
    assert.deepEqual(
      page.items.map((p) => p.id),
      [proposals[2]!.id],
    );
  });

  it('shows what would be written, approves only what was seen, and commits it to the EHR', async () => {
    const p = proposals[0]!;
    const unconfirmed = await steward(reviewerToken, 'review', 'approve', p.id);
    assert.equal(unconfirmed.status, 2);
    assert.match(unconfirmed.stdout, new RegExp(`content hash\\s+${p.contentHash}`));
    assert.match(unconfirmed.stdout, /would write:[\s\S]*"status": "noshow"/);
    assert.match(unconfirmed.stderr, new RegExp(`--hash ${p.contentHash}`));
    const stale = await steward(reviewerToken, 'review', 'approve', p.id, '--hash', 'e'.repeat(64));
    assert.equal(stale.status, 6);
    assert.match(stale.stderr, /VERSION_CONFLICT.*review it again/);
    const ok = await steward(reviewerToken, 'review', 'approve', p.id, '--hash', p.contentHash);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /approved[\s\S]*verified: Appointment\//);
    const written = await ehrSide('GET', `Appointment/${p.target.id ?? ''}`);
    assert.equal(written['status'], 'noshow');
  });

  it('rejects with a reason, shown to the next reviewer', async () => {
    const p = proposals[1]!;
    const r = await steward(reviewerToken, 'review', 'reject', p.id, '--reason', 'already rebooked by phone');
    assert.equal(r.status, 0, r.stderr);
    const shown = JSON.parse((await steward(reviewerToken, 'review', 'show', p.id, '--json')).stdout) as {
      status: string;
      rejection: string;
    };
    assert.equal(shown.status, 'rejected');
    assert.equal(shown.rejection, 'already rebooked by phone');
  });

  it('sets approval policies as a compliance officer only', async () => {
    const refused = await steward(reviewerToken, 'policies', 'set', 'task.create', '--mode', 'auto');
    assert.equal(refused.status, 4);
    const set = await steward(
      adminToken,
      ...['policies', 'set', 'appointment.status', '--mode', 'review', '--roles', 'clinician_reviewer'],
    );
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /appointment\.status: review by clinician_reviewer/);
    const bound = await steward(
      reviewerToken,
      'review',
      'approve',
      proposals[2]!.id,
      '--hash',
      proposals[2]!.contentHash,
    );
    assert.equal(bound.status, 4, 'a coordinator no longer approves appointment changes');
    assert.match(bound.stderr, /clinician_reviewer/);
  });
});
