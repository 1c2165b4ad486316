/** @module The embedded default EHR: the sandbox, connected like a real one, with a living clinic. */
export {
  startSandboxDemo,
  wantsSandbox,
  nextClinicDay,
  clinicDayBefore,
  sandboxConnectionName,
  sandboxDataDir,
  sandboxScopes,
} from './sandbox-demo.js';
export type { SandboxDemo, SandboxConfig } from './sandbox-demo.js';
export { ensureDemoStaff, readDemoAccounts, demoAccountsFile } from './demo-staff.js';
export type { DemoAccount } from './demo-staff.js';
export {
  ensureDemoAgent,
  demoAgentFile,
  demoAgentName,
  demoAgentWorkflow,
  demoAgentWebhookBase,
} from './demo-agent.js';
export type { DemoAgentFile } from './demo-agent.js';
export { ensureDemoScreens, sandboxScreensConnectionName, sandboxScreensVariant } from './demo-screens.js';
export type { DemoScreens } from './demo-screens.js';
