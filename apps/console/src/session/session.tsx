/**
 * @module The signed-in session: who is signed in and what the grants allow, the API client with
 * the token, the idle lock and re-authentication. Locked, the screens stay mounted (so work in
 * progress resumes) but hidden, and the token is gone until the same user signs in again.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient, answer } from '../api/client.js';
import type { Me } from '../api/types.js';
import { useIdleTimer } from './idle-timer.js';
import { SignIn, type Credentials } from './sign-in.js';
import { IdleWarning } from './idle-warning.js';

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
  | { readonly kind: 'signed-out'; readonly notice?: string }
  | { readonly kind: 'active'; readonly me: Me; readonly idleSeconds: number }
  | { readonly kind: 'locked'; readonly me: Me; readonly idleSeconds: number; readonly notice: string };

export function SessionRoot({ children }: { readonly children: ReactNode }): ReactNode {
  const [state, setState] = useState<State>({ kind: 'signed-out' });
  const lockRef = useRef<(notice: string) => void>(() => undefined);
  const api = useMemo(() => new ApiClient(() => lockRef.current('Your session ended. Sign in again to resume.')), []);

  const lock = useCallback(
    (notice: string) => {
      setState((s) => (s.kind === 'active' ? { kind: 'locked', me: s.me, idleSeconds: s.idleSeconds, notice } : s));
      // End the session at the server too; the token is dropped whatever it answers.
      void answer(api.http.POST('/auth/logout'))
        .catch(() => undefined)
        .finally(() => api.setToken(undefined));
    },
    [api],
  );
  lockRef.current = lock;

  const signIn = useCallback(
    async (credentials: Credentials, expectedUser?: string): Promise<void> => {
      const login = await answer(api.http.POST('/auth/login', { body: credentials }));
      api.setToken(login.sessionToken);
      const me = await answer(api.http.GET('/me'));
      if (expectedUser !== undefined && me.id !== expectedUser) {
        await answer(api.http.POST('/auth/logout')).catch(() => undefined);
        api.setToken(undefined);
        throw new Error('only the user who was signed in can resume this session');
      }
      setState({ kind: 'active', me, idleSeconds: login.idleTimeoutSeconds });
    },
    [api],
  );

  const idle = useIdleTimer(state.kind === 'active', state.kind === 'signed-out' ? 0 : state.idleSeconds, () =>
    lock('You were signed out after a period without activity. Sign in again to resume.'),
  );

  const signOut = useCallback(async () => {
    await answer(api.http.POST('/auth/logout')).catch(() => undefined);
    api.setToken(undefined);
    setState({ kind: 'signed-out', notice: 'You have signed out.' });
  }, [api]);

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
