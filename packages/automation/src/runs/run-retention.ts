/**
 * @module Retention for the run record: two purgers, one per retention kind. `screenshots` clears
 * the sealed screenshots of runs started before the cut-off, `run-artefacts` the sealed values.
 * The runs and steps stay (what was done, by whom, when, how it ended: no PHI), and so do their
 * audit entries with the digests, so `verifyRun` reports the cleared steps as purged. Runs naming a
 * patient under a legal hold are kept.
 */
import { systemClock, type Clock } from '@steward/core';
import type { PurgeCount, PurgeRequest, RetentionPurger } from '@steward/governance';
import type { Sql } from '@steward/store';

abstract class RunContentRetention implements RetentionPurger {
  abstract readonly kind: 'screenshots' | 'run-artefacts';
  protected abstract readonly column: 'screenshot_enc' | 'value_enc';
  protected abstract readonly mark: 'screenshots_purged_at' | 'values_purged_at';

  constructor(private readonly clock: Clock = systemClock) {}

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const held = request.held.flatMap((p) => (p.stewardId !== undefined ? [p.stewardId] : []));
    const expired = `started_at < $1::timestamptz and ${this.mark} is null`;
    const { rows: runs } = await tx.query<{ id: string }>(
      `select id from automation_runs where ${expired} and not (patient_ids && $2::text[])
        order by started_at, id limit $3 for update`,
      [request.before, held, request.limit],
    );
    const ids = runs.map((r) => r.id);
    const { rowCount } = await tx.query(
      `update automation_steps set ${this.column} = null where run_id = any($1::uuid[]) and ${this.column} is not null`,
      [ids],
    );
    await tx.query(`update automation_runs set ${this.mark} = $2 where id = any($1::uuid[])`, [ids, this.clock.now()]);
    const { rows: kept } = await tx.query<{ n: string | number }>(
      `select count(*) as n from automation_runs where ${expired} and patient_ids && $2::text[]`,
      [request.before, held],
    );
    return { deleted: rowCount ?? 0, kept: Number(kept[0]?.n ?? 0), more: runs.length >= request.limit };
  }
}

/** Clears expired runs' sealed screenshots. */
export class RunScreenshotRetention extends RunContentRetention {
  readonly kind = 'screenshots' as const;
  protected readonly column = 'screenshot_enc' as const;
  protected readonly mark = 'screenshots_purged_at' as const;
}

/** Clears expired runs' sealed values (what was entered or read). */
export class RunValueRetention extends RunContentRetention {
  readonly kind = 'run-artefacts' as const;
  protected readonly column = 'value_enc' as const;
  protected readonly mark = 'values_purged_at' as const;
}
