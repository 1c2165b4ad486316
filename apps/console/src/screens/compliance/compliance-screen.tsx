/**
 * @module Break-glass review: the compliance officer's list of break-glass episodes (those still
 * to review first; all on request), each with who, where, why and when, the accesses made under
 * it (read from the audit trail by the episode's id, each patient by name and birth date: the one
 * compliance view that shows them, ADR 0021; the server audits the display), and a form to record
 * the review with a note.
 * Route: `#/compliance`.
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, humanize } from '../../ui/format.js';
import { patientLine } from '../../ui/patient-label.js';
import type { AuditEntry } from '../audit/audit-types.js';
import type { BreakGlassEpisode } from '../../api/types.js';
import './compliance.css';

export function ComplianceScreen(): ReactNode {
  const { api } = useSession();
  const allId = useId();
  const [all, setAll] = useState(false);
  const [episodes, setEpisodes] = useState<readonly BreakGlassEpisode[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(() => {
    setError(undefined);
    return answer(api.http.GET('/break-glass', { params: { query: all ? {} : { unreviewed: 'true' } } }))
      .then((r) => setEpisodes(r.items))
      .catch((e: unknown) => setError(describeError(e)));
  }, [api, all]);

  useEffect(() => {
    setEpisodes(undefined);
    void load();
  }, [load]);

  return (
    <div className="compliance">
      <h1>Break-glass review</h1>
      <p className="muted">
        Every use of break-glass (emergency access to another site's charts) stays here until a compliance officer has
        reviewed it: who, where, why, and every access made under it.
      </p>
      <div className="filters">
        <label htmlFor={allId} className="checkbox">
          <input id={allId} type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          Include episodes already reviewed
        </label>
      </div>
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {episodes === undefined && error === undefined && (
        <p role="status" className="muted">
          Loading…
        </p>
      )}
      {episodes !== undefined && episodes.length === 0 && (
        <p className="empty">
          {all ? 'No break-glass use yet.' : 'Nothing to review: every break-glass use is reviewed.'}
        </p>
      )}
      {episodes !== undefined && episodes.length > 0 && (
        <ul className="compliance__list" aria-label="Break-glass episodes">
          {episodes.map((e) => (
            <Episode key={e.id} episode={e} onReviewed={() => void load()} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Episode(props: { readonly episode: BreakGlassEpisode; readonly onReviewed: () => void }): ReactNode {
  const { api } = useSession();
  const e = props.episode;
  const ids = { title: useId(), note: useId() };
  const [reads, setReads] = useState<readonly AuditEntry[] | undefined>();
  const [readsError, setReadsError] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inForce = Date.parse(e.expiresAt) > api.serverNow();

  useEffect(() => {
    let live = true;
    answer(api.http.GET('/break-glass/{id}/accesses', { params: { path: { id: e.id } } }))
      .then((p) => live && setReads(p.items))
      .catch((err: unknown) => live && setReadsError(describeError(err)));
    return () => {
      live = false;
    };
  }, [api, e.id]);

  const review = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await answer(
        api.http.POST('/break-glass/{id}/review', { params: { path: { id: e.id } }, body: { note: note.trim() } }),
      );
      props.onReviewed();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="compliance__episode" aria-labelledby={ids.title}>
      <h2 id={ids.title}>
        {e.username} at {e.site}{' '}
        {e.reviewedAt !== undefined ? (
          <span className="badge ok">Reviewed</span>
        ) : inForce ? (
          <span className="badge overdue">In force</span>
        ) : (
          <span className="badge p1">To review</span>
        )}
      </h2>
      <dl className="compliance__facts">
        <dt>Reason given</dt>
        <dd>
          <q>{e.reason}</q>
        </dd>
        <dt>From</dt>
        <dd>
          <time dateTime={e.startedAt}>{formatDateTime(e.startedAt)}</time>
        </dd>
        <dt>Until</dt>
        <dd>
          <time dateTime={e.expiresAt}>{formatDateTime(e.expiresAt)}</time>
        </dd>
        {e.reviewedAt !== undefined && (
          <>
            <dt>Reviewed</dt>
            <dd>
              <time dateTime={e.reviewedAt}>{formatDateTime(e.reviewedAt)}</time>
            </dd>
          </>
        )}
      </dl>
      <h3>Accesses under this episode</h3>
      {readsError !== undefined && (
        <p role="alert" className="error">
          {readsError}
        </p>
      )}
      {reads === undefined && readsError === undefined && <p className="muted">Loading the audit trail…</p>}
      {reads !== undefined && reads.length === 0 && <p className="empty">No chart was read or searched under it.</p>}
      {reads !== undefined && reads.length > 0 && <Reads entries={reads} />}
      {e.reviewedAt === undefined && (
        <form className="stack compliance__review" onSubmit={(ev) => void review(ev)}>
          <label htmlFor={ids.note}>Review note (what you checked and concluded)</label>
          <textarea id={ids.note} rows={2} value={note} required onChange={(ev) => setNote(ev.target.value)} />
          {error !== undefined && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || note.trim() === ''}>
              Record review
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

function Reads({ entries }: { readonly entries: readonly AuditEntry[] }): ReactNode {
  return (
    <table className="data">
      <caption className="visually-hidden">Accesses made under the episode, oldest first</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Access</th>
          <th scope="col">Patients</th>
          <th scope="col">Record</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((x) => (
          <tr key={x.seq}>
            <td>
              <time dateTime={x.at}>{formatDateTime(x.at)}</time>
            </td>
            <td>
              {accessLabel(x.event)}
              {x.reason !== undefined && <div className="muted">{reasonLabel(x.reason)}</div>}
            </td>
            <td>
              {x.patientIds.length === 0
                ? '—'
                : // One line per patient, in order: the ids of a merged patient's records all name the
                  // survivor, so they are one line that says how many records it covers.
                  onePerPatient(x.patientIds.map((p, i) => ({ asked: p, label: x.patients?.[i] ?? { id: p } }))).map(
                    ({ label, records }) => (
                      <div key={label.id}>
                        {patientLine(label)}
                        {records > 1 && <span className="muted"> · {records} merged records</span>}
                      </div>
                    ),
                  )}
            </td>
            <td>
              {x.entity !== undefined ? `${humanize(x.entity.kind)}${x.entity.id === '*' ? ' (list)' : ''}` : '—'}
            </td>
            <td>{humanize(x.outcome)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function accessLabel(event: string): string {
  if (event === 'phi.read') return 'Read a chart';
  if (event === 'phi.search') return 'Searched charts';
  return humanize(event.replace('.', ' '));
}

/** A search's `referrals:3` as "3 shown"; any other reason as written. */
function reasonLabel(reason: string): string {
  const shown = /^[a-z_]+:(\d+)$/.exec(reason);
  return shown !== null ? `${shown[1]} shown` : reason;
}

/**
 * Each patient once, in order, with how many of their records (a merged patient's ids, each naming
 * the survivor) the entry named; an id named twice counts once.
 */
function onePerPatient<T extends { readonly id: string }>(
  named: readonly { readonly asked: string; readonly label: T }[],
): { label: T; records: number }[] {
  const byId = new Map<string, { label: T; records: Set<string> }>();
  for (const { asked, label } of named) {
    const seen = byId.get(label.id);
    if (seen !== undefined) seen.records.add(asked);
    else byId.set(label.id, { label, records: new Set([asked]) });
  }
  return [...byId.values()].map(({ label, records }) => ({ label, records: records.size }));
}
