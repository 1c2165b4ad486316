/**
 * @module Intake (`#/intake`, and `#/intake/<id>` for one document): the queue of documents that
 * arrived (fax folder, EHR, provider webhook, upload), by what they wait for, filterable by type,
 * the classifier's calibrated confidence and completeness; each row names the patient (as the
 * reader may see them), what the document is, what is missing in words, and when and how it
 * arrived in the site's time zone; how many files are still being read ("Reading 2 files…", asked
 * again until they are). Roles that may upload (`intake.upload`) upload here, and see what became
 * of the file (received and being read, then read, a duplicate, or unreadable and why). Keyboard: j/k or arrows move,
 * Enter opens.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import type { IntakeItem, IntakePage } from '../../api/types.js';
import { useSite } from '../../app.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatAge, formatDateTime } from '../../ui/format.js';
import { patientLine } from '../../ui/patient-label.js';
import { Pager, usePageTrail } from '../../ui/pager.js';
import { pageLine } from '../../ui/paging.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import type { ScreenProps } from '../index.js';
import { DocumentViewer } from './document-viewer.js';
import { UploadPanel } from './upload-panel.js';
import {
  confidenceBands,
  intakeTypes,
  isIntakeType,
  missingLine,
  outcomeWords,
  queueViews,
  sourceLabel,
  typeLabel,
  typeLine,
  whereLabel,
} from './intake-words.js';
import './intake.css';

export function IntakeScreen(props: ScreenProps): ReactNode {
  const id = props.params[0];
  if (id !== undefined) return <DocumentViewer id={id} key={id} />;
  return <IntakeQueue />;
}

interface Filters {
  readonly view: string;
  readonly type: string;
  readonly confidence: string;
  readonly completeness: string;
}

const PAGE = 50;
/** How often the queue is asked again while files are being read (ms). */
const READING_POLL_MS = 2000;
const initial: Filters = { view: 'to-do', type: '', confidence: '', completeness: '' };

function IntakeQueue(): ReactNode {
  const { api, can, sitesFor } = useSession();
  const siteInView = useSite();
  const readSites = sitesFor('intake.read');
  // "All sites" is every site only to a reader at every site; otherwise the first of theirs, said on the screen.
  const site = siteInView === undefined && !readSites.includes('*') ? readSites[0] : siteInView;
  const id = useId();
  const [filters, setFilters] = useState<Filters>(initial);
  const pages = usePageTrail();
  const [page, setPage] = useState<IntakePage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelected] = useState(0);
  const rows = useRef<HTMLTableSectionElement>(null);
  const { cursor } = pages;
  const view = queueViews.find((v) => v.key === filters.view) ?? queueViews[0];
  const band = confidenceBands.find((b) => b.key === filters.confidence);

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const query = compact({
        site,
        state: view?.state,
        type: isIntakeType(filters.type) ? filters.type : undefined,
        minConfidence: band?.min,
        maxConfidence: band?.max,
        complete:
          view?.incomplete === true
            ? 'false'
            : filters.completeness === 'true' || filters.completeness === 'false'
              ? filters.completeness
              : undefined,
        cursor,
        limit: String(PAGE),
      });
      const result = await answer(api.http.GET('/intake/documents', { params: { query } }));
      setPage(result);
      setSelected((s) => Math.min(s, Math.max(0, result.items.length - 1)));
    } catch (e) {
      setPage(undefined);
      setError(describeError(e));
    }
  }, [api, site, view, filters.type, filters.completeness, band, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  // Files still being read have no documents yet: the queue is asked again until they are read.
  const reading = page?.reading ?? 0;
  useEffect(() => {
    if (reading === 0) return;
    const timer = setTimeout(() => void load(), READING_POLL_MS);
    return () => clearTimeout(timer);
  }, [reading, page, load]);

  const items = page?.items ?? [];
  const open = (d: IntakeItem | undefined): void => {
    if (d !== undefined) navigate('intake', d.id);
  };
  const focusRow = (i: number): void => {
    setSelected(i);
    rows.current?.querySelectorAll<HTMLElement>('tr')[i]?.focus();
  };
  useShortcuts({
    j: () => focusRow(Math.min(selected + 1, items.length - 1)),
    ArrowDown: () => focusRow(Math.min(selected + 1, items.length - 1)),
    k: () => focusRow(Math.max(selected - 1, 0)),
    ArrowUp: () => focusRow(Math.max(selected - 1, 0)),
    Enter: () => open(items[selected]),
    o: () => open(items[selected]),
  });
  const change = (f: Partial<Filters>): void => {
    setFilters((x) => ({ ...x, ...f }));
    pages.reset();
  };
  const now = Date.now();

  return (
    <section aria-labelledby={`${id}-title`} className="intake">
      <h1 id={`${id}-title`}>Intake</h1>
      {site !== siteInView && site !== undefined && (
        <p className="muted">Showing site {site}: you work intake there, not at every site.</p>
      )}
      {can('intake.upload', site) && <UploadPanel site={site} onUploaded={() => void load()} />}

      <div className="intake-views" role="group" aria-label="Which documents">
        {queueViews.map((v) => (
          <button
            key={v.key}
            type="button"
            aria-pressed={v.key === filters.view}
            className={v.key === filters.view ? 'primary' : undefined}
            onClick={() => change({ view: v.key })}
          >
            {v.label}
          </button>
        ))}
      </div>
      <p className="muted">{view?.hint}</p>
      <div className="filters">
        <label>
          Type
          <select value={filters.type} onChange={(e) => change({ type: e.target.value })}>
            <option value="">Any type</option>
            {intakeTypes.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Confidence of the type
          <select value={filters.confidence} onChange={(e) => change({ confidence: e.target.value })}>
            {confidenceBands.map((b) => (
              <option key={b.key} value={b.key}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        {view?.incomplete !== true && (
          <label>
            Completeness
            <select value={filters.completeness} onChange={(e) => change({ completeness: e.target.value })}>
              <option value="">Complete or not</option>
              <option value="true">Complete</option>
              <option value="false">Incomplete</option>
            </select>
          </label>
        )}
      </div>

      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {reading > 0 && (
        <p className="notice intake-reading" role="status">
          Reading {reading} file{reading === 1 ? '' : 's'}…
        </p>
      )}
      <table className="data intake-queue" aria-labelledby={`${id}-title`} aria-describedby={`${id}-count`}>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Document</th>
            <th scope="col">Patient</th>
            <th scope="col">Complete?</th>
            <th scope="col">Where it is</th>
          </tr>
        </thead>
        <tbody ref={rows}>
          {items.map((d, i) => (
            <tr
              key={d.id}
              tabIndex={i === selected ? 0 : -1}
              aria-selected={i === selected}
              onFocus={() => setSelected(i)}
              onClick={() => setSelected(i)}
              onDoubleClick={() => open(d)}
            >
              <td>
                <time dateTime={d.receivedAt}>{formatDateTime(d.receivedAt)}</time>
                <div className="muted">
                  {formatAge(now - Date.parse(d.receivedAt))} ago
                  {d.source !== undefined && ` · ${sourceLabel(d.source)}`}
                </div>
              </td>
              <td>
                <a href={href('intake', d.id)}>{d.type !== null ? typeLabel(d.type) : 'Unsorted document'}</a>
                <div className={d.type === null ? 'muted intake-abstained' : 'muted'}>
                  {typeLine(d)} · {d.pageCount} page{d.pageCount === 1 ? '' : 's'}
                </div>
              </td>
              <td>
                {d.patient !== undefined ? (
                  (patientLine(d.patient) ?? '—')
                ) : (
                  <span className="muted">not matched yet</span>
                )}
              </td>
              <td>
                {d.complete ? (
                  <span className="badge ok">Complete</span>
                ) : (
                  <>
                    <span className="badge incomplete">Incomplete</span> <span>{missingLine(d)}</span>
                  </>
                )}
              </td>
              <td>
                <strong>{whereLabel(d)}</strong>
                {d.outcomeDetail !== null && d.state !== 'rejected' && (
                  <div className="intake-detail">{d.outcomeDetail}</div>
                )}
                {d.state === 'rejected' && <div className="muted">{outcomeWords(d.outcomeDetail)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p id={`${id}-count`} className="muted" role="status">
        {pageLine({
          pageNumber: pages.number,
          count: page?.items.length,
          more: page?.next !== undefined,
          failed: error !== undefined,
          noun: ['document', 'documents'],
          empty: 'Nothing here: no documents match.',
          hint: 'Keys: j/k to move, Enter to open.',
        })}
      </p>
      <Pager pages={pages} next={page?.next} />
    </section>
  );
}
