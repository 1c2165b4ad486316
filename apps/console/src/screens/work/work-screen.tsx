/**
 * @module My work (`#/work`): the handoffs the caller holds or that are offered to them, their pools
 * or their role, or escalated to them (`GET /handoffs/mine`), overdue first; and (`#/work/pools`,
 * `#/work/pools/<pool>`) the queues of the pools their staff record puts them in
 * (`GET /handoffs/pools/<pool>`). Each row says what is asked, what it is about (a link), from and
 * to whom by name, when it is due in the site's zone, its status, and the moves the caller may make.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, answer, describeError } from '../../api/client.js';
import type { StaffMember } from '../../api/types.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import type { ScreenProps } from '../index.js';
import { HandoffQueue } from './handoff-queue.js';
import './work.css';

export { SubjectHandoffs } from './subject-handoffs.js';

export function WorkScreen(props: ScreenProps): ReactNode {
  const id = useId();
  const tab = props.params[0] === 'pools' ? 'pools' : 'mine';
  return (
    <section aria-labelledby={`${id}-title`} className="work">
      <h1 id={`${id}-title`}>My work</h1>
      <nav className="work-tabs" aria-label="Which queue">
        <a href={href('work')} aria-current={tab === 'mine' ? 'page' : undefined}>
          Mine
        </a>
        <a href={href('work', 'pools')} aria-current={tab === 'pools' ? 'page' : undefined}>
          My pools
        </a>
      </nav>
      {tab === 'mine' ? <Mine /> : <Pools pool={props.params[1]} />}
    </section>
  );
}

function Mine(): ReactNode {
  const { api } = useSession();
  const load = useCallback(async () => (await answer(api.http.GET('/handoffs/mine'))).items, [api]);
  return (
    <>
      <p className="muted">
        What you hold, and what is offered to you, your pools or your role, or escalated to you. Overdue first.
      </p>
      <HandoffQueue label="My work" load={load} />
    </>
  );
}

function Pools(props: { readonly pool: string | undefined }): ReactNode {
  const { api, me } = useSession();
  const [staff, setStaff] = useState<StaffMember | null | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    answer(api.http.GET('/staff/{user}', { params: { path: { user: me.id } } })).then(
      (s) => live && setStaff(s),
      (e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 404) setStaff(null);
        else setError(describeError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, me.id]);
  const pools = staff?.pools ?? [];
  const chosen = pools.find((p) => p.pool === props.pool) ?? pools[0];
  const pool = chosen?.pool;
  const load = useCallback(
    async () =>
      pool === undefined
        ? []
        : (await answer(api.http.GET('/handoffs/pools/{pool}', { params: { path: { pool } } }))).items,
    [api, pool],
  );
  if (error !== undefined)
    return (
      <p className="error" role="alert">
        Your pools could not be found: {error}
      </p>
    );
  if (staff === undefined) return <p className="muted">Loading…</p>;
  if (chosen === undefined)
    return (
      <p className="muted">
        You are in no pool: an administrator adds you to one on your staff record (Users and access).
      </p>
    );
  return (
    <>
      {pools.length > 1 && (
        <nav className="work-pools" aria-label="Your pools">
          {pools.map((p) => (
            <a
              key={`${p.site}/${p.pool}`}
              href={href('work', 'pools', p.pool)}
              aria-current={p.pool === chosen.pool ? 'page' : undefined}
            >
              {p.pool} <span className="muted">({p.site})</span>
            </a>
          ))}
        </nav>
      )}
      <p className="muted">
        The {chosen.pool} pool at site {chosen.site}: open handoffs offered or escalated to it, overdue first. Take one
        to make it yours.
      </p>
      <HandoffQueue key={chosen.pool} label={`The ${chosen.pool} pool's queue`} load={load} />
    </>
  );
}
