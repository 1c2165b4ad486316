/** @module Referral rules: which inbound requests are referrals, declared per vendor and overridable per connection. */
export {
  decideReferral,
  effectiveRules,
  emptyOverride,
  orderCandidate,
  referralCandidate,
  referralRuleDecisions,
  validateOverride,
} from './referral-rules.js';
export type {
  CodingPattern,
  EffectiveReferralRules,
  ReferralCandidate,
  ReferralDecision,
  ReferralRule,
  ReferralRuleDecision,
  ReferralRuleOverride,
  ReferralRuleSet,
  ReferralRuleWhen,
  RuleOrigin,
} from './referral-rules.js';
export { defaultReferralRules } from './default-rules.js';
export { ReferralRuleStore } from './referral-rule-store.js';
export type { ReferralRulesView } from './referral-rule-store.js';
