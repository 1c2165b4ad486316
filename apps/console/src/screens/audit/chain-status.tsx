/**
 * @module The audit chain's integrity, checked on demand: "Verify chain" runs `GET /audit/verify`
 * (which walks the whole log from genesis, so it is a button, not a page load) and says how far
 * the chain holds: the seq and time verified to, or where it breaks and why. The run is audited.
 */
import { useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import type { VerifyAnswer } from './audit-types.js';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'done'; readonly answer: VerifyAnswer };

export function ChainStatus(): ReactNode {
  const { api } = useSession();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const verify = async (): Promise<void> => {
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', answer: await answer(api.http.GET('/audit/verify')) });
    } catch (e) {
      setState({ kind: 'error', message: describeError(e) });
    }
  };
  return (
    <section className="panel" aria-labelledby="chain-title">
      <h2 id="chain-title">Chain integrity</h2>
      <p className="help">
        Checks every entry's hash chain and signed checkpoint from the first entry on. It reads the whole log, so it may
        take a while on a large one.
      </p>
      <button type="button" className="primary" disabled={state.kind === 'running'} onClick={() => void verify()}>
        Verify chain
      </button>
      <div role="status" className="chain-result">
        {state.kind === 'running' && <p className="muted">Verifying…</p>}
        {state.kind === 'done' && <Result answer={state.answer} />}
      </div>
      {state.kind === 'error' && (
        <p role="alert" className="error">
          Could not verify: {state.message}
        </p>
      )}
    </section>
  );
}

function Result({ answer }: { readonly answer: VerifyAnswer }): ReactNode {
  const to = answer.verifiedTo;
  const upTo =
    to.seq === 0 ? 'no entry' : `entry ${String(to.seq)}${to.at !== null ? ` (${formatDateTime(to.at)})` : ''}`;
  if (answer.ok)
    return (
      <p>
        <span className="badge ok">Intact</span> Verified up to {upTo}: {answer.entries} entries, {answer.checkpoints}{' '}
        signed checkpoints
        {answer.unsealedEntries > 0 ? `, ${String(answer.unsealedEntries)} entries after the last checkpoint` : ''}.
        Checked {formatDateTime(answer.checkedAt)}.
      </p>
    );
  return (
    <div>
      <p>
        <span className="badge overdue">Broken</span> The chain breaks at entry {answer.firstBadSeq} ({answer.problem}
        ). Verified up to {upTo}. Checked {formatDateTime(answer.checkedAt)}.
      </p>
      <p className="muted">{answer.message}</p>
    </div>
  );
}
