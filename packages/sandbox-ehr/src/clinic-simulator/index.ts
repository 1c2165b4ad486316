/** @module The clinic simulator: derives a living clinic from Synthea data and plays it through FHIR and HL7 v2. */
export { ClinicSimulator, defaultClinicRates } from './clinic-simulator.js';
export type { ClinicRates, ClinicSimulatorOptions } from './clinic-simulator.js';
export { deriveClinic } from './derive-clinic.js';
export type { DeriveClinicOptions, DerivedClinic } from './derive-clinic.js';
export { Clinic } from './clinic.js';
export { clinicEventKinds } from './ports.js';
export { RECHECK_CATEGORY, RECHECK_CODE } from './recheck-actions.js';
export type { ClinicEvent, ClinicEventKind, ClinicFhir, Hl7Feed } from './ports.js';
export { memoryClinicFhir, memoryFeed } from './memory-adapters.js';
export type { MemoryFeed } from './memory-adapters.js';
export { mllpFeed } from './mllp-feed.js';
export type { MllpFeed } from './mllp-feed.js';
export { defaultServiceLines, simSystem, simSystemBase } from './clinic-model.js';
export type { ClinicPatient, ClinicProvider, ServiceLineDef } from './clinic-model.js';
export { SeededRandom, hashSeed } from './prng.js';
export { ClinicZone } from './clinic-time.js';
export { startLiveClinic } from './live-clinic.js';
export type { LiveClinic, LiveClinicOptions } from './live-clinic.js';
