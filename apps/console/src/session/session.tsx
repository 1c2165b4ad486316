/**
 * @module The signed-in session: who is signed in and what the grants allow, the API client, the
 * idle lock and re-authentication. The session itself is an HttpOnly cookie (ADR 0014), so a
 * reload resumes it (GET /me) and every tab of the console shares it; the tabs tell one another
 * of activity (so working in one keeps the others from locking) and of the end (a lock or a
 * sign-out in one ends them all). Locked, the screens stay mounted (so work in progress resumes)
 * but hidden, and the session is ended at the server until the same user signs in again.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient, ApiError, answer } from '../api/client.js';
import type { Me } from '../api/types.js';
import { useIdleTimer } from './idle-timer.js';
import { SignIn, type Credentials } from './sign-in.js';
import { IdleWarning } from './idle-warning.js';
import { sessionChannel, type SessionMessage } from './session-channel.js';

export interface Session {
  readonly me: Me;
  readonly api: ApiClient;
  /** Whether the grants allow `action` (at `site`, or at some site when none is named). */
  readonly can: (action: string, site?: string) => boolean;
  /** The sites where `action` is allowed; `['*']` means every site. */
  readonly sitesFor: (action: string) => readonly string[];
  readonly refresh: () => Promise<void>;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error('useSession outside a signed-in console');
  return s;
}

type State =
  | { readonly kind: 'resuming' }
  | { readonly kind: 'signed-out'; readonly notice?: string }
  | { readonly kind: 'active'; readonly me: Me; readonly idleSeconds: number }
  | { readonly kind: 'locked'; readonly me: Me; readonly idleSeconds: number; readonly notice: string };

/** The server's idle limit when it does not say (a bearer session from an older server). */
const defaultIdleSeconds = 15 * 60;
const idleNotice = 'You were signed out after a period without activity. Sign in again to resume.';

export function SessionRoot({ children }: { readonly children: ReactNode }): ReactNode {
  const [state, setState] = useState<State>({ kind: 'resuming' });
  const stateRef = useRef(state);
  stateRef.current = state;
  const lockRef = useRef<(notice: string) => void>(() => undefined);
  const api = useMemo(() => new ApiClient(() => lockRef.current('Your session ended. Sign in again to resume.')), []);
  const channel = useMemo(() => sessionChannel(), []);

  const activate = useCallback(
    (me: Me) => {
      api.noteServerTime(me.serverTime);
      setState({ kind: 'active', me, idleSeconds: me.idleTimeoutSeconds ?? defaultIdleSeconds });
    },
    [api],
  );

  /** Ends the session at the server (unless another tab already did) and locks this tab. */
  const lock = useCallback(
    (notice: string, fromOtherTab = false) => {
      // Once only: the logout's own answer (401 when the session is already over) must not lock again.
      if (stateRef.current.kind !== 'active') return;
      stateRef.current = { kind: 'locked', me: stateRef.current.me, idleSeconds: stateRef.current.idleSeconds, notice };
      setState((s) => (s.kind === 'active' ? { kind: 'locked', me: s.me, idleSeconds: s.idleSeconds, notice } : s));
      if (fromOtherTab) {
        api.setSignedIn(false);
        return;
      }
      channel.post({ kind: 'ended', notice });
      // The server ends the session (and clears the cookie) whatever this tab does next.
      void answer(api.http.POST('/auth/logout'))
        .catch(() => undefined)
        .finally(() => api.setSignedIn(false));
    },
    [api, channel],
  );
  lockRef.current = lock;

  // A reload or a new tab: the cookie, if still live at the server, is the session.
  useEffect(() => {
    let live = true;
    answer(api.http.GET('/me'))
      .then((me) => {
        if (!live) return;
        api.setSignedIn(true);
        activate(me);
      })
      .catch((e: unknown) => {
        if (!live) return;
        const expired = e instanceof ApiError && e.code === 'AUTH_SESSION_EXPIRED';
        setState(expired ? { kind: 'signed-out', notice: idleNotice } : { kind: 'signed-out' });
      });
    return () => {
      live = false;
    };
  }, [api, activate]);

  // What the other tabs say: the session ended there, or someone signed in there.
  useEffect(
    () =>
      channel.listen((m: SessionMessage) => {
        if (m.kind === 'ended') {
          lock(m.notice, true);
          return;
        }
        if (m.kind !== 'signed-in') return;
        // One browser holds one session cookie: whoever signed in there is who this tab now acts as.
        answer(api.http.GET('/me'))
          .then((me) => {
            const s = stateRef.current;
            if (s.kind === 'active' && s.me.id === me.id) return;
            if (s.kind === 'signed-out' || (s.kind === 'locked' && s.me.id === me.id)) {
              api.setSignedIn(true);
              activate(me);
              return;
            }
            api.setSignedIn(false);
            setState({
              kind: 'signed-out',
              notice: 'Someone else signed in to Steward in another tab of this browser.',
            });
          })
          .catch(() => undefined);
      }),
    [api, channel, lock],
  );

  const signIn = useCallback(
    async (credentials: Credentials, expectedUser?: string): Promise<void> => {
      const login = await answer(api.http.POST('/auth/login', { body: { ...credentials, cookie: true } }));
      api.setSignedIn(true, login.sessionToken);
      const me = await answer(api.http.GET('/me'));
      if (expectedUser !== undefined && me.id !== expectedUser) {
        await answer(api.http.POST('/auth/logout')).catch(() => undefined);
        api.setSignedIn(false);
        throw new Error('only the user who was signed in can resume this session');
      }
      activate(me);
      if (login.sessionCookie) channel.post({ kind: 'signed-in' });
    },
    [api, channel, activate],
  );

  const idle = useIdleTimer(
    state.kind === 'active',
    state.kind === 'active' || state.kind === 'locked' ? state.idleSeconds : 0,
    () => lock(idleNotice),
    channel,
  );

  const signOut = useCallback(async () => {
    channel.post({ kind: 'ended', notice: 'You signed out in another tab. Sign in again to resume.' });
    await answer(api.http.POST('/auth/logout')).catch(() => undefined);
    api.setSignedIn(false);
    setState({ kind: 'signed-out', notice: 'You have signed out.' });
  }, [api, channel]);

  if (state.kind === 'resuming') {
    return (
      <main className="sign-in" aria-busy="true">
        <p role="status">Opening Steward…</p>
      </main>
    );
  }
  if (state.kind === 'signed-out') {
    return <SignIn onSubmit={(c) => signIn(c)} {...(state.notice !== undefined ? { notice: state.notice } : {})} />;
  }

  const session: Session = {
    me: state.me,
    api,
    can: (action, site) => {
      const sites = state.me.permissions[action] ?? [];
      return site === undefined ? sites.length > 0 : sites.includes('*') || sites.includes(site);
    },
    sitesFor: (action) => state.me.permissions[action] ?? [],
    refresh: async () => {
      const me = await answer(api.http.GET('/me'));
      api.noteServerTime(me.serverTime);
      setState((s) => (s.kind === 'active' ? { ...s, me } : s));
    },
    signOut,
  };

  return (
    <SessionContext.Provider value={session}>
      {/* Locked: hidden from sight and from assistive technology, but kept, so work resumes. */}
      <div hidden={state.kind === 'locked'} key={state.me.id}>
        {children}
      </div>
      {state.kind === 'locked' && (
        <SignIn
          notice={state.notice}
          lockedUser={state.me.name}
          onSubmit={(c) => signIn(c, state.me.id)}
          onSwitchUser={() => setState({ kind: 'signed-out' })}
        />
      )}
      {state.kind === 'active' && idle.state.kind === 'warning' && (
        <IdleWarning
          secondsLeft={idle.state.secondsLeft}
          onStay={() => {
            idle.stayActive();
            // Tell the server too: its idle clock moves only with requests.
            void session.refresh().catch(() => undefined);
          }}
        />
      )}
    </SessionContext.Provider>
  );
}
