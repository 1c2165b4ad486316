/** @module @steward/ehr: EHR connectivity — FHIR R4 client, HL7 v2 feeds, vendor profiles, inbound and outbound. */
export { MemoryInboundJournal, FhirChanges } from './inbound/index.js';
export type { FhirChangesOptions, HighWaterMarks, PollResult, NotificationResult } from './inbound/index.js';
export { ConnectionRegistry, defaultBudget } from './connections/index.js';
export type {
  EhrConnection,
  NewConnection,
  ConnectionSettings,
  ConnectionChannel,
  MllpSettings,
  RequestBudget,
  PrivateJwk,
} from './connections/index.js';
export { FhirClient, SmartBackendAuth, GrantedScopes, parseSystemScope, realSleep } from './fhir-r4/index.js';
export type {
  FhirClientOptions,
  FhirResult,
  SearchParams,
  HttpTransport,
  AccessTokenProvider,
  SmartBackendAuthOptions,
} from './fhir-r4/index.js';
export {
  FhirR4Channel,
  GovernedEhr,
  InMemoryEhrChannel,
  ehrPatientId,
  stewardWriteSystem,
  writableTypes,
} from './channel/index.js';
export type {
  GovernedEhrDeps,
  EhrChannel,
  EhrReader,
  EhrWriteChannel,
  EhrPatient,
  EhrReference,
  EhrResource,
  EhrSearch,
  WriteRequest,
  WriteOutcome,
  PatientGuard,
  EhrWriterOptions,
  WriteContext,
  WriteProvenance,
  EhrSearchPage,
  SearchPageOptions,
  ReadOptions,
  Disclosure,
  ChannelPage,
} from './channel/index.js';
export { ChannelsByConnection } from './channel/index.js';
export { FhirFacade, minimumNecessary, elementsFor, servedTypes, subsettedTag, tokenAllows } from './facade/index.js';
export type { FhirFacadeDeps, FacadeQuery, ServedType } from './facade/index.js';
export {
  parseHl7,
  mapHl7,
  hl7TimeToIso,
  MllpListener,
  MllpClient,
  frameMllp,
  MllpDecoder,
  buildAck,
} from './hl7v2/index.js';
export type {
  ParsedHl7,
  Hl7MapContext,
  MllpListenerConfig,
  Hl7Logger,
  Hl7Ack,
  MllpClientOptions,
} from './hl7v2/index.js';
export {
  parseFhirJson,
  changeEvents,
  decideEventTypes,
  eventResourceTypes,
  parseSubscriptionNotification,
  detectGaps,
  mapPatient,
} from './fhir-model/index.js';
export type { ChangeContext, EventResourceType } from './fhir-model/index.js';
export {
  profileFor,
  assertSupported,
  planPolling,
  parseCapabilityStatement,
  compareToProfile,
} from './vendors/index.js';
export { vendorIds } from './vendors/index.js';
export {
  decideReferral,
  defaultReferralRules,
  effectiveRules,
  emptyOverride,
  orderCandidate,
  referralCandidate,
  referralRuleDecisions,
  ReferralRuleStore,
  validateOverride,
} from './referral-rules/index.js';
export type {
  CodingPattern,
  EffectiveReferralRules,
  ReferralCandidate,
  ReferralDecision,
  ReferralRule,
  ReferralRuleDecision,
  ReferralRuleOverride,
  ReferralRulesView,
  ReferralRuleSet,
  ReferralRuleWhen,
  RuleOrigin,
} from './referral-rules/index.js';
export type { VendorProfile, VendorId } from './vendors/index.js';
export {
  connectionClient,
  ConnectionClients,
  ConnectionRuntime,
  followedTypes,
  EhrRuntime,
  ensureSubscriptions,
  subscriptionFor,
  checkConnection,
  ConnectionOperations,
} from './runtime/index.js';
export type {
  ConnectionOperationsDeps,
  ConnectionOverview,
  ConnectionClient,
  ConnectionClientDeps,
  ClientTuning,
  ConnectionRuntimeOptions,
  ConnectionStatus,
  RuntimeLogger,
  EhrRuntimeDeps,
  EhrRuntimeOptions,
  SubscriptionPlan,
  SubscriptionSetup,
  CheckReport,
  CheckStep,
} from './runtime/index.js';
