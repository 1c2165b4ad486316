// Grants scoped by proposal action types (issue 18, migration 045): stored and listed back, checked
// when given, and read by the decision point for `proposal.create` only. A refusal for the action
// type is audited with its own reason and answered with a message that names the type.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, type Actor, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { identityKit, rejectsWith } from './identity/test-kit.js';
import { BreakGlassStore } from './policy/break-glass.js';
import { PolicyDecisionPoint } from './policy/decision-point.js';
import { GrantStore, type NewGrant } from './policy/grants.js';

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'steward-init:test',
  authMethod: 'local-operator',
};

for (const target of storeTargets()) {
  describe(`grants scoped by action types on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    function setup() {
      const kit = identityKit(db);
      const grants = new GrantStore(db, kit.audit);
      const policy = new PolicyDecisionPoint(
        grants,
        new BreakGlassStore(db, kit.cipher, kit.audit, undefined, kit.clock),
        kit.audit,
        kit.clock,
      );
      const agent = async (extra: Partial<NewGrant> = {}) => {
        const account = await kit.serviceAccounts.create(`agent-${newId().slice(0, 8)}`, bootstrap);
        const grant = await grants.add(bootstrap, {
          principalKind: 'service',
          principalId: account.id,
          role: 'agent',
          site: 'north',
          workflow: 'rebooking',
          purposeOfUse: 'TREAT',
          ...extra,
        });
        const ctx: RequestContext = {
          actor: { kind: 'service', id: account.id, name: 'agent', authMethod: 'api-token', scopes: ['*'] },
          workflow: 'rebooking',
        };
        return { account, grant, ctx };
      };
      return { kit, grants, policy, agent };
    }

    it('keeps the action types a grant names, lists them back, and leaves them out for all', async () => {
      const { grants, agent } = setup();
      const named = await agent({ actionTypes: ['task.create', 'appointment.status', 'task.create'] });
      assert.deepEqual(named.grant.actionTypes, ['task.create', 'appointment.status'], 'named once each');
      const all = await agent();
      assert.equal(all.grant.actionTypes, undefined);
      const listed = await grants.list();
      assert.deepEqual(listed.find((g) => g.id === named.grant.id)?.actionTypes, ['task.create', 'appointment.status']);
      assert.equal(
        listed.find((g) => g.id === all.grant.id)?.actionTypes,
        undefined,
        'a grant without types lists none',
      );
      assert.deepEqual(await grants.forPrincipal(named.account.id), [named.grant]);
    });

    it('refuses action types on a role that drafts nothing, an empty list, a bad name, and an agent that is a person', async () => {
      const { kit, grants } = setup();
      const account = await kit.serviceAccounts.create(`svc-${newId().slice(0, 8)}`, bootstrap);
      const user = await kit.users.create(
        { username: `u-${newId().slice(0, 8)}`, password: 'a long enough passphrase' },
        bootstrap,
      );
      const base: NewGrant = {
        principalKind: 'service',
        principalId: account.id,
        role: 'agent',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'TREAT',
      };
      for (const bad of [
        { ...base, role: 'integration' as const, purposeOfUse: 'HOPERAT' as const, actionTypes: ['task.create'] },
        { ...base, actionTypes: [] },
        { ...base, actionTypes: ['Task Create'] },
        { ...base, principalKind: 'user' as const, principalId: user.id },
      ])
        await rejectsWith(grants.add(bootstrap, bad), 'VALIDATION_FAILED');
      assert.deepEqual(await grants.forPrincipal(account.id), []);
    });

    it('allows drafting only the named action types, and audits a refusal with its own reason', async () => {
      const { kit, policy, agent } = setup();
      const { ctx } = await agent({ actionTypes: ['task.create'] });
      assert.equal(
        (await policy.decide(ctx, 'proposal.create', { site: 'north', actionType: 'task.create' })).allowed,
        true,
      );
      const refused = await policy.decide(ctx, 'proposal.create', { site: 'north', actionType: 'appointment.status' });
      assert.deepEqual(refused, { allowed: false, reason: 'action_type' });
      assert.deepEqual(await policy.decide(ctx, 'proposal.create', { site: 'north' }), {
        allowed: false,
        reason: 'action_type',
      });
      // Another site or workflow is refused for want of a grant, whatever the type.
      assert.deepEqual(await policy.decide(ctx, 'proposal.create', { site: 'south', actionType: 'task.create' }), {
        allowed: false,
        reason: 'no_grant',
      });
      assert.equal(
        (
          await policy.decide({ ...ctx, workflow: 'intake' }, 'proposal.create', {
            site: 'north',
            actionType: 'task.create',
          })
        ).allowed,
        false,
      );
      // Action types scope drafting only: reads at the site are the grant's as before.
      assert.equal((await policy.decide(ctx, 'phi.read', { site: 'north' })).allowed, true);

      const from = kit.audit.entries.length;
      const message = await rejectsWith(
        policy.enforce(ctx, 'proposal.create', { site: 'north', actionType: 'appointment.status' }),
        'FORBIDDEN',
      );
      assert.match(message, /action type appointment\.status/);
      const [denial] = kit.audit.since(from, 'access.denied');
      assert.equal(denial?.reason, 'action_type:proposal.create');
      assert.deepEqual(denial?.fields, ['appointment.status']);
      assert.equal(denial?.site, 'north');
      assert.equal(denial?.workflow, 'rebooking');
    });

    it('lets a second grant without types allow what the first does not name', async () => {
      const { grants, policy, agent } = setup();
      const { account, ctx } = await agent({ actionTypes: ['task.create'] });
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role: 'agent',
        site: 'north',
        workflow: 'rebooking',
        purposeOfUse: 'TREAT',
      });
      assert.equal(
        (await policy.decide(ctx, 'proposal.create', { site: 'north', actionType: 'appointment.status' })).allowed,
        true,
      );
    });
  });
}
