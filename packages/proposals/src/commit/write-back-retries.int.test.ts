/**
 * Write-back that finishes without a person: passing failures retried by the applier with back-off
 * (and never sooner than the EHR's Retry-After), a bounded number of times and then an alert and a
 * visible "gave up" state; permanent failures not retried; and writes left `committed` by a process
 * that died before verifying them, read back by the applier's sweep.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalError, UserError, type RequestContext } from '@steward/core';
import { ManualClock } from '@steward/core/testing';
import type { WriteOutcome, WriteRequest } from '@steward/ehr';
import { storeTargets } from '@steward/store/testing';
import { CONNECTION, openProposalKit, patientFor, type ProposalKit } from '../test-kit.js';
import type { ProposalSummary } from '../model/index.js';
import type { EhrPort, EhrResource } from './ehr-port.js';
import { retryDelay } from './retry-policy.js';

/** The in-memory EHR behind a port whose next reads fail the way an unreachable or forgetful EHR does. */
class FlakyReads implements EhrPort {
  failures: Error[] = [];
  constructor(private readonly inner: EhrPort) {}
  read(connectionId: string, resourceType: string, id: string): Promise<EhrResource> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    return this.inner.read(connectionId, resourceType, id);
  }
  readVersion(c: string, t: string, id: string, v: string): Promise<Readonly<Record<string, unknown>> | undefined> {
    return this.inner.readVersion(c, t, id, v);
  }
  write(connectionId: string, request: WriteRequest, by: RequestContext): Promise<WriteOutcome> {
    return this.inner.write(connectionId, request, by);
  }
}

const policy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

for (const target of storeTargets()) {
  describe(`automatic write-back retries on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let workflow: RequestContext;
    let reviewer: RequestContext;
    let integration: RequestContext;
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) };

    before(async () => {
      k = await openProposalKit(await target.open());
      workflow = await k.as('retry-workflow', 'automation');
      reviewer = await k.as('retry-coord', 'coordinator');
      integration = await k.as('retry-interface', 'integration');
    });
    after(async () => k?.close());

    const approvedTask = async (): Promise<ProposalSummary> => {
      const p = await k.desk.draft(workflow, {
        action: 'task.create',
        connectionId: CONNECTION,
        site: 'north',
        patient: patientFor('p1'),
        target: { resourceType: 'Task' },
        payload: { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' } },
        evidence: { eventIds: [], resources: [], reasonCode: 'referral-follow-up' },
      });
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      return p;
    };
    const keysOf = (p: ProposalSummary): string[] =>
      k.ehr.writes.filter((w) => w.idempotencyKey.startsWith(p.id)).map((w) => w.idempotencyKey);

    it('retries a passing failure by itself once its back-off has passed, with the same write', async () => {
      const clock = new ManualClock(new Date());
      const applier = k.applier(undefined, {}, { clock, retry: policy, random: () => 0.5, logger });
      const p = await approvedTask();
      k.ehr.failNext(new OperationalError('EHR_UNAVAILABLE', 'down'));
      const failed = await applier.commit(integration, p.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.attempts, 1);
      // Equal jitter: between half and all of the base delay; 0.5 lands at three quarters.
      assert.equal(failed.error.nextAttemptAt?.getTime(), clock.now().getTime() + 750);
      assert.equal(failed.error.exhausted, false);

      clock.advance(700);
      assert.deepEqual(
        (await applier.commitApproved(integration)).filter((r) => r.proposal.id === p.id),
        [],
        'not before its time',
      );
      clock.advance(100);
      const done = (await applier.commitApproved(integration)).find((r) => r.proposal.id === p.id);
      assert.equal(done?.status, 'verified');
      assert.equal(new Set(keysOf(p)).size, 1, 'both tries were the same keyed write');
      assert.equal(warnings.length, 0, 'a failure that passed raised no alert');
      const moves = (await k.desk.get(reviewer, p.id)).history.map((h) => `${h.to}:${h.reasonCode ?? ''}`);
      assert.deepEqual(moves.slice(-4), [
        'failed:EHR_UNAVAILABLE',
        'approved:auto-retry',
        'committed:written',
        'verified:read-back',
      ]);
    });

    it('waits at least as long as the EHR asked with Retry-After', async () => {
      const clock = new ManualClock(new Date());
      const applier = k.applier(undefined, {}, { clock, retry: policy, random: () => 0 });
      const p = await approvedTask();
      k.ehr.failNext(
        new OperationalError('EHR_RATE_LIMITED', 'slow down', [
          { path: 'http.status', message: '429' },
          { path: 'http.retry-after', message: '120' },
        ]),
      );
      const failed = await applier.commit(integration, p.id);
      assert.equal(failed.error?.nextAttemptAt?.getTime(), clock.now().getTime() + 120_000);
      clock.advance(60_000);
      assert.equal((await applier.commitApproved(integration)).length, 0);
      clock.advance(60_000);
      assert.equal((await applier.commitApproved(integration))[0]?.status, 'verified');
    });

    it('gives up after its last attempt, alerts without PHI, and shows it; a person retries with a fresh count', async () => {
      warnings.length = 0;
      const clock = new ManualClock(new Date());
      const applier = k.applier(undefined, {}, { clock, retry: policy, random: () => 1, logger });
      const p = await approvedTask();
      k.ehr.failNext(new OperationalError('EHR_UNAVAILABLE', 'down'));
      let r = await applier.commit(integration, p.id);
      for (const wait of [1_000, 2_000]) {
        assert.equal(r.error?.nextAttemptAt?.getTime(), clock.now().getTime() + wait, 'exponential back-off');
        clock.advance(wait);
        k.ehr.failNext(new OperationalError('EHR_UNAVAILABLE', 'down'));
        r = (await applier.commitApproved(integration)).find((x) => x.proposal.id === p.id) ?? assert.fail('retried');
      }
      assert.equal(r.status, 'failed');
      assert.deepEqual(r.error, { code: 'EHR_UNAVAILABLE', retryable: true, attempts: 3, exhausted: true });
      clock.advance(3_600_000);
      assert.equal((await applier.commitApproved(integration)).length, 0, 'no fourth try by itself');

      assert.equal(warnings.length, 1);
      const [warning] = warnings;
      assert.deepEqual(Object.keys(warning?.fields ?? {}).sort(), [
        'action',
        'attempts',
        'code',
        'exhausted',
        'proposalId',
        'site',
      ]);
      assert.doesNotMatch(JSON.stringify(warning), /MRN|Patient\/|p1/, 'ids and codes, no PHI');

      const queue = await k.desk.list(reviewer, { status: ['failed'], site: 'north' });
      assert.equal(queue.items.find((i) => i.id === p.id)?.error?.exhausted, true, 'visible in the review queue');

      assert.equal((await applier.retry(reviewer, p.id)).status, 'approved');
      const again = await applier.commitApproved(integration);
      assert.equal(again.find((x) => x.proposal.id === p.id)?.status, 'verified');
      assert.equal(new Set(keysOf(p)).size, 1, 'four tries, one keyed write');
    });

    it('does not retry a permanent failure (the EHR refused the content)', async () => {
      warnings.length = 0;
      const clock = new ManualClock(new Date());
      const applier = k.applier(undefined, {}, { clock, retry: policy, logger });
      const p = await approvedTask();
      k.ehr.failNext(new UserError('EHR_REJECTED', 'invalid', [{ path: 'http.status', message: '400' }]));
      const r = await applier.commit(integration, p.id);
      assert.deepEqual(r.error, { code: 'EHR_REJECTED', retryable: false, attempts: 1, exhausted: false });
      clock.advance(86_400_000);
      assert.equal((await applier.commitApproved(integration)).length, 0);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0]?.fields['code'], 'EHR_REJECTED');
    });

    it('re-verifies a write left committed by a process that died before verifying it', async () => {
      const clock = new ManualClock(new Date());
      const flaky = new FlakyReads(k.ehr);
      const p = await approvedTask();
      // The write lands and is recorded; the read-back never happens (here: the EHR does not answer it).
      flaky.failures.push(new OperationalError('EHR_UNAVAILABLE', 'down'));
      const first = k.applier(flaky, {}, { clock, retry: policy });
      assert.equal((await first.commit(integration, p.id)).status, 'committed');

      // A new applier starts: its sweep reads the write back and marks it verified.
      const restarted = k.applier(flaky, {}, { clock, retry: policy });
      clock.advance(10);
      assert.equal((await restarted.reverifyCommitted(integration, { settledForMs: 60_000 })).length, 0, 'not settled');
      const swept = await restarted.reverifyCommitted(integration);
      assert.equal(swept.find((r) => r.proposal.id === p.id)?.status, 'verified');
      assert.equal(new Set(keysOf(p)).size, 1);
    });

    it('treats a committed write the EHR does not hold as not landed, and writes it again once, idempotently', async () => {
      const clock = new ManualClock(new Date());
      const flaky = new FlakyReads(k.ehr);
      const applier = k.applier(flaky, {}, { clock, retry: policy, random: () => 0 });
      const p = await approvedTask();
      flaky.failures.push(new OperationalError('EHR_UNAVAILABLE', 'down'));
      assert.equal((await applier.commit(integration, p.id)).status, 'committed');
      flaky.failures.push(new UserError('EHR_REJECTED', 'not found', [{ path: 'http.status', message: '404' }]));
      const [swept] = await applier.reverifyCommitted(integration);
      assert.equal(swept?.status, 'failed');
      assert.equal(swept.error?.code, 'EHR_OUTCOME_UNKNOWN');
      clock.advance(1_000);
      const retried = (await applier.commitApproved(integration)).find((r) => r.proposal.id === p.id);
      assert.equal(retried?.status, 'verified', JSON.stringify(retried));
      // The second write carried the same key, so the EHR kept one Task for it.
      assert.deepEqual(new Set(keysOf(p)).size, 1);
      assert.equal(k.ehr.writes.filter((w) => w.idempotencyKey.startsWith(p.id)).length, 2);
    });
  });
}

describe('retryDelay', () => {
  const policy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 10_000 };
  it('doubles up to its ceiling, keeps half fixed, and honours Retry-After', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, policy, () => 0)),
      [500, 1_000, 2_000, 4_000, 5_000, 5_000],
    );
    assert.equal(
      retryDelay(3, policy, () => 0.999_999),
      3_999,
    );
    const limited = new OperationalError('EHR_RATE_LIMITED', 'x', [{ path: 'http.retry-after', message: '30' }]);
    assert.equal(
      retryDelay(1, policy, () => 0, limited),
      30_000,
    );
    assert.equal(
      retryDelay(1, policy, () => 0, new Error('plain')),
      500,
    );
  });
});
