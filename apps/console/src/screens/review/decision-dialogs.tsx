/**
 * @module The reviewer's decisions, each confirmed in a dialog: approve (bound to the content hash
 * on screen, so a proposal changed meanwhile is refused rather than approved unseen), reject with
 * a reason, edit the payload as a new revision that someone else must approve.
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

export function EditDialog(props: DialogProps): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [text, setText] = useState(JSON.stringify(props.detail.payload, null, 2));
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      setError('The payload is not valid JSON: check brackets, commas and quotes.');
      return;
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      setError('The payload must be a JSON object: { … }.');
      return;
    }
    try {
      const next = await answer(
        api.http.POST('/review/{id}/edit', {
          params: { path: { id: props.detail.id } },
          body: { payload: { ...payload } },
        }),
      );
      props.onDone({ message: 'Saved as a new revision: someone else must approve it.', next: next.id });
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <Dialog title="Edit what would be written" onClose={props.onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${id}-payload`}>Payload (FHIR JSON)</label>
        <textarea
          id={`${id}-payload`}
          rows={16}
          cols={70}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <p className="help">An edit is a new revision; you cannot approve your own edit.</p>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save as new revision
          </button>
        </div>
      </form>
    </Dialog>
  );
}
