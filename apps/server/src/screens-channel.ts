/**
 * @module The screens channel as the kernel composes it (ADR 0016): a connection whose channel is
 * `screens` is written through its approved screen map by the executor, in one shared Chromium
 * launched on the first screens call (a deployment without screens connections never starts one),
 * each run recorded in the run store as the connection's own account, signed in with the
 * automation account's sealed credentials, and only to an origin the egress registry holds with a
 * business-associate agreement.
 */
import {
  OperationalError,
  UserError,
  type EhrIdentifier,
  type InboundJournal,
  type RequestContext,
} from '@steward/core';
import type { EgressRegistry } from '@steward/governance';
import type { ConnectionRegistry, EhrChannel } from '@steward/ehr';
import {
  ScreenExecutor,
  ScreenReads,
  ScreensChannel,
  launchBrowser,
  type AutomationCredentials,
  type RunService,
  type ScreenMap,
  type ScreenMaps,
} from '@steward/automation';

export interface ScreensChannelWiring {
  /** The screens channel (the browser launched on first use). */
  channel(): Promise<EhrChannel>;
  /** Reads of the screens (a day's schedule, task lists) into the inbound journal (the same browser). */
  reads(): Promise<ScreenReads>;
  /** Whether a connection is written through its screens (cached for 30 s; a change shows within it). */
  isScreens(connectionId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface ScreensDeps {
  readonly connections: ConnectionRegistry;
  readonly egress: EgressRegistry;
  readonly screenMaps: ScreenMaps;
  readonly credentials: AutomationCredentials;
  readonly runs: RunService;
  /** The Steward patient id a run records for an EHR patient of a connection. */
  readonly patientIdOf: (connectionId: string, site: string, ehrId: string) => Promise<string>;
  /**
   * The Steward patients the index knows for an EHR patient of a connection, and for an
   * identifier (`system|value`), merges followed: empty when it knows none.
   */
  readonly indexed: {
    readonly byEhrId: (connectionId: string, site: string, ehrId: string) => Promise<string | undefined>;
    readonly byIdentifier: (ctx: RequestContext, identifier: EhrIdentifier) => Promise<readonly string[]>;
  };
  /** The governed inbound journal as a connection's own account (what a screen read files into). */
  readonly journalOf: (connectionId: string) => Promise<InboundJournal>;
}

const kindTtlMs = 30_000;
type Browser = Awaited<ReturnType<typeof launchBrowser>>;

export function screensChannel(d: ScreensDeps): ScreensChannelWiring {
  let built: Promise<{ browser: Browser; channel: ScreensChannel; reads: ScreenReads }> | undefined;
  let stopListening: (() => void) | undefined;
  const kinds = new Map<string, { screens: boolean; at: number }>();
  const accountOf = async (connectionId: string): Promise<RequestContext> => ({
    actor: d.connections.actorOf(await d.connections.get(connectionId)),
    purposeOfUse: 'HOPERAT',
  });

  /** The approved map, and only to an origin registered for PHI (a BAA on record). */
  const mapOf = async (connectionId: string): Promise<ScreenMap> => {
    const connection = await d.connections.get(connectionId);
    const map = await d.screenMaps.current(connection.id, connection.site);
    if (map === undefined)
      throw new UserError(
        'SCREEN_MAP_MISSING',
        `connection ${connection.name} has no approved screen map for site ${connection.site}: record one (steward automation record), propose it and have a second person approve it`,
      );
    await d.egress.authorize(d.connections.actorOf(connection), new URL(map.home, map.origin).href, { phi: true });
    return map;
  };

  const build = async (): Promise<{ browser: Browser; channel: ScreensChannel; reads: ScreenReads }> => {
    let browser: Browser;
    try {
      browser = await launchBrowser();
    } catch (e) {
      throw new OperationalError(
        'SCREEN_UNAVAILABLE',
        `no browser for the EHR's screens could be started (${e instanceof Error ? e.message.split('\n')[0] : 'unknown'}): install Debian's chromium-headless-shell (or chromium), or set STEWARD_CHROMIUM`,
      );
    }
    const executor = new ScreenExecutor(browser, {
      // Each run signs in as its connection's own account's credentials, opened for that run.
      credentials: {
        forRun: async (runId, connectionId, site) =>
          d.credentials.sourceFor((await accountOf(connectionId)).actor).forRun(runId, connectionId, site),
      },
    });
    // New credentials take effect at the next run: the session signed in with the old ones ends.
    stopListening = d.credentials.onChange((connectionId, site) => executor.signOut(connectionId, site));
    const channel = new ScreensChannel({
      executor,
      maps: mapOf,
      runs: d.runs.journal((start) => accountOf(start.connectionId)),
      // The index keeps identifiers only as keyed hashes: a chart is opened by the write's own guard.
      identifiersOf: () =>
        Promise.reject(
          new UserError(
            'EHR_NOT_SUPPORTED',
            "a patient's chart is read through the screens only for a write, which brings the patient's identifiers",
          ),
        ),
      // The guard's identifiers must not belong, in the patient index, to another patient than the
      // EHR patient the write names: else the run would open that other patient's chart.
      contradicts: async (connectionId, ehrId, identifiers) => {
        const { site } = await d.connections.get(connectionId);
        const named = await d.indexed.byEhrId(connectionId, site, ehrId);
        if (named === undefined) return false;
        const ctx = await accountOf(connectionId);
        for (const identifier of identifiers) {
          const owners = await d.indexed.byIdentifier(ctx, identifier);
          if (owners.length > 0 && !owners.includes(named)) return true;
        }
        return false;
      },
      patientIdOf: async (connectionId, ehrId) =>
        d.patientIdOf(connectionId, (await d.connections.get(connectionId)).site, ehrId),
    });
    const reads = new ScreenReads({
      executor,
      maps: mapOf,
      runs: d.runs.journal((start) => accountOf(start.connectionId)),
      journal: d.journalOf,
      timeZone: async (connectionId) => (await d.connections.get(connectionId)).facilityTimeZone,
    });
    return { browser, channel, reads };
  };
  const started = async (): Promise<{ channel: ScreensChannel; reads: ScreenReads }> => {
    built ??= build().catch((e: unknown) => {
      built = undefined; // the next call tries again (Chromium installed meanwhile)
      throw e;
    });
    return built;
  };

  return {
    async channel() {
      return (await started()).channel;
    },
    async reads() {
      return (await started()).reads;
    },
    async isScreens(connectionId) {
      const known = kinds.get(connectionId);
      if (known !== undefined && Date.now() - known.at < kindTtlMs) return known.screens;
      const screens = (await d.connections.get(connectionId)).settings.channel === 'screens';
      kinds.set(connectionId, { screens, at: Date.now() });
      return screens;
    },
    async close() {
      const b = built;
      built = undefined;
      stopListening?.();
      stopListening = undefined;
      if (b !== undefined) await (await b.catch(() => undefined))?.browser.close();
    },
  };
}
