/** @module @steward/server: configuration, the composition root and the HTTP API. */
export { loadConfig } from './config.js';
export type { StewardConfig } from './config.js';
export { openKernel, openMasterKeys } from './kernel.js';
export type { Kernel, KernelConfig, KernelOptions } from './kernel.js';
export type { StewardExtension, ExtensionParts } from './extensions.js';
export { workflowCatalog } from './workflows/index.js';
export { buildApp } from './http/app.js';
export type { HttpConfig } from './http/app.js';
export { startServer } from './server.js';
export type { RunningServer } from './server.js';
export { nextClinicDay, sandboxConnectionName, demoAccountsFile, readDemoAccounts } from './demo/index.js';
export type { SandboxDemo, DemoAccount } from './demo/index.js';
