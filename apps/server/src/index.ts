/** @module @steward/server: configuration, the composition root and the HTTP API. */
export {
  loadConfig,
  parseHttpConfig,
  parseStoreConfig,
  parseGovernanceConfig,
  parseEhrConfig,
  parseWorkflowsConfig,
  parseSandboxConfig,
} from './config/index.js';
export type {
  StewardConfig,
  HttpConfig,
  StoreConfig,
  GovernanceConfig,
  EhrConfig,
  WorkflowsConfig,
  SandboxConfig,
} from './config/index.js';
export { openKernel, openMasterKeys } from './kernel.js';
export type { Kernel, KernelBootstrap, KernelConfig, KernelOptions } from './kernel.js';
export { openOffline } from './offline.js';
export { isPhiAccess, phiAccessEvents } from './phi-access.js';
export type { AuditedAccess } from './phi-access.js';
export type { OfflineToolkit } from './offline.js';
export type { StewardExtension, ExtensionParts } from './extensions.js';
export { workflowCatalog } from './workflows/index.js';
export { buildApp } from './http/app.js';
export type { AppConfig } from './http/app.js';
export { startServer } from './server.js';
export type { RunningServer } from './server.js';
export {
  nextClinicDay,
  sandboxConnectionName,
  demoAccountsFile,
  readDemoAccounts,
  demoAgentFile,
} from './demo/index.js';
export type { SandboxDemo, DemoAccount, DemoAgentFile } from './demo/index.js';
