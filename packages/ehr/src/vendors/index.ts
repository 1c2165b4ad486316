/** @module Vendor profiles: each EHR vendor's differences declared once (resources, search, writes, identifiers, paging, subscriptions) and normalized to generic R4. */
export { profileFor } from './profiles.js';
export { assertSupported, planPolling, identifierSystem, isVendorId, vendorIds } from './vendor-profile.js';
export type {
  VendorId,
  VendorProfile,
  ResourceSupport,
  Interaction,
  ExtensionDeclaration,
  PollingPlan,
} from './vendor-profile.js';
export { genericR4Profile } from './generic-r4.js';
export { epicProfile } from './epic.js';
export { oracleHealthProfile } from './oracle-health.js';
export { athenahealthProfile, normalizeAthenaNotification, patientIdFromIdentifier } from './athenahealth.js';
export { parseCapabilityStatement, compareToProfile, parseSmartConfiguration } from './capability.js';
export type { ServerSupport, DeclaredResource, SupportGap, SmartSupport } from './capability.js';
export { dropNarrative } from './normalize.js';
