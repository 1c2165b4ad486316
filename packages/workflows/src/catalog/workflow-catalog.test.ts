import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError } from '@steward/core';
import type { EffectHandler, WorkflowDefinition } from '../engine/index.js';
import { builtinWorkflowPackages, defineWorkflowPackage, WorkflowCatalog, type WorkflowHost } from './index.js';

const host: WorkflowHost = {
  siteOf: () => Promise.resolve('north'),
  referralRulesOf: () => Promise.reject(new Error('not read when the catalog is built')),
};
const idle: WorkflowDefinition = { type: 'intake', version: 1, initialState: null, decide: (state) => ({ state }) };
const noop: EffectHandler = () => Promise.resolve(null);

function refusal(build: () => unknown): string[] {
  try {
    build();
  } catch (e) {
    assert.ok(isStewardError(e) && e.code === 'CONFIG_INVALID');
    return e.details.map((d) => `${d.path ?? ''}: ${d.message}`);
  }
  assert.fail('not refused');
}

describe('WorkflowCatalog', () => {
  it('registers the built-in packages and a deployment’s own, with their routes and effects', () => {
    const intake = defineWorkflowPackage({
      name: 'intake',
      definitions: [idle],
      routes: () => [() => Promise.resolve([])],
      effects: () => ({ 'form.fetch': noop }),
    });
    const catalog = new WorkflowCatalog([...builtinWorkflowPackages, intake], host);
    assert.deepEqual(catalog.packages, ['referrals', 'followups', 'handoffs', 'intake']);
    assert.deepEqual(
      catalog.definitions.map((d) => `${d.type}@${d.version}`),
      // Version 1 of referrals and follow-ups stays registered beside version 2 (instances started on it).
      ['referral@2', 'referral@1', 'followup@2', 'followup@1', 'handoff@1', 'intake@1'],
    );
    assert.equal(catalog.routes.length, 3);
    assert.deepEqual(Object.keys(catalog.effects), ['form.fetch']);
  });

  it('refuses two packages claiming one workflow type or effect kind, and the shared proposal.draft, all at once', () => {
    const a = defineWorkflowPackage({ name: 'a', definitions: [idle], effects: () => ({ 'form.fetch': noop }) });
    const b = defineWorkflowPackage({
      name: 'b',
      definitions: [idle],
      effects: () => ({ 'form.fetch': noop, 'proposal.draft': noop }),
    });
    assert.deepEqual(
      refusal(() => new WorkflowCatalog([a, b, a], host)),
      [
        'workflow intake: claimed by a and b',
        'effect form.fetch: claimed by a and b',
        'effect proposal.draft: claimed by steward and b',
        'package a: registered twice',
      ],
    );
  });
});
