/** @module The egress registry: where data may go, and whether a BAA covers it. */
export { EgressRegistry, normalizeBaseUrl, isUnder, isPrivateAddress } from './egress-registry.js';
export { EgressAdmin } from './egress-admin.js';
export type { EgressPolicy } from './egress-admin.js';
export type { EgressDestination, EgressSender, NewDestination, DestinationKind, Resolver } from './egress-registry.js';
