/**
 * @module Steward's configuration: a typed section per area (HTTP, store, governance, EHR,
 * workflows, sandbox, extensions), each with its own reader and checks, read from the environment once at
 * start-up and validated all at once, so a misconfigured deployment hears every problem in one go.
 * Callers take only the section they use. Every setting is documented in its section and in
 * README.md, and has a safe default.
 */
import { EnvReader } from './env-reader.js';
import { readHttpConfig, type HttpConfig } from './http.js';
import { readStoreConfig, type StoreConfig } from './store.js';
import { readGovernanceConfig, type GovernanceConfig } from './governance.js';
import { readEhrConfig, type EhrConfig } from './ehr.js';
import { readWorkflowsConfig, type WorkflowsConfig } from './workflows.js';
import { readSandboxConfig, type SandboxConfig } from './sandbox.js';
import { readExtensionsConfig, type ExtensionsConfig } from './extensions.js';

export interface StewardConfig {
  readonly http: HttpConfig;
  readonly store: StoreConfig;
  readonly governance: GovernanceConfig;
  readonly ehr: EhrConfig;
  readonly workflows: WorkflowsConfig;
  readonly sandbox: SandboxConfig;
  readonly extensions: ExtensionsConfig;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StewardConfig {
  const r = new EnvReader(env);
  const store = readStoreConfig(r);
  const config: StewardConfig = {
    http: readHttpConfig(r),
    store,
    governance: readGovernanceConfig(r, store),
    ehr: readEhrConfig(r),
    workflows: readWorkflowsConfig(r),
    sandbox: readSandboxConfig(r, store),
    extensions: readExtensionsConfig(r),
  };
  r.done();
  return config;
}

export { parseSection, EnvReader } from './env-reader.js';
export { parseHttpConfig, type HttpConfig } from './http.js';
export { parseStoreConfig, type StoreConfig } from './store.js';
export { parseGovernanceConfig, type GovernanceConfig } from './governance.js';
export { parseEhrConfig, type EhrConfig } from './ehr.js';
export { parseWorkflowsConfig, type WorkflowsConfig } from './workflows.js';
export { parseSandboxConfig, sandboxDataDir, type SandboxConfig } from './sandbox.js';
export { parseExtensionsConfig, type ExtensionsConfig } from './extensions.js';
