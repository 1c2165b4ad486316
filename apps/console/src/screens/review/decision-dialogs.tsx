/**
 * @module The reviewer's decisions, each confirmed in a dialog: approve (bound to the content hash
 * on screen, so a proposal changed meanwhile is refused rather than approved unseen), reject with
 * a reason, roll back a written change with a reason, and approve a selection in bulk after
 * seeing each item's patient and change. Editing is its own dialog (edit-dialog.tsx).
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { DecisionOutcome as ApproveAnswer, ProposalDetail } from '../../api/types.js';
import { useSession } from '../../session/session.js';
import { Dialog } from '../../ui/dialog.js';
import { actionLabel, statusLabel } from './labels.js';

export interface DecisionOutcome {
  readonly message: string;
  /** A new revision to open (after a conflict or an edit). */
  readonly next?: string;
}

interface DialogProps {
  readonly detail: ProposalDetail;
  readonly onDone: (o: DecisionOutcome) => void;
  readonly onClose: () => void;
}

export function ApproveDialog(props: DialogProps): ReactNode {
  const { api } = useSession();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const approve = async (): Promise<void> => {
    setBusy(true);
    try {
      const r = await answer(
        api.http.POST('/review/{id}/approve', {
          params: { path: { id: props.detail.id } },
          body: { contentHash: props.detail.contentHash },
        }),
      );
      props.onDone(approveMessage(r));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Approve this proposal?" onClose={props.onClose}>
      <p>
        {actionLabel(props.detail.action)} will be written to the EHR as shown
        {props.detail.reversible ? ' (it can be rolled back).' : '. It cannot be undone.'}
      </p>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="primary" data-autofocus disabled={busy} onClick={() => void approve()}>
          Approve and write
        </button>
      </div>
    </Dialog>
  );
}

function approveMessage(r: ApproveAnswer): DecisionOutcome {
  if (r.status === 'conflicted' && r.next !== undefined)
    return {
      message:
        'The EHR changed since this was drafted: nothing was written. A rebased revision is open for review below.',
      next: r.next.id,
    };
  if (r.error !== undefined)
    return { message: `Approved, but not written yet (${r.error.code}): ${r.error.message ?? 'it will be retried'}.` };
  return { message: `Approved: ${statusLabel(r.status).toLowerCase()}.` };
}

export function RejectDialog(props: DialogProps): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      await answer(
        api.http.POST('/review/{id}/reject', {
          params: { path: { id: props.detail.id } },
          body: { reason: reason.trim() },
        }),
      );
      props.onDone({ message: 'Rejected. Nothing was written to the EHR.' });
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Dialog title="Reject this proposal" onClose={props.onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-reason`}>Reason (required; kept encrypted with the proposal)</label>
        <textarea
          id={`${id}-reason`}
          rows={3}
          required
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={reason.trim() === ''}>
            Reject
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RollbackDialog(props: DialogProps): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await answer(
        api.http.POST('/review/{id}/rollback', {
          params: { path: { id: props.detail.id } },
          body: { reason: reason.trim() },
        }),
      );
      const created = props.detail.baseVersion === undefined;
      props.onDone({
        message:
          r.status !== 'rolled_back'
            ? `Not rolled back: ${statusLabel(r.status).toLowerCase()}.`
            : created
              ? `Rolled back: the ${props.detail.target.resourceType} it created is withdrawn in the EHR.`
              : `Rolled back: the ${props.detail.target.resourceType} is back to what it was before this change.`,
      });
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Roll back this change?" onClose={props.onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p>
          This change ({actionLabel(props.detail.action).toLowerCase()}) was written to the EHR. Rolling back writes the
          EHR again:{' '}
          {props.detail.target.id !== undefined && props.detail.baseVersion !== undefined
            ? `the ${props.detail.target.resourceType} goes back to version ${props.detail.baseVersion} as it was.`
            : `the ${props.detail.target.resourceType} it created is withdrawn.`}{' '}
          If the EHR changed since, nothing is overwritten and you are told.
        </p>
        <label htmlFor={`${id}-reason`}>Reason (required; kept encrypted with the proposal)</label>
        <textarea
          id={`${id}-reason`}
          rows={3}
          required
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy || reason.trim() === ''}>
            Roll back
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One proposal of a bulk approval as the dialog lists it. */
export interface BulkItem {
  readonly id: string;
  readonly patient: string;
  readonly change: string;
}

/**
 * Bulk approval, confirmed: each selected proposal's patient and change, and the count on the
 * button. Nothing is written before "Approve N proposals" is pressed.
 */
export function BulkApproveDialog(props: {
  readonly items: readonly BulkItem[];
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}): ReactNode {
  const n = props.items.length;
  const count = `${n} proposal${n === 1 ? '' : 's'}`;
  return (
    <Dialog title={`Approve ${count} and write ${n === 1 ? 'it' : 'them'} to the EHR?`} onClose={props.onClose}>
      <p>{n === 1 ? 'It is' : 'Each is'} approved exactly as listed and written at once, and can be rolled back.</p>
      <table className="data">
        <caption className="visually-hidden">The proposals to approve</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((i) => (
            <tr key={i.id}>
              <td>{i.patient}</td>
              <td>{i.change}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="primary" data-autofocus onClick={props.onConfirm}>
          Approve {count}
        </button>
      </div>
    </Dialog>
  );
}
