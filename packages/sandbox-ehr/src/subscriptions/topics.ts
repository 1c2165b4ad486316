/**
 * @module The SubscriptionTopics the sandbox notifies about, R4 backport style: each is advertised as a `Basic`
 * resource carrying the R5 SubscriptionTopic extensions (as fhir-candle does), and named by a canonical URL that a
 * Subscription's `criteria` holds.
 */
import type { Basic } from '@medplum/fhirtypes';

export const topicBase = 'http://steward.example/fhir/SubscriptionTopic';

/** Topic slug → the resource type whose create/update it fires on. */
const topicResources = {
  'appointment-changed': 'Appointment',
  'servicerequest-changed': 'ServiceRequest',
  'task-changed': 'Task',
  'encounter-changed': 'Encounter',
  'documentreference-changed': 'DocumentReference',
} as const;

export interface SubscriptionTopicDefinition {
  readonly url: string;
  readonly slug: string;
  readonly resourceType: string;
  readonly interactions: readonly ('create' | 'update')[];
}

export const subscriptionTopics: readonly SubscriptionTopicDefinition[] = Object.entries(topicResources).map(
  ([slug, resourceType]) => ({ url: `${topicBase}/${slug}`, slug, resourceType, interactions: ['create', 'update'] }),
);

export const subscriptionTopicUrls: readonly string[] = subscriptionTopics.map((t) => t.url);

const ext = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-SubscriptionTopic';

/** The topic as a Basic resource, to be stored so clients can discover it with `GET Basic?code=SubscriptionTopic`. */
export function topicAsBasic(topic: SubscriptionTopicDefinition): Basic {
  return {
    resourceType: 'Basic',
    id: `topic-${topic.slug}`,
    code: { coding: [{ system: 'http://hl7.org/fhir/fhir-types', code: 'SubscriptionTopic' }] },
    modifierExtension: [{ url: `${ext}.status`, valueCode: 'active' }],
    extension: [
      { url: `${ext}.url`, valueUri: topic.url },
      { url: `${ext}.title`, valueString: topic.slug },
      { url: `${ext}.description`, valueMarkdown: `A ${topic.resourceType} was created or updated` },
      {
        url: `${ext}.resourceTrigger`,
        extension: [
          { url: 'resource', valueUri: topic.resourceType },
          ...topic.interactions.map((code) => ({ url: 'supportedInteraction', valueCode: code })),
        ],
      },
    ],
  };
}
