/**
 * @module A living clinic inside a running sandbox EHR: derives schedules, slots, appointments
 * and referrals from the seeded Synthea patients, then plays clinic days in accelerated time
 * through the sandbox's own repository (so its history and subscriptions see every change, as
 * they would any client's) and, when given an MLLP peer, the HL7 v2 feed an interface engine
 * would send. `npm start` runs one for the demo; tests drive `simulator.step()` themselves.
 */
import type { SandboxEhr } from '../sandbox-ehr.js';
import { ClinicSimulator, type ClinicRates } from './clinic-simulator.js';
import { deriveClinic, type DerivedClinic } from './derive-clinic.js';
import { memoryClinicFhir } from './memory-adapters.js';
import { mllpFeed, type MllpFeed } from './mllp-feed.js';
import type { ClinicEvent } from './ports.js';

export interface LiveClinicOptions {
  readonly seed: string;
  /** First clinic day (YYYY-MM-DD, local). Default: the simulator's default. */
  readonly startDate?: string;
  readonly timeZone?: string;
  readonly maxPatients?: number;
  /** Where the HL7 v2 feed goes (Steward's MLLP listener). None: FHIR only. */
  readonly hl7?: { readonly host: string; readonly port: number };
  readonly rates?: Partial<ClinicRates>;
  readonly tickMinutes?: number;
  readonly onEvent?: (event: ClinicEvent) => void;
  readonly onError?: (error: unknown) => void;
}

export interface LiveClinic {
  readonly simulator: ClinicSimulator;
  readonly derived: DerivedClinic;
  /** Demo mode: plays on its own, one simulated hour per `realMsPerSimHour` real milliseconds. */
  play(realMsPerSimHour: number): void;
  stop(): Promise<void>;
}

export async function startLiveClinic(ehr: SandboxEhr, options: LiveClinicOptions): Promise<LiveClinic> {
  const derived = await deriveClinic(memoryClinicFhir(ehr.repository), {
    seed: options.seed,
    ...(options.startDate !== undefined ? { startDate: options.startDate } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
    ...(options.maxPatients !== undefined ? { maxPatients: options.maxPatients } : {}),
  });
  const feed: MllpFeed | undefined =
    options.hl7 !== undefined ? mllpFeed(options.hl7.host, options.hl7.port) : undefined;
  const simulator = new ClinicSimulator({
    derived,
    ...(feed !== undefined ? { feed } : {}),
    ...(options.rates !== undefined ? { rates: options.rates } : {}),
    ...(options.tickMinutes !== undefined ? { tickMinutes: options.tickMinutes } : {}),
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    ...(options.onError !== undefined ? { onError: options.onError } : {}),
  });
  return {
    simulator,
    derived,
    play: (realMsPerSimHour) => simulator.start(realMsPerSimHour),
    async stop() {
      await simulator.stop();
      await feed?.close();
    },
  };
}
