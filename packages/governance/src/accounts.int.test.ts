// The governed account and grant services with the real decision point: every act is refused
// FORBIDDEN (and the denial audited) without the permission, changes nothing then, and is done and
// audited with it; one's own account needs re-authentication. Here, not in identity/, because it
// wires identity to policy as the kernel does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, type Actor, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { AccountService } from './identity/accounts.js';
import { LoginThrottle } from './identity/login-throttle.js';
import { Reauthenticator } from './identity/reauthentication.js';
import { identityKit, rejectsWith, testHasher } from './identity/test-kit.js';
import { BreakGlassStore } from './policy/break-glass.js';
import { PolicyDecisionPoint } from './policy/decision-point.js';
import { GrantAdmin } from './policy/grant-admin.js';
import { GrantStore, grantMemoMs, type NewGrant } from './policy/grants.js';

/** The bootstrap path's explicit system actor, as `steward init` uses. */
const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'steward-init:test',
  authMethod: 'local-operator',
};

for (const target of storeTargets()) {
  describe(`governed account services on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db.close();
    });

    function setup() {
      const kit = identityKit(db);
      const { audit, clock, cipher } = kit;
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(
        grants,
        new BreakGlassStore(db, cipher, audit, undefined, clock),
        audit,
        clock,
      );
      const throttle = new LoginThrottle({ db, cipher, clock });
      const reauth = new Reauthenticator({ db, audit, cipher, hasher: testHasher, clock, throttle });
      const accounts = new AccountService({
        policy,
        users: kit.users,
        serviceAccounts: kit.serviceAccounts,
        tokens: kit.tokens,
        reauth,
        clock,
      });
      const grantAdmin = new GrantAdmin(policy, grants);
      /** A signed-in user's context; with `role`, holding that role everywhere. */
      async function userCtx(username: string, role?: 'admin' | 'coordinator'): Promise<RequestContext> {
        const user = await kit.users.create({ username, password: 'a long and private passphrase' }, bootstrap);
        if (role !== undefined) {
          await grants.add(bootstrap, {
            principalKind: 'user',
            principalId: user.id,
            role,
            site: '*',
            workflow: '*',
            purposeOfUse: 'HSYSADMIN',
          });
        }
        const actor: Actor = { kind: 'user', id: user.id, name: username, authMethod: 'session' };
        return { actor, sourceAddress: '192.0.2.7', requestId: `req-${username}` };
      }
      return { kit, accounts, grantAdmin, userCtx, grants, policy };
    }

    it("answers one request's decisions from one read of its grants, and drops that read at any grant change", async () => {
      const { grants, policy, userCtx } = setup();
      const ctx = await userCtx(`memo-${newId().slice(0, 8)}`, 'coordinator');
      const grantsRead = async (run: () => Promise<unknown>): Promise<number> => {
        let n = 0;
        const query = db.query.bind(db);
        (db as { query: unknown }).query = (text: string, params?: readonly unknown[]) => {
          if (text.includes('from grants where principal_id')) n++;
          return query(text, params);
        };
        try {
          await run();
        } finally {
          (db as { query: unknown }).query = query;
        }
        return n;
      };
      const allowed = async (c: RequestContext) => (await policy.decide(c, 'phi.read', { site: 'north' })).allowed;
      assert.equal(await grantsRead(async () => assert.equal(await allowed(ctx), true)), 1);
      assert.equal(
        await grantsRead(async () => assert.equal(await allowed(ctx), true)),
        0,
        'the same actor object: one read',
      );
      // A revoke another process made (straight in the store): a new request's actor reads afresh at once…
      await db.query('update grants set revoked_at = now() where principal_id = $1', [ctx.actor.id]);
      const next = { ...ctx, actor: { ...ctx.actor } };
      assert.equal(await allowed(next), false);
      // …and an actor object kept longer (a worker's) sees it once its read is older than grantMemoMs.
      await new Promise((resolve) => setTimeout(resolve, grantMemoMs + 20));
      assert.equal(await allowed(ctx), false);
      // A grant added or revoked in this process reaches the same actor object's next decision at once.
      const grant = await grants.add(bootstrap, {
        principalKind: 'user',
        principalId: ctx.actor.id,
        role: 'coordinator',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'TREAT',
      });
      assert.equal(await allowed(next), true);
      await grants.revoke(bootstrap, grant.id);
      assert.equal(await allowed(next), false);
    });

    it('refuses every administrative act without its permission, audits the denial and changes nothing', async () => {
      const { kit, accounts, grantAdmin, userCtx } = setup();
      const ctx = await userCtx(`coord-${newId().slice(0, 8)}`, 'coordinator');
      const other = await kit.users.create(
        { username: `u-${newId().slice(0, 8)}`, password: 'another long passphrase' },
        bootstrap,
      );
      const usersBefore = (await kit.users.list()).length;
      const from = kit.audit.entries.length;
      // One at a time, so the denials are audited in this order.
      const refusals: [() => Promise<unknown>, string][] = [
        [
          () => accounts.users.create(ctx, { username: 'not-created', password: 'a long enough password' }),
          'users.manage',
        ],
        [() => accounts.users.list(ctx), 'users.manage'],
        [() => accounts.users.disable(ctx, other.id), 'users.manage'],
        [() => accounts.users.setBreakGlassEligible(ctx, other.id, true), 'users.manage'],
        [() => accounts.users.unlock(ctx, other.id), 'users.manage'],
        [() => accounts.users.startTotpEnrolment(ctx, other.id), 'users.manage'],
        [() => accounts.users.setPassword(ctx, other.id, { newPassword: 'a new long passphrase' }), 'users.manage'],
        [() => accounts.services.create(ctx, { name: 'not-created' }), 'users.manage'],
        [() => accounts.services.list(ctx), 'users.manage'],
        [() => accounts.services.disable(ctx, newId()), 'users.manage'],
        [
          () => accounts.users.confirmTotp(ctx, other.id, { secret: 'JBSWY3DPEHPK3PXP', code: '000000' }),
          'users.manage',
        ],
        [() => accounts.tokens.list(ctx), 'tokens.manage'],
        [
          () =>
            accounts.tokens.issue(ctx, {
              principalKind: 'user',
              principalId: other.id,
              name: 'not issued',
              scopes: ['*'],
              expiresInDays: 1,
            }),
          'tokens.manage',
        ],
        [() => accounts.tokens.revoke(ctx, newId()), 'tokens.manage'],
        [() => grantAdmin.list(ctx), 'grants.manage'],
        [() => grantAdmin.revoke(ctx, newId()), 'grants.manage'],
        [
          () =>
            grantAdmin.add(ctx, {
              principalKind: 'user',
              principalId: other.id,
              role: 'admin',
              site: '*',
              workflow: '*',
              purposeOfUse: 'HSYSADMIN',
            }),
          'grants.manage',
        ],
      ];
      for (const [attempt] of refusals) await rejectsWith(attempt(), 'FORBIDDEN');
      const denials = kit.audit.since(from);
      assert.deepEqual(
        denials.map((e) => [e.event, e.outcome, e.actor.id, e.reason]),
        refusals.map(([, action]) => ['access.denied', 'denied', ctx.actor.id, `no_grant:${action}`]),
      );
      assert.equal((await kit.users.list()).length, usersBefore);
      assert.equal(
        (await kit.serviceAccounts.list()).some((s) => s.name === 'not-created'),
        false,
      );
      const after = await kit.users.get(other.id);
      assert.equal(after.disabledAt, null);
      assert.equal(after.breakGlassEligible, false);
    });

    it('does each act with the permission, audited as the caller', async () => {
      const { kit, accounts, grantAdmin, userCtx } = setup();
      const ctx = await userCtx(`admin-${newId().slice(0, 8)}`, 'admin');
      const from = kit.audit.entries.length;
      const user = await accounts.users.create(ctx, {
        username: `new-${newId().slice(0, 8)}`,
        password: 'a long enough password',
      });
      assert.ok((await accounts.users.list(ctx)).some((u) => u.id === user.id));
      await accounts.users.setBreakGlassEligible(ctx, user.id, true);
      const service = await accounts.services.create(ctx, { name: `svc-${newId().slice(0, 8)}` });
      const grant = await grantAdmin.add(ctx, {
        principalKind: 'service',
        principalId: service.id,
        role: 'automation',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'TREAT',
      });
      const issued = await accounts.tokens.issue(ctx, {
        principalKind: 'service',
        principalId: service.id,
        name: 'nightly sync',
        scopes: ['phi.read'],
        expiresInDays: 30,
      });
      assert.equal(issued.expiresAt.getTime(), kit.clock.now().getTime() + 30 * 86_400_000);
      await accounts.tokens.revoke(ctx, issued.id);
      await grantAdmin.revoke(ctx, grant.id);
      await accounts.users.disable(ctx, user.id);
      const entries = kit.audit.since(from);
      assert.deepEqual(
        entries.map((e) => [e.event, e.action, e.outcome, e.actor.id]),
        [
          ['admin.user_changed', 'C', 'success', ctx.actor.id],
          ['admin.user_changed', 'U', 'success', ctx.actor.id],
          ['admin.service_account_changed', 'C', 'success', ctx.actor.id],
          ['admin.grant_changed', 'C', 'success', ctx.actor.id],
          ['auth.token_created', 'C', 'success', ctx.actor.id],
          ['auth.token_revoked', 'U', 'success', ctx.actor.id],
          ['admin.grant_changed', 'D', 'success', ctx.actor.id],
          ['admin.user_changed', 'U', 'success', ctx.actor.id],
        ],
      );
      assert.notEqual((await kit.users.get(user.id)).disabledAt, null);
    });

    it('lets a token revoke itself without a grant, and only itself', async () => {
      const { kit, accounts, userCtx } = setup();
      const admin = await userCtx(`admin-${newId().slice(0, 8)}`, 'admin');
      const service = await accounts.services.create(admin, { name: `svc-${newId().slice(0, 8)}` });
      const issue = () =>
        accounts.tokens.issue(admin, {
          principalKind: 'service',
          principalId: service.id,
          name: 'sync',
          scopes: ['phi.read'],
          expiresInDays: 1,
        });
      const [mine, other] = [await issue(), await issue()];
      const asToken: RequestContext = {
        actor: {
          kind: 'service',
          id: service.id,
          name: service.name,
          authMethod: 'api-token',
          tokenId: mine.id,
          scopes: ['phi.read'],
        },
      };
      await rejectsWith(accounts.tokens.revokeOwn({ actor: { ...admin.actor } }), 'VALIDATION_FAILED');
      await accounts.tokens.revokeOwn(asToken);
      const live = (await kit.tokens.list()).filter((t) => t.principalId === service.id && t.revokedAt === null);
      assert.deepEqual(
        live.map((t) => t.id),
        [other.id],
      );
      assert.deepEqual(
        kit.audit.since(0, 'auth.token_revoked').map((e) => [e.actor.id, e.entity?.id]),
        [[service.id, mine.id]],
      );
    });

    it('lets a user change their own account without users.manage, only with re-authentication', async () => {
      const { kit, accounts, userCtx } = setup();
      const ctx = await userCtx(`self-${newId().slice(0, 8)}`);
      const userId = ctx.actor.id;
      const enrolment = await accounts.users.startTotpEnrolment(ctx, userId);
      assert.match(enrolment.uri, /^otpauth:\/\/totp\//);
      const from = kit.audit.entries.length;
      await rejectsWith(
        accounts.users.setPassword(ctx, userId, { newPassword: 'my new long passphrase' }),
        'AUTH_REAUTH_REQUIRED',
      );
      assert.deepEqual(
        kit.audit.since(from).map((e) => [e.event, e.reason, e.source]),
        [['auth.login_failed', 'reauth_missing', { address: '192.0.2.7', requestId: ctx.requestId }]],
      );
      await accounts.users.setPassword(ctx, userId, {
        newPassword: 'my new long passphrase',
        currentPassword: 'a long and private passphrase',
      });
      assert.deepEqual(
        kit.audit.since(from, 'admin.user_changed').map((e) => [e.reason, e.actor.id]),
        [['password_set', userId]],
      );
      // A token for oneself also needs tokens.manage: a user without it is refused first.
      await rejectsWith(
        accounts.tokens.issue(ctx, {
          principalKind: 'user',
          principalId: userId,
          name: 'mine',
          scopes: ['account.self'],
          expiresInDays: 1,
          currentPassword: 'my new long passphrase',
        }),
        'FORBIDDEN',
      );
    });

    // Grants scoped by proposal action types (issue 18, migration 045): stored and listed back,
    // checked when given, and read by the decision point for `proposal.create` only; a refusal for
    // the action type is audited with its own reason and answered naming the type.
    describe('grants scoped by action types', () => {
      function scopedSetup() {
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
        const { grants, agent } = scopedSetup();
        const named = await agent({ actionTypes: ['task.create', 'appointment.status', 'task.create'] });
        assert.deepEqual(named.grant.actionTypes, ['task.create', 'appointment.status'], 'named once each');
        const all = await agent();
        assert.equal(all.grant.actionTypes, undefined);
        const listed = await grants.list();
        assert.deepEqual(listed.find((g) => g.id === named.grant.id)?.actionTypes, [
          'task.create',
          'appointment.status',
        ]);
        assert.equal(
          listed.find((g) => g.id === all.grant.id)?.actionTypes,
          undefined,
          'a grant without types lists none',
        );
        assert.deepEqual(await grants.forPrincipal(named.account.id), [named.grant]);
      });

      it('refuses action types on a role that drafts nothing, an empty list, a bad name, and an agent that is a person', async () => {
        const { kit, grants } = scopedSetup();
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
        const { kit, policy, agent } = scopedSetup();
        const { ctx } = await agent({ actionTypes: ['task.create'] });
        assert.equal(
          (await policy.decide(ctx, 'proposal.create', { site: 'north', actionType: 'task.create' })).allowed,
          true,
        );
        const refused = await policy.decide(ctx, 'proposal.create', {
          site: 'north',
          actionType: 'appointment.status',
        });
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
        const { grants, policy, agent } = scopedSetup();
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
  });
}
