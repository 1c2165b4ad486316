/**
 * @module A living clinic inside a running sandbox EHR: derives schedules, slots, appointments
 * and referrals from the seeded Synthea patients, then plays clinic days in accelerated time
 * through the sandbox's own repository (so its history and subscriptions see every change, as
 * they would any client's) and, when given an MLLP peer, the HL7 v2 feed an interface engine
 * would send. `npm start` runs one for the demo; tests drive `simulator.step()` themselves.
 *
 * When the EHR keeps its data (`dataDir`), the simulator's state is saved there after every step
 * (`clinic-simulator.json`) and the next start continues from it instead of deriving a new clinic.
 * Known limit: a crash in the middle of a step replays that step, so the EHR may hold a few
 * resources the step wrote before the crash twice over.
 */
import { join } from 'node:path';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { loadStateFile, saveStateFile } from '../persistence/index.js';
import { ClinicSimulator, type ClinicRates, type SimulatorSnapshot } from './clinic-simulator.js';
import { deriveClinic, type DerivedClinic } from './derive-clinic.js';
import { memoryClinicFhir } from './memory-adapters.js';
import { mllpFeed, type MllpFeed } from './mllp-feed.js';
import type { ClinicEvent } from './ports.js';
import { plantDemoStories, type DemoStories } from './demo-stories.js';

export interface LiveClinicOptions {
  readonly seed: string;
  /** First clinic day (YYYY-MM-DD, local). Default: the simulator's default. */
  readonly startDate?: string;
  readonly timeZone?: string;
  readonly maxPatients?: number;
  /** How many days ahead slots exist. Default: the simulator's default (10). */
  readonly horizonDays?: number;
  /** Where the HL7 v2 feed goes (Steward's MLLP listener). None: FHIR only. */
  readonly hl7?: { readonly host: string; readonly port: number };
  readonly rates?: Partial<ClinicRates>;
  readonly tickMinutes?: number;
  readonly onEvent?: (event: ClinicEvent) => void;
  readonly onError?: (error: unknown) => void;
  /**
   * The demo's one clock: the clinic plays its past (from `startDate`) up to the real clock, then
   * follows it, and the EHR stamps every write with the clinic's time (never later than the real
   * clock). Without it the clinic keeps its own accelerated time and the EHR the real clock.
   */
  readonly followRealTime?: boolean;
  /** Plant the demo stories (demo-stories.ts) when the clinic is derived (not when it resumes). */
  readonly stories?: boolean;
}

export const clinicStateFileName = 'clinic-simulator.json';

export interface LiveClinic {
  readonly simulator: ClinicSimulator;
  readonly derived: DerivedClinic;
  /** Whether this clinic continued from a saved state rather than being derived now. */
  readonly resumed: boolean;
  /** The stories planted when this clinic was derived with `stories`. */
  readonly stories?: DemoStories;
  /**
   * Demo mode: plays on its own, one simulated hour per `realMsPerSimHour` real milliseconds (with
   * `followRealTime`: at that pace until it reaches the real clock, then with it).
   */
  play(realMsPerSimHour: number): void;
  stop(): Promise<void>;
}

/** Where a clinic saved in the EHR's data folder had got to (epoch ms), if one was saved. */
export function savedClinicTime(ehr: Pick<SandboxEhr, 'dataDir'>): number | undefined {
  if (ehr.dataDir === undefined) return undefined;
  return loadStateFile<SimulatorSnapshot>(join(ehr.dataDir, clinicStateFileName))?.now;
}

export async function startLiveClinic(ehr: SandboxEhr, options: LiveClinicOptions): Promise<LiveClinic> {
  const fhir = memoryClinicFhir(ehr.repository);
  const stateFile = ehr.dataDir !== undefined ? join(ehr.dataDir, clinicStateFileName) : undefined;
  const saved = stateFile !== undefined ? loadStateFile<SimulatorSnapshot>(stateFile) : undefined;
  const feed: MllpFeed | undefined =
    options.hl7 !== undefined ? mllpFeed(options.hl7.host, options.hl7.port) : undefined;
  const simulatorOptions = {
    ...(feed !== undefined ? { feed } : {}),
    ...(options.rates !== undefined ? { rates: options.rates } : {}),
    ...(options.tickMinutes !== undefined ? { tickMinutes: options.tickMinutes } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    ...(options.onError !== undefined ? { onError: options.onError } : {}),
    ...(stateFile !== undefined ? { onStep: (s: ClinicSimulator) => save(s) } : {}),
  };
  // Saved after a step that wrote to the EHR: a quiet step (a night, a weekend) replays identically from the
  // previous state (same random draws, nothing written), so it need not cost a megabyte and an fsync.
  let savedAt = -1;
  const save = (s: ClinicSimulator, always = false): void => {
    if (stateFile === undefined || (!always && ehr.repository.changeCount === savedAt)) return;
    saveStateFile(stateFile, s.snapshot());
    savedAt = ehr.repository.changeCount;
  };
  let simulator: ClinicSimulator | undefined;
  if (options.followRealTime === true) {
    // Before the clinic exists (deriving it writes schedules and slots): the evening before its first day.
    const before = options.startDate !== undefined ? Date.parse(`${options.startDate}T00:00:00Z`) : Date.now();
    ehr.repository.useClock(() => {
      if (simulator === undefined) return Math.min(before, Date.now());
      return simulator.caughtUp ? Date.now() : Math.min(simulator.now, Date.now());
    });
  }
  let stories: DemoStories | undefined;
  if (saved !== undefined) {
    simulator = ClinicSimulator.resume(saved, fhir, simulatorOptions);
  } else {
    // One unit of work: the thousands of slots are journaled (and fsync'd) once, and a failure leaves nothing.
    const derived = await ehr.repository.withTransaction(() =>
      deriveClinic(fhir, {
        seed: options.seed,
        ...(options.startDate !== undefined ? { startDate: options.startDate } : {}),
        ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
        ...(options.maxPatients !== undefined ? { maxPatients: options.maxPatients } : {}),
        ...(options.horizonDays !== undefined ? { horizonDays: options.horizonDays } : {}),
      }),
    );
    simulator = new ClinicSimulator({ derived, ...simulatorOptions });
    const planted = simulator;
    if (options.stories === true)
      stories = await ehr.repository.withTransaction(() => plantDemoStories(planted, Date.now()));
    // Saved at once: deriving wrote schedules and slots into the EHR, which must not be derived twice.
    save(simulator, true);
  }
  const sim = simulator;
  return {
    simulator: sim,
    derived: sim.derived,
    resumed: saved !== undefined,
    ...(stories !== undefined ? { stories } : {}),
    play: (realMsPerSimHour) =>
      sim.start(realMsPerSimHour, options.followRealTime === true ? () => Date.now() : undefined),
    async stop() {
      await sim.stop();
      save(sim, true);
      await feed?.close();
    },
  };
}
