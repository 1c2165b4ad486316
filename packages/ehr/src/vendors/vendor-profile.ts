/**
 * @module What a vendor profile declares, and the three questions application code asks of one:
 * which profile (`profileFor`), may I do this (`assertSupported`), how do I poll for changes
 * (`planPolling`). Application code never branches on the vendor: it reads these declarations,
 * and each profile's `normalize` hook turns the vendor's resources into generic R4 before the
 * shared mappers in fhir-model run.
 */
import type { Resource } from '@medplum/fhirtypes';
import { UserError } from '@steward/core';
import type { SubscriptionNotification } from '../fhir-model/index.js';
import type { ReferralRuleSet } from '../referral-rules/referral-rules.js';

export const vendorIds = ['generic-r4', 'epic', 'oracle-health', 'athenahealth'] as const;
export type VendorId = (typeof vendorIds)[number];

export type Interaction = 'read' | 'search' | 'create' | 'update' | 'history';

export interface ResourceSupport {
  readonly read: boolean;
  /** Search parameters the vendor documents for this type; [] = no search. */
  readonly search: readonly string[];
  readonly create: boolean;
  readonly update: boolean;
  readonly history?: boolean;
  /**
   * Parameters a search must include (e.g. Epic requires `patient` on most searches): a
   * server-wide `_lastUpdated` poll is impossible without them.
   */
  readonly requiredSearch?: readonly string[];
}

/** An extension Steward reads, and what it means. */
export interface ExtensionDeclaration {
  readonly url: string;
  readonly on: string;
  readonly meaning: string;
}

export interface VendorProfile {
  readonly id: VendorId;
  readonly name: string;
  readonly fhirVersion: '4.0.1';
  readonly resources: Readonly<Partial<Record<string, ResourceSupport>>>;
  /**
   * Identifier systems. Several vendors use a per-site system (Epic's MRN OID, athenahealth's
   * per-practice URNs): those are templates with `{site}` / `{practiceId}`, filled per connection.
   */
  readonly identifierSystems: Readonly<Record<string, string>>;
  /** `next-link`: follow Bundle.link[relation=next] verbatim (vendors' links are opaque). */
  readonly paging: 'next-link' | 'none';
  readonly maxPageSize: number;
  readonly subscriptions: 'r4b-backport' | 'none';
  /** Topics the vendor offers, when it publishes them. */
  readonly subscriptionTopics: readonly string[];
  readonly payloadContent?: 'id-only' | 'full-resource';
  /** The search parameter that finds changes since a time, or `none` when the vendor has none. */
  readonly pollingParameter: '_lastUpdated' | 'none';
  readonly extensions: readonly ExtensionDeclaration[];
  /**
   * Modifier extensions Steward may process resources with, each with why that is safe (its
   * `meaning`). Any other `modifierExtension` refuses the resource to the dead-letter list
   * (FHIR forbids ignoring one). None declared: every modifier extension is refused.
   */
  readonly modifierExtensions?: readonly ExtensionDeclaration[];
  /**
   * Which inbound ServiceRequests and REF/ORM orders are referrals (first matching rule decides);
   * a site overrides them per connection (`ReferralRuleStore`).
   */
  readonly referralRules: ReferralRuleSet;
  /** Where each declaration comes from, and what is assumed. */
  readonly sources: readonly string[];
  /** Adjusts a vendor resource to generic R4 before the shared mappers run. Must not throw. */
  normalize(resource: Resource): Resource;
  /** Adjusts a parsed notification (e.g. derives the patient from a vendor's context entry). */
  normalizeNotification(notification: SubscriptionNotification): SubscriptionNotification;
}

export function isVendorId(value: string): value is VendorId {
  return (vendorIds as readonly string[]).includes(value);
}

/** Throws EHR_NOT_SUPPORTED when the profile does not declare the interaction (or a search parameter). */
export function assertSupported(
  profile: VendorProfile,
  type: string,
  interaction: Interaction,
  searchParams: readonly string[] = [],
): ResourceSupport {
  const support = profile.resources[type];
  if (!support) throw notSupported(profile, `${type} is not offered`);
  const ok =
    interaction === 'search'
      ? support.search.length > 0
      : interaction === 'history'
        ? support.history === true
        : support[interaction];
  if (!ok) throw notSupported(profile, `${interaction} of ${type} is not offered`);
  if (interaction === 'search') {
    const missing = searchParams.filter((p) => !support.search.includes(p.split(':')[0] ?? p));
    if (missing.length > 0)
      throw notSupported(profile, `search parameter(s) ${missing.join(', ')} on ${type} not offered`);
    const required = (support.requiredSearch ?? []).filter((p) => !searchParams.includes(p));
    if (required.length > 0 && searchParams.length > 0) {
      throw notSupported(profile, `${type} search requires ${required.join(', ')}`);
    }
  }
  return support;
}

function notSupported(profile: VendorProfile, what: string): UserError {
  return new UserError('EHR_NOT_SUPPORTED', `${profile.name}: ${what}`, [{ path: 'vendor', message: what }]);
}

export interface PollingPlan {
  readonly resourceType: string;
  /** Search parameters, ready for a URLSearchParams. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * The search that finds what changed since `since` (an instant with offset): `_lastUpdated=gt…`,
 * largest page, oldest first where the vendor can sort. `scope` supplies parameters the vendor
 * requires (Epic: a patient). Throws EHR_NOT_SUPPORTED when the vendor cannot poll this type.
 */
export function planPolling(
  profile: VendorProfile,
  type: string,
  since: string,
  scope: Readonly<Record<string, string>> = {},
): PollingPlan {
  if (profile.pollingParameter === 'none') throw notSupported(profile, 'no change-since search parameter');
  const params: Record<string, string> = { ...scope, [profile.pollingParameter]: `gt${since}` };
  const support = assertSupported(profile, type, 'search', Object.keys(params));
  if (support.search.includes('_sort')) params['_sort'] = '_lastUpdated';
  if (support.search.includes('_count')) params['_count'] = String(profile.maxPageSize);
  return { resourceType: type, params };
}

/** Fills a per-site identifier system template (`{site}`, `{practiceId}`). */
export function identifierSystem(
  profile: VendorProfile,
  name: string,
  values: Readonly<Record<string, string>> = {},
): string | undefined {
  const template = profile.identifierSystems[name];
  if (template === undefined) return undefined;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
