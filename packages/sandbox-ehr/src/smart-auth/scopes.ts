/**
 * @module SMART system scopes, v1 (`system/Patient.read`, `.write`, `.*`) and v2 (`system/Patient.rs`, `.cruds`)
 * syntax, reduced to one model: a resource type (or `*`) and a set of permissions c/r/u/d/s.
 *
 * Known limits: only `system/` scopes are understood (this is a Backend Services sandbox; `user/` and `patient/`
 * scopes are never granted); v2 granular query suffixes (`system/Observation.rs?category=...`) are not granted.
 */

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

const v2Order: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];

export interface SystemScope {
  /** A FHIR resource type, or `*` for every type. */
  readonly resourceType: string;
  readonly permissions: ReadonlySet<Permission>;
  /** The scope as it was written, so that a grant can echo the client's own syntax. */
  readonly text: string;
}

const scopePattern = /^system\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/;

/** Parses one scope; undefined for anything this sandbox does not grant (other contexts, malformed, granular). */
export function parseScope(text: string): SystemScope | undefined {
  const match = scopePattern.exec(text);
  if (!match) return undefined;
  const resourceType = match[1] ?? '';
  const action = match[2] ?? '';
  let permissions: Set<Permission>;
  if (action === 'read') permissions = new Set(['r', 's']);
  else if (action === 'write') permissions = new Set(['c', 'u', 'd']);
  else if (action === '*') permissions = new Set(v2Order);
  else {
    // v2: the letters must be a subsequence of "cruds", in that order, without repeats.
    let last = -1;
    permissions = new Set();
    for (const ch of action) {
      const at = v2Order.indexOf(ch as Permission);
      if (at <= last) return undefined;
      last = at;
      permissions.add(ch as Permission);
    }
  }
  return { resourceType, permissions, text };
}

/** Splits a space-separated scope string, dropping what cannot be granted. */
export function parseScopes(text: string): SystemScope[] {
  return text
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map(parseScope)
    .filter((s): s is SystemScope => s !== undefined);
}

/** Whether the scopes allow `permission` on `resourceType`. */
export function scopesAllow(scopes: readonly SystemScope[], resourceType: string, permission: Permission): boolean {
  return scopes.some(
    (s) => (s.resourceType === '*' || s.resourceType === resourceType) && s.permissions.has(permission),
  );
}

function v2Text(resourceType: string, permissions: ReadonlySet<Permission>): string {
  return `system/${resourceType}.${v2Order.filter((p) => permissions.has(p)).join('')}`;
}

/**
 * The granted scopes: each requested scope narrowed to what the client is allowed. A request for `*` is only
 * covered by an allowance for `*`. A scope granted in full keeps the client's own syntax; a narrowed one is
 * written in v2 syntax (so `system/*.read` with only `system/Appointment.rs` allowed becomes nothing, and
 * `system/Task.*` with `system/Task.read` allowed becomes `system/Task.rs`).
 */
export function intersectScopes(requested: readonly SystemScope[], allowed: readonly SystemScope[]): SystemScope[] {
  const granted: SystemScope[] = [];
  const seen = new Set<string>();
  for (const want of requested) {
    const permissions = new Set<Permission>();
    for (const have of allowed) {
      if (have.resourceType !== '*' && have.resourceType !== want.resourceType) continue;
      for (const p of want.permissions) if (have.permissions.has(p)) permissions.add(p);
    }
    if (permissions.size === 0) continue;
    const full = permissions.size === want.permissions.size;
    const text = full ? want.text : v2Text(want.resourceType, permissions);
    if (seen.has(text)) continue;
    seen.add(text);
    granted.push({ resourceType: want.resourceType, permissions, text });
  }
  return granted;
}
