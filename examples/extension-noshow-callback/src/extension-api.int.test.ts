/**
 * The example extension's action through the API of a server given the extension (PGlite, and
 * PostgreSQL when configured): listed and filtered in the review queue, opened with the rendering
 * its definition gives, its approval policy set, approved by content hash. A server without the
 * extension refuses the action type by name, and each server's OpenAPI document lists its own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import type { ProposalDraft } from '@steward/proposals';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '@steward/server/testing';
import { flowTargets } from '@steward/store/testing';
import { noshowCallbackExtension } from './index.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const PATIENT = '22222222-2222-4222-8222-222222222222';

const callbackDraft: ProposalDraft = {
  action: 'callback-task.create',
  connectionId: CONNECTION,
  site: 'north',
  workflow: 'noshow-callback',
  patient: {
    stewardId: PATIENT,
    ehrId: 'p7',
    identifiers: [
      { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-p7' },
      { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-p7' },
    ],
  },
  target: { resourceType: 'Task' },
  payload: {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    description: 'Call the patient to rebook the missed appointment',
    for: { reference: 'Patient/p7' },
    focus: { reference: 'Appointment/a9' },
  },
  evidence: { eventIds: [], resources: ['Appointment/a9'], reasonCode: 'missed-appointment' },
};

interface Summary {
  id: string;
  action: string;
  status: string;
  contentHash: string;
  approvedBy?: { id: string };
}

for (const target of flowTargets()) {
  describe(`the no-show call-back action through the API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let plain: TestApp;
    let reviewer: TestPrincipal;
    let compliance: TestPrincipal;
    let plainReviewer: TestPrincipal;
    let proposalId: string;

    const call = async <T>(
      app: TestApp,
      who: TestPrincipal,
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      payload?: object,
    ) => {
      const r = await app.app.inject({
        method,
        url,
        headers: bearer(who),
        ...(payload !== undefined ? { payload } : {}),
      });
      return { status: r.statusCode, body: r.json<T>() };
    };

    before(async () => {
      t = await openTestApp(await target.open(), { logLevel: 'silent', extensions: [noshowCallbackExtension] });
      plain = await openTestApp(await target.open(), { logLevel: 'silent' });
      const automation = await principalWith(t.kernel, 'noshow-flow', { role: 'automation' });
      const flow: RequestContext = {
        actor: { kind: 'service', id: automation.id, name: 'noshow-flow', authMethod: 'api-token' },
      };
      reviewer = await principalWith(t.kernel, 'clin', { role: 'clinician_reviewer' });
      compliance = await principalWith(t.kernel, 'compliance', { role: 'compliance_officer' });
      plainReviewer = await principalWith(plain.kernel, 'clin', { role: 'clinician_reviewer' });
      proposalId = (await t.kernel.proposals.draft(flow, callbackDraft)).id;
    });
    after(async () => {
      await t?.close();
      await plain?.close();
    });

    it('lists and filters the queue by the extension’s action type', async () => {
      const r = await call<{ items: Summary[] }>(t, reviewer, 'GET', '/review?actionType=callback-task.create');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(
        r.body.items.map((p) => [p.id, p.action]),
        [[proposalId, 'callback-task.create']],
      );
      const none = await call<{ items: Summary[] }>(t, reviewer, 'GET', '/review?actionType=task.create');
      assert.deepEqual(none.body.items, []);
    });

    it('opens the proposal with the rendering the action’s definition gives', async () => {
      const r = await call<{ rendering: { title: string; lines: string[] } }>(
        t,
        reviewer,
        'GET',
        `/review/${proposalId}`,
      );
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.rendering, {
        title: 'Call the patient back after a missed appointment',
        lines: ['Call the patient to rebook the missed appointment', 'Appointment/a9'],
      });
    });

    it('takes an approval policy for the extension’s action, and an approval bound to the content hash', async () => {
      const policy = await call<{ actionType: string; mode: string }>(
        t,
        compliance,
        'PUT',
        '/approval-policies/callback-task.create',
        { mode: 'review', roles: ['clinician_reviewer'] },
      );
      assert.equal(policy.status, 200, JSON.stringify(policy.body));
      assert.deepEqual([policy.body.actionType, policy.body.mode], ['callback-task.create', 'review']);

      const { body: opened } = await call<Summary>(t, reviewer, 'GET', `/review/${proposalId}`);
      const approved = await call<{ proposal: Summary }>(t, reviewer, 'POST', `/review/${proposalId}/approve`, {
        contentHash: opened.contentHash,
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      // Approved by this reviewer; with no EHR connection here the commit waits (the approval stands).
      assert.equal(approved.body.proposal.approvedBy?.id, reviewer.id);
      assert.notEqual(approved.body.proposal.status, 'pending_review');
    });

    it('a server without the extension refuses its action type, naming the field', async () => {
      for (const [method, url, body] of [
        ['GET', '/review?actionType=callback-task.create', undefined],
        ['PUT', '/approval-policies/callback-task.create', { mode: 'auto' }],
      ] as const) {
        const r = await call<{ code: string; details: { path: string }[] }>(plain, plainReviewer, method, url, body);
        assert.equal(r.status, 400, url);
        assert.equal(r.body.code, 'VALIDATION_FAILED');
        assert.ok(
          r.body.details.some((d) => d.path.endsWith('actionType')),
          JSON.stringify(r.body.details),
        );
      }
    });

    it('each server’s OpenAPI document lists the action types it accepts', async () => {
      const enumOf = async (app: TestApp): Promise<unknown> => {
        const doc = (await app.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
          paths: Record<string, { put: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
        }>();
        return doc.paths['/approval-policies/{actionType}']?.put.parameters.find((p) => p.name === 'actionType')?.schema
          .enum;
      };
      const extended = (await enumOf(t)) as string[];
      const builtin = (await enumOf(plain)) as string[];
      assert.ok(extended.includes('callback-task.create') && extended.includes('task.create'));
      assert.ok(!builtin.includes('callback-task.create') && builtin.includes('task.create'));
    });
  });
}
