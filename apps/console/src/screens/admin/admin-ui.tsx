/**
 * @module What every administration screen shares: loading an answer with its error in words, a
 * confirmation before a change that cannot be taken back, and the outcome of a change (done, or
 * refused with the server's reason) announced to assistive technology.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { describeError } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';

export type Loaded<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'ready'; readonly value: T };

/** Loads on mount and on `reload()`; the last answer stays shown while a reload runs. */
export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((value) => live && setState({ kind: 'ready', value }))
      .catch((e: unknown) => live && setState({ kind: 'error', message: describeError(e) }));
    return () => {
      live = false;
    };
    // The caller names what the load depends on.
  }, [...deps, round]);
  return [state, useCallback(() => setRound((r) => r + 1), [])];
}

/** The loading and error states of a section; the children render the value. */
export function Show<T>(props: {
  readonly what: string;
  readonly state: Loaded<T>;
  readonly children: (value: T) => ReactNode;
}): ReactNode {
  if (props.state.kind === 'loading') return <p className="muted">Loading {props.what}…</p>;
  if (props.state.kind === 'error')
    return (
      <p role="alert" className="error">
        Could not load {props.what}: {props.state.message}
      </p>
    );
  return props.children(props.state.value);
}

export type Outcome = { readonly ok: boolean; readonly message: string } | undefined;

/** Runs a change and keeps its outcome: `done` on success, the server's reason when refused. */
export function useChange(onDone: () => void): {
  readonly outcome: Outcome;
  readonly busy: boolean;
  readonly run: <T>(change: () => Promise<T>, done: string | ((result: T) => string)) => Promise<boolean>;
} {
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T,>(change: () => Promise<T>, done: string | ((result: T) => string)): Promise<boolean> => {
      setBusy(true);
      try {
        const result = await change();
        setOutcome({ ok: true, message: typeof done === 'string' ? done : done(result) });
        onDone();
        return true;
      } catch (e) {
        setOutcome({ ok: false, message: `Refused: ${describeError(e)}` });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [onDone],
  );
  return { outcome, busy, run };
}

export function OutcomeLine({ outcome }: { readonly outcome: Outcome }): ReactNode {
  return (
    <div role="status" className="outcome">
      {outcome !== undefined && <p className={outcome.ok ? 'notice' : 'error'}>{outcome.message}</p>}
    </div>
  );
}

/** Asks before a change: what it does, in words, and a button named for it. */
export function Confirm(props: {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirm: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}): ReactNode {
  return (
    <Dialog title={props.title} role="alertdialog" onClose={props.onClose}>
      {props.children}
      <div className="actions">
        <button type="button" onClick={props.onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger === true ? 'danger' : 'primary'}
          disabled={props.busy === true}
          onClick={props.onConfirm}
        >
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
