/**
 * @module One referral opened: what it is waiting for, its stage transitions with times and the
 * events behind them, the proposals it drafted, and the workflow's full history (events, timers,
 * proposal results). Codes and references only; reading it is audited by the server.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, formatDue, humanize } from '../../ui/format.js';
import { PatientLink } from '../../ui/patient-link.js';
import { proposalState, referralTitle, serviceName } from '../../ui/work-queue.js';
import { leakLabels, stageLabels, type ReferralDetail } from './referral-types.js';
import { describeStep, endingLabel } from './referral-history.js';
import { Participant } from './referral-card.js';
import { SubjectHandoffs } from '../work/subject-handoffs.js';

const changeLabels = { entered: 'Entered', back: 'Back to', ended: 'Ended (cancelled) in' } as const;

const yesNo = (v: boolean | null): string => (v === null ? 'not known' : v ? 'yes' : 'no');

export function ReferralDetailView(props: { readonly workflowId: string }): ReactNode {
  const { api } = useSession();
  const [detail, setDetail] = useState<ReferralDetail | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setDetail(undefined);
    setError(undefined);
    answer(api.http.GET('/referrals/{workflowId}', { params: { path: { workflowId: props.workflowId } } }))
      .then((d) => live && setDetail(d))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.workflowId]);

  if (error !== undefined)
    return (
      <section className="panel" aria-labelledby="referral-heading">
        <h2 id="referral-heading">Referral</h2>
        <p role="alert" className="error">
          {error}
        </p>
        <a href={href('referrals')}>Back to the board</a>
      </section>
    );
  if (detail === undefined)
    return (
      <p role="status" className="muted">
        Loading the referral…
      </p>
    );
  const d = detail;
  return (
    <section className="panel referral-detail" aria-labelledby="referral-heading">
      <h2 id="referral-heading">
        {referralTitle(d, d.destination !== null && d.destination.name !== null ? d.destination.name : null)}
      </h2>
      <p>
        <a href={href('referrals')}>Back to the board</a>
      </p>
      <dl className="facts">
        <dt>Patient</dt>
        <dd>
          <PatientLink label={d.patientLabel} />
        </dd>
        <dt>Stage</dt>
        <dd>
          {stageLabels[d.stage]} since {formatDateTime(d.stageEnteredAt ?? undefined)}
          {d.status !== 'running' && ` (tracking ended ${formatDateTime(d.endedAt ?? undefined)})`}
        </dd>
        <dt>Waiting for</dt>
        <dd>
          {d.awaiting !== null
            ? `${stageLabels[d.awaiting]}, ${formatDue(d.dueAt ?? undefined)} (${formatDateTime(d.dueAt ?? undefined)})`
            : 'nothing'}
        </dd>
        <dt>Overdue</dt>
        <dd>{d.overdue !== null ? `yes: ${stageLabels[d.overdue].toLowerCase()} is late` : 'no'}</dd>
        <dt>Escalated</dt>
        <dd>{d.escalated ? "yes: the owner's lead was asked to act" : 'no'}</dd>
        <dt>Leaked</dt>
        <dd>{d.leaked !== null ? leakLabels[d.leaked] : 'no'}</dd>
        <dt>Service</dt>
        <dd>{serviceName(d.service) ?? 'not named by the order'}</dd>
        <dt>EHR request</dt>
        <dd>{d.serviceRequest !== null ? <code>{d.serviceRequest}</code> : 'no FHIR request (HL7)'}</dd>
        <dt>To</dt>
        <dd>
          <Participant p={d.destination} network />
        </dd>
        <dt>From</dt>
        <dd>
          <Participant p={d.requester} />
        </dd>
        <dt>Priority</dt>
        <dd>{d.priority ?? '—'}</dd>
        <dt>Receiving</dt>
        <dd>
          {/* The EHR's references stay one click away for whoever needs them; a person reads names above. */}
          {d.performers.length === 0 ? (
            'none named'
          ) : (
            <details className="refs">
              <summary>
                {d.performers.length === 1 ? 'one party' : `${d.performers.length} parties`} in the order (in network:{' '}
                {yesNo(d.performerInNetwork)})
              </summary>
              <code>{d.performers.map((p) => p.ref ?? p.kind).join(', ')}</code>
            </details>
          )}
        </dd>
        <dt>Appointment</dt>
        <dd>
          {d.appointment !== null ? (
            <span title={d.appointment}>
              {formatDateTime(d.appointmentStart ?? undefined)} (in network: {yesNo(d.appointmentInNetwork)})
            </span>
          ) : (
            'none booked'
          )}
          {d.missedAppointments > 0 && `; ${d.missedAppointments} missed or cancelled before`}
        </dd>
        <dt>Request completed</dt>
        <dd>{d.requestCompleted ? 'yes' : 'no'}</dd>
        <dt>Why a referral</dt>
        <dd>
          {d.recognisedBy != null
            ? `rule ${d.recognisedBy.rule} (${d.recognisedBy.origin === 'site' ? "this site's" : "the vendor's default"}): ${d.recognisedBy.description}`
            : 'not recorded'}
        </dd>
        {d.ending != null && (
          <>
            <dt>Ended</dt>
            <dd>{endingLabel(d.ending)}</dd>
          </>
        )}
      </dl>

      <SubjectHandoffs subject={{ kind: 'referral', id: props.workflowId }} version={d.history.length} />

      <h3>Stage transitions</h3>
      <ol className="stage-transitions">
        {d.stages.map((s, i) => (
          <li key={i}>
            <time dateTime={s.at}>{formatDateTime(s.at)}</time>: {changeLabels[s.change]}{' '}
            {stageLabels[s.stage].toLowerCase()}
            {s.eventType !== null && <> after {humanize(s.eventType).toLowerCase()}</>}
            {s.resource !== null && <> ({s.resource})</>}
          </li>
        ))}
      </ol>

      <h3>Proposals drafted</h3>
      {d.proposals.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {d.proposals.map((p, i) => (
            <li key={i}>
              {humanize(p.tag)} ({p.action}, {stageLabels[p.stage as keyof typeof stageLabels] ?? p.stage}):{' '}
              {p.proposalId !== null ? (
                <a href={href('review', p.revisedTo ?? p.proposalId)}>{proposalState(p.status, p.revisedTo)}</a>
              ) : (
                (p.status ?? 'being drafted')
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>History</h3>
      <table className="data">
        <caption className="visually-hidden">Every input the referral workflow received, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Recorded</th>
            <th scope="col">What</th>
            <th scope="col">Resource or proposal</th>
          </tr>
        </thead>
        <tbody>
          {d.history.map((h) => (
            <tr key={h.step}>
              <td>{h.step}</td>
              <td>
                <time dateTime={h.at}>{formatDateTime(h.at)}</time>
              </td>
              <td>{describeStep(h)}</td>
              <td>
                {h.proposalId !== null ? (
                  <a href={href('review', h.proposalId)}>Proposal {h.proposalId.slice(0, 8)}</a>
                ) : (
                  (h.resource ?? '—')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
