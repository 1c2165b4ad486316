/**
 * @module The first screen: username, password and the authenticator app's code (MFA). Also the
 * re-authentication form. When the sandbox demo runs, it says how to get the demo accounts (the
 * command, never an account or a secret).
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { describeError } from '../api/client.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly totpCode: string;
}

export function SignIn(props: {
  readonly onSubmit: (c: Credentials) => Promise<void>;
  readonly notice?: string;
  /** Set when re-authenticating: the username is fixed. */
  readonly lockedUser?: string;
  readonly onSwitchUser?: () => void;
}): ReactNode {
  const id = useId();
  const [username, setUsername] = useState(props.lockedUser ?? '');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const relock = props.lockedUser !== undefined;
  const demo = useDemo(!relock);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit({ username: username.trim(), password, totpCode: totpCode.trim() });
    } catch (err) {
      setError(describeError(err));
      setPassword('');
      setTotpCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={relock ? 'sign-in sign-in--overlay' : 'sign-in'} aria-labelledby={`${id}-title`}>
      <form className="sign-in__card" onSubmit={(e) => void submit(e)} noValidate>
        <h1 id={`${id}-title`}>{relock ? 'Session locked' : 'Sign in to Steward'}</h1>
        {props.notice !== undefined && (
          <p className="notice" role="status">
            {props.notice}
          </p>
        )}
        <label htmlFor={`${id}-user`}>Username</label>
        <input
          id={`${id}-user`}
          name="username"
          autoComplete="username"
          value={username}
          readOnly={relock}
          required
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          required
          autoFocus={relock}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label htmlFor={`${id}-code`}>Authenticator code</label>
        <input
          id={`${id}-code`}
          name="totpCode"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          aria-describedby={`${id}-code-help`}
          value={totpCode}
          required
          onChange={(e) => setTotpCode(e.target.value)}
        />
        <p id={`${id}-code-help`} className="help">
          The 6-digit code from your authenticator app.
        </p>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {relock ? 'Sign in to resume' : 'Sign in'}
        </button>
        {demo && (
          <section className="sign-in__demo" aria-label="Demo accounts">
            <h2>Trying the demo?</h2>
            <p>
              This Steward runs the sandbox clinic with synthetic patients and demo staff accounts (a coordinator, a
              reviewer, a compliance officer…). To see their usernames, passwords and current authenticator codes, run
              this in the Steward folder on the server:
            </p>
            <pre>
              <code>npx steward demo-accounts</code>
            </pre>
          </section>
        )}
        {relock && props.onSwitchUser !== undefined && (
          <button type="button" className="link" onClick={props.onSwitchUser}>
            Sign in as someone else
          </button>
        )}
      </form>
    </main>
  );
}

/** Whether the sandbox demo runs (a public, data-free answer); false until known, or if unknown. */
function useDemo(ask: boolean): boolean {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    if (!ask) return undefined;
    let live = true;
    // The page's own origin; not through the session's client: nobody is signed in yet.
    fetch('/auth/sign-in', { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ demo?: unknown }>) : undefined))
      .then((b) => live && setDemo(b?.demo === true))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ask]);
  return demo;
}
