/**
 * @module The agent's account file (what `npm start` writes to .steward/demo-agent.json for the demo
 * agent, or an administrator hands a real one) and the Steward client it signs in with: SMART Backend
 * Services with the account's own key, in the workflow its grant names.
 */
import { readFileSync } from 'node:fs';
import { smartBackendServices, Steward } from '@steward/sdk';

export interface AgentAccount {
  readonly stewardUrl: string;
  readonly clientId: string;
  readonly kid: string;
  readonly alg: 'ES384' | 'RS384';
  readonly privateJwk: Record<string, unknown>;
  readonly scope: string;
  readonly site: string;
  readonly workflow: string;
  /** The EHR connection to read when an event names none. */
  readonly connection: string;
  readonly webhookBase: string;
}

export function readAgentAccount(file: string): AgentAccount {
  return JSON.parse(readFileSync(file, 'utf8')) as AgentAccount;
}

export function stewardFor(account: AgentAccount, baseUrl: string = account.stewardUrl): Steward {
  return new Steward({
    baseUrl,
    workflow: account.workflow,
    auth: smartBackendServices({
      clientId: account.clientId,
      privateKey: { ...account.privateJwk, kty: String(account.privateJwk['kty']) },
      alg: account.alg,
      kid: account.kid,
      scope: account.scope,
    }),
  });
}
