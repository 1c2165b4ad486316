/**
 * @module Normalize hooks shared by the vendor profiles. Dropping the narrative (`text`) is
 * minimum necessary: Steward's mappers never read it, and it often repeats the patient's name and
 * clinical detail. Hooks never throw: a resource they do not understand passes through unchanged,
 * and the shared mappers then decide whether it is valid.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { SubscriptionNotification } from '../fhir-model/index.js';

export function dropNarrative(resource: Resource): Resource {
  if (typeof resource !== 'object' || resource === null || !('text' in resource)) return resource;
  // A copy keeps the resource's type; `text` is optional on every resource, so it may go.
  const copy = { ...resource };
  delete copy.text;
  return copy;
}

export function sameNotification(n: SubscriptionNotification): SubscriptionNotification {
  return n;
}
