/**
 * @module The panels of an opened proposal. Everything that came from the EHR is either rendered
 * by React as text (inert whatever it holds) or, for narrative XHTML, through `SafeNarrative`.
 */
import type { ReactNode } from 'react';
import type { EhrState, EhrStateEntry, ProposalDetail } from '../../api/types.js';
import { formatDate, formatDateTime, humanize, maskIdentifier } from '../../ui/format.js';
import { actorName } from '../../ui/patient-label.js';
import { diffRows, diffVersions, revisionDiffRows, type DiffRow } from './diff-rows.js';
import { SafeNarrative } from '../../ui/safe-html.js';
import { statusLabel } from './labels.js';

type Resource = Readonly<Record<string, unknown>>;

export type { EhrState, EhrStateEntry };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Resource => (v !== null && typeof v === 'object' ? (v as Resource) : {});

/** The few fields of a resource a reviewer reads first, as text. */
function Summary(props: { readonly resource: Resource }): ReactNode {
  const r = props.resource;
  const code = obj(r.code);
  const facts: [string, string][] = [];
  const push = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') facts.push([label, value]);
  };
  push('Type', str(r.resourceType));
  push('Status', str(r.status));
  push('Intent', str(r.intent));
  push('What', str(code.text) ?? str(obj(arr(code.coding)[0]).display));
  push('Description', str(r.description));
  push('Start', str(r.start) !== undefined ? formatDateTime(str(r.start)) : undefined);
  push('Authored', str(r.authoredOn) !== undefined ? formatDateTime(str(r.authoredOn)) : undefined);
  push('Message', str(r.text) ?? str(obj(arr(r.payload)[0]).contentString));
  for (const n of arr(r.note)) push('Note', str(obj(n).text));
  const narrative = str(obj(r.text).div);
  return (
    <>
      {facts.length > 0 && (
        <dl className="facts">
          {facts.map(([k, v], i) => (
            <Fact key={`${k}-${i}`} label={k} value={v} />
          ))}
        </dl>
      )}
      {narrative !== undefined && <SafeNarrative html={narrative} label="Narrative from the EHR" />}
      <details>
        <summary>All fields (JSON)</summary>
        <pre className="json">{JSON.stringify(r, null, 2)}</pre>
      </details>
    </>
  );
}

function Fact(props: { readonly label: string; readonly value: string }): ReactNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </>
  );
}

export function PayloadPanel(props: { readonly detail: ProposalDetail }): ReactNode {
  return (
    <section className="panel" aria-labelledby="payload-title">
      <h2 id="payload-title">What would be written</h2>
      <Summary resource={props.detail.payload} />
      <h3>Evidence</h3>
      <ul>
        {(Array.isArray(props.detail.evidence.resources) ? (props.detail.evidence.resources as string[]) : []).map(
          (r) => (
            <li key={r}>
              <code>{r}</code>
            </li>
          ),
        )}
        <li>
          {Array.isArray(props.detail.evidence.eventIds) ? props.detail.evidence.eventIds.length : 0} EHR event(s) led
          here
        </li>
      </ul>
      {props.detail.rationale !== undefined && (
        <>
          <h3>Why, in the words of the service that drafted it</h3>
          {/* A model's free text: shown as characters, never markup; a person decides on the evidence. */}
          <p className="rationale">{props.detail.rationale}</p>
        </>
      )}
    </section>
  );
}

export function EhrStatePanel(props: {
  readonly state: EhrState | { readonly error: string } | undefined;
  readonly detail: ProposalDetail;
}): ReactNode {
  const s = props.state;
  return (
    <section className="panel" aria-labelledby="ehr-title">
      <h2 id="ehr-title">In the EHR now</h2>
      {s === undefined && <p role="status">Reading the EHR…</p>}
      {s !== undefined && 'error' in s && (
        <p className="error" role="alert">
          Could not read the EHR: {s.error}
        </p>
      )}
      {s !== undefined && !('error' in s) && (
        <>
          <p className="muted">Read {formatDateTime(s.readAt)}.</p>
          <PatientFacts entry={s.patient} />
          <h3>Target</h3>
          {s.target === undefined ? (
            <p>Nothing yet: this proposal creates a new {props.detail.target.resourceType}.</p>
          ) : (
            <Entry entry={s.target} baseVersion={props.detail.baseVersion} />
          )}
          {s.evidence.length > 0 && <h3>Evidence in the EHR</h3>}
          {s.evidence.map((e) => (
            <Entry key={e.reference} entry={e} />
          ))}
        </>
      )}
    </section>
  );
}

function Entry(props: { readonly entry: EhrStateEntry; readonly baseVersion?: string | undefined }): ReactNode {
  const e = props.entry;
  const changed = props.baseVersion !== undefined && e.versionId !== undefined && e.versionId !== props.baseVersion;
  return (
    <div className="stack">
      <p>
        <code>{e.reference}</code>
        {e.versionId !== undefined && <> · version {e.versionId}</>}
        {changed && <span className="badge overdue"> changed since drafting</span>}
      </p>
      {e.resource !== undefined ? (
        <Summary resource={e.resource} />
      ) : (
        <p className="muted">Not available: {humanize(e.missing ?? 'unknown')}</p>
      )}
    </div>
  );
}

/** Name, birth date and sex to check it is the right chart; record numbers masked (minimum necessary). */
function PatientFacts(props: { readonly entry: EhrStateEntry | undefined }): ReactNode {
  const p = props.entry?.resource;
  if (p === undefined) return null;
  const name = obj(arr(p.name)[0]);
  const display = [...arr(name.given).map(String), str(name.family) ?? ''].join(' ').trim();
  return (
    <>
      <h3>Patient</h3>
      <dl className="facts">
        <Fact label="Name" value={display === '' ? '—' : display} />
        <Fact label="Born" value={formatDate(str(p.birthDate))} />
        {str(p.gender) !== undefined && <Fact label="Sex" value={humanize(str(p.gender) ?? '')} />}
        {arr(p.identifier)
          .slice(0, 2)
          .map((i, n) => (
            <Fact
              key={n}
              label={str(obj(obj(i).type).text) ?? 'Identifier'}
              value={maskIdentifier(str(obj(i).value) ?? '')}
            />
          ))}
      </dl>
    </>
  );
}

/**
 * What this revision changed against the one it replaced (an edit, or a rebase after a conflict),
 * so the next reviewer sees exactly what someone else altered before approving it.
 */
export function RevisionDiffPanel(props: {
  readonly revision: number;
  readonly detail: ProposalDetail;
  readonly previous: ProposalDetail | { readonly unreadable: string };
}): ReactNode {
  const p = props.previous;
  const before = props.revision - 1;
  return (
    <section className="panel diff-panel" aria-labelledby="revision-diff-title">
      <h2 id="revision-diff-title">What changed since revision {before}</h2>
      {'unreadable' in p ? (
        <p className="error" role="alert">
          Could not read revision {before}: {p.unreadable}
        </p>
      ) : (
        <>
          <p>
            Revision {before} was {statusLabel(p.status).toLowerCase()}; this revision {props.detail.revision} was
            drafted by {actorName(props.detail.draftedBy)}. Check each change before approving.
          </p>
          <ChangeTable
            rows={revisionDiffRows(p.payload, props.detail.payload)}
            caption={`Fields changed from revision ${before} to revision ${props.detail.revision}`}
            beforeLabel={`Revision ${before}`}
            afterLabel={`Revision ${props.detail.revision}`}
            none="Nothing in what would be written changed (the revision was rebased on the EHR's current version)."
          />
        </>
      )}
    </section>
  );
}

function ChangeTable(props: {
  readonly rows: readonly DiffRow[];
  readonly caption: string;
  readonly beforeLabel: string;
  readonly afterLabel: string;
  readonly none: string;
}): ReactNode {
  if (props.rows.length === 0) return <p className="muted">{props.none}</p>;
  return (
    <table className="data revision-diff">
      <caption className="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Change</th>
          <th scope="col">{props.beforeLabel}</th>
          <th scope="col">{props.afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">
              <code>{r.path}</code>
            </th>
            <td>{r.change}</td>
            <td className="before">
              <code>{r.before}</code>
            </td>
            <td className="after">
              <code>{r.after}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DiffPanel(props: { readonly diff: Record<string, unknown> }): ReactNode {
  const rows = diffRows(props.diff);
  const versions = diffVersions(props.diff);
  return (
    <section className="panel diff-panel" aria-labelledby="diff-title">
      <h2 id="diff-title">The EHR changed since this was drafted</h2>
      <p>
        Drafted on version {versions.base}; the EHR is now at version {versions.current}. This revision was rebased on
        the current version: check the changes below before approving.
      </p>
      <table className="data diff">
        <caption className="visually-hidden">Fields changed in the EHR since drafting</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Change</th>
            <th scope="col">When drafted</th>
            <th scope="col">In the EHR now</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">
                <code>{r.path}</code>
              </th>
              <td>{r.change}</td>
              <td className="before">
                <code>{r.before}</code>
              </td>
              <td className="after">
                <code>{r.after}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function HistoryPanel(props: { readonly history: ProposalDetail['history']; readonly meId: string }): ReactNode {
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol>
        {props.history.map((h) => (
          <li key={h.seq}>
            {formatDateTime(h.at)}: revision {h.revision} {h.from !== undefined ? `${statusLabel(h.from)} → ` : ''}
            {statusLabel(h.to)} by {actorName(h.actor, props.meId)}
            {h.reasonCode !== undefined ? ` (${humanize(h.reasonCode)})` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}
