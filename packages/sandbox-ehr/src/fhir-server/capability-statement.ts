/**
 * @module The CapabilityStatement and SMART configuration, generated from what the server really serves: every
 * resource type Medplum's definitions know, the interactions the router and our HTTP layer implement, and the
 * search parameters the in-memory repository evaluates.
 */
import { getResourceTypes, getSearchParameters } from '@medplum/core';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';

/** Interactions every resource type supports here (the router's routes plus our type-level `_history`). */
const typeInteractions = [
  'read',
  'vread',
  'update',
  'patch',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;

const abstractTypes = new Set(['Resource', 'DomainResource']);

export interface CapabilityOptions {
  readonly fhirBaseUrl: string;
  readonly tokenUrl: string;
  /** Canonical URLs of the SubscriptionTopics the server can notify about (R4 backport). */
  readonly subscriptionTopics: readonly string[];
  readonly softwareVersion: string;
}

export function buildCapabilityStatement(options: CapabilityOptions): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = getResourceTypes()
    .filter((t) => !abstractTypes.has(t))
    .sort()
    .map((type) => {
      const params = Object.entries(getSearchParameters(type) ?? {}).map(
        ([name, sp]): CapabilityStatementRestResourceSearchParam => ({
          name,
          ...(sp.url ? { definition: sp.url } : {}),
          type: sp.type,
        }),
      );
      params.push({ name: '_lastUpdated', type: 'date' }, { name: '_id', type: 'token' });
      return {
        type,
        interaction: typeInteractions.map((code) => ({ code })),
        versioning: 'versioned-update',
        readHistory: true,
        updateCreate: true,
        conditionalCreate: true,
        conditionalUpdate: true,
        conditionalDelete: 'single',
        searchParam: params,
      };
    });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: {
      name: 'Steward sandbox EHR (Medplum FHIR router, in memory, journaled to disk when given a data directory)',
      version: options.softwareVersion,
    },
    implementation: { description: 'Sandbox EHR for development and tests', url: options.fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    ...(options.subscriptionTopics.length > 0
      ? {
          extension: options.subscriptionTopics.map((url) => ({
            url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical',
            valueCanonical: url,
          })),
        }
      : {}),
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: options.tokenUrl }],
            },
          ],
        },
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
      },
    ],
  };
}

export function buildSmartConfiguration(tokenUrl: string): Record<string, unknown> {
  return {
    token_endpoint: tokenUrl,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.read', 'system/*.write', 'system/*.rs', 'system/*.cruds'],
    capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
  };
}
