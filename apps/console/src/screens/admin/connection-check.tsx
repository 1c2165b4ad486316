/** @module "Check now" on a connection: discovery, a SMART token, a read, each said with what it found or why it failed. */
import { useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import type { CheckReport } from './admin-types.js';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running' }
  | { readonly kind: 'done'; readonly report: CheckReport }
  | { readonly kind: 'error'; readonly message: string };

const stepNames = { discovery: 'Discovery', token: 'SMART token', read: 'A read' };

export function CheckButton({ connection }: { readonly connection: string }): ReactNode {
  const { api } = useSession();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const check = async (): Promise<void> => {
    setState({ kind: 'running' });
    try {
      const report = await answer(
        api.http.POST('/ehr/connections/{name}/check', { params: { path: { name: connection } } }),
      );
      setState({ kind: 'done', report });
    } catch (e) {
      setState({ kind: 'error', message: describeError(e) });
    }
  };
  return (
    <div>
      <button type="button" disabled={state.kind === 'running'} onClick={() => void check()}>
        Check {connection} now
      </button>
      <div role="status">
        {state.kind === 'running' && <p className="muted">Checking…</p>}
        {state.kind === 'error' && <p className="error">Could not check: {state.message}</p>}
        {state.kind === 'done' && (
          <>
            <p>
              <span className={state.report.ok ? 'badge ok' : 'badge overdue'}>
                {state.report.ok ? 'Works' : 'Fails'}
              </span>
            </p>
            <ul>
              {state.report.steps.map((s) => (
                <li key={s.step}>
                  {stepNames[s.step]}: {s.ok ? 'ok' : 'failed'}, {s.detail} ({Math.round(s.ms)} ms)
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
