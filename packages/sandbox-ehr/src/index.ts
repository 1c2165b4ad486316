/** @module @steward/sandbox-ehr: a real FHIR R4 server (Medplum router, in memory) to develop, demo and test against. */
export { startSandboxEhr } from './sandbox-ehr.js';
export type { SandboxEhr, SandboxEhrOptions, SandboxClient } from './sandbox-ehr.js';
export { FaultInjector, faultKinds } from './faults/index.js';
export type { FaultRule, FaultKind, FaultCounters } from './faults/index.js';
export { SandboxRepository } from './fhir-server/index.js';
export { syntheaSeedSource } from './seed/index.js';
export type { SeedReport, SeedSource } from './seed/index.js';
export { subscriptionTopicUrls } from './subscriptions/index.js';
export {
  startLiveClinic,
  savedClinicTime,
  ClinicSimulator,
  deriveClinic,
  clinicEventKinds,
  frontDeskMoves,
} from './clinic-simulator/index.js';
export type {
  LiveClinic,
  LiveClinicOptions,
  ClinicEvent,
  ClinicEventKind,
  ClinicRates,
  DemoStories,
} from './clinic-simulator/index.js';
export { WebScreens, totpCode, variants } from './web-screens/index.js';
export type { WebUser, Variant as WebVariant } from './web-screens/index.js';
