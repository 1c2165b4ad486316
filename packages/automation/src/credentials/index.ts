/** @module The automation account's sealed EHR credentials: set by an administrator, opened for one run. */
export { AutomationCredentials } from './automation-credentials.js';
export type { AutomationCredentialsDeps, CredentialInput, CredentialStatus } from './automation-credentials.js';
