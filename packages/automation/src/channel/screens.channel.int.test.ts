import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { isStewardError, type EhrIdentifier, type RequestContext } from '@steward/core';
import { GovernedEhr, type PatientGuard, type WriteRequest } from '@steward/ehr';
import type { AuditEntryInput, AuditSink, PolicyDecisionPoint } from '@steward/governance';
import { ScreenExecutor } from '../executor/executor.js';
import { browserUnavailable, launchBrowser } from '../executor/launch.js';
import { MeridianEhr, meridianAccount, meridianPatients } from '../test-kit/meridian-ehr.js';
import { meridianMap, meridianSystems } from '../test-kit/meridian-map.js';
import { InMemoryRunJournal } from './run-journal.js';
import { ScreensChannel, type ScreensChannelDeps } from './screens.channel.js';
import type { ScreenMap } from '../model/screen-map.js';

const CONNECTION = 'meridian';
const ada: PatientGuard = {
  ehrId: 'm-1001',
  identifiers: [
    { system: meridianSystems.mrn, value: 'MRN-1001' },
    { system: meridianSystems.nhs, value: '943 476 5919' },
  ],
};

function task(over: Record<string, unknown> = {}): { resourceType: 'Task' } & Record<string, unknown> {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    for: { reference: 'Patient/m-1001' },
    description: 'Book the follow-up scan',
    priority: 'urgent',
    executionPeriod: { end: '2027-05-02' },
    note: [{ text: 'Ask about *contrast* allergy' }],
    ...over,
  };
}

describe('the screens channel on the Meridian fixture EHR', { skip: browserUnavailable() }, () => {
  let browser: Browser;
  const ehr = new MeridianEhr();
  let journal: InMemoryRunJournal;
  let channel: ScreensChannel;
  let map: ScreenMap;
  let deps: ScreensChannelDeps;
  const iface: RequestContext = {
    actor: { kind: 'service', id: 'acct-ehr-north', name: 'ehr-north', authMethod: 'api-token' },
    purposeOfUse: 'HOPERAT',
  };

  before(async () => {
    let origin: string;
    [browser, origin] = await Promise.all([launchBrowser(), ehr.start()]);
    let calls = 0;
    const executor = new ScreenExecutor(browser, {
      credentials: { forRun: () => Promise.resolve(meridianAccount) },
      settleMs: 500,
      screenshots: false, // the run record's screenshots are tested in runs/ and end to end in the server
      // Past the first code, 30 s ahead: a re-login does not wait for the next TOTP step.
      now: () => new Date(Date.now() + (calls++ > 0 ? 30_000 : 0)),
    });
    map = meridianMap(origin, CONNECTION);
    deps = {
      executor,
      maps: () => Promise.resolve(map),
      get runs() {
        return journal;
      },
      identifiersOf: (_c, ehrId): Promise<readonly EhrIdentifier[]> => {
        const p = meridianPatients.find((x) => x.id === ehrId);
        return Promise.resolve(p === undefined ? [] : [{ system: meridianSystems.mrn, value: p.mrn }]);
      },
      patientIdOf: (_c, ehrId) => Promise.resolve(`steward-${ehrId}`),
    };
    channel = new ScreensChannel(deps);
  });
  after(async () => {
    await browser.close();
    await ehr.stop();
  });
  beforeEach(() => {
    journal = new InMemoryRunJournal();
    ehr.tasks.length = 0;
    ehr.expiry = undefined;
  });

  it('creates a Task through the form, idempotently by the write key, each call a recorded run', async () => {
    const key = 'urn:steward:write|prop-channel-1';
    const resource = task({ identifier: [{ system: 'urn:steward:write', value: 'prop-channel-1' }] });
    const first = await channel.create(CONNECTION, resource, key, { requestedBy: iface, patient: ada });
    assert.equal(first.created, true);
    assert.equal(first.resource['id'], 't-1');
    assert.deepEqual(ehr.tasks[0]?.fields, {
      description: 'Book the follow-up scan',
      details: 'Ask about *contrast* allergy',
      due: '02.05.2027',
      priority: 'Urgent',
      data: '',
      ref: 'prop-channel-1',
    });
    // Another process (a restart) knows nothing of the first write: it finds it on screen.
    const second = await new ScreensChannel(deps).create(CONNECTION, resource, key, {
      requestedBy: iface,
      patient: ada,
    });
    assert.equal(second.created, false);
    assert.equal(second.resource['id'], 't-1');
    assert.equal(ehr.tasks.length, 1);
    assert.equal(journal.runs.length, 2);
    const run = journal.runs[0];
    assert.deepEqual(run?.start, {
      connectionId: CONNECTION,
      site: 'north',
      purpose: 'HOPERAT',
      kind: 'write',
      identity: { accountId: 'acct-ehr-north' },
      patients: ['steward-m-1001'],
      mapVersion: 1,
    });
    assert.equal(run?.outcome?.status, 'done');
    assert.ok((run?.steps.length ?? 0) > 10);
    // Read back as written and verified on screen; searchable by its write key.
    assert.equal(
      (await channel.read(CONNECTION, { resourceType: 'Task', id: 't-1' })).resource['description'],
      'Book the follow-up scan',
    );
    assert.equal((await channel.search(CONNECTION, 'Task', { identifier: key })).length, 1);
  });

  it('refuses, before any run, a resource with an element the form cannot enter', async () => {
    const resource = task({
      owner: { reference: 'Practitioner/p-1' },
      input: [{ type: { text: 'x' }, valueString: '{}' }],
    });
    await assert.rejects(
      channel.create(CONNECTION, resource, 'urn:steward:write|prop-channel-9', { requestedBy: iface, patient: ada }),
      (e: unknown) => {
        assert.ok(isStewardError(e));
        assert.equal(e.code, 'SCREEN_FIELDS_MISSING');
        assert.deepEqual(
          e.details?.map((d) => d.path),
          ['owner/reference', 'input/0/type/text'],
        );
        return true;
      },
    );
    assert.equal(journal.runs.length, 0);
    assert.equal(ehr.tasks.length, 0);
  });

  it('recognises a write key it wrote even when the form has no lookup (no second run, no duplicate)', async () => {
    const withoutLookup: ScreenMap = {
      ...map,
      forms: map.forms.map((f) => Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'lookup')) as never),
    };
    const plain = new ScreensChannel({ ...deps, maps: () => Promise.resolve(withoutLookup) });
    const key = 'urn:steward:write|prop-channel-4';
    const first = await plain.create(CONNECTION, task(), key, { requestedBy: iface, patient: ada });
    const again = await plain.create(CONNECTION, task(), key, { requestedBy: iface, patient: ada });
    assert.deepEqual([first.created, again.created, again.resource['id']], [true, false, first.resource['id']]);
    assert.equal(ehr.tasks.length, 1);
    assert.equal(journal.runs.length, 1);
  });

  it('reads a Patient from the chart banner', async () => {
    const p = await channel.read(CONNECTION, { resourceType: 'Patient', id: 'm-1002' });
    assert.deepEqual(p.resource, {
      resourceType: 'Patient',
      id: 'm-1002',
      identifier: [
        { system: meridianSystems.mrn, value: 'MRN-1002' },
        { system: meridianSystems.nhs, value: '943 476 5920' },
      ],
    });
    assert.equal(journal.runs[0]?.start.kind, 'read');
  });

  it('turns a halt into an error with its reason, and records the halted run', async () => {
    const long = task({ description: 'z'.repeat(120) });
    await assert.rejects(
      channel.create(CONNECTION, long, 'urn:steward:write|prop-channel-2', { requestedBy: iface, patient: ada }),
      (e: unknown) => {
        assert.ok(isStewardError(e));
        assert.equal(e.code, 'SCREEN_HALTED');
        assert.deepEqual(e.details[0], { path: 'halt', message: 'value-too-long' });
        assert.ok(!e.message.includes('zzz'));
        return true;
      },
    );
    assert.equal(journal.runs[0]?.outcome?.status, 'halted');
    const wrong: PatientGuard = {
      ...ada,
      identifiers: [ada.identifiers[0] as EhrIdentifier, { system: meridianSystems.nhs, value: '0' }],
    };
    await assert.rejects(
      channel.create(CONNECTION, task(), 'urn:steward:write|prop-channel-3', { patient: wrong }),
      (e: unknown) => isStewardError(e) && e.code === 'EHR_WRONG_PATIENT',
    );
    // Both identifiers of another patient: the banner would agree with them, on that patient's chart.
    const ben: PatientGuard = {
      ehrId: 'm-1001',
      identifiers: [
        { system: meridianSystems.mrn, value: 'MRN-1002' },
        { system: meridianSystems.nhs, value: '943 476 5920' },
      ],
    };
    const runsBefore = journal.runs.length;
    await assert.rejects(
      channel.create(CONNECTION, task(), 'urn:steward:write|prop-channel-5', { patient: ben }),
      (e: unknown) => isStewardError(e) && e.code === 'EHR_WRONG_PATIENT',
    );
    assert.equal(journal.runs.length, runsBefore, 'refused before any run');
    await assert.rejects(channel.update(), (e: unknown) => isStewardError(e) && e.code === 'EHR_NOT_SUPPORTED');
    assert.equal(ehr.tasks.length, 0);
  });

  it('is written through by the governed writer in one run: the write context carries the patient and the proposal, the banner is checked in that run', async () => {
    const audit: AuditEntryInput[] = [];
    const sink: AuditSink = {
      append: (entry) => {
        audit.push(entry);
        return Promise.resolve({ seq: audit.length });
      },
    };
    // Policy allows everything here: what is under test is the channel behind the governed writer.
    const allow = { enforce: () => Promise.resolve() } as unknown as PolicyDecisionPoint;
    const governed = new GovernedEhr({
      channel,
      policy: allow,
      audit: sink,
      cipher: {
        blindIndex: (ctx: string, v: string) => createHash('sha256').update(`${ctx}|${v}`).digest(),
        encrypt: () => assert.fail('no page link is sealed here'),
        decrypt: () => assert.fail('no page link is opened here'),
      },
      connection: () => Promise.resolve({ site: 'north', actor: iface.actor }),
    });
    const request: WriteRequest = {
      kind: 'create',
      resource: task() as never,
      patient: ada,
      idempotencyKey: 'prop-governed-1',
      proposal: { id: 'prop-governed', approvedBy: 'user-rivera' },
    };
    const outcome = await governed.writer.write(CONNECTION, request, iface);
    assert.equal(outcome.status, 'written');
    assert.equal(outcome.id, 't-1');
    assert.equal(ehr.tasks[0]?.fields['ref'], 'prop-governed-1');
    assert.ok(audit.some((a) => a.event === 'ehr.written' && a.outcome === 'success'));
    // One run: the writer does not read the patient separately, the run checks the banner itself.
    assert.deepEqual(
      journal.runs.map((r) => r.start.kind),
      ['write'],
    );
    const run = journal.runs[0];
    assert.equal(run?.start.proposalId, 'prop-governed');
    assert.deepEqual(run?.start.identity, { accountId: 'acct-ehr-north', approvedBy: 'user-rivera' });
    assert.ok(run?.steps.some((s) => s.action === 'check-banner' && s.outcome === 'ok'));
    const banner = run?.steps.findIndex((s) => s.action === 'check-banner') ?? -1;
    const firstFill = run?.steps.findIndex((s) => s.action === 'fill') ?? -1;
    assert.ok(banner >= 0 && banner < firstFill, 'the banner is checked before the first field is filled');
  });
});
