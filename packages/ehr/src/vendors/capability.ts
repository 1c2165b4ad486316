/**
 * @module What a server says it supports: a CapabilityStatement (R4; the DSTU2 `Conformance` and
 * STU3 shapes are tolerated, since those are the only Epic and Cerner recordings) reduced to
 * resource → interactions and search parameters, and compared with a vendor profile: what the
 * profile expects that this server does not declare. Older names are mapped to their R4
 * successor (ProcedureRequest, ReferralRequest → ServiceRequest) so a comparison is meaningful,
 * with the declared name kept. Also reads a SMART `.well-known/smart-configuration`.
 * Known limit: only the first `rest` entry in server mode is read.
 */
import { fhirInvalid } from '../fhir-model/index.js';
import type { Interaction, VendorProfile } from './vendor-profile.js';

type Json = Record<string, unknown>;

export interface DeclaredResource {
  /** The type as the server declared it (`ProcedureRequest` on STU3). */
  readonly declaredAs: string;
  readonly interactions: readonly string[];
  readonly searchParams: readonly string[];
}

export interface ServerSupport {
  readonly fhirVersion?: string;
  readonly software?: string;
  readonly resources: Readonly<Record<string, DeclaredResource>>;
  /** Topic-based subscriptions: the R4 backport profile on Subscription, or SubscriptionTopic declared. */
  readonly topicSubscriptions: boolean;
  /** The topics the server advertises (backport `capabilitystatement-subscriptiontopic-canonical`). */
  readonly subscriptionTopics: readonly string[];
}

const topicCanonical =
  'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical';

const renamed: Readonly<Record<string, string>> = {
  ProcedureRequest: 'ServiceRequest',
  ReferralRequest: 'ServiceRequest',
  DiagnosticOrder: 'ServiceRequest',
};

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads a decoded CapabilityStatement or Conformance. Throws only FHIR_INVALID. */
export function parseCapabilityStatement(value: unknown): ServerSupport {
  if (!isObj(value)) throw fhirInvalid('CapabilityStatement', 'must be a JSON object');
  const type = value['resourceType'];
  if (type !== 'CapabilityStatement' && type !== 'Conformance') {
    throw fhirInvalid('CapabilityStatement.resourceType', 'must be CapabilityStatement or Conformance');
  }
  const rest = objs(value['rest']).find((r) => r['mode'] === 'server') ?? objs(value['rest'])[0];
  if (!rest) throw fhirInvalid('CapabilityStatement.rest', 'must declare a server');
  const resources: Record<string, DeclaredResource> = {};
  let topicSubscriptions = false;
  for (const r of objs(rest['resource'])) {
    const declaredAs = str(r['type']);
    if (!declaredAs) continue;
    const entry: DeclaredResource = {
      declaredAs,
      interactions: objs(r['interaction']).flatMap((i) => (typeof i['code'] === 'string' ? [i['code']] : [])),
      searchParams: objs(r['searchParam']).flatMap((s) => (typeof s['name'] === 'string' ? [s['name']] : [])),
    };
    const name = renamed[declaredAs] ?? declaredAs;
    // An R4 name wins over a predecessor declared in the same statement.
    if (!resources[name] || name === declaredAs) resources[name] = entry;
    const supported: unknown = r['supportedProfile'];
    const profiles: unknown[] = [r['profile'], ...(Array.isArray(supported) ? (supported as unknown[]) : [])];
    if (declaredAs === 'SubscriptionTopic') topicSubscriptions = true;
    if (
      declaredAs === 'Subscription' &&
      profiles.some((p) => typeof p === 'string' && p.includes('subscriptions-backport'))
    ) {
      topicSubscriptions = true;
    }
  }
  // The backport IG puts the extension on the statement; some servers put it on rest or on Subscription.
  const subscriptionTopics = [value, rest, ...objs(rest['resource'])]
    .flatMap((holder) => objs(holder['extension']))
    .filter((e) => e['url'] === topicCanonical)
    .flatMap((e) => {
      const url = str(e['valueCanonical']) ?? str(e['valueUri']);
      return url !== undefined ? [url] : [];
    });
  if (subscriptionTopics.length > 0) topicSubscriptions = true;
  const software = isObj(value['software']) ? value['software'] : undefined;
  const fhirVersion = str(value['fhirVersion']);
  const softwareName = software ? [str(software['name']), str(software['version'])].filter(Boolean).join(' ') : '';
  return {
    ...(fhirVersion ? { fhirVersion } : {}),
    ...(softwareName ? { software: softwareName } : {}),
    resources,
    topicSubscriptions,
    subscriptionTopics: [...new Set(subscriptionTopics)],
  };
}

const interactionCodes: Record<Interaction, readonly string[]> = {
  read: ['read'],
  search: ['search-type'],
  create: ['create'],
  update: ['update', 'patch'],
  history: ['history-instance', 'history-type'],
};

export interface SupportGap {
  readonly resourceType: string;
  /** An interaction, `search:<param>` for a search parameter, or `subscriptions`. */
  readonly missing: string;
}

/** What the profile expects that the server does not declare. [] = the profile fits this server. */
export function compareToProfile(profile: VendorProfile, server: ServerSupport): SupportGap[] {
  const gaps: SupportGap[] = [];
  for (const [type, support] of Object.entries(profile.resources)) {
    if (!support) continue;
    const declared = server.resources[type];
    if (!declared) {
      gaps.push({ resourceType: type, missing: 'resource' });
      continue;
    }
    const expected: Interaction[] = [];
    if (support.read) expected.push('read');
    if (support.search.length > 0) expected.push('search');
    if (support.create) expected.push('create');
    if (support.update) expected.push('update');
    if (support.history) expected.push('history');
    for (const i of expected) {
      if (!interactionCodes[i].some((c) => declared.interactions.includes(c)))
        gaps.push({ resourceType: type, missing: i });
    }
    if (support.search.length > 0 && declared.interactions.includes('search-type')) {
      // Servers rarely list the common parameters (_count, _sort, _include): not counted as gaps.
      for (const p of support.search) {
        if (['_count', '_sort', '_include'].includes(p)) continue;
        if (!declared.searchParams.includes(p)) gaps.push({ resourceType: type, missing: `search:${p}` });
      }
    }
  }
  if (profile.subscriptions === 'r4b-backport' && !server.topicSubscriptions) {
    gaps.push({ resourceType: 'Subscription', missing: 'subscriptions' });
  }
  return gaps;
}

export interface SmartSupport {
  readonly capabilities: readonly string[];
  readonly tokenEndpoint?: string;
  readonly authorizationEndpoint?: string;
  readonly backendServices: boolean;
  readonly v2Scopes: boolean;
}

/** Reads `.well-known/smart-configuration`. Throws only FHIR_INVALID. */
export function parseSmartConfiguration(value: unknown): SmartSupport {
  if (!isObj(value)) throw fhirInvalid('smart-configuration', 'must be a JSON object');
  const capabilities = Array.isArray(value['capabilities'])
    ? value['capabilities'].filter((c): c is string => typeof c === 'string')
    : [];
  const authMethods = Array.isArray(value['token_endpoint_auth_methods_supported'])
    ? value['token_endpoint_auth_methods_supported']
    : [];
  const tokenEndpoint = str(value['token_endpoint']);
  const authorizationEndpoint = str(value['authorization_endpoint']);
  return {
    capabilities,
    ...(tokenEndpoint ? { tokenEndpoint } : {}),
    ...(authorizationEndpoint ? { authorizationEndpoint } : {}),
    backendServices: capabilities.includes('client-confidential-asymmetric') || authMethods.includes('private_key_jwt'),
    v2Scopes: capabilities.includes('permission-v2'),
  };
}
