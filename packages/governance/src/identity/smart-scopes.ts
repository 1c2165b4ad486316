/**
 * @module The scopes a SMART Backend Services client of Steward may ask for and be granted: SMART
 * system scopes (`system/Patient.rs`, v1 `system/Patient.read` too) and Steward's own action names
 * (`ai.call`, `proposal.create`, `events.subscribe` …), and the Steward actions a SMART scope
 * implies on the token (`r` → `phi.read`, `s` → `phi.search`, `c`/`u`/`d` → `phi.write`), so the
 * policy decision point, which checks token scopes against actions, needs no second vocabulary.
 *
 * A token scope only narrows: the service account's grants (role, site, workflow, purpose) still
 * decide every action. Known limits: a v2 scope with a query (`system/Observation.rs?category=…`)
 * is granted only when registered exactly so, and carries its restriction only where the FHIR
 * facade reads it; `user/`, `patient/`, `launch` and `openid` scopes mean nothing to a backend
 * client and are refused at registration and dropped from a request.
 */
const letters = ['c', 'r', 'u', 'd', 's'] as const;
type Letter = (typeof letters)[number];

interface SystemScope {
  readonly resourceType: string;
  readonly letters: ReadonlySet<Letter>;
  readonly query: string;
  readonly text: string;
}

const systemScope = /^system\/(\*|[A-Z][A-Za-z]{0,63})\.([a-z*]{1,5})(\?[A-Za-z0-9_.:|,=&%-]{1,200})?$/;
const actionScope = /^[a-z][a-z_]*(\.[a-z_]+)+$/;

/** One SMART system scope, or undefined when it is not one. */
function parseSystemScope(text: string): SystemScope | undefined {
  const m = systemScope.exec(text);
  if (m === null) return undefined;
  const [, resourceType = '', permission = '', query = ''] = m;
  let set: Set<Letter>;
  if (permission === 'read') set = new Set(['r', 's']);
  else if (permission === 'write') set = new Set(['c', 'u', 'd']);
  else if (permission === '*') set = new Set(letters);
  else {
    // v2: a subsequence of "cruds", in that order, each letter once.
    let last = -1;
    set = new Set();
    for (const ch of permission) {
      const at = letters.indexOf(ch as Letter);
      if (at <= last) return undefined;
      last = at;
      set.add(ch as Letter);
    }
  }
  return { resourceType, letters: set, query, text };
}

/**
 * Whether `scope` is one a client may be registered with: a SMART system scope, or one of
 * `actions` (Steward's action names). Anything else is named back to the administrator.
 */
export function isGrantableScope(scope: string, actions: readonly string[]): boolean {
  return parseSystemScope(scope) !== undefined || (actionScope.test(scope) && actions.includes(scope));
}

/**
 * What a token request is granted: each requested scope narrowed to what the registration allows.
 * A SMART scope is granted for the letters both allow (a narrowed scope is written in v2 syntax;
 * one granted in full keeps the client's syntax); `*` in the request is covered only by `*`
 * registered; a scope with a query only by the very same scope; an action name only when
 * registered. Order of the request kept, duplicates dropped.
 */
export function intersectScopes(requested: readonly string[], allowed: readonly string[]): string[] {
  const allowedSmart = allowed.map(parseSystemScope).filter((s): s is SystemScope => s !== undefined);
  const granted: string[] = [];
  const add = (s: string): void => {
    if (!granted.includes(s)) granted.push(s);
  };
  for (const want of requested) {
    const smart = parseSystemScope(want);
    if (smart === undefined) {
      if (actionScope.test(want) && allowed.includes(want)) add(want);
      continue;
    }
    if (smart.query !== '') {
      if (allowed.includes(want)) add(want);
      continue;
    }
    const both = new Set<Letter>();
    for (const have of allowedSmart) {
      if (have.query !== '') continue;
      if (have.resourceType !== '*' && have.resourceType !== smart.resourceType) continue;
      for (const l of smart.letters) if (have.letters.has(l)) both.add(l);
    }
    if (both.size === 0) continue;
    add(
      both.size === smart.letters.size
        ? want
        : `system/${smart.resourceType}.${letters.filter((l) => both.has(l)).join('')}`,
    );
  }
  return granted;
}

/** The Steward actions the granted SMART scopes imply, to be carried on the token beside them. */
export function impliedActions(granted: readonly string[]): string[] {
  const out = new Set<string>();
  for (const scope of granted) {
    const smart = parseSystemScope(scope);
    if (smart === undefined) continue;
    if (smart.letters.has('r')) out.add('phi.read');
    if (smart.letters.has('s')) out.add('phi.search');
    if (smart.letters.has('c') || smart.letters.has('u') || smart.letters.has('d')) out.add('phi.write');
  }
  return [...out];
}
