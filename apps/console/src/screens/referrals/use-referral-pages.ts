/**
 * @module One server-paged referral list: the first page on mount (and whenever the query
 * changes), then "more" appends the next page by cursor. Nothing is loaded beyond what is shown.
 */
import { useCallback, useEffect, useState } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import type { ReferralItem, ReferralPage, ReferralQuery } from './referral-types.js';

/** The filters of a list (the hook adds the page size and cursor). */
export type ReferralFilter = Omit<ReferralQuery, 'limit' | 'cursor'>;

export interface ReferralPages {
  readonly items: readonly ReferralItem[];
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly error: string | undefined;
  readonly more: () => void;
}

export function useReferralPages(query: ReferralFilter, limit: number): ReferralPages {
  const { api } = useSession();
  const [items, setItems] = useState<readonly ReferralItem[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();
  // The query as a string: a new object with the same values must not reload.
  const key = JSON.stringify(query);

  const fetchPage = useCallback(
    async (cursor: string | undefined): Promise<ReferralPage> =>
      answer(
        api.http.GET('/referrals', {
          params: {
            query: {
              ...(JSON.parse(key) as ReferralFilter),
              limit: String(limit),
              ...(cursor !== undefined ? { cursor } : {}),
            },
          },
        }),
      ),
    [api, key, limit],
  );

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    setItems([]);
    setNext(undefined);
    fetchPage(undefined)
      .then((page) => {
        if (!live) return;
        setItems(page.items);
        setNext(page.next);
      })
      .catch((e: unknown) => live && setError(describeError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [fetchPage]);

  const more = useCallback(() => {
    if (next === undefined) return;
    setLoading(true);
    fetchPage(next)
      .then((page) => {
        setItems((old) => [...old, ...page.items]);
        setNext(page.next);
      })
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setLoading(false));
  }, [fetchPage, next]);

  return { items, hasMore: next !== undefined, loading, error, more };
}
