/**
 * @module Which screen is this? A screen contract holds when the page's URL is on the map's origin
 * and matches its URLPattern pathname, and every landmark and required element is in the
 * accessibility tree. The URL alone is never enough: EHRs serve a login page, a notice or an error
 * at the URL of the page that was asked for.
 */
import type { Page } from 'playwright-core';
import type { ElementSpec, ScreenContract, ScreenMap } from '../model/screen-map.js';
import { URLPattern } from '../model/url-pattern.js';
import { controlRoles, locate, namePattern, namesOf } from './names.js';

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
  if (candidates.length === 0) return { matches: [], groups: {}, onOrigin: true };
  // One accessibility snapshot of the page answers every contract (a query per element costs a
  // walk of the page each: a dozen per look, the executor's largest cost before this).
  const tree = names(await page.ariaSnapshotJSON());
  const held = await Promise.all(candidates.map((c) => holds(page, tree, c.contract)));
  const found = candidates.filter((_c, i) => held[i] === true);
  const matches = found.map((c) => c.contract);
  const groups = found[0]?.groups ?? {};
  return { matches, groups, onOrigin: true };
}

/** The accessible names in the page's tree, by role ('' for an element without a name). */
type Names = ReadonlyMap<string, readonly string[]>;

interface AriaNode {
  readonly role?: string;
  readonly name?: string;
  readonly children?: readonly unknown[];
}

function names(snapshot: unknown): Names {
  const byRole = new Map<string, string[]>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return; // a text node
    const { role, name, children } = node as AriaNode;
    if (typeof role === 'string') {
      const list = byRole.get(role) ?? [];
      list.push(typeof name === 'string' ? name : '');
      byRole.set(role, list);
    }
    if (children !== undefined) visit(children);
  };
  visit(snapshot);
  return byRole;
}

function inTree(tree: Names, spec: ElementSpec): boolean {
  const found = tree.get(spec.role) ?? [];
  if (spec.name === '') return found.length > 0;
  const pattern = namePattern(namesOf(spec));
  return found.some((n) => pattern.test(n));
}

/**
 * Every landmark and required element of the contract is on the page. A form control the tree
 * has no role for (some browsers give date inputs none) is looked for by its label, as actions do.
 */
async function holds(page: Page, tree: Names, contract: ScreenContract): Promise<boolean> {
  const specs = [...contract.landmarks, ...contract.required];
  if (specs.some((spec) => !inTree(tree, spec) && !controlRoles.has(spec.role))) return false;
  const byLabel = specs.filter((spec) => !inTree(tree, spec));
  const counts = await Promise.all(byLabel.map(async (spec) => (await locate(page, spec)).count()));
  return counts.every((n) => n > 0);
}
