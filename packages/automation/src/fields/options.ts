/**
 * @module Choosing a dropdown option: exactly, or "normalised" (case, spacing and punctuation
 * aside: `Same-day` is `same day`). Anything looser is a near match, and a near match is never
 * chosen: its candidates are named so a person can decide (and the map's `options` be corrected).
 */

export type OptionChoice =
  | { readonly kind: 'exact' | 'normalised'; readonly text: string }
  | { readonly kind: 'none'; readonly candidates: readonly string[] };

/** Case, spacing and punctuation aside. */
export function looseText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, '');
}

export function chooseOption(options: readonly string[], wanted: string): OptionChoice {
  const exact = options.filter((o) => o.trim() === wanted.trim());
  if (exact.length === 1 && exact[0] !== undefined) return { kind: 'exact', text: exact[0] };
  const w = looseText(wanted);
  const normalised = options.filter((o) => looseText(o) === w);
  if (normalised.length === 1 && normalised[0] !== undefined) return { kind: 'normalised', text: normalised[0] };
  // Near matches, for the person who decides: one contains the other, or they share a first word.
  const first = (s: string): string =>
    s
      .trim()
      .toLowerCase()
      .split(/[\s\p{P}]+/u)[0] ?? '';
  const candidates = options.filter((o) => {
    const l = looseText(o);
    return l !== '' && w !== '' && (l.includes(w) || w.includes(l) || first(o) === first(wanted));
  });
  return { kind: 'none', candidates };
}
