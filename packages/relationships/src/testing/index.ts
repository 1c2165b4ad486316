/** @module Test and benchmark helpers: the synthetic export generator and a governed test room. */
export { generateContactExport } from './contact-generator.js';
export type { GeneratorOptions, GeneratedExport } from './contact-generator.js';
export { openTestRelationships } from './test-kit.js';
export type { TestRelationships } from './test-kit.js';
