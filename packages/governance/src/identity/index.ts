/** @module Identity: users, service accounts, API tokens, sessions, and the authenticator. */
export { Authenticator } from './authenticator.js';
export type { AuthenticatorDeps } from './authenticator.js';
export { PasswordHasher, checkPasswordPolicy, passwordPolicy } from './passwords.js';
export type { PasswordHasherOptions } from './passwords.js';
export { generateTotpSecret, totpUri, totpStep, totpCode, checkTotp } from './totp.js';
export type { TotpCheck } from './totp.js';
export { UserDirectory, checkHandle, totpContext } from './users.js';
export type { UserSummary, TotpEnrolment, UserDirectoryDeps } from './users.js';
export { ServiceAccountDirectory } from './service-accounts.js';
export { AccountService } from './accounts.js';
export type { AccountPolicy, AccountServiceDeps, NewTokenInput, ReauthInput } from './accounts.js';
export type { ServiceAccount, ServiceAccountDirectoryDeps } from './service-accounts.js';
export { ApiTokens } from './tokens.js';
export {
  SmartBackendServices,
  checkKeySet,
  clientAssertionType,
  assertionAlgs,
  smartTokenName,
} from './smart-backend.js';
export type {
  SmartClient,
  SmartKeySummary,
  NewSmartClient,
  JwksSource,
  SmartBackendDeps,
  SmartTokenResult,
  SmartTokenErrorCode,
} from './smart-backend.js';
export { intersectScopes, impliedActions, isGrantableScope } from './smart-scopes.js';
export type {
  IssueTokenInput,
  IssuedToken,
  TokenSummary,
  TokenRejection,
  TokenCheck,
  ApiTokensDeps,
} from './tokens.js';
export { SessionManager } from './sessions.js';
export { LoginThrottle } from './login-throttle.js';
export type { LoginThrottleConfig } from './login-throttle.js';
export { Reauthenticator } from './reauthentication.js';
export type { ReauthProof, ReauthenticatorDeps, ReauthMethod } from './reauthentication.js';
export type {
  SessionConfig,
  SessionManagerDeps,
  LoginInput,
  LoginResult,
  LoginFailure,
  SessionCheck,
} from './sessions.js';
export type { RequestSource } from './identity-support.js';
export { UserRoster } from './user-roster.js';
