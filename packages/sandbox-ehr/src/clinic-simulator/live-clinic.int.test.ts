/**
 * A clinic on a persistent sandbox continues after a restart where it was: same clock, same random streams,
 * same references into the EHR, so the events after the restart are the ones an uninterrupted run plays.
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
