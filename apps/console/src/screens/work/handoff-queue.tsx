/**
 * @module A queue of handoffs as a table (the caller's work, or a pool's): due (overdue first and
 * marked), what is asked, what it is about as a link, from whom, to whom, its status in words, and
 * the moves the caller may make — take it, done, decline with a reason. Each move says what
 * happened and reloads; a refusal (someone moved it first, not yours) is said in words. Keyboard:
 * j/k or arrows move, Enter opens what the handoff is about.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError, answer, describeError } from '../../api/client.js';
import type { Handoff } from '../../api/types.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { Dialog } from '../../ui/dialog.js';
import { formatDateTime } from '../../ui/format.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import { HandoffHistory } from './handoff-history.js';
import {
  askDetail,
  dueWords,
  isOpen,
  kindLabel,
  moveErrorWords,
  moveLabels,
  moveResult,
  movesFor,
  personLabel,
  queueCount,
  sortHandoffs,
  statusWords,
  subjectLink,
  type HandoffMove,
} from './handoff-words.js';

export function HandoffQueue(props: {
  /** The table's accessible name. */
  readonly label: string;
  readonly load: () => Promise<readonly Handoff[]>;
}): ReactNode {
  const { api, me } = useSession();
  const id = useId();
  const [items, setItems] = useState<readonly Handoff[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ readonly text: string; readonly failed: boolean } | undefined>();
  const [selected, setSelected] = useState(0);
  const [declining, setDeclining] = useState<Handoff | undefined>();
  const [busy, setBusy] = useState(false);
  const rows = useRef<HTMLTableSectionElement>(null);
  const { load } = props;

  const reload = useCallback(async () => {
    try {
      const list = sortHandoffs(await load());
      setItems(list);
      setError(undefined);
      setSelected((s) => Math.min(s, Math.max(0, list.length - 1)));
    } catch (e) {
      setItems(undefined);
      setError(describeError(e));
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const move = async (h: Handoff, m: HandoffMove, reason?: string): Promise<boolean> => {
    setBusy(true);
    try {
      const path = { params: { path: { id: h.id } } };
      const after =
        m === 'decline'
          ? await answer(api.http.POST('/handoffs/{id}/decline', { ...path, body: { reason: reason ?? '' } }))
          : m === 'accept'
            ? await answer(api.http.POST('/handoffs/{id}/accept', path))
            : await answer(api.http.POST('/handoffs/{id}/done', path));
      setNotice({ text: moveResult(m, after, me.id), failed: false });
      return true;
    } catch (e) {
      setNotice({
        text: e instanceof ApiError ? moveErrorWords(e) : describeError(e),
        failed: true,
      });
      return false;
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const list = items ?? [];
  const open = (h: Handoff | undefined): void => {
    if (h !== undefined) navigate(...subjectLink(h.subject).parts);
  };
  const focusRow = (i: number): void => {
    setSelected(i);
    rows.current?.querySelectorAll<HTMLElement>(':scope > tr')[i]?.focus();
  };
  useShortcuts({
    j: () => focusRow(Math.min(selected + 1, list.length - 1)),
    ArrowDown: () => focusRow(Math.min(selected + 1, list.length - 1)),
    k: () => focusRow(Math.max(selected - 1, 0)),
    ArrowUp: () => focusRow(Math.max(selected - 1, 0)),
    Enter: () => open(list[selected]),
  });
  const now = Date.now();

  return (
    <>
      {notice !== undefined && (
        <p className={notice.failed ? 'error' : 'notice'} role={notice.failed ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="data work-queue" aria-label={props.label} aria-describedby={`${id}-count`}>
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">What is asked</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody ref={rows}>
          {list.map((h, i) => {
            const late = isOpen(h) && h.overdue;
            const subject = subjectLink(h.subject);
            return (
              <tr
                key={h.id}
                className={late ? 'overdue' : !isOpen(h) ? 'work-closed' : undefined}
                tabIndex={i === selected ? 0 : -1}
                aria-selected={i === selected}
                onFocus={() => setSelected(i)}
                onClick={() => setSelected(i)}
              >
                <td>
                  {late ? <span className="badge overdue">{dueWords(h, now)}</span> : <span>{dueWords(h, now)}</span>}
                  {h.dueAt !== null && (
                    <div className="muted">
                      <time dateTime={h.dueAt}>{formatDateTime(h.dueAt)}</time>
                    </div>
                  )}
                </td>
                <td>
                  <strong>{kindLabel(h.kind)}</strong>
                  <div>{askDetail(h)}</div>
                  <a href={href(...subject.parts)}>{subject.label}</a>
                  <HandoffHistory id={h.id} version={h.version} />
                </td>
                <td>{personLabel(h.from, me.id)}</td>
                <td>{personLabel(h.to, me.id)}</td>
                <td>{statusWords(h, me.id)}</td>
                <td className="work-moves">
                  {movesFor(h, me.id).map((m) => (
                    <button
                      key={m}
                      type="button"
                      className={m === 'accept' || (m === 'done' && h.status === 'accepted') ? 'primary' : undefined}
                      disabled={busy}
                      aria-label={`${moveLabels[m].replace('…', '')}: ${kindLabel(h.kind)}`}
                      onClick={() => (m === 'decline' ? setDeclining(h) : void move(h, m))}
                    >
                      {moveLabels[m]}
                    </button>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id={`${id}-count`} className="muted" role="status">
        {items === undefined
          ? error !== undefined
            ? 'The queue could not be shown (the reason is above).'
            : 'Loading…'
          : `${queueCount(list)}${list.length > 0 ? ' Keys: j/k to move, Enter to open what it is about.' : ''}`}
      </p>
      {declining !== undefined && (
        <DeclineDialog
          handoff={declining}
          busy={busy}
          onClose={() => setDeclining(undefined)}
          onDecline={async (reason) => {
            await move(declining, 'decline', reason);
            setDeclining(undefined);
          }}
        />
      )}
    </>
  );
}

function DeclineDialog(props: {
  readonly handoff: Handoff;
  readonly busy: boolean;
  readonly onClose: () => void;
  readonly onDecline: (reason: string) => Promise<void>;
}): ReactNode {
  const { me } = useSession();
  const [reason, setReason] = useState('');
  const id = useId();
  const back = props.handoff.to.kind === 'user' ? 'its sender' : personLabel(props.handoff.to, me.id).toLowerCase();
  return (
    <Dialog title={`Decline "${kindLabel(props.handoff.kind)}"?`} onClose={props.onClose}>
      <p>It goes back to {back}, with your reason in its history.</p>
      <label htmlFor={`${id}-reason`} className="work-reason-label">
        Why you are giving it back
      </label>
      <textarea
        id={`${id}-reason`}
        className="work-reason"
        data-autofocus
        rows={3}
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={props.busy || reason.trim() === ''}
          onClick={() => void props.onDecline(reason.trim())}
        >
          Decline with this reason
        </button>
      </div>
    </Dialog>
  );
}
