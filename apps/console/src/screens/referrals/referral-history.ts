/** @module A referral's history and ending in words (pure: tested under Node, apps/console/test). */
import { formatDateTime, humanize } from '../../ui/format.js';
import { stageLabels, type ReferralDetail, type ReferralHistoryEntry } from './referral-types.js';

/** One step of the workflow's history, as a sentence. */
export function describeStep(h: ReferralHistoryEntry): string {
  switch (h.input) {
    case 'start':
      return `Referral received from the EHR (${h.status ?? 'status unknown'}), event of ${formatDateTime(h.occurredAt ?? undefined)}`;
    case 'signal':
      return `${humanize(h.eventType ?? h.name)}: ${h.status ?? '—'}, event of ${formatDateTime(h.occurredAt ?? undefined)}`;
    case 'timer': {
      const [kind, stage] = h.name.split(':');
      const label =
        stage !== undefined && stage in stageLabels ? stageLabels[stage as keyof typeof stageLabels] : stage;
      // A timer without a stage reads "Due time reached", never "… for undefined".
      const forStage = label !== undefined && label !== '' ? ` for ${label.toLowerCase()}` : '';
      if (kind === 'due') return `Due time reached${forStage}`;
      if (kind === 'escalate') return `Escalation time reached${forStage}`;
      if (kind === 'leak') return 'Leak check (not scheduled in time)';
      if (kind === 'expire') return 'Tracking expired without a stage change';
      return humanize(h.name);
    }
    case 'effect':
      return `Proposal result: ${humanize(h.tag ?? h.name)} (${h.status !== null ? humanize(h.status).toLowerCase() : '—'})`;
  }
}

/** How tracking ended, in words: what closed the loop, or who ended it and the coded reason. */
export function endingLabel(e: NonNullable<ReferralDetail['ending']>): string {
  if (e.how === 'task-output') return `closed: the Task was completed with ${e.detail ?? 'an output'}`;
  if (e.how === 'report-and-completion') return 'closed: the report came back and the request was completed';
  if (e.how === 'expired') return 'stopped tracking: no change for too long';
  return `${e.how} by the ${e.by ?? 'EHR'}${e.detail !== null ? ` (reason ${e.detail})` : ''}`;
}
