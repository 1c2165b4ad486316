/**
 * @module `steward services smart set|show|remove`: a service account's SMART Backend Services
 * registration through the server's API (tokens.manage): its public key set (a JWKS file, or a
 * JWKS URL under an egress destination) and the scopes it may be granted. The server refuses a
 * private key; the CLI never sends one it can see is private.
 */
import { readFileSync } from 'node:fs';
import { NotFoundError, ValidationError } from '@steward/core';
import { connect, type Client, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export interface SmartSetFlags {
  readonly jwks?: string;
  readonly jwksUrl?: string;
  readonly scopes: string;
}

interface SmartClient {
  readonly clientId: string;
  readonly serviceAccount: string;
  readonly keys: readonly { kid: string; kty: string; alg?: string; crv?: string }[];
  readonly jwksUrl: string | null;
  readonly scopes: readonly string[];
  readonly tokenEndpoint: string;
  readonly setAt: string;
}

async function accountId(c: Client, name: string): Promise<string> {
  const found = (await c.request<{ items: { id: string; name: string }[] }>('GET', '/service-accounts')).items.find(
    (s) => s.name === name,
  );
  if (found === undefined) throw new NotFoundError('service account');
  return found.id;
}

export async function smartSet(g: GlobalOptions, name: string, o: SmartSetFlags): Promise<void> {
  if ((o.jwks === undefined) === (o.jwksUrl === undefined)) {
    throw new ValidationError('say where the public keys are', [
      { path: '--jwks/--jwks-url', message: 'give exactly one' },
    ]);
  }
  const scopes = o.scopes
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let jwks: unknown;
  if (o.jwks !== undefined) {
    try {
      jwks = JSON.parse(readFileSync(o.jwks, 'utf8')) as unknown;
    } catch {
      throw new ValidationError('the JWKS file is not JSON', [{ path: '--jwks', message: 'a JSON key set' }]);
    }
    // A bare JWK is taken as a set of one.
    if (typeof jwks === 'object' && jwks !== null && !('keys' in jwks)) jwks = { keys: [jwks] };
  }
  const c = connect(g);
  const id = await accountId(c, name);
  const client = await c.request<SmartClient>('PUT', `/service-accounts/${id}/smart`, {
    ...(jwks !== undefined ? { jwks } : {}),
    ...(o.jwksUrl !== undefined ? { jwksUrl: o.jwksUrl } : {}),
    scopes,
  });
  g.io.stdout.write(
    `SMART Backend Services set for ${name}\n  client_id:      ${client.clientId}\n  token endpoint: ${client.tokenEndpoint}\n  scopes:         ${client.scopes.join(' ')}\n`,
  );
}

export async function smartShow(g: GlobalOptions, name: string, o: { json?: boolean } = {}): Promise<void> {
  const c = connect(g);
  const client = await c.request<SmartClient>('GET', `/service-accounts/${await accountId(c, name)}/smart`);
  if (o.json === true) {
    printJson(g.io.stdout, client);
    return;
  }
  g.io.stdout.write(
    `client_id: ${client.clientId}\ntoken endpoint: ${client.tokenEndpoint}\nscopes: ${client.scopes.join(' ')}\n` +
      (client.jwksUrl !== null ? `jwks url: ${client.jwksUrl}\n` : ''),
  );
  if (client.jwksUrl === null)
    printTable(
      g.io.stdout,
      client.keys.map((k) => ({ kid: k.kid, kty: k.kty, alg: k.alg ?? '', crv: k.crv ?? '' })),
      ['kid', 'kty', 'alg', 'crv'],
    );
}

export async function smartRemove(g: GlobalOptions, name: string): Promise<void> {
  const c = connect(g);
  await c.request('DELETE', `/service-accounts/${await accountId(c, name)}/smart`);
  g.io.stdout.write(`SMART Backend Services ended for ${name} (tokens already issued run out within minutes)\n`);
}
