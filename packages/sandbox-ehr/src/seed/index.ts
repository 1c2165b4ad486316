/** @module Seeding the sandbox EHR from the Synthea fixtures. */
export { seedSynthea, SyntheaSeeder } from './synthea-seed.js';
export type { SeedOptions, SeedReport } from './synthea-seed.js';
export { syntheaSeedSource } from './seed-source.js';
export type { SeedSource } from './seed-source.js';
