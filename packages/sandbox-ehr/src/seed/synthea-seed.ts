/**
 * @module Seeds the sandbox from the Synthea fixtures, through the FHIR router as batch/transaction Bundles, so the
 * router itself resolves `urn:uuid:` and conditional (`Organization?identifier=...`) references.
 *
 * Order: `generated-sample-data/` (older Synthea, one transaction per patient), then `fhir-data-pipes/` (its
 * shared hospital and practitioner bundles first, since patient bundles reference them conditionally), then the
 * bulk NDJSON set (resources keep their ids, written as PUTs). `maxPatients` stops early, and the slower sets are
 * only read when the limit reaches them.
 *
 * Known limits: the NDJSON set has dangling references (the export left types out); they are stored as they are.
 * Nothing here logs resource content.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getStatus, parseSearchRequest } from '@medplum/core';
import type { FhirRepository, FhirRouter } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { UserError } from '@steward/core';

export interface SeedOptions {
  /** The `synthea-r4` fixtures folder. */
  readonly fixturesDir: string;
  /** Stop after this many patients (all when absent). */
  readonly maxPatients?: number;
}

export interface SeedReport {
  readonly patients: number;
  /** Resources written, by type (from the router's answers, not from the files). */
  readonly byType: Readonly<Record<string, number>>;
  readonly bundles: number;
}

/** Bundles per batch for the NDJSON set: the router caps update entries per transaction. */
const ndjsonChunk = 50;

async function jsonFiles(dir: string, filter: (name: string) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json') && filter(n))
    .sort()
    .map((n) => join(dir, n));
}

export class SyntheaSeeder {
  readonly #router: FhirRouter;
  readonly #repo: FhirRepository;
  readonly #byType: Record<string, number> = {};
  #bundles = 0;
  #patients = 0;

  constructor(router: FhirRouter, repo: FhirRepository) {
    this.#router = router;
    this.#repo = repo;
  }

  async seed(options: SeedOptions): Promise<SeedReport> {
    const limit = options.maxPatients ?? Number.POSITIVE_INFINITY;
    const room = (): boolean => this.#patients < limit;

    for (const file of await jsonFiles(join(options.fixturesDir, 'generated-sample-data'), () => true)) {
      if (!room()) break;
      await this.#post(JSON.parse(await readFile(file, 'utf8')) as Bundle, 'generated-sample-data');
    }

    const pipes = join(options.fixturesDir, 'fhir-data-pipes');
    const shared = (n: string): boolean =>
      n.startsWith('hospitalInformation') || n.startsWith('practitionerInformation');
    const pipesPatients = await jsonFiles(pipes, (n) => !shared(n));
    if (room() && pipesPatients.length > 0) {
      for (const file of await jsonFiles(pipes, shared)) {
        await this.#post(JSON.parse(await readFile(file, 'utf8')) as Bundle, 'fhir-data-pipes shared');
      }
      for (const file of pipesPatients) {
        if (!room()) break;
        const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
        await this.#resolveConditionalReferences(bundle);
        await this.#post(bundle, 'fhir-data-pipes');
      }
    }

    if (room()) await this.#seedNdjson(join(options.fixturesDir, 'bulk-ndjson-10-patients'), limit);
    return { patients: this.#patients, byType: { ...this.#byType }, bundles: this.#bundles };
  }

  /**
   * Medplum's router (4.5) resolves `urn:uuid:` references in a transaction but stores conditional references
   * (`Organization?identifier=...`) verbatim, so they are resolved here, once per distinct query.
   */
  async #resolveConditionalReferences(bundle: Bundle): Promise<void> {
    const cache = new Map<string, string | undefined>();
    const pending: { holder: { reference?: string }; query: string }[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        const holder = node as { reference?: unknown };
        if (typeof holder.reference === 'string' && /^[A-Z][A-Za-z]+\?/.test(holder.reference)) {
          pending.push({ holder: holder as { reference?: string }, query: holder.reference });
        }
        Object.values(node).forEach(walk);
      }
    };
    walk(bundle.entry?.map((e) => e.resource));
    for (const { holder, query } of pending) {
      if (!cache.has(query)) {
        const found = await this.#repo.searchOne(parseSearchRequest(query));
        cache.set(query, found ? `${found.resourceType}/${found.id}` : undefined);
      }
      const resolved = cache.get(query);
      if (resolved) holder.reference = resolved;
    }
  }

  async #seedNdjson(dir: string, limit: number): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.ndjson') && !n.startsWith('log'));
    } catch {
      return;
    }
    const read = async (name: string): Promise<Resource[]> =>
      (await readFile(join(dir, name), 'utf8'))
        .split('\n')
        .filter((l) => l.trim().length > 0)
        .map((l) => JSON.parse(l) as Resource);
    // Patients first (to honour the limit), then the rest, keeping only what points at loaded patients.
    const patientFile = names.find((n) => n.startsWith('Patient.'));
    const patients = patientFile ? (await read(patientFile)).slice(0, Math.max(0, limit - this.#patients)) : [];
    const loaded = new Set(patients.map((p) => `Patient/${p.id ?? ''}`));
    await this.#putAll(patients);
    for (const name of names.filter((n) => n !== patientFile).sort()) {
      const resources = (await read(name)).filter((r) => {
        const refs = JSON.stringify(r).match(/"reference":"Patient\/[^"]+"/g) ?? [];
        return refs.every((ref) => loaded.has(ref.slice('"reference":"'.length, -1)));
      });
      await this.#putAll(resources);
    }
  }

  async #putAll(resources: Resource[]): Promise<void> {
    for (let i = 0; i < resources.length; i += ndjsonChunk) {
      const entry: BundleEntry[] = resources.slice(i, i + ndjsonChunk).map((resource) => ({
        resource,
        request: { method: 'PUT', url: `${resource.resourceType}/${resource.id ?? ''}` },
      }));
      await this.#post({ resourceType: 'Bundle', type: 'batch', entry }, 'bulk-ndjson');
    }
  }

  async #post(bundle: Bundle, source: string): Promise<void> {
    // One unit of work per bundle: one journal write (and fsync) instead of one per resource.
    const resourceTypes = new Set((bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource.resourceType] : [])));
    const [outcome, result] = await this.#repo.withTransaction(
      (tx) =>
        this.#router.handleRequest({ method: 'POST', url: '', pathname: '', body: bundle, params: {}, query: {} }, tx),
      { resourceTypes },
    );
    const status = getStatus(outcome);
    if (status >= 400 || result?.resourceType !== 'Bundle') {
      throw new UserError('EHR_REJECTED', `seeding a ${source} bundle failed with status ${status}`);
    }
    this.#bundles += 1;
    for (const entry of result.entry ?? []) {
      const code = Number.parseInt(entry.response?.status ?? '', 10);
      const type = entry.resource?.resourceType ?? entry.response?.location?.split('/')[0];
      // 200 from a conditional create means "already there": not counted as written.
      if (!type || !(code === 201 || (code === 200 && bundle.type === 'batch'))) continue;
      if (code === 200 && bundle.entry?.some((e) => e.request?.ifNoneExist !== undefined)) continue;
      this.#byType[type] = (this.#byType[type] ?? 0) + 1;
      if (type === 'Patient') this.#patients += 1;
    }
  }
}

/** Seeds `repo` through `router`; see the module comment for the order. */
export async function seedSynthea(router: FhirRouter, repo: FhirRepository, options: SeedOptions): Promise<SeedReport> {
  return new SyntheaSeeder(router, repo).seed(options);
}
