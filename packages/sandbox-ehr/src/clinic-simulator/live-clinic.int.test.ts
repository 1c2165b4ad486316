/**
 * A clinic on a persistent sandbox continues after a restart where it was: same clock, same random streams,
 * same references into the EHR, so the events after the restart are the ones an uninterrupted run plays.
 * The demo's clinic (ADR 0015) plays its past up to the real clock and stamps the EHR with its own time.
 */
import { thirdPartyFixture } from '@steward/core/testing';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxEhr } from '../sandbox-ehr.js';
import { clinicStateFileName, startLiveClinic } from './live-clinic.js';
import type { ClinicEvent } from './ports.js';
import type { Task } from '@medplum/fhirtypes';

const seed = { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: 6 };
const clinicOptions = { seed: 'restart-test', startDate: '2024-03-11', maxPatients: 6 };
const steps = 60; // 15 minutes each: one clinic day and a half

/** What an event means, without the repository ids (which differ between two EHRs). */
const shape = (e: ClinicEvent): string => `${e.seq} ${e.kind} ${e.simId} ${e.hl7?.controlId ?? ''}`;

async function play(n: number, clinic: { simulator: { step(): Promise<ClinicEvent[]> } }): Promise<ClinicEvent[]> {
  const out: ClinicEvent[] = [];
  for (let i = 0; i < n; i++) out.push(...(await clinic.simulator.step()));
  return out;
}

describe('the clinic simulator across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-clinic-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('continues from its saved state and plays what an uninterrupted run plays', async () => {
    const reference = await startSandboxEhr({ seed });
    let expected: string[];
    try {
      const clinic = await startLiveClinic(reference, clinicOptions);
      expected = (await play(2 * steps, clinic)).map(shape);
      await clinic.stop();
    } finally {
      await reference.close();
    }
    assert.ok(expected.length > 10, `the run played ${expected.length} events`);

    const first = await startSandboxEhr({ dataDir, seed });
    let now: number;
    let played: string[];
    let references: string[];
    try {
      const clinic = await startLiveClinic(first, clinicOptions);
      assert.equal(clinic.resumed, false);
      const events = await play(steps, clinic);
      played = events.map(shape);
      references = events.flatMap((e) => e.references);
      now = clinic.simulator.now;
      await clinic.stop();
    } finally {
      await first.close();
    }
    assert.ok(existsSync(join(dataDir, clinicStateFileName)));

    const second = await startSandboxEhr({ dataDir, seed });
    try {
      const clinic = await startLiveClinic(second, { ...clinicOptions, startDate: '2030-01-07' });
      assert.equal(clinic.resumed, true);
      assert.equal(clinic.simulator.now, now);
      played.push(...(await play(steps, clinic)).map(shape));
      for (const ref of references) {
        const [type = '', id = ''] = ref.split('/');
        assert.ok(second.repository.hasHistory(type, id), `${type} written before the restart is still there`);
      }
      await clinic.stop();
    } finally {
      await second.close();
    }
    assert.deepEqual(played, expected);
  });
});

describe('the demo clinic on one clock', () => {
  it('plays its past up to the real clock, stamps the EHR with its own time, and plays the stories', async () => {
    const DAY = 86_400_000;
    // Six days back, moved off a weekend: the stories' loop closes within five clinic days.
    const first = new Date(Date.now() - 6 * DAY);
    while (first.getUTCDay() === 0 || first.getUTCDay() === 6) first.setUTCDate(first.getUTCDate() + 1);
    const startDate = first.toISOString().slice(0, 10);
    const ehr = await startSandboxEhr({ seed: { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: 12 } });
    const events: ClinicEvent[] = [];
    try {
      const clinic = await startLiveClinic(ehr, {
        seed: 'demo-clock-test',
        startDate,
        maxPatients: 12,
        followRealTime: true,
        stories: true,
        onEvent: (e) => events.push(e),
      });
      const stories = clinic.stories!;
      let stamped = 0;
      let latest = 0;
      const wrong: string[] = [];
      const off = ehr.repository.onChange((change) => {
        const at = Date.parse(change.at);
        // Never in the future, never going back.
        if (at > Date.now()) wrong.push(`${change.at} is in the future`);
        if (at < latest) wrong.push(`${change.at} is before ${new Date(latest).toISOString()}`);
        latest = at;
        stamped++;
      });
      clinic.play(1);
      const deadline = Date.now() + 120_000;
      while (!clinic.simulator.caughtUp && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await clinic.stop();
      off();
      assert.deepEqual(wrong, []);
      assert.ok(clinic.simulator.caughtUp, 'the clinic reached the real clock');
      assert.ok(clinic.simulator.now <= Date.now() && clinic.simulator.now > Date.now() - 16 * 60_000);
      assert.ok(stamped > 100, `the clinic wrote ${stamped} records`);
      const kindsOf = (simId: string) => events.filter((e) => e.simId === simId).map((e) => e.kind);
      assert.deepEqual(kindsOf(stories.stalledReferral), ['referral-sent']);
      assert.ok(kindsOf(stories.closedLoopReferral).includes('referral-answered'), 'the loop closed');
      assert.ok(kindsOf(stories.noShowAppointment).includes('appointment-noshow'), 'the no-show happened');
      const stalled = clinic.simulator.clinic.referrals.get(stories.stalledReferral)!;
      const task = await ehr.repository.readResource<Task>('Task', stalled.task.id!);
      assert.equal(task.status, 'requested');
      assert.ok(Date.parse(task.meta!.lastUpdated!) < Date.now() - 4 * DAY, 'dated at the clinic past, not now');
    } finally {
      await ehr.close();
    }
  });
});
