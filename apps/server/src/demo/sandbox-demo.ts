/**
 * @module The sandbox EHR as Steward's embedded default: when no real EHR is registered, `npm
 * start` starts the sandbox on loopback, seeded from Synthea, and connects to it exactly as it
 * would to a real EHR — an egress destination (synthetic data only, noted as such in place of a
 * BAA), a connection with its own SMART key (ES384) registered at the sandbox, its HL7 v2 feed
 * into Steward's MLLP listener — and then a clinic simulator plays clinic days on it.
 *
 * The sandbox keeps its data in `<dataDir>/sandbox-ehr` (its write journal and the clinic's state), so a
 * restart finds the same patients, appointments and referrals Steward holds references to, seeds nothing
 * again, and the clinic plays on from where it stopped. Deleting that folder resets the sandbox (do it
 * together with Steward's own store: Steward's records point into it).
 *
 * The setup acts as a local operator service account (`steward-sandbox`) with the admin role.
 */
import { exportJWK, generateKeyPair } from 'jose';
import type { Clock, RequestContext } from '@steward/core';
import type { Logger } from '@steward/governance';
import type { EhrConnection, EhrRuntime, PrivateJwk } from '@steward/ehr';
import {
  savedClinicTime,
  startLiveClinic,
  startSandboxEhr,
  syntheaSeedSource,
  type LiveClinic,
  type SandboxEhr,
} from '@steward/sandbox-ehr';
import type { Kernel } from '../kernel.js';
import { localServiceAccount } from '../local-accounts.js';
import { sandboxScreensConnectionName } from './demo-screens.js';
import { sandboxDataDir, type SandboxConfig } from '../config/index.js';

export const sandboxConnectionName = 'sandbox';
/** The site the sandbox connection belongs to. */
const sandboxSite = 'sandbox';
const clientId = 'steward-sandbox';
export const sandboxScopes = [
  'system/*.rs',
  'system/Appointment.cu',
  'system/Task.cu',
  'system/ServiceRequest.u',
  'system/Communication.c',
  'system/DocumentReference.cu',
  'system/Subscription.cru',
];

export { sandboxDataDir, type SandboxConfig };

export interface SandboxDemo {
  readonly ehr: SandboxEhr;
  readonly connection: EhrConnection;
  /** The runtime overrides the sandbox connection needs (its MLLP port). */
  readonly overrides: Readonly<Record<string, { readonly mllpPort?: number }>>;
  /** Starts the clinic once Steward's runtime listens (its HL7 feed needs the MLLP port). */
  startClinic(runtime: EhrRuntime): Promise<LiveClinic>;
  /**
   * With a playing clinic: the clock Steward's workflows run on, the EHR's (the clinic's time, never
   * ahead of the real clock; ADR 0015). Undefined when the clinic stands still.
   */
  readonly workflowClock?: Clock;
  /** The clinic, once started (tests step it themselves when the speed is 0). */
  liveClinic(): LiveClinic | undefined;
}

/** Whether this start should bring the sandbox up: on, or auto with no other EHR registered (its screens connection is its own). */
export async function wantsSandbox(kernel: Kernel, config: SandboxConfig): Promise<boolean> {
  if (config.mode !== 'auto') return config.mode === 'on';
  return (await kernel.connections.all()).every(
    (c) => c.name === sandboxConnectionName || c.name === sandboxScreensConnectionName,
  );
}

export async function startSandboxDemo(kernel: Kernel, config: SandboxConfig, logger: Logger): Promise<SandboxDemo> {
  // The configured folder, not only the process environment's: a server given its configuration
  // (tests, an embedding) is seeded from what that configuration says.
  const seed = syntheaSeedSource(
    config.seedDir !== undefined ? { ...process.env, STEWARD_SANDBOX_SEED_DIR: config.seedDir } : process.env,
  );
  const ehr = await startSandboxEhr({
    port: config.port,
    host: '127.0.0.1',
    seed: { fixturesDir: seed.dir },
    dataDir: config.dataDir,
  });
  try {
    logger.info(
      { url: ehr.fhirBaseUrl, seed: seed.kind, patients: ehr.seedReport?.patients ?? 0, restored: ehr.restored },
      ehr.restored
        ? 'sandbox EHR started with its saved data (synthetic data only)'
        : 'sandbox EHR started (synthetic data only)',
    );
    const ctx: RequestContext = {
      actor: await localServiceAccount(kernel, 'steward-sandbox', 'admin', 'HSYSADMIN'),
      sourceAddress: 'local-operator',
    };
    const egressName = `sandbox-ehr-${new URL(ehr.url).port}`;
    if (!(await kernel.egress.list()).some((d) => d.name === egressName)) {
      await kernel.egress.register(ctx.actor, {
        name: egressName,
        kind: 'ehr',
        baseUrl: ehr.url,
        baaOnRecord: true,
        baaReference: 'sandbox EHR on loopback: synthetic data only, no PHI leaves this machine',
        allowPrivateNetwork: true,
      });
    }
    const connection = await sandboxConnection(kernel, ctx, ehr, config);
    const key = await kernel.connections.privateKey(connection);
    if (key === undefined) throw new Error('the sandbox connection has no key');
    ehr.registerClient({ clientId, jwks: { keys: [publicHalf(key)] }, allowedScopes: sandboxScopes });
    let clinic: LiveClinic | undefined;
    // A playing clinic starts nine days back: from now on the EHR's records carry the clinic's time
    // (first the evening before its first day; the live clinic moves it on), and so do the workflows.
    const playing = config.speed > 0;
    const startDate = playing
      ? clinicDayBefore(kernel.clock.now(), demoHistoryDays)
      : nextClinicDay(kernel.clock.now());
    if (playing) {
      // A saved clinic goes on from where it stopped, so its clock must not go back to a new start.
      const before = savedClinicTime(ehr) ?? Date.parse(`${startDate}T00:00:00Z`);
      ehr.repository.useClock(() => Math.min(before, Date.now()));
    }
    return {
      ...(playing ? { workflowClock: { now: () => new Date(ehr.repository.now()) } } : {}),
      ehr,
      connection,
      overrides: { [sandboxConnectionName]: { mllpPort: config.mllpPort } },
      async startClinic(runtime) {
        // Several nodes on one PostgreSQL: another node may have taken the sandbox connection first.
        // The clinic still plays here (the sandbox EHR is this process's) and sends its HL7 to the
        // port the owner binds on this host; said once, as a demo's limit, not an error.
        const owned = runtime.ownership().some((o) => o.name === sandboxConnectionName && o.ownership.role === 'owner');
        if (!owned)
          logger.info(
            { connection: sandboxConnectionName },
            'sandbox connection runs on another node: the clinic sends its HL7 to its port on this host',
          );
        const mllp = owned
          ? runtime.get(sandboxConnectionName).mllpAddress
          : { port: connection.settings.mllpPort ?? config.mllpPort };
        // A playing clinic (ADR 0015) plays its past up to the real clock, then follows it; a clinic
        // that stands still (tests step it) starts today.
        clinic = await startLiveClinic(ehr, {
          seed: config.seed,
          horizonDays: config.horizonDays,
          startDate,
          followRealTime: playing,
          stories: playing,
          ...(mllp !== undefined ? { hl7: { host: '127.0.0.1', port: mllp.port } } : {}),
          onError: (e) =>
            logger.warn({ code: (e as { code?: string }).code ?? 'INTERNAL', err: e }, 'clinic simulator step failed'),
        });
        if (playing) {
          await autoApproveReminders(kernel);
          await demoPhoneNumbers(kernel, clinic);
          clinic.play(config.speed);
        }
        logger.info(
          {
            patients: clinic.derived.clinic.patients.length,
            msPerClinicHour: config.speed,
            resumed: clinic.resumed,
          },
          clinic.resumed
            ? 'clinic simulator continuing where it stopped'
            : 'clinic simulator playing on the sandbox EHR',
        );
        return clinic;
      },
      liveClinic: () => clinic,
    };
  } catch (e) {
    await ehr.close();
    throw e;
  }
}

async function sandboxConnection(
  kernel: Kernel,
  ctx: RequestContext,
  ehr: SandboxEhr,
  config: SandboxConfig,
): Promise<EhrConnection> {
  const existing = (await kernel.connections.all()).find((c) => c.name === sandboxConnectionName);
  if (existing !== undefined) {
    if (existing.fhirBaseUrl !== ehr.fhirBaseUrl) {
      throw new Error(
        `the sandbox connection was registered for ${existing.fhirBaseUrl ?? 'no FHIR URL'}: start the sandbox on that port (STEWARD_SANDBOX_PORT) or use a new data directory`,
      );
    }
    return existing;
  }
  const { privateKey } = await generateKeyPair('ES384', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return kernel.connections.add(ctx, {
    name: sandboxConnectionName,
    site: 'sandbox',
    vendor: 'generic-r4',
    fhirBaseUrl: ehr.fhirBaseUrl,
    clientId,
    privateKey: { ...jwk, kid: 'steward-sandbox-1', alg: 'ES384' } as PrivateJwk,
    scopes: sandboxScopes,
    facilityTimeZone: 'America/New_York',
    mllpPort: config.mllpPort > 0 ? config.mllpPort : 8472,
    budget: { requestsPerSecond: 200, burst: 100, maxConcurrency: 8 },
  });
}

/** How far back the demo clinic's past starts: a referral sent then and never received is nine days late. */
export const demoHistoryDays = 9;

/** The weekday `days` before `now` (or the Monday after, when that falls on a weekend), as YYYY-MM-DD. */
export function clinicDayBefore(now: Date, days: number): string {
  return nextClinicDay(new Date(now.getTime() - days * 86_400_000));
}

/**
 * Reminders carry no clinical content (a template and a time): the demo lets them go without review,
 * as ADR 0015 explains, so a fresh demo shows one sent. Set once, as a local compliance account; a
 * policy someone set since is left as it is.
 */
async function autoApproveReminders(kernel: Kernel): Promise<void> {
  const ctx: RequestContext = {
    actor: await localServiceAccount(kernel, 'steward-sandbox-policies', 'compliance_officer', 'HOPERAT'),
    sourceAddress: 'local-operator',
  };
  if ((await kernel.approvalPolicies.list(ctx)).some((p) => p.actionType === 'reminder.send')) return;
  await kernel.approvalPolicies.set(ctx, { actionType: 'reminder.send', mode: 'auto' });
}

/**
 * A reminder needs an address: the demo's patients get a fictional US number (555-01xx, reserved for
 * fiction) to be texted at through the local outbox (nothing leaves the machine). Set once, as a
 * local front-desk service account; a patient with preferences keeps them.
 */
async function demoPhoneNumbers(kernel: Kernel, clinic: LiveClinic): Promise<void> {
  const ctx: RequestContext = {
    actor: await localServiceAccount(kernel, 'steward-sandbox-front-desk', 'front_desk', 'HOPERAT'),
    sourceAddress: 'local-operator',
  };
  const patients = clinic.derived.clinic.patients.slice(0, 100);
  for (const [i, p] of patients.entries()) {
    const ehrId = p.ref.split('/')[1] ?? '';
    if ((await kernel.contactPreferences.get(ctx, sandboxSite, ehrId)) !== undefined) continue;
    const sms = `+161755501${String(i).padStart(2, '0')}`;
    await kernel.contactPreferences.set(ctx, sandboxSite, ehrId, { channel: 'sms', optOut: [], addresses: { sms } });
  }
}

/** Today, or the Monday after a weekend: a clinic that opens on a Sunday shows nothing for a day. */
export function nextClinicDay(now: Date): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const weekday = day.getUTCDay();
  if (weekday === 6) day.setUTCDate(day.getUTCDate() + 2);
  if (weekday === 0) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/** The public half of a private JWK: what the EHR registers (the private members dropped). */
function publicHalf(jwk: PrivateJwk): { kty: string } {
  const privateMembers = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']);
  return Object.fromEntries(Object.entries(jwk).filter(([k]) => !privateMembers.has(k))) as { kty: string };
}
