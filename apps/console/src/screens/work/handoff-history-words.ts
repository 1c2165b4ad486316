/**
 * @module A handoff's history in words (pure: tested under Node, apps/console/test): each row of
 * `GET /handoffs/<id>` — offered to whom, accepted, escalated to whom (or to no one, when the
 * owner's lead or the person on call could not be found), declined with its reason, done (by a
 * person, or closed by the workflow that raised it when its stage was reached), expired.
 */
import type { HandoffDetail } from '../../api/types.js';
import { humanize } from '../../ui/format.js';
import { personWords } from './handoff-words.js';

type Entry = HandoffDetail['history'][number];
type Person = HandoffDetail['from'];

/** The people the handoff and its history name, by id: a detail's refs are ids, a person reads names. */
function namesOf(h: HandoffDetail): ReadonlyMap<string, Person> {
  const people = new Map<string, Person>();
  for (const p of [h.from, h.to, ...(h.assignee !== null ? [h.assignee] : []), ...h.escalatedTo]) people.set(p.id, p);
  for (const e of h.history) if (e.actor.kind === 'user') people.set(e.actor.id, e.actor);
  return people;
}

function refWords(ref: unknown, people: ReadonlyMap<string, Person>, me: string): string {
  const r = (ref ?? {}) as { kind?: Person['kind']; ref?: string; id?: string };
  const id = r.ref ?? r.id ?? '';
  return r.kind === undefined ? 'no one' : personWords(people.get(id) ?? { kind: r.kind, id, name: id }, me);
}

/** One history row in words: "Offered to the intake pool by Steward intake". */
export function historyWords(e: Entry, h: HandoffDetail, me: string): string {
  const people = namesOf(h);
  const by = personWords(e.actor, me);
  const d = e.detail as Record<string, unknown>;
  switch (e.event) {
    case 'offered':
      return `Offered to ${refWords(d['to'], people, me)} by ${by}`;
    case 'accepted':
      return d['direct'] === true ? `Taken by ${by}` : `Accepted by ${by}`;
    case 'declined':
      return `Declined by ${by}, back to ${refWords(d['to'], people, me)}${e.reason !== undefined ? `: “${e.reason}”` : ''}`;
    case 'done':
      return d['closedBy'] === 'raiser'
        ? `Closed as done by ${by} (${humanize(typeof d['reason'] === 'string' ? d['reason'] : 'done').toLowerCase()})`
        : `Done by ${by}`;
    case 'expired':
      return 'Its deadline passed';
    case 'escalated': {
      const target = d['resolved'];
      const spec = d['target'] as { kind?: unknown } | undefined;
      const why = d['condition'] === 'not-accepted' ? 'not taken in time' : 'not done in time';
      if (target === null || target === undefined)
        return `Escalation found no one (${spec?.kind === 'lead' ? 'no lead on record' : 'no one on call'}); ${why}`;
      return `Escalated to ${refWords(target, people, me)}${spec?.kind === 'lead' ? " (the owner's lead)" : ''}: ${why}`;
    }
  }
}
