/**
 * @module Which ServiceRequests (and HL7 REF/ORM orders) are referrals: a declared rule set,
 * evaluated in order, first match decides, so every decision names the rule behind it.
 *
 * A rule's `when` lists conditions that must all hold; each condition is a list of accepted values
 * (any one will do). Codings match by system and code, where an absent `system` or `code` in the
 * pattern means "any" (so `{ system: 'http://loinc.org' }` is any LOINC code, `{}` any coded value).
 * Vendor profiles declare the defaults (`defaultReferralRules`); a site overrides them per
 * connection without code changes (`ReferralRuleOverride`: its own rules first, default rules it
 * switches off by id, and what to decide when nothing matches), stored by `ReferralRuleStore`.
 *
 * Known limit: codes are compared as given, with no terminology server: a SNOMED concept below
 * "Referral to service" is not recognised by subsumption, only when listed (or by its category).
 */
import type { EhrCoding, OrderFacts, ReferralFacts, ParticipantRef } from '@steward/core';
import { ValidationError, type ErrorDetail } from '@steward/core';

export const referralRuleDecisions = ['referral', 'not-referral'] as const;
export type ReferralRuleDecision = (typeof referralRuleDecisions)[number];

/** A coding pattern: absent system or code matches any. */
export interface CodingPattern {
  readonly system?: string;
  readonly code?: string;
}

export interface ReferralRuleWhen {
  /** Any category coding matches any pattern. */
  readonly category?: readonly CodingPattern[];
  /** Any coding of what is asked for (ServiceRequest.code, OBR-4) matches any pattern. */
  readonly code?: readonly CodingPattern[];
  /** Any performerType coding matches any pattern. */
  readonly performerType?: readonly CodingPattern[];
  /** A named performer is of one of these kinds (`Organization`, `HealthcareService` …). */
  readonly performerKind?: readonly string[];
  readonly intent?: readonly string[];
  readonly status?: readonly string[];
  /** How it arrived, by prefix: an HL7 message type (`REF^`, `ORM^O01`) or `fhir`. */
  readonly source?: readonly string[];
  /** A case-insensitive regular expression on the service label (a code, else display or text). */
  readonly serviceLabel?: string;
}

export interface ReferralRule {
  /** Stable id, named in every decision (lowercase, digits, `-`). */
  readonly id: string;
  readonly decision: ReferralRuleDecision;
  /** Why the rule exists, for the person reading a decision. */
  readonly description: string;
  readonly when: ReferralRuleWhen;
}

export interface ReferralRuleSet {
  readonly rules: readonly ReferralRule[];
  /** What is decided when no rule matches. */
  readonly otherwise: ReferralRuleDecision;
}

/** A site's changes to its vendor's defaults, per connection. */
export interface ReferralRuleOverride {
  /** Evaluated before the defaults. */
  readonly rules: readonly ReferralRule[];
  /** Default rule ids switched off. */
  readonly disabled: readonly string[];
  readonly otherwise?: ReferralRuleDecision;
}

export const emptyOverride: ReferralRuleOverride = { rules: [], disabled: [] };

/** A rule as evaluated: where it was declared. */
export type RuleOrigin = 'site' | 'vendor';

export interface EffectiveReferralRules {
  readonly rules: readonly (ReferralRule & { readonly origin: RuleOrigin })[];
  readonly otherwise: ReferralRuleDecision;
  readonly otherwiseOrigin: RuleOrigin;
}

/** One decision and why: the rule that matched (or `otherwise`), where it was declared. */
export interface ReferralDecision {
  readonly referral: boolean;
  readonly rule: string;
  readonly origin: RuleOrigin;
  readonly description: string;
}

/** What the rules read of an inbound request. */
export interface ReferralCandidate {
  readonly status?: string;
  readonly intent?: string;
  readonly categoryCodes: readonly EhrCoding[];
  readonly serviceCodes: readonly EhrCoding[];
  readonly performerTypes: readonly EhrCoding[];
  readonly performerKinds: readonly ParticipantRef['kind'][];
  /** `fhir`, or the HL7 message type (`REF^I12`). */
  readonly source: string;
  readonly serviceLabel?: string;
}

/** The site's rules first, then the vendor's minus those switched off. */
export function effectiveRules(vendor: ReferralRuleSet, override: ReferralRuleOverride): EffectiveReferralRules {
  const off = new Set(override.disabled);
  return {
    rules: [
      ...override.rules.map((r) => ({ ...r, origin: 'site' as const })),
      ...vendor.rules.filter((r) => !off.has(r.id)).map((r) => ({ ...r, origin: 'vendor' as const })),
    ],
    otherwise: override.otherwise ?? vendor.otherwise,
    otherwiseOrigin: override.otherwise !== undefined ? 'site' : 'vendor',
  };
}

export function decideReferral(rules: EffectiveReferralRules, c: ReferralCandidate): ReferralDecision {
  for (const rule of rules.rules) {
    if (matches(rule.when, c))
      return {
        referral: rule.decision === 'referral',
        rule: rule.id,
        origin: rule.origin,
        description: rule.description,
      };
  }
  return {
    referral: rules.otherwise === 'referral',
    rule: 'otherwise',
    origin: rules.otherwiseOrigin,
    description: 'no rule matched',
  };
}

/** A FHIR ServiceRequest or HL7 REF as the rules see it. `sourceRef` is the event's. */
export function referralCandidate(facts: ReferralFacts, sourceRef: string): ReferralCandidate {
  return {
    status: facts.status,
    ...(facts.intent !== undefined ? { intent: facts.intent } : {}),
    categoryCodes: facts.categoryCodes ?? [],
    serviceCodes: facts.serviceCodes ?? [],
    performerTypes: facts.performerTypes ?? [],
    performerKinds: facts.performers.map((p) => p.kind),
    source: sourceOf(sourceRef),
    ...(facts.service !== undefined ? { serviceLabel: facts.service } : {}),
  };
}

/**
 * An HL7 ORM order as the rules see it, with intent `order`: cancelled or discontinued (ORC-1 CA,
 * DC, OC, OD, CR, DR; ORC-5 CA, DC) is `revoked`, done (ORC-5 CM) `completed`, anything else
 * (a new order, a status change of a standing one) `active`.
 */
export function orderCandidate(facts: OrderFacts, sourceRef: string): ReferralCandidate {
  const control = facts.control.toUpperCase();
  const orderStatus = (facts.status ?? '').toUpperCase();
  const revoked = ['CA', 'DC', 'OC', 'OD', 'CR', 'DR'].includes(control) || ['CA', 'DC'].includes(orderStatus);
  return {
    status: revoked ? 'revoked' : orderStatus === 'CM' ? 'completed' : 'active',
    intent: 'order',
    categoryCodes: facts.categoryCodes ?? [],
    serviceCodes: facts.serviceCodes ?? [],
    performerTypes: [],
    performerKinds: [],
    source: sourceOf(sourceRef),
    ...(facts.service !== undefined ? { serviceLabel: facts.service } : {}),
  };
}

/** FHIR source refs are `Type/id/_history/v`; HL7 ones the message type (`REF^I12`). */
function sourceOf(sourceRef: string): string {
  return sourceRef.includes('^') ? sourceRef : 'fhir';
}

function matches(when: ReferralRuleWhen, c: ReferralCandidate): boolean {
  const oneOf = (accepted: readonly string[] | undefined, value: string | undefined): boolean =>
    accepted === undefined || (value !== undefined && accepted.includes(value));
  const coded = (patterns: readonly CodingPattern[] | undefined, codings: readonly EhrCoding[]): boolean =>
    patterns === undefined || codings.some((coding) => patterns.some((p) => codingMatches(p, coding)));
  return (
    oneOf(when.status, c.status) &&
    oneOf(when.intent, c.intent) &&
    coded(when.category, c.categoryCodes) &&
    coded(when.code, c.serviceCodes) &&
    coded(when.performerType, c.performerTypes) &&
    (when.performerKind === undefined || c.performerKinds.some((k) => when.performerKind!.includes(k))) &&
    (when.source === undefined || when.source.some((s) => c.source.startsWith(s))) &&
    (when.serviceLabel === undefined ||
      (c.serviceLabel !== undefined && new RegExp(when.serviceLabel, 'i').test(c.serviceLabel)))
  );
}

function codingMatches(p: CodingPattern, c: EhrCoding): boolean {
  return (p.system === undefined || p.system === c.system) && (p.code === undefined || p.code === c.code);
}

const conditionKeys = [
  'category',
  'code',
  'performerType',
  'performerKind',
  'intent',
  'status',
  'source',
  'serviceLabel',
] as const;
const codingKeys = new Set(['category', 'code', 'performerType']);

/**
 * Checks a site override (it arrives as JSON from an administrator): every problem at once,
 * VALIDATION_FAILED naming the path. `knownIds` are the vendor's rule ids (what may be disabled).
 */
export function validateOverride(input: unknown, knownIds: readonly string[]): ReferralRuleOverride {
  const problems: ErrorDetail[] = [];
  const fail = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError('invalid referral rules', [{ path: '', message: 'must be an object' }]);
  }
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['rules', 'disabled', 'otherwise'].includes(k)) fail(k, 'is not a known member');
  const rules = o['rules'] ?? [];
  const disabled = o['disabled'] ?? [];
  if (!Array.isArray(rules)) fail('rules', 'must be an array');
  if (!Array.isArray(disabled) || !disabled.every((d) => typeof d === 'string'))
    fail('disabled', 'must be an array of rule ids');
  else
    disabled.forEach((d: string, i) => {
      if (!knownIds.includes(d)) fail(`disabled[${i}]`, 'is not a default rule id');
    });
  if (o['otherwise'] !== undefined && !(referralRuleDecisions as readonly unknown[]).includes(o['otherwise']))
    fail('otherwise', `must be one of ${referralRuleDecisions.join(', ')}`);
  const seen = new Set<string>();
  if (Array.isArray(rules))
    rules.forEach((r: unknown, i) => {
      const path = `rules[${i}]`;
      if (typeof r !== 'object' || r === null || Array.isArray(r)) return fail(path, 'must be an object');
      const rule = r as Record<string, unknown>;
      for (const k of Object.keys(rule))
        if (!['id', 'decision', 'description', 'when'].includes(k)) fail(`${path}.${k}`, 'is not a known member');
      const id = rule['id'];
      if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id))
        fail(`${path}.id`, 'must be a lowercase id (letters, digits, -)');
      else if (seen.has(id) || knownIds.includes(id)) fail(`${path}.id`, 'is already used');
      else seen.add(id);
      if (!(referralRuleDecisions as readonly unknown[]).includes(rule['decision']))
        fail(`${path}.decision`, `must be one of ${referralRuleDecisions.join(', ')}`);
      const d = rule['description'];
      if (typeof d !== 'string' || d.length === 0 || d.length > 200)
        fail(`${path}.description`, 'must say why, in at most 200 characters');
      validateWhen(rule['when'], `${path}.when`, fail);
    });
  if (problems.length > 0) throw new ValidationError('invalid referral rules', problems);
  return {
    rules: rules as ReferralRule[],
    disabled: disabled as string[],
    ...(o['otherwise'] !== undefined ? { otherwise: o['otherwise'] as ReferralRuleDecision } : {}),
  };
}

function validateWhen(when: unknown, path: string, fail: (path: string, message: string) => void): void {
  if (typeof when !== 'object' || when === null || Array.isArray(when)) return fail(path, 'must be an object');
  const w = when as Record<string, unknown>;
  const keys = Object.keys(w);
  if (keys.length === 0) fail(path, 'needs at least one condition (a rule matching everything is `otherwise`)');
  for (const k of keys) {
    const v = w[k];
    const at = `${path}.${k}`;
    if (!(conditionKeys as readonly string[]).includes(k)) fail(at, 'is not a known condition');
    else if (k === 'serviceLabel') {
      if (typeof v !== 'string' || v.length === 0 || v.length > 200) fail(at, 'must be a pattern of 1–200 characters');
      else
        try {
          new RegExp(v, 'i');
        } catch {
          fail(at, 'is not a valid regular expression');
        }
    } else if (!Array.isArray(v) || v.length === 0) fail(at, 'must be a non-empty array');
    else if (codingKeys.has(k)) {
      v.forEach((p: unknown, i) => {
        const ok =
          typeof p === 'object' &&
          p !== null &&
          !Array.isArray(p) &&
          Object.entries(p).every(([pk, pv]) => (pk === 'system' || pk === 'code') && typeof pv === 'string');
        if (!ok) fail(`${at}[${i}]`, 'must be { system?, code? } strings');
      });
    } else if (!v.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100))
      fail(at, 'must be an array of short strings');
  }
}
