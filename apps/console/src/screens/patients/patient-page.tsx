/**
 * @module One patient's page (`#/patients/<Steward id>`): who they are as the reader may see them,
 * their referrals and follow-ups (what needs action first), their proposals, and the recent EHR
 * events Steward received about them, and their contacts and relationships (`patient-contacts.tsx`).
 * Opening it is a PHI read the server decides and audits; a patient outside the reader's scope
 * reads as not found.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { PatientPage } from '../../api/types.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, formatDue, humanize } from '../../ui/format.js';
import { patientLine } from '../../ui/patient-label.js';
import {
  followupActionable,
  followupTitle,
  proposalState,
  referralActionable,
  referralTitle,
  serviceName,
  sortByNeedsAction,
} from '../../ui/work-queue.js';
import { participantLabel, stageLabels } from '../referrals/referral-types.js';
import { FollowupOwner } from '../followups/followup-owner.js';
import { PatientContacts } from './patient-contacts.js';
import { stageLabel } from '../followups/timeline-entries.js';
import type { ScreenProps } from '../index.js';
import './patients.css';

export function PatientScreen(props: ScreenProps): ReactNode {
  const id = props.params[0];
  if (id === undefined)
    return (
      <section className="empty">
        <h1>Patient</h1>
        <p>Open a patient from a referral, a follow-up or a review item.</p>
      </section>
    );
  return <PatientView id={id} />;
}

function PatientView(props: { readonly id: string }): ReactNode {
  const { api } = useSession();
  const [page, setPage] = useState<PatientPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setError(undefined);
    answer(api.http.GET('/patients/{id}/overview', { params: { path: { id: props.id } } }))
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.id, version]);
  // Another patient: drop the last one's page at once (a reload after a link keeps it until the answer).
  useEffect(() => setPage(undefined), [props.id]);

  if (error !== undefined)
    return (
      <section className="panel" aria-labelledby="patient-heading">
        <h1 id="patient-heading">Patient</h1>
        <p role="alert" className="error">
          {error}
        </p>
      </section>
    );
  if (page === undefined)
    return (
      <p role="status" className="muted">
        Loading the patient…
      </p>
    );
  const p = page;
  const now = Date.parse(p.asOf);
  return (
    <div className="patient-page">
      <h1 id="patient-heading">{patientLine(p.patient)}</h1>
      <p className="muted">
        Site {p.site}
        {p.mergedIds.length > 0 &&
          ` · ${p.mergedIds.length} merged record${p.mergedIds.length === 1 ? '' : 's'} included`}
        {' · '}Opening this page is recorded in the audit trail.
      </p>

      <section aria-labelledby="patient-referrals">
        <h2 id="patient-referrals">Referrals ({p.referrals.length})</h2>
        {p.referrals.length === 0 ? (
          <p className="empty">No referrals.</p>
        ) : (
          <ul className="patient-list" aria-label="The patient's referrals">
            {sortByNeedsAction(p.referrals, referralActionable).map((r) => {
              const to = participantLabel(r.destination);
              return (
                <li key={r.workflowId} className={r.overdue !== null ? 'overdue' : undefined}>
                  <a href={href('referrals', r.workflowId)}>
                    {referralTitle(r, r.destination !== null && !to.unresolved ? to.text : null)}
                  </a>{' '}
                  · {serviceName(r.service) ?? 'service not named'} · {stageLabels[r.stage]}
                  {r.overdue !== null && (
                    <span className="badge overdue">Overdue: {stageLabels[r.overdue].toLowerCase()}</span>
                  )}
                  <span className="muted">
                    {' '}
                    ·{' '}
                    {r.awaiting !== null
                      ? `Next: ${stageLabels[r.awaiting].toLowerCase()}, ${formatDue(r.dueAt ?? undefined, now)}`
                      : 'Nothing awaited'}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="patient-followups">
        <h2 id="patient-followups">Follow-ups ({p.followups.length})</h2>
        {p.followups.length === 0 ? (
          <p className="empty">No follow-ups.</p>
        ) : (
          <ul className="patient-list" aria-label="The patient's follow-ups">
            {sortByNeedsAction(p.followups, followupActionable).map((f) => (
              <li key={f.id} className={f.overdue ? 'overdue' : undefined}>
                <a href={href('followups', f.id)}>{followupTitle(f)}</a> · {stageLabel(f.stage)}
                {f.overdue && f.status === 'running' && <span className="badge overdue">Overdue</span>}
                <span className="muted">
                  {' '}
                  ·{' '}
                  {f.status !== 'running'
                    ? 'ended'
                    : f.stage === 'booked' && f.appointmentStart !== null
                      ? `appointment ${formatDateTime(f.appointmentStart)}`
                      : f.window !== null
                        ? `book by ${formatDateTime(f.window.end)}`
                        : ''}
                </span>
                <span className="muted">
                  {' '}
                  · Owner: <FollowupOwner owner={f.owner} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="patient-proposals">
        <h2 id="patient-proposals">Proposals{p.proposals !== null ? ` (${p.proposals.length})` : ''}</h2>
        {p.proposals === null ? (
          <p className="muted">Your role does not see the review queue at this site.</p>
        ) : p.proposals.length === 0 ? (
          <p className="empty">No proposals.</p>
        ) : (
          <ul className="patient-list" aria-label="The patient's proposals">
            {p.proposals.map((x) => (
              <li key={x.id}>
                <a href={href('review', x.id)}>{humanize(x.reasonCode)}</a> · {humanize(x.action)}:{' '}
                <strong>{proposalState(x.status)}</strong>
                <span className="muted">
                  {' '}
                  · drafted {formatDateTime(x.createdAt)}
                  {x.dueAt !== null && x.status === 'pending_review' && `, ${formatDue(x.dueAt, now)}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <PatientContacts
        patientId={props.id}
        patientName={p.patient.name ?? 'the patient'}
        contacts={p.contacts}
        onChanged={() => setVersion((v) => v + 1)}
      />

      <section aria-labelledby="patient-events">
        <h2 id="patient-events">Recent EHR events ({p.events.length === 20 ? 'the last 20' : p.events.length})</h2>
        {p.events.length === 0 ? (
          <p className="empty">No EHR events received for this patient.</p>
        ) : (
          <table className="data">
            <caption className="visually-hidden">EHR events about this patient, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (in the EHR)</th>
                <th scope="col">What</th>
                <th scope="col">Status</th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {p.events.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                  </td>
                  <td>{humanize(e.type)}</td>
                  <td>{e.status ?? '—'}</td>
                  <td>
                    <time dateTime={e.recordedAt}>{formatDateTime(e.recordedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
