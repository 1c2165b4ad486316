/**
 * @module A handoff's history, folded under its row (My work, "Who has it"): read when opened (a PHI
 * read, audited), each row in words with its time.
 */
import { useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { HandoffDetail } from '../../api/types.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { historyWords } from './handoff-history-words.js';

export function HandoffHistory(props: { readonly id: string; readonly version: number }): ReactNode {
  const { api, me } = useSession();
  const [detail, setDetail] = useState<{ readonly d: HandoffDetail; readonly v: number } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = (): void => {
    if (detail?.v === props.version) return;
    answer(api.http.GET('/handoffs/{id}', { params: { path: { id: props.id } } })).then(
      (d) => (setDetail({ d, v: props.version }), setError(undefined)),
      (e: unknown) => setError(describeError(e)),
    );
  };
  return (
    <details className="handoff-history" onToggle={(e) => e.currentTarget.open && load()}>
      <summary>History</summary>
      {error !== undefined ? (
        <p className="error" role="alert">
          The history could not be shown: {error}
        </p>
      ) : detail === undefined ? (
        <p className="muted">Loading…</p>
      ) : (
        <ol>
          {detail.d.history.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>: {historyWords(e, detail.d, me.id)}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
