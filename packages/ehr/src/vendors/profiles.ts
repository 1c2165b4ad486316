/**
 * @module Which profile a connection uses. A fresh object per call (no module-level singleton),
 * so a connection may adjust its copy (e.g. after comparing with the server's CapabilityStatement).
 */
import { UserError } from '@steward/core';
import { athenahealthProfile } from './athenahealth.js';
import { epicProfile } from './epic.js';
import { genericR4Profile } from './generic-r4.js';
import { oracleHealthProfile } from './oracle-health.js';
import { isVendorId } from './vendor-profile.js';
import type { VendorId, VendorProfile } from './vendor-profile.js';

const factories: Record<VendorId, () => VendorProfile> = {
  'generic-r4': genericR4Profile,
  epic: epicProfile,
  'oracle-health': oracleHealthProfile,
  athenahealth: athenahealthProfile,
};

/** The profile for a vendor id; an unknown id is a configuration mistake (EHR_NOT_SUPPORTED). */
export function profileFor(id: string): VendorProfile {
  if (!isVendorId(id)) {
    throw new UserError('EHR_NOT_SUPPORTED', 'unknown EHR vendor profile', [
      { path: 'vendor', message: 'not a known profile id' },
    ]);
  }
  return factories[id]();
}
