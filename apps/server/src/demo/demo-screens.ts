/**
 * @module Writes through the sandbox EHR's screens in the demo (issue 17's channel, issue 18's second
 * example, `examples/agent-screens-followup-task`): a connection `sandbox-screens` whose channel is
 * `screens`, on one clinic variant of the sandbox's web EHR (Lakeside), at the sandbox's site. It is
 * set up the way an operator would: the screen map proposed by `demo.admin` and approved by
 * `demo.compliance` (four eyes), the automation account's web credentials sealed in Steward (a fresh
 * password and authenticator secret each start: the sandbox keeps no web users across restarts),
 * the web origin covered by the sandbox's egress destination with its BAA (checked here, never
 * assumed). The demo's map reads no schedule or work list: the sandbox's FHIR connection already
 * brings those events, and reading them twice would draft twice. No browser starts here: Chromium
 * launches on the first screens write. Without Chromium nothing is registered, and the log says why.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PurposeOfUse, RequestContext } from '@steward/core';
import type { EhrConnection } from '@steward/ehr';
import { browserUnavailable } from '@steward/automation';
import { generateTotpSecret, type Logger } from '@steward/governance';
import type { SandboxEhr } from '@steward/sandbox-ehr';
import type { Kernel } from '../kernel.js';

export const sandboxScreensConnectionName = 'sandbox-screens';
/** The clinic variant of the sandbox's web EHR the demo writes through. */
export const sandboxScreensVariant = 'lakeside';
const botUsername = 'steward-bot';
/** Reads that turn a screen into events: the sandbox's FHIR connection brings these already. */
const eventReads = new Set(['schedule', 'task-list']);

export type DemoScreens = { readonly connection: EhrConnection; readonly home: string } | { readonly skipped: string };

/** Registers (once) and refreshes (each start: its credentials, its origin) the demo's screens connection. */
export async function ensureDemoScreens(
  kernel: Pick<Kernel, 'bootstrap' | 'connections' | 'screenMaps' | 'automationCredentials' | 'egress'>,
  ehr: Pick<SandboxEhr, 'url' | 'web'>,
  logger: Logger,
  options: { readonly site: string; readonly chromium?: () => string | undefined },
): Promise<DemoScreens> {
  let missing: string | undefined;
  try {
    missing = (options.chromium ?? browserUnavailable)();
  } catch (e) {
    missing = (e as Error).message;
  }
  if (missing !== undefined) {
    logger.warn(
      { connection: sandboxScreensConnectionName, reason: missing },
      'screens demo skipped: no Chromium to drive the sandbox web EHR, so no sandbox-screens connection (apt-get install chromium-headless-shell, or set STEWARD_CHROMIUM, and start again)',
    );
    return { skipped: missing };
  }
  const users = await kernel.bootstrap.users.list();
  const demoUser = (username: string, purposeOfUse: PurposeOfUse): RequestContext => {
    const user = users.find((u) => u.username === username);
    if (user === undefined) throw new Error(`the demo account ${username} is missing: the screens demo needs it`);
    return { actor: { kind: 'user', id: user.id, name: username, authMethod: 'local-operator' }, purposeOfUse };
  };
  const admin = demoUser('demo.admin', 'HSYSADMIN');
  const officer = demoUser('demo.compliance', 'HCOMPL');
  const site = options.site;
  const connection =
    (await kernel.connections.all()).find((c) => c.name === sandboxScreensConnectionName) ??
    (await kernel.connections.add(admin, {
      name: sandboxScreensConnectionName,
      site,
      vendor: 'generic-r4',
      facilityTimeZone: 'America/New_York',
      channel: 'screens',
    }));
  const home = `${ehr.url}/web/${sandboxScreensVariant}/patients`;
  // The origin must be registered for PHI: the sandbox's own destination (synthetic data, its BAA note).
  await kernel.egress.authorize(kernel.connections.actorOf(connection), home, { phi: true });

  const current = await kernel.screenMaps.current(connection.id, site);
  if (current === undefined || current.origin !== ehr.url) {
    const map = JSON.parse(readFileSync(mapFile(sandboxScreensVariant), 'utf8')) as { reads?: { id: string }[] };
    const proposed = await kernel.screenMaps.propose(
      admin,
      {
        ...map,
        reads: (map.reads ?? []).filter((r) => !eventReads.has(r.id)),
        connectionId: connection.id,
        site,
        origin: ehr.url,
      },
      current === undefined ? 'the demo: the sandbox web EHR (Lakeside)' : 'the demo: the sandbox web EHR moved',
    );
    await kernel.screenMaps.review(officer, connection.id, site, proposed.version, 'approve');
  }
  const credentials = {
    username: botUsername,
    password: randomBytes(18).toString('base64url'),
    totpSecret: generateTotpSecret(),
  };
  ehr.web.sessions.register({ ...credentials, displayName: 'Steward automation' });
  await kernel.automationCredentials.set(admin, { connectionId: connection.id, site, ...credentials });
  logger.info(
    { connection: connection.name, home },
    'screens demo ready: approved task proposals on sandbox-screens are typed into the sandbox web EHR (examples/agent-screens-followup-task)',
  );
  return { connection, home };
}

/** The recorded screen map of a sandbox web variant (packages/automation/maps). */
function mapFile(variant: string): string {
  const entry = fileURLToPath(import.meta.resolve('@steward/automation'));
  return join(dirname(entry), '..', 'maps', `sandbox-${variant}.json`);
}
