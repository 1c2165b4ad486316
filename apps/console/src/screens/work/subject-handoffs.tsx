/**
 * @module The handoffs about one subject (`GET /handoffs?kind=&id=`), as a panel on its page (the
 * intake viewer shows a document's): what is asked, its status and holder in words, when it is
 * due, and its history when opened — so the desk sees who has it (the referral detail shows a referral's). Working them is on "My work" (`#/work`).
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { Handoff } from '../../api/types.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { HandoffHistory } from './handoff-history.js';
import { askDetail, dueWords, isOpen, kindLabel, sortHandoffs, statusWords } from './handoff-words.js';

export function SubjectHandoffs(props: {
  readonly subject: Handoff['subject'];
  /** Changes when the page's subject changed (a reload of the panel). */
  readonly version?: unknown;
}): ReactNode {
  const { api, me, can } = useSession();
  const id = useId();
  const [items, setItems] = useState<readonly Handoff[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const { kind, id: subjectId } = props.subject;
  const allowed = can('handoff.read');
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    answer(api.http.GET('/handoffs', { params: { query: { kind, id: subjectId } } })).then(
      (r) => live && (setItems(sortHandoffs(r.items)), setError(undefined)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [api, kind, subjectId, allowed, props.version]);
  if (!allowed) return null;
  const now = Date.now();
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Who has it</h2>
      {error !== undefined ? (
        <p className="error" role="alert">
          The handoffs could not be shown: {error}
        </p>
      ) : items === undefined ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">No one has been asked to do anything with it.</p>
      ) : (
        <ul className="subject-handoffs">
          {items.map((h) => (
            <li key={h.id}>
              <strong>{kindLabel(h.kind)}</strong> · {statusWords(h, me.id)}
              {isOpen(h) && (
                <>
                  {' · '}
                  <span className={h.overdue ? 'badge overdue' : undefined}>{dueWords(h, now)}</span>
                  {h.dueAt !== null && (
                    <span className="muted">
                      {' '}
                      (<time dateTime={h.dueAt}>{formatDateTime(h.dueAt)}</time>)
                    </span>
                  )}
                </>
              )}
              <div className="muted">{askDetail(h)}</div>
              <HandoffHistory id={h.id} version={h.version} />
            </li>
          ))}
        </ul>
      )}
      {items !== undefined && items.some(isOpen) && (
        <p>
          <a href={href('work')}>Work these on My work</a>
        </p>
      )}
    </section>
  );
}
