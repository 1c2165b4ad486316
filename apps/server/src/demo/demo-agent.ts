/**
 * @module An outside agent's account for trying the platform API on the sandbox's synthetic data
 * (issue 18, `examples/agent-noshow-rebook`): a service account `demo.agent` with the `agent` role at
 * the sandbox's site, for one workflow (`no-show-rebooking`) and one action type (`task.create`), for
 * operations (HOPERAT: scheduling, not clinical content, through the FHIR facade); its SMART Backend
 * Services key (ES384; Steward keeps the public half); and an egress destination for its webhook
 * receiver on loopback, with no BAA (events reach it as references only). What the example needs to
 * sign in — the client id, the private key, the scopes — is written to one file in the data directory,
 * readable by its owner only. Created only on the embedded sandbox, once; never on a real EHR.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Kernel } from '../kernel.js';
import { bootstrap } from '../local-accounts.js';

export const demoAgentName = 'demo.agent';
export const demoAgentWorkflow = 'no-show-rebooking';
/** Where the example's webhook receiver listens (`examples/agent-noshow-rebook`, `--webhooks`). */
export const demoAgentWebhookBase = 'http://127.0.0.1:8475/';
const scopes = ['system/Appointment.rs', 'system/Patient.rs', 'proposal.create', 'events.subscribe'];

export interface DemoAgentFile {
  readonly stewardUrl: string;
  readonly clientId: string;
  readonly kid: string;
  readonly alg: 'ES384';
  readonly privateJwk: Record<string, unknown>;
  readonly scope: string;
  readonly site: string;
  readonly workflow: string;
  /** The EHR connection the agent reads and proposes on (its name: the facade's path). */
  readonly connection: string;
  readonly connectionId: string;
  /**
   * The connection that writes through the sandbox web EHR's screens (`sandbox-screens`), when this
   * start registered it (Chromium installed): `examples/agent-screens-followup-task` proposes on it.
   */
  readonly screensConnection?: string;
  readonly screensConnectionId?: string;
  readonly webhookBase: string;
}

export function demoAgentFile(dataDir: string): string {
  return join(dataDir, 'demo-agent.json');
}

/** Creates the demo agent if it does not exist yet; returns the file that holds its sign-in key. */
export async function ensureDemoAgent(
  kernel: Pick<Kernel, 'bootstrap' | 'grants' | 'smartBackend' | 'egress'>,
  dataDir: string,
  at: {
    readonly url: string;
    readonly site: string;
    readonly connection: string;
    readonly connectionId: string;
    readonly screens?: { readonly connection: string; readonly connectionId: string };
  },
): Promise<{ file: string; created: boolean }> {
  const file = demoAgentFile(dataDir);
  const existing = (await kernel.bootstrap.serviceAccounts.list()).find((s) => s.name === demoAgentName);
  if (existing !== undefined && existsSync(file)) {
    // The server may listen elsewhere this time (STEWARD_PORT), and the screens connection may come
    // or go with Chromium: keep the file current.
    const known = JSON.parse(readFileSync(file, 'utf8')) as DemoAgentFile;
    if (known.stewardUrl !== at.url || known.screensConnectionId !== at.screens?.connectionId) {
      const rest: Record<string, unknown> = { ...known };
      delete rest['screensConnection'];
      delete rest['screensConnectionId'];
      writeAgentFile(file, { ...(rest as unknown as DemoAgentFile), stewardUrl: at.url, ...screensOf(at.screens) });
    }
    return { file, created: false };
  }
  const account = existing ?? (await kernel.bootstrap.serviceAccounts.create(demoAgentName, bootstrap));
  if (existing === undefined)
    await kernel.grants.add(bootstrap, {
      principalKind: 'service',
      principalId: account.id,
      role: 'agent',
      site: at.site,
      workflow: demoAgentWorkflow,
      purposeOfUse: 'HOPERAT',
      actionTypes: ['task.create'],
    });
  const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
  const kid = `demo-agent-${Date.now().toString(36)}`;
  await kernel.smartBackend.register(bootstrap, account.id, {
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' }] },
    scopes,
  });
  if (!(await kernel.egress.list()).some((d) => d.name === 'demo-agent-webhooks'))
    await kernel.egress.register(bootstrap, {
      name: 'demo-agent-webhooks',
      kind: 'other',
      baseUrl: demoAgentWebhookBase,
      baaOnRecord: false,
      allowPrivateNetwork: true,
    });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeAgentFile(file, {
    stewardUrl: at.url,
    clientId: account.id,
    kid,
    alg: 'ES384',
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES384' },
    scope: scopes.join(' '),
    site: at.site,
    workflow: demoAgentWorkflow,
    connection: at.connection,
    connectionId: at.connectionId,
    ...screensOf(at.screens),
    webhookBase: demoAgentWebhookBase,
  });
  return { file, created: true };
}

const writeAgentFile = (file: string, content: DemoAgentFile) =>
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });

const screensOf = (screens: { readonly connection: string; readonly connectionId: string } | undefined) =>
  screens !== undefined ? { screensConnection: screens.connection, screensConnectionId: screens.connectionId } : {};
