/** @module Topic-based subscriptions (R4 backport) with rest-hook delivery for the sandbox EHR. */
export { SubscriptionManager } from './subscription-manager.js';
export type { SubscriptionManagerOptions, DeliveryStats } from './subscription-manager.js';
export { subscriptionTopics, subscriptionTopicUrls, topicAsBasic, topicBase } from './topics.js';
export type { SubscriptionTopicDefinition } from './topics.js';
