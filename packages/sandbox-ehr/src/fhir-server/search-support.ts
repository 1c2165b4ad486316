/**
 * @module What the sandbox adds to Medplum's in-memory search so it answers like a real FHIR server: unknown,
 * chained and reverse-chained parameters are reported (not silently matched against nothing), `_summary` is
 * honoured (`count` gives no entries), and `_include`/`_revinclude` (with `:iterate`) add the referenced and
 * referring resources with `search.mode = include`.
 *
 * Known limits: chained parameters and `_has` are not supported (reported as such); `_summary=true|text` and
 * `_elements` return whole resources (FHIR allows a server to return more than asked; the Bundle says so).
 */
import { evalFhirPath, getSearchParameter, getSearchParameters, parseSearchRequest } from '@medplum/core';
import type { WithId } from '@medplum/core';
import type { OperationOutcomeIssue, Reference, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from './sandbox-repository.js';

/** Search result parameters and those every resource has, beside the type's own search parameters. */
const controlParameters = new Set([
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_revinclude',
  '_summary',
  '_total',
  '_elements',
  '_format',
  '_pretty',
  '_id',
  '_lastUpdated',
]);

export interface IncludeTarget {
  readonly resourceType: string;
  readonly param: string;
  readonly targetType?: string;
  readonly iterate: boolean;
}

export interface SearchPlan {
  /** What the repository is asked (unknown parameters and the ones handled here removed). */
  readonly query: URLSearchParams;
  /** Every parameter the server applied, for the Bundle's self and paging links. */
  readonly applied: URLSearchParams;
  /** Parameters the server ignored, each with why. */
  readonly ignored: readonly OperationOutcomeIssue[];
  /** Parameters applied only in part (e.g. `_summary=true` answered with whole resources). */
  readonly notes: readonly OperationOutcomeIssue[];
  readonly summary: 'count' | 'data' | 'true' | 'text' | 'false' | undefined;
  readonly include: readonly IncludeTarget[];
  readonly revinclude: readonly IncludeTarget[];
}

function warning(diagnostics: string): OperationOutcomeIssue {
  return { severity: 'warning', code: 'not-supported', diagnostics };
}

function parseTarget(value: string, iterate: boolean): IncludeTarget | undefined {
  const [resourceType, param, targetType, ...rest] = value.split(':');
  if (!resourceType || !param || rest.length > 0) return undefined;
  const sp = getSearchParameter(resourceType, param);
  if (sp?.type !== 'reference' || !sp.expression) return undefined;
  return { resourceType, param, ...(targetType ? { targetType } : {}), iterate };
}

/** Splits a type search into what the repository can answer and what the server reports as ignored. */
export function planSearch(resourceType: string, search: URLSearchParams): SearchPlan {
  const known = getSearchParameters(resourceType) ?? {};
  const query = new URLSearchParams();
  const applied = new URLSearchParams();
  const ignored: OperationOutcomeIssue[] = [];
  const notes: OperationOutcomeIssue[] = [];
  const include: IncludeTarget[] = [];
  const revinclude: IncludeTarget[] = [];
  let summary: SearchPlan['summary'];
  for (const [key, value] of search) {
    const [name = '', modifier] = key.split(':');
    if (name === '_include' || name === '_revinclude') {
      const target = parseTarget(value, modifier === 'iterate');
      if (!target) {
        ignored.push(warning(`${name}=${value} does not name a reference search parameter`));
        continue;
      }
      if (name === '_include') include.push(target);
      else revinclude.push(target);
      applied.append(key, value);
      continue;
    }
    if (name === '_summary') {
      if (['count', 'data', 'true', 'text', 'false'].includes(value)) {
        summary = value as SearchPlan['summary'];
        applied.append(key, value);
        if (value === 'true' || value === 'text') {
          notes.push({
            severity: 'information',
            code: 'informational',
            diagnostics: `_summary=${value} is answered with whole resources`,
          });
        }
      } else ignored.push(warning(`_summary=${value} is not a summary mode`));
      continue;
    }
    if (name === '_format') continue; // negotiated before the search
    if (name === '_has' || name.includes('.')) {
      ignored.push(warning(`chained search parameter ${key} is not supported by this server`));
      continue;
    }
    if (name === '_sort') {
      const unknown = value
        .split(',')
        .map((f) => f.replace(/^-/, ''))
        .filter((f) => !(f in known) && !controlParameters.has(f));
      if (unknown.length > 0) {
        ignored.push(warning(`_sort by unknown parameter ${unknown.join(', ')}`));
        continue;
      }
    } else if (!(name in known) && !controlParameters.has(name)) {
      ignored.push(warning(`unknown search parameter ${name} for ${resourceType}`));
      continue;
    }
    query.append(key, value);
    applied.append(key, value);
  }
  if (search.has('_elements')) {
    notes.push({
      severity: 'information',
      code: 'informational',
      diagnostics: '_elements is answered with whole resources',
    });
  }
  return { query, applied, ignored, notes, summary, include, revinclude };
}

const referenceOf = (r: Resource): string => `${r.resourceType}/${r.id ?? ''}`;

/** References a resource holds under one search parameter ("Patient/123"). */
function referencesUnder(resource: Resource, target: IncludeTarget): string[] {
  const sp = getSearchParameter(target.resourceType, target.param);
  if (!sp?.expression) return [];
  const out: string[] = [];
  for (const v of evalFhirPath(sp.expression, resource)) {
    const ref = (v as Reference | undefined)?.reference;
    if (typeof ref !== 'string' || !/^[A-Z][A-Za-z]+\/[^/]+$/.test(ref)) continue;
    if (target.targetType && !ref.startsWith(`${target.targetType}/`)) continue;
    out.push(ref);
  }
  return out;
}

/**
 * The resources `_include`/`_revinclude` add to a page of matches, not repeating any match; `:iterate` targets
 * are applied again to what was added, a few rounds deep.
 */
export async function resolveIncludes(
  repo: SandboxRepository,
  matches: readonly Resource[],
  plan: Pick<SearchPlan, 'include' | 'revinclude'>,
): Promise<WithId<Resource>[]> {
  const seen = new Set(matches.map(referenceOf));
  const added: WithId<Resource>[] = [];
  let frontier: readonly Resource[] = matches;
  for (let round = 0; round < 4 && frontier.length > 0; round++) {
    const next: WithId<Resource>[] = [];
    const add = (r: WithId<Resource>): void => {
      const ref = referenceOf(r);
      if (seen.has(ref)) return;
      seen.add(ref);
      next.push(r);
    };
    for (const target of plan.include) {
      if (round > 0 && !target.iterate) continue;
      for (const r of frontier.filter((m) => m.resourceType === target.resourceType)) {
        for (const ref of referencesUnder(r, target)) {
          if (seen.has(ref)) continue;
          const found = await repo.readReference({ reference: ref }).catch(() => undefined);
          if (found) add(found);
        }
      }
    }
    for (const target of plan.revinclude) {
      if (round > 0 && !target.iterate) continue;
      const refs = frontier.map(referenceOf);
      if (refs.length === 0) continue;
      const referring = await repo.searchResources(
        parseSearchRequest(target.resourceType, { [target.param]: refs.join(',') }),
      );
      for (const r of referring) add(r);
    }
    added.push(...next);
    frontier = next;
  }
  return added;
}
