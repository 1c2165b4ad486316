/**
 * @module A service account's key file (what an administrator hands an agent; on the sandbox, what
 * `npm start` writes to `.steward/demo-agent.json`): checked field by field, and the client that
 * signs in with it — SMART Backend Services with the account's own private key, in the workflow its
 * grant names. Parsing only (no file system): Node reads the file, a browser gets the text elsewhere.
 */
import { smartBackendServices } from './auth.js';
import { Steward } from './steward.js';

export interface AgentAccount {
  readonly stewardUrl: string;
  readonly clientId: string;
  readonly kid: string;
  readonly alg: 'ES384' | 'RS384';
  readonly privateJwk: Readonly<Record<string, unknown>>;
  readonly scope: string;
  readonly site: string;
  readonly workflow: string;
  /** The EHR connection to read (and propose on) when an event names none: its name (the facade's path). */
  readonly connection: string;
  /** The same connection's id (what a proposal names). */
  readonly connectionId?: string;
  /** A connection that writes through the EHR's screens, when the server has one for the agent (name, id). */
  readonly screensConnection?: string;
  readonly screensConnectionId?: string;
  /** Where the agent's webhook receiver may listen (a destination registered for it). */
  readonly webhookBase?: string;
}

export class AgentAccountError extends Error {
  override readonly name = 'AgentAccountError';
}

const text = ['stewardUrl', 'clientId', 'kid', 'scope', 'site', 'workflow', 'connection'] as const;

/** The account in a key file's JSON text (or its parsed value); throws AgentAccountError naming what is wrong. */
export function agentAccount(json: unknown): AgentAccount {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      throw new AgentAccountError('the account file is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null) throw new AgentAccountError('the account file is not an object');
  const o = value as Record<string, unknown>;
  for (const key of text)
    if (typeof o[key] !== 'string' || o[key] === '') throw new AgentAccountError(`the account file has no ${key}`);
  if (o['alg'] !== 'ES384' && o['alg'] !== 'RS384')
    throw new AgentAccountError('the account file’s alg is not ES384 or RS384');
  const jwk = o['privateJwk'];
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as Record<string, unknown>)['kty'] !== 'string')
    throw new AgentAccountError('the account file has no private key (privateJwk with kty)');
  for (const key of ['connectionId', 'screensConnection', 'screensConnectionId', 'webhookBase'])
    if (o[key] !== undefined && typeof o[key] !== 'string')
      throw new AgentAccountError(`the account file's ${key} is not a string`);
  return o as unknown as AgentAccount;
}

/** A Steward client signed in as the account (at `baseUrl`, default the file's `stewardUrl`). */
export function stewardForAccount(account: AgentAccount, baseUrl: string = account.stewardUrl): Steward {
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
