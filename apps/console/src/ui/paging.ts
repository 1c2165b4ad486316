/**
 * @module A cursor-paged list's words (pure: tested under Node, apps/console/test): the line that
 * says which page this is, how many it shows and whether more follow.
 */

/**
 * "Page 2: 50 documents, more on the next page." — or while loading, after an error, or on an empty
 * page, the words for that. `noun` is [one, many].
 */
export function pageLine(p: {
  readonly pageNumber: number;
  /** The page's items; undefined while it loads or when it could not be shown. */
  readonly count: number | undefined;
  readonly more: boolean;
  readonly failed: boolean;
  readonly noun: readonly [string, string];
  /** What an empty page says ("Nothing here: no documents match."). */
  readonly empty: string;
  /** Said after the count (keyboard help). */
  readonly hint?: string;
}): string {
  if (p.count === undefined) return p.failed ? 'The queue could not be shown (the reason is above).' : 'Loading…';
  if (p.count === 0) return p.empty;
  return `Page ${p.pageNumber}: ${p.count} ${p.noun[p.count === 1 ? 0 : 1]}${p.more ? ', more on the next page' : ''}.${p.hint !== undefined ? ` ${p.hint}` : ''}`;
}
