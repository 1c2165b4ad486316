/**
 * @module One proposal opened for review: what would be written, the EHR's current state beside
 * it, the patient, the evidence, the diff when the EHR changed since drafting, and the history;
 * approve (bound to the content hash shown), reject with a reason, edit (a new revision someone
 * else must approve), assign to me. Keyboard: a, r, e, m, u.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { ProposalDetail } from '../../api/types.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, formatDue, humanize, shortId } from '../../ui/format.js';
import { actorName, patientLine } from '../../ui/patient-label.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import { priorityNames, proposalHeading, statusLabel } from './labels.js';
import { ApproveDialog, EditDialog, RejectDialog, type DecisionOutcome } from './decision-dialogs.js';
import { DiffPanel, EhrStatePanel, HistoryPanel, PayloadPanel, type EhrState } from './proposal-panels.js';

type Open = 'approve' | 'reject' | 'edit' | undefined;

export function ProposalReview(props: { readonly id: string }): ReactNode {
  const { api, me, can } = useSession();
  const [detail, setDetail] = useState<ProposalDetail | undefined>();
  const [state, setState] = useState<EhrState | { error: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dialog, setDialog] = useState<Open>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(async () => {
    setError(undefined);
    const params = { path: { id: props.id } };
    // Both at once: the EHR read is the slow one and needs nothing from the proposal.
    const ehrState = answer(api.http.GET('/review/{id}/ehr-state', { params })).catch((e: unknown) => ({
      error: describeError(e),
    }));
    try {
      setDetail(await answer(api.http.GET('/review/{id}', { params })));
    } catch (e) {
      setError(describeError(e));
      return;
    }
    setState(await ehrState);
  }, [api, props.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const pending = detail?.status === 'pending_review';
  const mayDecide = detail !== undefined && can('review.decide', detail.site);
  const assignToMe = async (): Promise<void> => {
    if (detail === undefined) return;
    try {
      await answer(
        api.http.POST('/review/{id}/assign', { params: { path: { id: detail.id } }, body: { assigneeId: me.id } }),
      );
      setNotice('Assigned to you.');
      await load();
    } catch (e) {
      setNotice(describeError(e));
    }
  };

  const retryable = detail?.status === 'failed' && detail.error?.retryable === true;
  const retryNow = async (): Promise<void> => {
    if (detail === undefined) return;
    try {
      await answer(
        api.http.POST('/review/{id}/retry', {
          params: { path: { id: detail.id } },
          body: { contentHash: detail.contentHash },
        }),
      );
      setNotice('Sent to the EHR again.');
    } catch (e) {
      setNotice(describeError(e));
    }
    await load();
  };

  useShortcuts({
    a: () => pending && mayDecide && setDialog('approve'),
    r: () => pending && mayDecide && setDialog('reject'),
    e: () => pending && mayDecide && setDialog('edit'),
    m: () => void assignToMe(),
    u: () => navigate('review'),
  });

  const decided = (o: DecisionOutcome): void => {
    setDialog(undefined);
    setNotice(o.message);
    if (o.next !== undefined) navigate('review', o.next);
    else void load();
  };

  if (error !== undefined) {
    return (
      <section>
        <p>
          <a href={href('review')}>← Back to the queue</a>
        </p>
        <h1>Proposal</h1>
        <p className="error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (detail === undefined) return <p role="status">Loading the proposal…</p>;
  const heading = proposalHeading(detail);

  return (
    <section aria-labelledby="proposal-title">
      <p>
        <a href={href('review')}>← Back to the queue</a> <span className="muted">(u)</span>
      </p>
      <h1 id="proposal-title">
        {heading.title} <span className="muted">· {statusLabel(detail.status)}</span>
      </h1>
      {heading.lines.length > 0 && (
        <ul className="rendering" aria-label="What this proposal does">
          {heading.lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Priority</dt>
        <dd>
          <span className={`badge p${detail.priority}`}>{priorityNames[detail.priority] ?? detail.priority}</span>
        </dd>
        <dt>Patient</dt>
        <dd>{patientLine(detail.patientLabel) ?? '—'}</dd>
        <dt>Drafted by</dt>
        <dd>{actorName(detail.draftedBy, me.id)}</dd>
        <dt>Due</dt>
        <dd>
          {formatDue(detail.dueAt)} ({formatDateTime(detail.dueAt)})
        </dd>
        <dt>Why</dt>
        <dd>{humanize(detail.reasonCode)}</dd>
        <dt>Workflow · site</dt>
        <dd>
          {detail.workflow ?? '—'} · {detail.site}
        </dd>
        <dt>Target</dt>
        <dd>
          {detail.target.resourceType}
          {detail.target.id !== undefined ? `/${detail.target.id}` : ' (new)'}
          {detail.baseVersion !== undefined ? `, based on version ${detail.baseVersion}` : ''}
        </dd>
        <dt>Revision</dt>
        <dd>
          {detail.revision}
          {detail.supersedes !== undefined && (
            <>
              {' '}
              (replaces <a href={href('review', detail.supersedes)}>{shortId(detail.supersedes)}</a>)
            </>
          )}
        </dd>
        <dt>Reversible</dt>
        <dd>
          {detail.reversible
            ? 'Yes: it can be rolled back'
            : `No — ${detail.irreversibleReason ?? 'it cannot be undone'}`}
        </dd>
        <dt>Assigned</dt>
        <dd>
          {detail.assigneeId === undefined
            ? 'No one'
            : detail.assigneeId === me.id
              ? 'Me'
              : (detail.assigneeName ?? 'Someone else')}
        </dd>
        {detail.rejection !== undefined && (
          <>
            <dt>Rejected because</dt>
            <dd>{detail.rejection}</dd>
          </>
        )}
        {detail.status === 'failed' && detail.error !== undefined && (
          <>
            <dt>Not written</dt>
            <dd>{writeFailure(detail.error)}</dd>
          </>
        )}
      </dl>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {pending && mayDecide && (
        <div className="actions start">
          <button type="button" className="primary" onClick={() => setDialog('approve')} aria-keyshortcuts="a">
            Approve <kbd>a</kbd>
          </button>
          <button type="button" className="danger-outline" onClick={() => setDialog('reject')} aria-keyshortcuts="r">
            Reject <kbd>r</kbd>
          </button>
          <button type="button" onClick={() => setDialog('edit')} aria-keyshortcuts="e">
            Edit <kbd>e</kbd>
          </button>
          <button type="button" onClick={() => void assignToMe()} aria-keyshortcuts="m">
            Assign to me <kbd>m</kbd>
          </button>
        </div>
      )}
      {retryable && mayDecide && (
        <div className="actions start">
          <button type="button" className="primary" onClick={() => void retryNow()}>
            Retry now
          </button>
        </div>
      )}
      {detail.diff !== undefined && <DiffPanel diff={detail.diff} />}
      <div className="grid-2">
        <PayloadPanel detail={detail} />
        <EhrStatePanel state={state} detail={detail} />
      </div>
      <HistoryPanel history={detail.history} meId={me.id} />
      {dialog === 'approve' && <ApproveDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
      {dialog === 'reject' && <RejectDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
      {dialog === 'edit' && <EditDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

/** Why an approved write did not land, and what happens next: retried by itself, given up, or a person's call. */
function writeFailure(e: NonNullable<ProposalDetail['error']>): string {
  const why = `${humanize(e.code)}${e.message !== undefined ? `: ${e.message}` : ''}`;
  const tries = e.attempts !== undefined ? ` Tried ${e.attempts} time${e.attempts === 1 ? '' : 's'}.` : '';
  if (!e.retryable) return `${why}.${tries} It will not be retried by itself: correct it, or reject it.`;
  if (e.exhausted === true) return `${why}.${tries} Steward gave up retrying: press Retry now when the EHR is back.`;
  if (e.nextAttemptAt !== undefined) return `${why}.${tries} Next try ${formatDateTime(e.nextAttemptAt)}.`;
  return `${why}.${tries}`;
}
