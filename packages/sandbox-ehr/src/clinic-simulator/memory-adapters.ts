/**
 * @module In-memory adapters for the ports: `memoryClinicFhir` over Medplum's MemoryRepository
 * (search needs the FHIR definitions indexed first: indexStructureDefinitionBundle and
 * indexSearchParameterBundle from @medplum/core) and `memoryFeed`, which keeps what it was sent.
 */
import { ConflictError } from '@steward/core';
import { getStatus, OperationOutcomeError, parseSearchRequest } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import type { ClinicFhir, Hl7Feed } from './ports.js';

export function memoryClinicFhir(repo: MemoryRepository): ClinicFhir {
  return {
    async search<T extends Resource>(resourceType: T['resourceType'], params: Record<string, string>): Promise<T[]> {
      return await repo.searchResources<T>(parseSearchRequest<T>(resourceType, params));
    },
    async create<T extends Resource>(resource: T): Promise<T> {
      return await repo.createResource<T>(resource);
    },
    async update<T extends Resource>(resource: T): Promise<T> {
      const ifMatch = resource.meta?.versionId;
      try {
        return await repo.updateResource<T>(resource, ifMatch ? { ifMatch } : undefined);
      } catch (e) {
        // MemoryRepository answers a stale If-Match with 412 Precondition Failed.
        if (e instanceof OperationOutcomeError && [409, 412].includes(getStatus(e.outcome))) {
          throw new ConflictError('VERSION_CONFLICT', `${resource.resourceType} changed since it was read`);
        }
        throw e;
      }
    },
  };
}

export interface MemoryFeed extends Hl7Feed {
  /** Every message sent, in order. */
  readonly messages: readonly string[];
}

export function memoryFeed(): MemoryFeed {
  const messages: string[] = [];
  return {
    messages,
    send(message: string): Promise<void> {
      messages.push(message);
      return Promise.resolve();
    },
  };
}
