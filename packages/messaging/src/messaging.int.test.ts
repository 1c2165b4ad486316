import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, systemClock, type Actor, type RequestContext, type Role } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import {
  ApprovalPolicies,
  InMemoryEhr,
  ProposalApplier,
  ProposalDesk,
  type ProposalDeps,
  type ProposalDraft,
} from '@steward/proposals';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { ContactPreferenceStore } from './contact-preferences.js';
import { LocalOutbox } from './local-outbox.js';
import { MessageCommitter } from './message-committer.js';
import { renderMessage, replyIntent } from './message-templates.js';

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};
const PHONE = '+1-555-0100-7788';
const KEY = 'followup:11111111-1111-4111-8111-111111111111:ServiceRequest:rc1';

interface Kit {
  db: TestDatabase;
  audit: AuditLog;
  clock: ManualClock;
  desk: ProposalDesk;
  policies: ApprovalPolicies;
  applier: ProposalApplier;
  prefs: ContactPreferenceStore;
  outbox: LocalOutbox;
  as(name: string, role: Role, site?: string): Promise<RequestContext>;
}

async function openKit(db: TestDatabase): Promise<Kit> {
  const clock = new ManualClock('2026-06-01T14:00:00Z');
  const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
  const audit = await AuditLog.open(db, cipher);
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
  const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
  const deps: ProposalDeps = { db, cipher, policy, grants, audit, clock };
  const governance = { db, cipher, policy, audit, clock };
  const prefs = new ContactPreferenceStore(governance);
  const outbox = new LocalOutbox(governance);
  const committer = new MessageCommitter({
    preferences: prefs,
    channels: { sms: outbox, email: outbox },
    // Answered asynchronously, as the kernel's site registry answers it (a site record read per commit).
    clinic: (site) =>
      Promise.resolve(
        site === 'north'
          ? { zone: 'America/New_York', quiet: { start: '20:00', end: '08:00' } }
          : { zone: 'Europe/Berlin', quiet: null },
      ),
    clock,
  });
  return {
    db,
    audit,
    clock,
    desk: new ProposalDesk(deps),
    policies: new ApprovalPolicies(deps),
    applier: new ProposalApplier(deps, new InMemoryEhr(), {
      'reminder.send': committer,
      'communication.send': committer,
    }),
    prefs,
    outbox,
    async as(name, role, site = 'north') {
      const account = await accounts.create(name, bootstrap);
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role,
        site,
        workflow: '*',
        purposeOfUse: role === 'compliance_officer' ? 'HCOMPL' : 'TREAT',
      });
      return { actor: { kind: 'service', id: account.id, name, authMethod: 'api-token' } };
    },
  };
}

const reminder = (ehrId: string, extra: Partial<ProposalDraft> = {}): ProposalDraft => ({
  action: 'reminder.send',
  site: 'north',
  workflow: 'followup',
  correlationId: KEY,
  patient: {
    ehrId,
    identifiers: [
      { system: 'urn:mrn', value: `MRN-${ehrId}` },
      { system: 'urn:ent', value: `E-${ehrId}` },
    ],
  },
  target: { resourceType: 'Appointment', id: 'a1' },
  payload: {
    template: 'appointment-reminder',
    channel: 'preferred',
    appointment: 'Appointment/a1',
    start: '2026-06-08T14:30:00-04:00',
    zone: 'America/New_York',
    offsetDays: 7,
    correlationKey: KEY,
  },
  evidence: { eventIds: [], resources: ['Appointment/a1'], reasonCode: 'recheck-reminder' },
  ...extra,
});

for (const target of storeTargets()) {
  describe(`messaging on ${target.name}`, { skip: target.skip }, () => {
    let k: Kit;
    let workflow: RequestContext;
    let coordinator: RequestContext;
    before(async () => {
      k = await openKit(await target.open());
      workflow = await k.as('steward-workflows', 'automation');
      coordinator = await k.as('coord-1', 'coordinator');
      const compliance = await k.as('compliance-1', 'compliance_officer', '*');
      // Reminders carry no clinical content: an approval policy commits them without review.
      await k.policies.set(compliance, { actionType: 'reminder.send', mode: 'auto' });
    });
    after(async () => {
      await k?.audit.close();
      await k?.db.close();
    });

    it('sends an auto-approved reminder to the local outbox, sealed, in the preferred language, once', async () => {
      await k.prefs.set(coordinator, 'north', 'patient-ehr-7731', {
        language: 'es-MX',
        channel: 'sms',
        optOut: [],
        addresses: { sms: PHONE },
      });
      const p = await k.desk.draft(workflow, reminder('patient-ehr-7731'));
      assert.equal(p.status, 'approved', 'covered by the approval policy');
      const done = await k.applier.commit(coordinator, p.id);
      assert.equal(done.status, 'committed');
      assert.equal(
        (await k.applier.commit(coordinator, p.id)).proposal.committed?.id,
        done.proposal.committed?.id,
        'once',
      );
      const items = await k.outbox.list(coordinator, { site: 'north' });
      assert.equal(items.length, 1);
      assert.equal(items[0]?.sealed, true);
      assert.equal(items[0]?.correlationKey, KEY);
      assert.equal(`Message/${items[0]?.id ?? ''}`, done.proposal.committed?.id);
      assert.equal(JSON.stringify(items).includes(PHONE), false, 'the list shows no address');
      const opened = await k.outbox.open(coordinator, items[0]?.id ?? '');
      assert.equal(opened.to, PHONE);
      assert.equal(opened.language, 'es');
      assert.match(opened.body, /^Recordatorio: tiene una cita el 8 de junio de 2026 a las 14:30/);
      // Nothing in the tables in plaintext: not the address, not the text.
      const raw = await k.db.query<{ t: string }>(
        `select coalesce(string_agg(encode(body_enc, 'escape'), ''), '') || coalesce(string_agg(channel || status, ''), '') as t from message_outbox`,
      );
      const rawPrefs = await k.db.query<{ t: string }>(
        `select coalesce(string_agg(encode(data_enc, 'escape') || encode(patient_digest, 'escape'), ''), '') as t from message_preferences`,
      );
      for (const text of [PHONE, '5550100', 'Recordatorio', 'es-MX', 'patient-ehr-7731'])
        assert.equal(raw.rows[0]!.t.includes(text) || rawPrefs.rows[0]!.t.includes(text), false, text);
    });

    it('refuses an opted-out channel with a clear code, and holds a message until quiet hours end', async () => {
      await k.prefs.set(coordinator, 'north', 'p2', { channel: 'sms', optOut: ['sms'], addresses: { sms: PHONE } });
      const p = await k.desk.draft(workflow, reminder('p2'));
      const r = await k.applier.commit(coordinator, p.id);
      assert.equal(r.status, 'failed');
      assert.deepEqual(r.proposal.error, { code: 'FORBIDDEN', retryable: false, attempts: 1, exhausted: false });
      assert.equal((await k.outbox.list(coordinator, { site: 'north' })).length, 1, 'nothing queued');

      const none = await k.desk.draft(workflow, reminder('p3'));
      assert.equal((await k.applier.commit(coordinator, none.id)).proposal.error?.code, 'VALIDATION_FAILED');

      await k.prefs.set(coordinator, 'north', 'p4', { optOut: [], addresses: { email: 'pat@example.org' } });
      k.clock.advance(13 * 3_600_000); // 23:00 EDT
      const late = await k.desk.draft(workflow, reminder('p4'));
      assert.equal((await k.applier.commit(coordinator, late.id)).status, 'committed');
      const [newest] = await k.outbox.list(coordinator, { site: 'north', limit: 1 });
      assert.equal(newest?.channel, 'email', 'the only channel with an address');
      assert.equal(newest?.notBefore, '2026-06-02T12:00:00.000Z', '08:00 EDT the next morning');
      assert.equal((await k.outbox.open(coordinator, newest?.id ?? '')).language, 'en');
    });

    it('guards preferences and the outbox by site, and reads replies into intents', async () => {
      const south = await k.as('coord-south', 'coordinator', 'south');
      assert.equal(
        await k.prefs.get(south, 'north', 'patient-ehr-7731').catch((e: { code: string }) => e.code),
        'FORBIDDEN',
      );
      await assert.rejects(k.outbox.list(south, { site: 'north' }), { code: 'FORBIDDEN' });
      const prefs = await k.prefs.get(coordinator, 'north', 'patient-ehr-7731');
      assert.equal(prefs?.language, 'es-MX');
      await assert.rejects(k.prefs.set(coordinator, 'north', 'patient-ehr-7731', { ...prefs, optOut: ['all'] }, 7), {
        code: 'VERSION_CONFLICT',
      });
      await assert.rejects(
        k.prefs.set(coordinator, 'north', 'patient-ehr-7731', { optOut: ['fax' as 'sms'], addresses: {} }),
        {
          code: 'VALIDATION_FAILED',
        },
      );
      const [first] = (await k.outbox.list(coordinator, { site: 'north' })).slice(-1);
      const r = await k.outbox.reply(coordinator, first?.id ?? '', ' Sí, gracias');
      assert.ok(r !== undefined && 'signal' in r);
      assert.equal(r.signal.intent, 'confirm');
      assert.equal(r.correlationKey, KEY);
      assert.deepEqual(await k.outbox.reply(coordinator, first?.id ?? '', 'STOP'), {
        correlationKey: KEY,
        channel: 'sms',
        stop: true,
      });
      assert.equal(await k.outbox.reply(coordinator, first?.id ?? '', 'what?'), undefined);
      await assert.rejects(k.outbox.reply(south, first?.id ?? '', 'C'), { code: 'NOT_FOUND' });
    });

    it("names the message's Steward patient in the audit of its preferences read and of the list", async () => {
      const stewardId = '5f0c2a9e-7d1b-4c3e-9a8f-2b6d4e1c0a77';
      await k.prefs.set(coordinator, 'north', 'patient-ehr-named', {
        channel: 'sms',
        optOut: [],
        addresses: { sms: PHONE },
      });
      const base = reminder('patient-ehr-named', { correlationId: 'followup:named' });
      const p = await k.desk.draft(workflow, { ...base, patient: { ...base.patient, stewardId } });
      assert.equal((await k.applier.commit(coordinator, p.id)).status, 'committed');
      await k.outbox.list(coordinator, { site: 'north' });
      await k.audit.flush();
      const last = await k.db.query<{ patient_ids: string[] }>(
        `select patient_ids from audit_log where event = 'phi.search' order by seq desc limit 1`,
      );
      assert.ok(last.rows[0]?.patient_ids.includes(stewardId), JSON.stringify(last.rows));
      const prefsRead = await k.db.query<{ patient_ids: string[] }>(
        `select patient_ids from audit_log where event = 'phi.read' and entry::jsonb ->> 'reason' = 'message-commit'
          order by seq desc limit 1`,
      );
      assert.deepEqual(prefsRead.rows[0]?.patient_ids, [stewardId], 'the preferences read for the commit names it');
    });
  });
}

describe('message templates', () => {
  it('renders without clinical content in English and Spanish, falling back to English', () => {
    const vars = { start: '2026-03-09T09:00:00-04:00', zone: 'America/New_York' };
    assert.match(renderMessage('appointment-reminder', 'en-US', vars).body, /March 9, 2026 at 9:00/);
    assert.match(renderMessage('appointment-reminder', 'es', vars).body, /9 de marzo de 2026/);
    assert.equal(renderMessage('appointment-reminder', 'fr', vars).language, 'en');
    assert.throws(() => renderMessage('diagnosis', 'en', vars), { code: 'VALIDATION_FAILED' });
  });

  it('reads replies in both languages', () => {
    assert.deepEqual(['C', 'yes', 'x', 'Cancelar', 'R', 'cambiar por favor', 'alto', 'maybe'].map(replyIntent), [
      'confirm',
      'confirm',
      'cancel',
      'cancel',
      'reschedule',
      'reschedule',
      'stop',
      undefined,
    ]);
  });
});
