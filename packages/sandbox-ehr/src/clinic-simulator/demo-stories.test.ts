import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Resource, Task } from '@medplum/fhirtypes';
import type { SandboxRepository } from '../fhir-server/sandbox-repository.js';
import { ClinicSimulator } from './clinic-simulator.js';
import { frontDeskMoves, plantDemoStories, type DemoStories } from './demo-stories.js';
import { deriveClinic } from './derive-clinic.js';
import { memoryClinicFhir, memoryFeed } from './memory-adapters.js';
import { loadFhirDefinitions, loadSynthea } from './test-fixtures.js';

loadFhirDefinitions();

const DAY = 86_400_000;

describe('demo stories over nine days of the clinic past', () => {
  let sim: ClinicSimulator;
  let stories: DemoStories;
  let until: number;
  let repo: SandboxRepository;
  before(async () => {
    repo = (await loadSynthea()) as SandboxRepository;
    // As the live clinic does: what deriving writes is dated the evening before the first day.
    repo.useClock(() => Date.parse('2024-03-07T00:00:00Z'));
    const derived = await deriveClinic(memoryClinicFhir(repo), {
      seed: 'steward-demo',
      startDate: '2024-03-07',
      horizonDays: 10,
    });
    sim = new ClinicSimulator({ derived, feed: memoryFeed() });
    // The demo's one clock: the EHR stamps writes with the clinic's time.
    repo.useClock(() => sim.now);
    until = derived.startsAt + 9 * DAY + 7 * 3_600_000; // a Saturday, 15:00 local: the next clinic day is Monday
    stories = await plantDemoStories(sim, until);
    while (sim.now + 15 * 60_000 <= until) await sim.step();
  });

  const eventsOf = (simId: string) => sim.events.filter((e) => e.simId === simId).map((e) => e.kind);

  it('leaves one referral never received: overdue since its first days', () => {
    const r = sim.clinic.referrals.get(stories.stalledReferral)!;
    assert.equal(r.task.status, 'requested');
    assert.deepEqual(eventsOf(stories.stalledReferral), ['referral-sent']);
    assert.ok(r.authoredAt <= sim.derived.startsAt + 3_600_000);
  });

  it('closes one referral loop, each step after the one before it', () => {
    const r = sim.clinic.referrals.get(stories.closedLoopReferral)!;
    assert.equal(r.phase, 'completed');
    assert.deepEqual(eventsOf(stories.closedLoopReferral), [
      'referral-sent',
      'referral-received',
      'referral-accepted',
      'referral-answered',
    ]);
    const a = sim.clinic.appointments.get(r.appointmentSimId!)!;
    assert.equal(a.resource.status, 'fulfilled');
    const answered = sim.events.find((e) => e.simId === r.simId && e.kind === 'referral-answered')!;
    // Attended before answered, booked before attended: nothing happens before its appointment.
    assert.ok(Date.parse(answered.at) >= a.end, 'answered after the visit ended');
    assert.ok(Date.parse(a.resource.created!) < a.start);
  });

  it('has a patient miss one recheck and books another for the clinic day after the past ends', () => {
    assert.ok(
      sim.events.some((e) => e.kind === 'appointment-noshow' && e.simId === stories.noShowAppointment),
      'the no-show happened',
    );
    const next = sim.clinic.appointments.get(stories.reminderAppointment)!;
    assert.equal(next.resource.status, 'booked');
    assert.equal(new Date(next.start).toISOString().slice(0, 10), '2024-03-18'); // Monday
  });

  it('dates every record at or before the clinic clock', async () => {
    for (const type of ['Appointment', 'Task', 'ServiceRequest', 'DocumentReference'] as const) {
      for (const res of await repo.searchResources<Resource>({ resourceType: type })) {
        assert.ok(Date.parse(res.meta!.lastUpdated!) <= sim.now, `${type} stamped in the future`);
      }
    }
    for (const e of sim.events) assert.ok(Date.parse(e.at) <= sim.now);
    const tasks = await repo.searchResources<Task>({ resourceType: 'Task' });
    for (const t of tasks) assert.ok(Date.parse(t.meta!.lastUpdated!) >= Date.parse(t.authoredOn!) - DAY * 4);
    const appts = await repo.searchResources<Appointment>({ resourceType: 'Appointment', filters: [] });
    assert.ok(appts.length > 0);
  });

  it("has the front desk move the reminder story's booking later: a new EHR version and an S13", async () => {
    const a = sim.clinic.appointments.get(stories.reminderAppointment)!;
    const before = await repo.readResource<Appointment>('Appointment', a.resource.id!);
    const start = a.start;
    assert.equal(await frontDeskMoves(sim, stories.reminderAppointment), true);
    const after = await repo.readResource<Appointment>('Appointment', a.resource.id!);
    assert.equal(after.status, 'booked');
    assert.ok(Date.parse(after.start!) > start, 'moved later');
    assert.notEqual(after.meta!.versionId, before.meta!.versionId, 'the EHR holds a new version');
    assert.ok(Date.parse(after.meta!.lastUpdated!) <= sim.now);
    assert.equal(sim.events.at(-1)?.kind, 'appointment-rescheduled');
    assert.equal(sim.events.at(-1)?.simId, stories.reminderAppointment);
  });
});
