/**
 * @module Audit: the compliance officer's screen. Search the trail by patient (any identifier the
 * server resolves: MRN, EHR id, Steward id, or "Family, Given YYYY-MM-DD"), actor (id), event codes
 * and dates, page by seq; verify the chain; export the current search as FHIR AuditEvent NDJSON.
 * Patients are named where the server's display rule lets this reader see them, else shown by
 * Steward id. A term that names nobody says so (not "no entries"). Every search, verification and
 * export is audited by the server. `#/audit/<patient id>` opens with that patient searched.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, getDisplayZone, humanize, startOfDayInZone } from '../../ui/format.js';
import { Pager, usePageTrail } from '../../ui/pager.js';
import type { ScreenProps } from '../index.js';
import type { AuditEntry, AuditPage } from './audit-types.js';
import { ChainStatus } from './chain-status.js';
import './audit.css';

const PAGE_SIZE = 50;

interface Search {
  readonly patient: string;
  readonly actor: string;
  /** Comma-separated codes. */
  readonly event: string;
  /** `YYYY-MM-DD`, inclusive both ends. */
  readonly from: string;
  readonly to: string;
}

const emptySearch: Search = { patient: '', actor: '', event: '', from: '', to: '' };

function trimmed(s: Search): Search {
  return { patient: s.patient.trim(), actor: s.actor.trim(), event: s.event.trim(), from: s.from, to: s.to };
}

/** Form values checked as the server would, so a mistake is named at the field. */
function problemsOf(raw: Search, eventCodes: readonly string[]): string[] {
  const s = trimmed(raw);
  const out: string[] = [];
  if (s.patient.length > 701) out.push('Patient: at most 701 characters.');
  if (s.actor !== '' && !/^[A-Za-z0-9._-]{1,64}$/.test(s.actor)) out.push('Actor id: letters, digits, . _ - only.');
  const codes = s.event
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  // Until the server's list has arrived, the server itself names an unknown code.
  const unknown = eventCodes.length === 0 ? [] : codes.filter((c) => !eventCodes.includes(c));
  if (unknown.length > 0) out.push(`Event: unknown code ${unknown.join(', ')}.`);
  if (s.from !== '' && s.to !== '' && s.from > s.to) out.push('From must be on or before To.');
  return out;
}

/** The API query of a search: From and To are whole days in the site's zone, To included. */
function queryOf(raw: Search) {
  const s = trimmed(raw);
  const codes = s.event
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return compact({
    patient: s.patient,
    actor: s.actor,
    event: codes.join(','),
    from: s.from !== '' ? startOfDayInZone(s.from) : undefined,
    to: s.to !== '' ? startOfDayInZone(s.to, 1) : undefined,
  });
}

type Load =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ready'; readonly page: AuditPage };

export function AuditScreen(props: ScreenProps): ReactNode {
  const { api, can } = useSession();
  const initialPatient = props.params[0] ?? '';
  const [form, setForm] = useState<Search>({ ...emptySearch, patient: initialPatient });
  const [applied, setApplied] = useState<Search>({ ...emptySearch, patient: initialPatient });
  /** `after` of each page shown so far (the first page's is 0). */
  const pages = usePageTrail<number>();
  const [load, setLoad] = useState<Load>({ kind: 'idle' });
  const [exporting, setExporting] = useState<string | null>(null);
  // The event codes come from the server, the one list there is (suggestions and checks).
  const [eventCodes, setEventCodes] = useState<readonly string[]>([]);
  const problems = problemsOf(form, eventCodes);
  const after = pages.cursor ?? 0;
  const listId = useId();

  useEffect(() => {
    answer(api.http.GET('/audit/event-codes')).then(
      (r) => setEventCodes(r.codes),
      () => undefined,
    );
  }, [api]);

  useEffect(() => {
    let live = true;
    setLoad({ kind: 'loading' });
    const query = { ...queryOf(applied), limit: String(PAGE_SIZE), ...(after > 0 ? { after: String(after) } : {}) };
    answer(api.http.GET('/audit/events', { params: { query } })).then(
      (page) => {
        if (live) setLoad({ kind: 'ready', page });
      },
      (e: unknown) => {
        if (live) setLoad({ kind: 'error', message: describeError(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [api, applied, after]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (problems.length > 0) return;
    setApplied(form);
    pages.reset();
  };
  const set = (field: keyof Search) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [field]: e.target.value }));

  const exportSearch = async (): Promise<void> => {
    setExporting('Preparing the export…');
    try {
      const blob = await api.blob('/audit/export', queryOf(applied));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-events-${new Date().toISOString().slice(0, 19).replaceAll(':', '')}.ndjson`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExporting(`Exported ${blob.size.toLocaleString()} bytes of FHIR AuditEvent NDJSON.`);
    } catch (err) {
      setExporting(`Export failed: ${describeError(err)}`);
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      {can('audit.verify') && <ChainStatus />}

      <section aria-labelledby="search-title" className="audit-search">
        <h2 id="search-title">Search the audit trail</h2>
        <form className="filters" onSubmit={submit} noValidate>
          <label>
            Patient
            <input
              value={form.patient}
              onChange={set('patient')}
              size={38}
              spellCheck={false}
              placeholder="MRN, EHR id, Steward id, or Family, Given YYYY-MM-DD"
            />
          </label>
          <label>
            Actor id
            <input value={form.actor} onChange={set('actor')} size={38} spellCheck={false} />
          </label>
          <label>
            Event
            <input
              value={form.event}
              onChange={set('event')}
              list={listId}
              placeholder="phi.read, proposal.approved"
              aria-describedby={`${listId}-help`}
              spellCheck={false}
            />
          </label>
          <datalist id={listId}>
            {eventCodes.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <label>
            From
            <input type="date" value={form.from} onChange={set('from')} />
          </label>
          <label>
            To
            <input type="date" value={form.to} onChange={set('to')} />
          </label>
          <button type="submit" className="primary" disabled={problems.length > 0}>
            Search
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(emptySearch);
              setApplied(emptySearch);
              pages.reset();
            }}
          >
            Clear
          </button>
        </form>
        <p id={`${listId}-help`} className="help">
          Patient: any of their identifiers (an MRN alone, or system|value), or their name and birth date. Event codes,
          comma-separated. Dates are whole days in the site's time zone ({getDisplayZone() ?? 'this browser’s zone'}),
          both included.
        </p>
        {problems.length > 0 && (
          <ul role="alert" className="error">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {can('audit.export') && (
          <p>
            <button type="button" onClick={() => void exportSearch()}>
              Export as FHIR AuditEvent
            </button>{' '}
            <span className="muted">The search shown, all pages, as NDJSON (IHE Basic Audit Log Patterns).</span>
          </p>
        )}
        <p role="status" className="muted">
          {exporting ?? ''}
        </p>
      </section>

      {load.kind === 'loading' && (
        <p role="status" className="muted">
          Searching…
        </p>
      )}
      {load.kind === 'error' && (
        <p role="alert" className="error">
          Could not search the audit trail: {load.message}
        </p>
      )}
      {load.kind === 'ready' && <Results page={load.page} patientTerm={applied.patient.trim()} />}
      <Pager pages={pages} next={load.kind === 'ready' ? load.page.next : undefined}>
        <span className="muted">Page {pages.number}</span>
      </Pager>
    </section>
  );
}

function Results({ page, patientTerm }: { readonly page: AuditPage; readonly patientTerm: string }): ReactNode {
  if (page.patientsMatched === 0)
    return (
      <p role="alert" className="error">
        No patient matches “{patientTerm}”. Try another identifier (an MRN, the EHR id, the Steward id) or “Family,
        Given YYYY-MM-DD”.
      </p>
    );
  if (page.items.length === 0) return <p className="empty">No audit entries match this search.</p>;
  return (
    <div className="audit-results">
      <table className="data">
        <caption className="visually-hidden">Audit entries, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col">Patients</th>
            <th scope="col">Record</th>
            <th scope="col">Site</th>
            <th scope="col">Purpose</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((e) => (
            <Row key={e.seq} entry={e} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ entry: e }: { readonly entry: AuditEntry }): ReactNode {
  return (
    <tr className={e.outcome === 'success' ? undefined : 'overdue'}>
      <th scope="row">{e.seq}</th>
      <td>
        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
      </td>
      <td>
        {/* The name a person recognises (a user's username, a service account's name); the id on hover, to search by. */}
        {e.actor.name !== undefined && e.actor.name !== '' ? (
          <span title={e.actor.id}>{e.actor.name}</span>
        ) : (
          <code>{e.actor.id}</code>
        )}{' '}
        <span className="muted">{e.actor.kind}</span>
      </td>
      <td>
        <code>{e.event}</code>
        {e.reason !== undefined && <div className="muted">{e.reason}</div>}
      </td>
      <td>
        <span className={`badge ${e.outcome === 'success' ? 'ok' : 'overdue'}`}>{humanize(e.outcome)}</span>
      </td>
      <td>
        {e.patientIds.length === 0
          ? '—'
          : e.patientIds.map((p) => {
              // The name only where the server's display rule let this reader see it.
              const name = e.patients?.find((l) => l.id === p)?.name;
              return (
                <code key={p} className="audit-id" title={name !== undefined ? p : undefined}>
                  {name ?? p}
                </code>
              );
            })}
      </td>
      <td>{e.entity !== undefined ? <code>{`${e.entity.kind}/${e.entity.id}`}</code> : '—'}</td>
      <td>{e.site ?? '—'}</td>
      <td>
        {e.purposeOfUse ?? '—'}
        {e.breakGlassId !== undefined && <span className="badge p1">Break-glass</span>}
      </td>
    </tr>
  );
}
