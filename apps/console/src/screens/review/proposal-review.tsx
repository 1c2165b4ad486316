/**
 * @module One proposal opened for review: what would be written, the EHR's current state beside
 * it, the patient, the evidence, the diff when the EHR changed since drafting, and the history;
 * approve (bound to the content hash shown), reject with a reason, edit (a form; a new revision
 * someone else must approve), assign to me, roll back a written change, retry a failed write. Only
 * what the server says this reader may do (`allowedActions`) is offered. Keyboard: a, r, e, m, u.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { ProposalDetail } from '../../api/types.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, formatDue, humanize, shortId } from '../../ui/format.js';
import { actorName } from '../../ui/patient-label.js';
import { PatientLink } from '../../ui/patient-link.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import { priorityNames, proposalHeading, statusLabel } from './labels.js';
import { ApproveDialog, RejectDialog, RollbackDialog, type DecisionOutcome } from './decision-dialogs.js';
import { EditDialog } from './edit-dialog.js';
import {
  DiffPanel,
  EhrStatePanel,
  HistoryPanel,
  PayloadPanel,
  RevisionDiffPanel,
  type EhrState,
} from './proposal-panels.js';

type Open = 'approve' | 'reject' | 'edit' | 'rollback' | undefined;

export function ProposalReview(props: {
  readonly id: string;
  /** What the decision that opened this revision said. */
  readonly notice?: string | undefined;
  /** Records the message for the revision a decision opens next (this component is replaced then). */
  readonly onOpenNext?: (id: string, message: string) => void;
}): ReactNode {
  const { api, me, can } = useSession();
  const [detail, setDetail] = useState<ProposalDetail | undefined>();
  const [state, setState] = useState<EhrState | { error: string } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dialog, setDialog] = useState<Open>();
  const [notice, setNotice] = useState<string | undefined>(props.notice);
  // The revision this one replaced, for the diff between them (an audited read, like this one).
  const [previous, setPrevious] = useState<ProposalDetail | { unreadable: string } | undefined>();

  const load = useCallback(async () => {
    setError(undefined);
    const params = { path: { id: props.id } };
    // Both at once: the EHR read is the slow one and needs nothing from the proposal.
    const ehrState = answer(api.http.GET('/review/{id}/ehr-state', { params })).catch((e: unknown) => ({
      error: describeError(e),
    }));
    let got: ProposalDetail;
    try {
      got = await answer(api.http.GET('/review/{id}', { params }));
      setDetail(got);
    } catch (e) {
      setError(describeError(e));
      return;
    }
    if (got.supersedes !== undefined) {
      const before = got.supersedes;
      setPrevious(
        await answer(api.http.GET('/review/{id}', { params: { path: { id: before } } })).catch((e: unknown) => ({
          unreadable: describeError(e),
        })),
      );
    } else setPrevious(undefined);
    setState(await ehrState);
  }, [api, props.id]);

  useEffect(() => {
    void load();
  }, [load]);

  // What the server says this reader may do now, by the rule the decisions enforce.
  const allowed = new Set(detail?.allowedActions ?? []);
  const may = (a: 'approve' | 'reject' | 'edit' | 'assign' | 'rollback' | 'retry'): boolean => allowed.has(a);
  const mayDecide = detail !== undefined && can('review.decide', detail.site);
  const ownDraft = detail?.status === 'pending_review' && detail.draftedBy.id === me.id && mayDecide;
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
    a: () => may('approve') && setDialog('approve'),
    r: () => may('reject') && setDialog('reject'),
    e: () => may('edit') && setDialog('edit'),
    m: () => may('assign') && void assignToMe(),
    u: () => navigate('review'),
  });

  const decided = (o: DecisionOutcome): void => {
    setDialog(undefined);
    setNotice(o.message);
    if (o.next !== undefined) {
      props.onOpenNext?.(o.next, o.message);
      navigate('review', o.next);
    } else void load();
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
        <dd>{detail.patientLabel !== undefined ? <PatientLink label={detail.patientLabel} /> : '—'}</dd>
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
          {detail.status === 'rolled_back'
            ? 'Rolled back'
            : detail.reversible
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
        {detail.rollbackReason !== undefined && (
          <>
            <dt>Rolled back because</dt>
            <dd>{detail.rollbackReason}</dd>
          </>
        )}
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
      {ownDraft && !may('approve') && (
        <p className="help">
          You drafted this revision: someone else must approve it. You can still edit, reject or assign it.
        </p>
      )}
      {allowed.size > 0 && (
        <div className="actions start">
          {may('approve') && (
            <button type="button" className="primary" onClick={() => setDialog('approve')} aria-keyshortcuts="a">
              Approve <kbd>a</kbd>
            </button>
          )}
          {may('reject') && (
            <button type="button" className="danger-outline" onClick={() => setDialog('reject')} aria-keyshortcuts="r">
              Reject <kbd>r</kbd>
            </button>
          )}
          {may('edit') && (
            <button type="button" onClick={() => setDialog('edit')} aria-keyshortcuts="e">
              Edit <kbd>e</kbd>
            </button>
          )}
          {may('assign') && detail.assigneeId !== me.id && (
            <button type="button" onClick={() => void assignToMe()} aria-keyshortcuts="m">
              Assign to me <kbd>m</kbd>
            </button>
          )}
          {may('retry') && (
            <button type="button" className="primary" onClick={() => void retryNow()}>
              Retry now
            </button>
          )}
          {may('rollback') && (
            <button type="button" className="danger-outline" onClick={() => setDialog('rollback')}>
              Roll back
            </button>
          )}
        </div>
      )}
      {previous !== undefined && <RevisionDiffPanel revision={detail.revision} previous={previous} detail={detail} />}
      {detail.diff !== undefined && <DiffPanel diff={detail.diff} />}
      <div className="grid-2">
        <PayloadPanel detail={detail} />
        <EhrStatePanel state={state} detail={detail} />
      </div>
      <HistoryPanel history={detail.history} meId={me.id} />
      {dialog === 'approve' && <ApproveDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
      {dialog === 'reject' && <RejectDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
      {dialog === 'edit' && <EditDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />}
      {dialog === 'rollback' && (
        <RollbackDialog detail={detail} onDone={decided} onClose={() => setDialog(undefined)} />
      )}
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
