/**
 * @module One follow-up's timeline: a vertical ordered list, oldest first, each entry with its time
 * and "Done" or "Upcoming" in words, a "Now" marker between them; the replies (or "No replies");
 * and what is next (next reminder, window end, booking state). Message text is fetched only when
 * asked for, by a role with phi.read at the site, and rendered as plain text.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatAge, formatDateTime, humanize } from '../../ui/format.js';
import { PatientLink } from '../../ui/patient-link.js';
import { followupTitle, nextReminderText } from '../../ui/work-queue.js';
import { FollowupOwner } from './followup-owner.js';
import type { FollowupTimeline } from './followup-types.js';
import { stageLabel, timelineEntries } from './timeline-entries.js';

export function FollowupTimelineView(props: { readonly id: string }): ReactNode {
  const { api, can } = useSession();
  const [timeline, setTimeline] = useState<FollowupTimeline | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [bodies, setBodies] = useState(false);

  useEffect(() => {
    let live = true;
    setError(undefined);
    answer(
      api.http.GET('/followups/{id}/timeline', {
        params: { path: { id: props.id }, query: compact({ bodies: bodies ? 'true' : undefined }) },
      }),
    )
      .then((t) => live && setTimeline(t))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.id, bodies]);

  if (error !== undefined)
    return (
      <section className="panel" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Follow-up</h2>
        <p role="alert" className="error">
          {error}
        </p>
      </section>
    );
  if (timeline === undefined || timeline.followup.id !== props.id)
    return (
      <p role="status" className="muted">
        Loading the timeline…
      </p>
    );
  const tl = timeline;
  const f = tl.followup;
  const entries = timelineEntries(tl);
  const nowIndex = entries.findIndex((e) => e.upcoming);
  const mayReadText = f.site !== null && can('phi.read', f.site) && tl.messages.length > 0;
  const now = Date.parse(tl.asOf);

  return (
    <section className="panel followup-timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{followupTitle(f)}: follow-up</h2>
      <p>
        For <PatientLink label={f.patientLabel} />{' '}
        <span className="muted" title={f.orderRef}>
          (ordered in the EHR)
        </span>
      </p>
      <h3>What is next</h3>
      <dl className="facts">
        <dt>Owner</dt>
        <dd>
          <FollowupOwner owner={f.owner} />
        </dd>
        <dt>Booking</dt>
        <dd>
          {stageLabel(f.stage)}
          {f.status !== 'running' && ' (follow-up ended)'}
          {f.appointmentRef !== null && (
            <span title={f.appointmentRef}>: appointment on {formatDateTime(f.appointmentStart ?? undefined)}</span>
          )}
          {f.confirmation !== null &&
            `, patient ${f.confirmation === 'confirm' ? 'confirmed' : humanize(f.confirmation).toLowerCase()}`}
        </dd>
        <dt>Next reminder</dt>
        <dd>
          {f.nextReminderAt !== null
            ? `${formatDateTime(f.nextReminderAt)} (${whenFrom(f.nextReminderAt, now)})`
            : nextReminderText(f)}
        </dd>
        <dt>Window ends</dt>
        <dd>
          {f.window !== null ? formatDateTime(f.window.end) : '—'}
          {f.overdue && ' (overdue: not booked in the window)'}
        </dd>
        <dt>Messages sent</dt>
        <dd>{tl.messages.length}</dd>
      </dl>

      <h3>Replies</h3>
      {tl.replies.length === 0 ? (
        <p>No replies.</p>
      ) : (
        <ul>
          {tl.replies.map((r, i) => (
            <li key={i}>
              <time dateTime={r.at}>{formatDateTime(r.at)}</time>: {humanize(r.intent)}
            </li>
          ))}
        </ul>
      )}

      <div className="timeline-head">
        <h3>Timeline</h3>
        {mayReadText && (
          <button type="button" onClick={() => setBodies((b) => !b)} aria-pressed={bodies}>
            {bodies ? 'Hide message text' : 'Show message text'}
          </button>
        )}
      </div>
      {!bodies && tl.messages.length > 0 && (
        <p className="help">Messages are shown by template; their text is opened (and audited) only when asked for.</p>
      )}
      <ol className="timeline" aria-label="Follow-up timeline, oldest first">
        {entries.map((e, i) => (
          <Fragment key={e.key}>
            {i === nowIndex && (
              <li className="timeline__now">
                <strong>Now</strong> ({formatDateTime(tl.asOf)}): everything below is upcoming
              </li>
            )}
            <li className={e.upcoming ? 'timeline__item upcoming' : 'timeline__item past'}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              <span className="timeline__when">{e.upcoming ? 'Upcoming' : 'Done'}</span>
              <span className="timeline__label">{e.label}</span>
              {e.detail !== undefined && <span className="muted"> · {e.detail}</span>}
              {/* The EHR's reference stays one click away for whoever needs it; a person reads words. */}
              {e.ref !== undefined && (
                <details className="refs">
                  <summary>EHR reference</summary>
                  <code>{e.ref}</code>
                </details>
              )}
              {e.proposalId !== undefined && (
                <>
                  {' '}
                  · <a href={href('review', e.proposalId)}>proposal {e.proposalId.slice(0, 8)}</a>
                </>
              )}
              {e.body !== undefined && <p className="timeline__body">{e.body}</p>}
            </li>
          </Fragment>
        ))}
        {nowIndex === -1 && (
          <li className="timeline__now">
            <strong>Now</strong> ({formatDateTime(tl.asOf)}): nothing upcoming
          </li>
        )}
      </ol>
    </section>
  );
}

/** "in 3 d" or "3 d ago", against the server's time. */
function whenFrom(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  return delta >= 0 ? `in ${formatAge(delta)}` : `${formatAge(delta)} ago`;
}
