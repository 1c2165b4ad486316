/**
 * @module The console's one pager for cursor-paged lists (the intake and review queues, follow-ups,
 * the audit trail): the trail of cursors walked as state (`usePageTrail`; `reset` goes back to the
 * first page when the filters change), and `Pager`, the previous and next page buttons around what
 * the list says of its page (the queues' status line is `pageLine`, paging.ts).
 */
import { useMemo, useState, type ReactNode } from 'react';

export interface PageTrail<C> {
  /** The cursor of the page shown (undefined: the first page). */
  readonly cursor: C | undefined;
  /** Which page is shown, from 1. */
  readonly number: number;
  readonly next: (cursor: C) => void;
  readonly previous: () => void;
  readonly reset: () => void;
}

export function usePageTrail<C = string>(): PageTrail<C> {
  const [trail, setTrail] = useState<readonly (C | undefined)[]>([undefined]);
  const steps = useMemo(
    () => ({
      next: (cursor: C) => setTrail((t) => [...t, cursor]),
      previous: () => setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t)),
      reset: () => setTrail([undefined]),
    }),
    [],
  );
  return { ...steps, cursor: trail.at(-1), number: trail.length };
}

export function Pager<C>(props: {
  readonly pages: PageTrail<C>;
  /** The next page's cursor; undefined on the last page, while loading or after an error. */
  readonly next: C | undefined;
  /** Said between the buttons ("Page 2"). */
  readonly children?: ReactNode;
}): ReactNode {
  const { pages, next } = props;
  return (
    <div className="pager">
      <button type="button" disabled={pages.number === 1} onClick={pages.previous}>
        Previous page
      </button>
      {props.children}
      <button type="button" disabled={next === undefined} onClick={() => next !== undefined && pages.next(next)}>
        Next page
      </button>
    </div>
  );
}
