/** @module EHR connections: the registry of EHR interfaces, their sealed SMART keys and polling marks. */
export { ConnectionRegistry, vendorIds, defaultBudget } from './connection-registry.js';
export type {
  EhrConnection,
  NewConnection,
  ConnectionSettings,
  RequestBudget,
  PrivateJwk,
  VendorId,
} from './connection-registry.js';
