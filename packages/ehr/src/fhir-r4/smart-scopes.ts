/** @module SMART system scopes (v1 `.read`/`.write`/`.*` and v2 `.cruds`): does a granted set cover an interaction? */
import { UserError } from '@steward/core';

/** The FHIR interactions the client performs, reduced to SMART v2 permission letters. */
export type ScopeInteraction = 'read' | 'search' | 'create' | 'update' | 'delete';

export interface ScopeNeed {
  readonly resourceType: string;
  readonly interaction: ScopeInteraction;
}

const letterOf: Record<ScopeInteraction, string> = { read: 'r', search: 's', create: 'c', update: 'u', delete: 'd' };

interface ParsedScope {
  readonly resourceType: string; // a type, or '*'
  readonly letters: string; // subset of 'cruds'
}

/**
 * Parses `system/<Type|*>.<read|write|*|cruds subset>[?query]`. Other scopes (launch, openid,
 * user/ and patient/ scopes) grant nothing to a backend client and are ignored.
 * Known limit: a v2 scope with a query (`system/Observation.rs?category=…`) is counted as covering
 * the whole type; the server still enforces the restriction.
 */
export function parseSystemScope(scope: string): ParsedScope | undefined {
  const m = /^system\/([A-Z][A-Za-z]{0,63}|\*)\.([a-z*]+)(\?.*)?$/.exec(scope);
  if (m === null) return undefined;
  const resourceType = m[1] ?? '';
  const permission = m[2] ?? '';
  if (permission === 'read') return { resourceType, letters: 'rs' };
  if (permission === 'write') return { resourceType, letters: 'cud' };
  if (permission === '*') return { resourceType, letters: 'cruds' };
  // v2 letters must appear in order c, r, u, d, s, each at most once.
  if (/^c?r?u?d?s?$/.test(permission) && permission.length > 0) return { resourceType, letters: permission };
  return undefined;
}

export class GrantedScopes {
  readonly #parsed: ParsedScope[];
  readonly raw: readonly string[];

  constructor(scopes: readonly string[]) {
    this.raw = [...scopes];
    this.#parsed = scopes.map(parseSystemScope).filter((s): s is ParsedScope => s !== undefined);
  }

  static fromString(scope: string): GrantedScopes {
    return new GrantedScopes(scope.split(/\s+/).filter((s) => s.length > 0));
  }

  covers(need: ScopeNeed): boolean {
    const letter = letterOf[need.interaction];
    return this.#parsed.some(
      (s) => (s.resourceType === '*' || s.resourceType === need.resourceType) && s.letters.includes(letter),
    );
  }

  /** Throws EHR_SCOPE_NOT_GRANTED naming the type and interaction (never ids) when not covered. */
  require(need: ScopeNeed): void {
    if (!this.covers(need)) {
      throw new UserError('EHR_SCOPE_NOT_GRANTED', `scope not granted: ${need.interaction} ${need.resourceType}`, [
        { path: 'scope', message: `system/${need.resourceType}.${letterOf[need.interaction]}` },
      ]);
    }
  }
}
