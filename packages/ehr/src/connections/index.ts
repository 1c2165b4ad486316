/** @module EHR connections: the registry of EHR interfaces, their sealed SMART keys and polling marks. */
export { ConnectionRegistry, defaultBudget } from './connection-registry.js';
export type {
  EhrConnection,
  NewConnection,
  ConnectionSettings,
  ConnectionChannel,
  MllpSettings,
  RequestBudget,
  PrivateJwk,
} from './connection-registry.js';
