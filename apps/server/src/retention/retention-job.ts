/**
 * @module The periodic retention purge, as the server runs it: every `intervalHours`, as its own
 * service account `steward-retention` (integration: may purge what the policies say, reads no
 * chart). Each run's outcome is logged as counts only; the audit entries are the record.
 */
import type { Logger } from '@steward/governance';
import type { Kernel } from '../kernel.js';
import { localServiceAccount } from '../local-accounts.js';

export interface RetentionJob {
  /** Runs one purge now (also what the timer calls). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRetentionJob(kernel: Kernel, logger: Logger, intervalHours: number): Promise<RetentionJob> {
  const ctx = { actor: await localServiceAccount(kernel, 'steward-retention', 'integration', 'HOPERAT') };
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    // Never two runs at once: a slow purge is joined, not overlapped.
    running ??= kernel.retention.purge
      .run(ctx)
      .then((report) => {
        const purged = report.kinds.filter((k) => k.outcome === 'purged' || k.outcome === 'suspended');
        logger.info(
          { retention: purged.map((k) => ({ kind: k.kind, outcome: k.outcome, deleted: k.deleted, kept: k.kept })) },
          'retention purge ran',
        );
      })
      .catch((e: unknown) => logger.error({ err: e }, 'retention purge failed; the next run tries again'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = intervalHours > 0 ? setInterval(() => void runOnce(), intervalHours * 3_600_000) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      await running;
    },
  };
}
