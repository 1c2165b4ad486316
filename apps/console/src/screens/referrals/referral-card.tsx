/**
 * @module One referral as a list item: where it goes (the destination's name, service and practice
 * from the clinic directory, a link that opens it), who asked, due time, and flags said in words
 * (overdue, escalated, leaked, out of network), never by colour alone. A participant the directory
 * cannot name yet shows its raw reference, marked as such.
 */
import type { ReactNode } from 'react';
import { href } from '../../router.js';
import { formatDateTime, formatDue } from '../../ui/format.js';
import { PatientLink } from '../../ui/patient-link.js';
import { referralTitle, serviceName } from '../../ui/work-queue.js';
import {
  leakLabels,
  networkLabel,
  participantLabel,
  stageLabels,
  type ReferralItem,
  type ReferralParticipant,
} from './referral-types.js';

export function ReferralCard(props: { readonly item: ReferralItem; readonly showStage?: boolean }): ReactNode {
  const r = props.item;
  const to = participantLabel(r.destination);
  // Titled by what is asked for and where to; never by the raw ServiceRequest reference.
  const title = referralTitle(r, r.destination !== null && !to.unresolved ? to.text : null);
  return (
    <li className={r.overdue !== null ? 'referral-card overdue' : 'referral-card'}>
      <a href={href('referrals', r.workflowId)} className="referral-card__title">
        {title}
      </a>
      <div className="referral-card__flags">
        {r.overdue !== null && <span className="badge overdue">Overdue: {stageLabels[r.overdue].toLowerCase()}</span>}
        {r.escalated && <span className="badge p1">Escalated</span>}
        {r.leaked !== null && <span className="badge p2">Leaked: {leakLabels[r.leaked].toLowerCase()}</span>}
        {r.status !== 'running' && <span className="badge">{r.status === 'completed' ? 'Ended' : 'Failed'}</span>}
        {r.destination?.network === 'out' && <span className="badge p2">Out of network</span>}
      </div>
      <dl className="facts referral-card__facts">
        {r.patientLabel !== undefined && (
          <>
            <dt>Patient</dt>
            <dd>
              <PatientLink label={r.patientLabel} />
            </dd>
          </>
        )}
        {props.showStage === true && (
          <>
            <dt>Stage</dt>
            <dd>{stageLabels[r.stage]}</dd>
          </>
        )}
        <dt>Service</dt>
        <dd>{serviceName(r.service) ?? 'not named by the order'}</dd>
        <dt>To</dt>
        <dd>
          <Participant p={r.destination} />
        </dd>
        <dt>Owner</dt>
        <dd>
          <Participant p={r.requester} /> <span className="muted">(requester)</span>
        </dd>
        <dt>Next</dt>
        <dd>
          {r.awaiting !== null ? (
            <>
              {stageLabels[r.awaiting]}{' '}
              <span title={formatDateTime(r.dueAt ?? undefined)}>{formatDue(r.dueAt ?? undefined)}</span>
            </>
          ) : (
            'nothing awaited'
          )}
        </dd>
        {r.site !== null && (
          <>
            <dt>Site</dt>
            <dd>{r.site}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

/** A participant by name with its service and practice, or its raw reference marked unresolved. */
export function Participant(props: { readonly p: ReferralParticipant | null; readonly network?: boolean }): ReactNode {
  const l = participantLabel(props.p);
  return (
    <>
      {l.unresolved ? <code>{l.text}</code> : l.text}
      {l.detail !== null && <span className="referral-card__detail"> ({l.detail})</span>}
      {props.network === true && props.p !== null && !l.unresolved && <> · {networkLabel(props.p.network)}</>}
    </>
  );
}
