import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { Hl7Message } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type {
  Appointment,
  DocumentReference,
  Encounter,
  Patient,
  Schedule,
  ServiceRequest,
  Slot,
  Task,
} from '@medplum/fhirtypes';
import { ClinicSimulator, type ClinicRates } from './clinic-simulator.js';
import { RECHECK_CATEGORY } from './recheck-actions.js';
import { simSystem } from './clinic-model.js';
import { deriveClinic } from './derive-clinic.js';
import { memoryClinicFhir, memoryFeed } from './memory-adapters.js';
import type { ClinicEvent } from './ports.js';
import { loadFhirDefinitions, loadSynthea, loadSyntheaBulk } from './test-fixtures.js';

loadFhirDefinitions();

async function play(
  seed: string,
  days: number,
  rates: Partial<ClinicRates> = {},
): Promise<{ repo: MemoryRepository; sim: ClinicSimulator; messages: readonly string[] }> {
  const repo = await loadSynthea();
  const fhir = memoryClinicFhir(repo);
  const derived = await deriveClinic(fhir, { seed, startDate: '2024-03-07', horizonDays: 10 });
  const feed = memoryFeed();
  const sim = new ClinicSimulator({ derived, feed, rates });
  await sim.runDays(days);
  return { repo, sim, messages: feed.messages };
}

/** Made once: a formatter is costly to make, and every slot's hour is read through it. */
const newYorkHour = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: 'numeric',
  hourCycle: 'h23',
});
const localHour = (iso: string): number => Number(newYorkHour.format(new Date(iso)));

const comparable = (events: readonly ClinicEvent[]): unknown[] =>
  events.map((e) => [e.kind, e.at, e.simId, e.patientKey, e.serviceLine, e.hl7?.type, e.hl7?.controlId, e.detail]);

describe('clinic simulator over Synthea patients', () => {
  let repo: MemoryRepository;
  let sim: ClinicSimulator;
  let messages: readonly string[];
  before(async () => {
    ({ repo, sim, messages } = await play('demo-seed', 10));
  });

  it('derives schedules and slots inside business hours, across the DST change', async () => {
    const schedules = await repo.searchResources<Schedule>({ resourceType: 'Schedule' });
    assert.equal(schedules.length, sim.clinic.providers.length);
    assert.ok(new Set(sim.clinic.providers.map((p) => p.serviceLine.code)).size >= 5);
    const slots = await repo.searchResources<Slot>({ resourceType: 'Slot' });
    assert.ok(slots.length > 500);
    for (const s of slots) {
      const h = localHour(s.start);
      assert.ok(h >= 8 && h < 17 && h !== 12, `slot at local hour ${h}`);
      const day = s.start.slice(0, 10);
      assert.match(s.start, day < '2024-03-10' ? /-05:00$/ : /-04:00$/);
      assert.ok(![0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay()), 'no weekend slots');
    }
    const eight = slots.filter((s) => s.start.endsWith('T08:00:00-05:00') || s.start.endsWith('T08:00:00-04:00'));
    const utcHours = new Set(eight.map((s) => new Date(s.start).getUTCHours()));
    assert.deepEqual([...utcHours].sort(), [12, 13]);
  });

  it('moves appointments through every status, with the history to show it', async () => {
    const kinds = new Set(sim.events.map((e) => e.kind));
    for (const k of [
      'appointment-booked',
      'appointment-rescheduled',
      'appointment-cancelled',
      'appointment-noshow',
      'patient-arrived',
      'patient-checked-in',
      'visit-fulfilled',
    ] as const) {
      assert.ok(kinds.has(k), `missing ${k}`);
    }
    const appts = await repo.searchResources<Appointment>({ resourceType: 'Appointment' });
    const statuses = new Set(appts.map((a) => a.status));
    for (const s of ['booked', 'fulfilled', 'cancelled', 'noshow'] as const)
      assert.ok(statuses.has(s), `no ${s} appointment`);
    const cancelled = appts.find((a) => a.status === 'cancelled');
    assert.ok(cancelled?.cancelationReason?.coding?.[0]?.code);
    const done = appts.find((a) => a.status === 'fulfilled')!;
    const history = await repo.readHistory<Appointment>('Appointment', done.id);
    const seen = (history.entry ?? []).map((e) => e.resource?.status).reverse();
    assert.deepEqual(seen.slice(-4), ['booked', 'arrived', 'checked-in', 'fulfilled']);
    const enc = await repo.searchResources<Encounter>({
      resourceType: 'Encounter',
      filters: [{ code: 'appointment', operator: 'eq', value: `Appointment/${done.id}` }],
    });
    assert.equal(enc[0]?.status, 'finished');
  });

  it('plays referrals through every Task state, answers some and lets some leak', async () => {
    const tasks = await repo.searchResources<Task>({ resourceType: 'Task' });
    const statuses = new Set(tasks.map((t) => t.status));
    for (const s of ['requested', 'received', 'accepted', 'completed', 'cancelled'] as const)
      assert.ok(statuses.has(s), `no ${s} task`);
    const completed = tasks.find((t) => t.status === 'completed')!;
    const history = await repo.readHistory<Task>('Task', completed.id);
    const states = [...new Set((history.entry ?? []).map((e) => e.resource?.status).reverse())];
    assert.deepEqual(states, ['requested', 'received', 'accepted', 'completed']);
    const srRef = completed.focus!.reference!;
    const sr = await repo.readReference<ServiceRequest>({ reference: srRef });
    assert.equal(sr.status, 'completed');
    assert.equal(sr.category?.[0]?.coding?.[0]?.code, '3457005');
    const docs = await repo.searchResources<DocumentReference>({ resourceType: 'DocumentReference' });
    assert.ok(docs.some((d) => d.context?.related?.some((r) => r.reference === srRef)));
    const appts = await repo.searchResources<Appointment>({ resourceType: 'Appointment' });
    assert.ok(appts.some((a) => a.basedOn?.some((b) => b.reference === srRef)));

    const leaked = sim.events.filter((e) => e.kind === 'referral-leaked');
    assert.ok(leaked.length > 0);
    for (const e of leaked) {
      const ref = e.references[0]!;
      const leakedSr = await repo.readReference<ServiceRequest>({ reference: ref });
      assert.equal(leakedSr.status, 'active');
      const booked = appts.filter(
        (a) => a.basedOn?.some((b) => b.reference === ref) && a.status !== 'cancelled' && a.status !== 'noshow',
      );
      assert.equal(booked.length, 0, 'a leaked referral has no live appointment');
    }
  });

  it('admits and discharges inpatients with a disposition', async () => {
    const encounters = await repo.searchResources<Encounter>({ resourceType: 'Encounter' });
    const ours = encounters.filter(
      (e) => e.identifier?.some((i) => i.system === simSystem('encounter')) && e.class.code === 'IMP',
    );
    const discharged = ours.filter((e) => e.status === 'finished');
    assert.ok(ours.some((e) => e.status === 'in-progress') || discharged.length > 1);
    assert.ok(discharged.length > 0);
    assert.ok(discharged.every((e) => e.hospitalization?.dischargeDisposition?.coding?.[0]?.code));
  });

  it('sends a parseable HL7 v2.5.1 message of each type, with offsets, MRNs and unique control ids', async () => {
    const withHl7 = sim.events.filter((e) => e.hl7);
    assert.equal(messages.length, withHl7.length);
    const types = new Set<string>();
    const controlIds = new Set<string>();
    for (const [i, text] of messages.entries()) {
      assert.ok(!text.includes('\n'), 'segments separated by CR only');
      const msg = Hl7Message.parse(text);
      const event = withHl7[i]!;
      const type = msg.header.getField(9).getComponent(1) + '^' + msg.header.getField(9).getComponent(2);
      assert.equal(type, event.hl7!.type);
      assert.equal(msg.header.getField(10).toString(), event.hl7!.controlId);
      assert.equal(msg.header.getField(12).toString(), '2.5.1');
      assert.match(msg.header.getField(7).toString(), /^\d{14}[+-]\d{4}$/);
      assert.equal(msg.getSegment('MSA'), undefined);
      controlIds.add(event.hl7!.controlId);
      types.add(type);
      const pid = msg.getSegment('PID')!;
      assert.equal(pid.getField(3).getComponent(5), 'MR');
      const patient = await repo.readReference<Patient>({ reference: sim.clinic.patient(event.patientKey).ref });
      const mrn = patient.identifier?.find((x) => x.type?.coding?.some((c) => c.code === 'MR'));
      assert.equal(pid.getField(3).getComponent(1), mrn?.value);
      if (type.startsWith('SIU'))
        for (const s of ['SCH', 'TQ1', 'RGS', 'AIS', 'AIG', 'AIL', 'AIP'])
          assert.ok(msg.getSegment(s), `${type} has ${s}`);
      if (type.startsWith('REF')) assert.equal(msg.getAllSegments('PRD').length, 2);
      if (type === 'MDM^T02') assert.equal(msg.getSegment('TXA')?.getField(2).getComponent(1), 'CN');
    }
    assert.equal(controlIds.size, messages.length);
    const want = [
      'SIU^S12',
      'SIU^S13',
      'SIU^S14',
      'SIU^S15',
      'SIU^S26',
      'ADT^A04',
      'ADT^A01',
      'ADT^A03',
      'REF^I12',
      'REF^I13',
      'REF^I14',
      'MDM^T02',
    ];
    assert.deepEqual(
      want.filter((t) => !types.has(t)),
      [],
    );
  });

  it('logs ids and keys, never names or MRNs', () => {
    const text = JSON.stringify(sim.events);
    for (const p of sim.clinic.patients) {
      assert.ok(!text.includes(p.mrn), 'no MRN in the event log');
      if (p.family) assert.ok(!text.includes(p.family), 'no name in the event log');
    }
  });
});

describe('derivation from a bulk export with conditional references', () => {
  it("staffs every line at the practitioners' own organizations and plays a day", async () => {
    const repo = await loadSyntheaBulk();
    const derived = await deriveClinic(memoryClinicFhir(repo), { seed: 'bulk', horizonDays: 3 });
    const { providers, patients } = derived.clinic;
    assert.equal(new Set(providers.map((p) => p.serviceLine.code)).size, 5);
    // PractitionerRole.organization is a logical (identifier) reference in this export: it must resolve.
    assert.ok(new Set(providers.map((p) => p.organizationRef)).size > 1);
    assert.ok(patients.length >= 10 && patients.every((p) => p.mrn && providers.some((d) => d.key === p.pcpKey)));
    const sim = new ClinicSimulator({ derived });
    assert.ok((await sim.runDays(1)).length > 0);
  });
});

describe('recheck orders', () => {
  it('orders rechecks after visits and books them based on the order; missed ones are rebooked, visited ones completed', async () => {
    const { repo, sim } = await play('rechecks', 16, { recheckShare: 0.6, recheckWeeks: [1, 1], noShowShare: 0.2 });
    const ordered = sim.events.filter((e) => e.kind === 'recheck-ordered');
    assert.ok(ordered.length >= 5, `${ordered.length} rechecks`);
    const orders = await repo.searchResources<ServiceRequest>({ resourceType: 'ServiceRequest' });
    const rechecks = orders.filter((o) => o.category?.[0]?.coding?.[0]?.system === RECHECK_CATEGORY);
    assert.equal(rechecks.length, ordered.length);
    const appts = await repo.searchResources<Appointment>({ resourceType: 'Appointment' });
    let booked = 0;
    let rebooked = 0;
    for (const o of rechecks) {
      assert.equal(o.category?.[0]?.coding?.[0]?.code, 'follow-up');
      assert.equal(o.code?.coding?.[0]?.code, 'recheck');
      const due = Date.parse(o.occurrenceDateTime!);
      assert.equal(due - Date.parse(o.authoredOn!), 7 * 86_400_000, 'one week after the visit');
      const mine = appts.filter((a) => a.basedOn?.some((b) => b.reference === `ServiceRequest/${o.id}`));
      booked += mine.length;
      if (mine.length > 1) {
        rebooked++;
        const missed = mine.filter((a) => a.status === 'noshow' || a.status === 'cancelled');
        assert.ok(missed.length >= mine.length - 1, 'a second booking only after a miss');
      }
      for (const a of mine) assert.ok(Date.parse(a.start!) >= due - 2 * 86_400_000, 'booked near the due date');
      if (o.status === 'completed') assert.ok(mine.some((a) => a.status === 'fulfilled'));
    }
    assert.ok(booked > 0);
    assert.ok(rebooked > 0, 'some missed rechecks were booked again');
    assert.ok(
      rechecks.some((o) => o.status === 'completed'),
      'some recheck visits happened',
    );
    const statuses = new Set(
      appts
        .filter((a) => rechecks.some((o) => a.basedOn?.[0]?.reference === `ServiceRequest/${o.id}`))
        .map((a) => a.status),
    );
    assert.ok(statuses.has('fulfilled'));
    assert.ok(sim.events.some((e) => e.kind === 'recheck-completed'));
  });
});

describe('determinism', () => {
  it('gives the same events and byte-identical HL7 for the same seed, and others for another seed', async () => {
    const a = await play('same', 3);
    const b = await play('same', 3);
    const c = await play('other', 3);
    assert.ok(a.sim.events.length > 20);
    assert.deepEqual(comparable(a.sim.events), comparable(b.sim.events));
    assert.deepEqual(a.messages, b.messages);
    assert.notDeepEqual(comparable(a.sim.events), comparable(c.sim.events));
  });
});

describe('real-time demo mode', () => {
  it('steps on timers until stopped, and not after', async () => {
    const repo = await loadSynthea(4);
    const derived = await deriveClinic(memoryClinicFhir(repo), { seed: 'rt', horizonDays: 3 });
    let resolveSteps: () => void = () => undefined;
    const stepped = new Promise<void>((r) => (resolveSteps = r));
    const sim = new ClinicSimulator({ derived, onEvent: () => undefined });
    const startAt = sim.now;
    sim.start(4); // 1 ms of real time per 15-minute step
    const poll = setInterval(() => {
      if (sim.now >= startAt + 8 * 15 * 60_000) resolveSteps();
    }, 1);
    await stepped;
    clearInterval(poll);
    await sim.stop();
    assert.equal(sim.isRunning, false);
    const stoppedAt = sim.now;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.now, stoppedAt);
  });
});
