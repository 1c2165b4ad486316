/**
 * @module Verifying a run's record against the audit chain: each step's sealed screenshot and value
 * are opened and hashed, and compared with the digests its `automation.step` entry carries. The
 * entries are found by the run's id within the run's time (an hour either side, for clock skew
 * between processes). Content retention cleared is counted as purged, not as a problem.
 */
import { iterateAudit } from '@steward/governance';
import type { RunDeps } from './run-deps.js';
import { stepIndexOf } from './run-recorder.js';
import { stepRows, type RunRow, type StepRow } from './run-rows.js';
import { openPart, sha256Hex, type SealedPart } from './run-sealing.js';
import type { StepProblem, VerifyReport } from './run-views.js';

const MARGIN_MS = 3_600_000;

export async function verifySteps(deps: RunDeps, row: RunRow, now: Date): Promise<VerifyReport> {
  const steps = await stepRows(deps.db, row.id, true);
  const digests = new Map<number, Readonly<Record<string, string>>>();
  const end = row.finished_at ?? now;
  for await (const entry of iterateAudit(deps.db, deps.cipher, {
    events: ['automation.step'],
    entityId: row.id,
    from: new Date(row.started_at.getTime() - MARGIN_MS),
    to: new Date(Math.max(end.getTime(), now.getTime()) + MARGIN_MS),
  })) {
    const index = stepIndexOf(entry.reason);
    if (index !== undefined && entry.entity?.kind === 'AutomationRun') digests.set(index, entry.digests ?? {});
  }
  const problems: { index: number; problem: StepProblem; part?: string }[] = [];
  let verified = 0;
  let purged = 0;
  const byIndex = new Map(steps.map((s) => [s.idx, s]));
  for (const index of digests.keys()) if (!byIndex.has(index)) problems.push({ index, problem: 'step-missing' });
  for (const step of steps) {
    const expected = digests.get(step.idx);
    if (expected === undefined) {
      problems.push({ index: step.idx, problem: 'audit-missing' });
      continue;
    }
    let stepPurged = false;
    let stepOk = true;
    for (const part of ['screenshot', 'value'] as const) {
      const outcome = checkPart(deps, row, step, part, expected[part]);
      if (outcome === 'purged') stepPurged = true;
      else if (outcome !== 'ok') {
        stepOk = false;
        problems.push({ index: step.idx, problem: outcome, part });
      }
    }
    if (stepOk && stepPurged) purged++;
    else if (stepOk) verified++;
  }
  problems.sort((a, b) => a.index - b.index);
  return { runId: row.id, ok: problems.length === 0, steps: steps.length, verified, purged, problems };
}

function checkPart(
  deps: RunDeps,
  row: RunRow,
  step: StepRow,
  part: SealedPart,
  expected: string | undefined,
): 'ok' | 'purged' | StepProblem {
  const sealed = part === 'screenshot' ? step.screenshot_enc : step.value_enc;
  const had = part === 'screenshot' ? step.has_screenshot : step.has_value;
  const purgedAt = part === 'screenshot' ? row.screenshots_purged_at : row.values_purged_at;
  if (sealed === null) {
    if (expected === undefined && !had) return 'ok';
    return purgedAt !== null && had ? 'purged' : 'content-missing';
  }
  // Content the audit entry never vouched for (added after the fact) is as wrong as changed content.
  if (expected === undefined) return 'digest-mismatch';
  let plain: Buffer;
  try {
    plain = openPart(deps.cipher, part, row.id, step.idx, sealed).plain;
  } catch {
    return 'sealed-altered';
  }
  return sha256Hex(plain) === expected ? 'ok' : 'digest-mismatch';
}
