/**
 * @module Which screen is this? A screen contract holds when the page's URL is on the map's origin
 * and matches its URLPattern pathname, and every landmark and required element is in the
 * accessibility tree. The URL alone is never enough: EHRs serve a login page, a notice or an error
 * at the URL of the page that was asked for.
 */
import type { Page } from 'playwright-core';
import type { ScreenContract, ScreenMap } from '../model/screen-map.js';
import { URLPattern } from '../model/url-pattern.js';
import { locate } from './names.js';

const patterns = new Map<string, URLPattern>();

/** The groups of `path` in `pathname` (`{ patient: 'm-1001' }`), or undefined when it does not match. */
export function matchPath(path: string, pathname: string): Readonly<Record<string, string>> | undefined {
  let pattern = patterns.get(path);
  if (pattern === undefined) {
    pattern = new URLPattern({ pathname: path });
    patterns.set(path, pattern);
  }
  const m = pattern.exec({ pathname });
  if (m === null) return undefined;
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.pathname.groups)) if (v !== undefined) groups[k] = v;
  return groups;
}

export interface Identified {
  /** The contracts that hold (exactly one on a known screen). */
  readonly matches: readonly ScreenContract[];
  /** The URL's path groups for the first match. */
  readonly groups: Readonly<Record<string, string>>;
  /** Whether the page is on the map's origin at all. */
  readonly onOrigin: boolean;
}

export async function identify(page: Page, map: ScreenMap): Promise<Identified> {
  let url: URL;
  try {
    url = new URL(page.url());
  } catch {
    return { matches: [], groups: {}, onOrigin: false };
  }
  if (url.origin !== new URL(map.origin).origin) return { matches: [], groups: {}, onOrigin: false };
  // Contracts whose path matches, checked together (each check is a round trip to the page).
  const candidates = map.screens
    .map((contract) => ({ contract, groups: matchPath(contract.path, url.pathname) }))
    .filter((c): c is { contract: ScreenContract; groups: Readonly<Record<string, string>> } => c.groups !== undefined);
  const held = await Promise.all(candidates.map((c) => holds(page, c.contract)));
  const found = candidates.filter((_c, i) => held[i] === true);
  const matches = found.map((c) => c.contract);
  const groups = found[0]?.groups ?? {};
  return { matches, groups, onOrigin: true };
}

async function holds(page: Page, contract: ScreenContract): Promise<boolean> {
  const counts = await Promise.all(
    [...contract.landmarks, ...contract.required].map(async (spec) => (await locate(page, spec)).count()),
  );
  return counts.every((n) => n > 0);
}
