// The workflow runtime's loops log their failures with the cause, never in silence and never with
// a foreign message (which can quote data); a draft refused because the EHR knows no patient with
// the event's identifiers (an HL7 event) puts the event's message on the attention list for a person.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { OperationalError, type RequestContext } from '@steward/core';
import { GovernedEhr, InMemoryEhrChannel } from '@steward/ehr';
import type { Database, Sql } from '@steward/store';
import { flowTargets } from '@steward/store/testing';
import { effect, workflowStore, type WorkflowDefinition } from '@steward/workflows';
import { openTestApp, principalWith, type TestApp } from '../testing.js';
import { startWorkflowRuntime } from './workflow-runtime.js';

/** Asks for a proposal with an input the drafting effect refuses. */
const badDraft: WorkflowDefinition<{ readonly asked: boolean }> = {
  type: 'test-bad-draft',
  version: 1,
  initialState: { asked: false },
  decide: (_state, input) => ({
    state: { asked: true },
    commands: input.kind === 'start' ? [effect('proposal.draft', { not: 'a draft' }, 'draft')] : [],
  }),
};

/** Asks for a Task proposal for the patient of the event it was started with. */
const draftFor: WorkflowDefinition<{ readonly asked: boolean }> = {
  type: 'test-draft-for-event',
  version: 1,
  initialState: { asked: false },
  decide: (_state, input) => ({
    state: { asked: true },
    commands:
      input.kind === 'start'
        ? [
            effect(
              'proposal.draft',
              {
                action: 'task.create',
                connectionId: (input.payload as { connectionId: string }).connectionId,
                workflow: 'referral',
                correlationId: 'referral:test:1',
                patientEventId: (input.payload as { eventId: string }).eventId,
                target: { resourceType: 'Task' },
                payload: { resourceType: 'Task', status: 'requested', intent: 'order' },
                evidence: { eventIds: [], resources: [], reasonCode: 'overdue' },
              },
              'draft',
            ),
          ]
        : [],
  }),
};

/** A store that answers until it is broken, then throws `error` from every call. */
function breakable(db: Database): { db: Database; fail(error: Error): void } {
  let broken: Error | undefined;
  const check = (): void => {
    if (broken !== undefined) throw broken;
  };
  const wrapped: Database = {
    kind: db.kind,
    query: async (text, params) => {
      check();
      return db.query(text, params);
    },
    exec: async (text) => {
      check();
      return db.exec(text);
    },
    transaction: async <T>(fn: (tx: Sql) => Promise<T>): Promise<T> => {
      check();
      return db.transaction(fn);
    },
    close: () => db.close(),
  };
  return { db: wrapped, fail: (e) => (broken = e) };
}

/** The first log line with `msg`, parsed, waiting for it up to a deadline. */
async function logLine(t: TestApp, msg: string | RegExp): Promise<{ line: string; entry: Record<string, unknown> }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = t.logs.lines.find((l) => {
      const m = (JSON.parse(l) as { msg?: string }).msg ?? '';
      return typeof msg === 'string' ? m === msg : msg.test(m);
    });
    if (line !== undefined) return { line, entry: JSON.parse(line) as Record<string, unknown> };
    if (Date.now() > deadline) assert.fail(`no log line "${String(msg)}" in:\n${t.logs.text}`);
    await wait(10);
  }
}

for (const target of flowTargets()) {
  describe(`the workflow runtime's failures on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(await target.open());
    });
    after(() => t.close());

    it('a failing worker batch is logged with its code and cause chain, without foreign messages', async () => {
      const store = breakable(t.db);
      const runtime = await startWorkflowRuntime({ ...t.kernel, workflowStore: workflowStore(store.db) }, t.logger, {
        definitions: [],
        routes: [],
        intervalMs: 60_000,
      });
      try {
        // A driver's message can quote what it was handling: it must not reach the log.
        const driver = new Error('connection to 10.0.0.5 lost while reading MRN-4711');
        store.fail(new OperationalError('STORE_UNAVAILABLE', 'the store did not answer', [], { cause: driver }));
        const { line, entry } = await logLine(t, 'workflow worker batch failed: retrying');
        assert.equal(entry['level'], 50);
        assert.equal(entry['worker'], runtime.worker.id);
        const err = entry['err'] as Record<string, unknown>;
        assert.equal(err['type'], 'OperationalError');
        assert.equal(err['code'], 'STORE_UNAVAILABLE');
        assert.equal(err['message'], 'the store did not answer');
        const cause = err['cause'] as Record<string, unknown>;
        assert.equal(cause['type'], 'Error');
        assert.equal(cause['message'], undefined);
        assert.match(String(cause['stack']), /at /);
        assert.doesNotMatch(line, /MRN-4711|10\.0\.0\.5/);
      } finally {
        await runtime.stop();
      }
    });

    it('a failing effect is logged with its kind, attempt and cause; the workflow keeps only the code', async () => {
      const runtime = await startWorkflowRuntime(t.kernel, t.logger, {
        definitions: [badDraft],
        routes: [],
        intervalMs: 60_000,
      });
      try {
        await runtime.engine.start('test-bad-draft', 'bad-1');
        const { entry } = await logLine(t, /^workflow effect failed: (retrying|giving up)$/);
        assert.equal(entry['effect'], 'proposal.draft');
        assert.equal(entry['attempt'], 1);
        assert.equal(typeof entry['willRetry'], 'boolean');
        const err = entry['err'] as Record<string, unknown>;
        assert.equal(typeof err['type'], 'string');
        assert.match(String(err['stack']), /at /);
      } finally {
        await runtime.stop();
      }
    });

    it("an HL7 event's patient that no EHR Patient carries puts its message on the connection's attention list", async () => {
      const admin = await principalWith(t.kernel, 'attention-admin', { role: 'admin' });
      const adminCtx: RequestContext = {
        actor: { kind: 'user', id: admin.id, name: 'attention-admin', authMethod: 'api-token' },
      };
      const c = await t.kernel.connections.add(adminCtx, {
        name: 'north-hl7',
        site: 'north',
        vendor: 'generic-r4',
        facilityTimeZone: 'America/New_York',
      });
      const mrn = { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-NOT-IN-EHR-7' };
      const filed = await t.kernel.ehrJournal.forConnection({ actor: t.kernel.connections.actorOf(c) }, c).receive(
        {
          connectionId: c.id,
          channel: 'hl7v2',
          messageKey: 'REF-1',
          messageType: 'REF^I12',
          raw: `MSH|^~\\&|EHR|NORTH|STEWARD|NORTH|20261122||REF^I12|REF-1|P|2.5\rPID|1||${mrn.value}`,
          receivedAt: new Date(),
        },
        [
          {
            type: 'referral.created',
            connectionId: c.id,
            channel: 'hl7v2',
            dedupKey: 'hl7:REF-1',
            occurredAt: '2026-11-22T09:30:00-05:00',
            patient: { identifiers: [mrn] },
            facts: { kind: 'Referral', identifiers: [], status: 'active', performers: [] },
            sourceRef: 'REF^I12',
          },
        ],
      );
      const eventId = filed.status === 'stored' ? filed.events[0]?.id : undefined;
      assert.ok(eventId !== undefined);
      // An EHR that holds no Patient with that MRN, read through the governed decorator as in the kernel.
      const ehr = new GovernedEhr({
        channel: new InMemoryEhrChannel(),
        policy: t.kernel.policy,
        audit: t.kernel.audit,
        cipher: t.cipher,
        connection: async (id) => {
          const found = await t.kernel.connections.get(id);
          return { site: found.site, actor: t.kernel.connections.actorOf(found) };
        },
      });
      const runtime = await startWorkflowRuntime({ ...t.kernel, ehr: ehr.reader }, t.logger, {
        definitions: [draftFor],
        routes: [],
        intervalMs: 60_000,
      });
      try {
        await runtime.engine.start('test-draft-for-event', 'draft-1', { connectionId: c.id, eventId });
        const { entry } = await logLine(t, /^a proposal was not drafted: the event's patient is not in the EHR/);
        assert.equal(entry['onAttentionList'], true);
        const list = await t.kernel.connectionOperations.attention(adminCtx, 'north-hl7');
        assert.equal(list.counts.patientNotFound, 1);
        const [item] = list.items;
        assert.deepEqual([item?.kind, item?.messageType, item?.messageKey], ['patient-not-found', 'REF^I12', 'REF-1']);
        assert.match(item?.reason ?? '', /^no EHR patient carries the event's patient identifiers: the referral/);
        assert.doesNotMatch(JSON.stringify(list), /MRN-NOT-IN-EHR-7/, 'no identifier on the list');
      } finally {
        await runtime.stop();
      }
    });
  });
}
