/**
 * @module `PatientIndex`: one Steward patient per person, across every identifier, EHR connection
 * and site. Governed like every PHI store: each method takes the request context first, asks the
 * policy decision point, and audits with the patients it touched. Identifiers are kept as keyed
 * blind indexes only; the minimum demographics (name, birth date, sex) are sealed.
 *
 * It is also the journal's `PatientResolver` (inbound events resolve while they are filed: the
 * journal has decided `ehr.ingest` and its receipt's audit entry names the patients) and the audit
 * search's `AuditPatientLookup` ("who accessed this patient" for an MRN, an EHR id, a name).
 */
import {
  NotFoundError,
  ValidationError,
  newId,
  systemClock,
  type Clock,
  type EhrEventInput,
  type PatientIdentifier,
  type PatientRef,
  type RequestContext,
} from '@steward/core';
import type {
  AuditPatientLookup,
  FieldCipher,
  KnownPatients,
  PatientLookup,
  PatientResolver,
  PatientSighting,
  PolicyDecisionPoint,
  ResolvableEvent,
  ResolvableSubject,
  SightingDemographics,
  TransactionalAudit,
} from '@steward/governance';
import { sourceOf } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import {
  bareValueKey,
  identifierKeyOf,
  matchKeyOf,
  nearMatchKeysOf,
  parseSearchTerm,
  sightingKeys,
} from './linking.js';
import {
  appendLinks,
  fillDemographics,
  findByKeys,
  findByAnyMatch,
  findByMatch,
  findByValue,
  idsWithMergedByKey,
  insertReviews,
  liveIdOf,
  patientRows,
  withMerged,
  type PatientRow,
} from './patient-rows.js';
import { Resolution, sameNameAndBirthDate } from './resolution.js';
import { PatientKeyCache, type KeyCacheOptions } from './key-cache.js';

export interface PatientIndexDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
  /** The in-memory key cache of inbound resolution (see key-cache.ts); `{ maxEntries: 0 }` disables it. */
  readonly cache?: KeyCacheOptions;
}

/** A patient as a search shows it: the Steward id, where first seen, the minimum demographics. */
export interface PatientSummary {
  readonly id: string;
  readonly site: string;
  readonly name?: SightingDemographics['name'];
  readonly birthDate?: string;
  readonly gender?: NonNullable<SightingDemographics['gender']>;
  /** Steward ids retired into this one (merged in the EHR or by a reviewer). */
  readonly mergedIds: readonly string[];
}

/** What `find` looks for: a search term (any identifier, or `Family, Given YYYY-MM-DD`). */
export interface PatientQuery {
  readonly term: string;
  /**
   * For a `Family, Given YYYY-MM-DD` term: find instead the patients whose family or given name is one
   * letter off (same birth date), for a name a fax's OCR misread. The caller decides what a near find
   * is worth (intake takes only a single one); the trail says the search was near.
   */
  readonly near?: boolean;
}

export class PatientIndex implements PatientResolver, AuditPatientLookup, PatientLookup {
  readonly #db: Database;
  readonly #cipher: FieldCipher;
  readonly #policy: PolicyDecisionPoint;
  readonly #audit: TransactionalAudit;
  readonly #clock: Clock;
  readonly #cache: PatientKeyCache;

  constructor(deps: PatientIndexDeps) {
    this.#db = deps.db;
    this.#cipher = deps.cipher;
    this.#policy = deps.policy;
    this.#audit = deps.audit;
    this.#clock = deps.clock ?? systemClock;
    this.#cache = new PatientKeyCache(deps.cache);
  }

  /**
   * The Steward patient of one sighting (created, linked or found), allowed for whoever may file
   * EHR data (`ehr.ingest`) or write PHI (`phi.write`) at the sighting's site; audited with it.
   */
  async resolve(ctx: RequestContext, sighting: PatientSighting): Promise<string> {
    const scope = { site: sighting.site };
    const ingest = await this.#policy.decide(ctx, 'ehr.ingest', scope);
    const decision = ingest.allowed ? ingest : await this.#policy.enforce(ctx, 'phi.write', scope);
    return this.#audit.transact(
      async (tx) => {
        const r = new Resolution(tx, this.#cipher, this.#clock.now(), ctx.actor.id, sighting.site, this.#cache);
        const id = await r.resolve(sighting, { source: 'api' });
        await r.flush();
        if (id === undefined)
          throw new ValidationError('a patient sighting needs an identifier or an EHR id', [
            { path: 'identifiers', message: 'give at least one identifier with a system and a value, or the EHR id' },
          ]);
        return id;
      },
      (id) => [
        {
          actor: ctx.actor,
          event: 'phi.update',
          action: 'U',
          outcome: 'success',
          patientIds: [id],
          entity: { kind: 'Patient', id },
          fields: ['identifiers', ...(sighting.demographics !== undefined ? ['name', 'birthDate', 'gender'] : [])],
          site: sighting.site,
          purposeOfUse: decision.purposeOfUse,
          ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
          source: sourceOf(ctx),
        },
      ],
    );
  }

  /** Those of these Steward patients (live ones, merges followed) the index has no demographics for. Ids only. */
  async withoutDemographics(ids: readonly string[]): Promise<readonly string[]> {
    const rows = await patientRows(this.#db, ids);
    return rows.filter((r) => r.merged_into === null && r.demographics_enc === null).map((r) => r.id);
  }

  /**
   * Gives a patient the minimum demographics the EHR's own Patient resource says (read by whoever
   * learns them), when it has none yet: a later word never overwrites them. Allowed like `resolve`
   * (`ehr.ingest` or `phi.write` at the patient's site), sealed, audited. It decides no merge: a
   * look-alike (same name and birth date) goes to review, as when a patient is first seen with them.
   * With `seen` (the EHR id and identifiers its Patient resource carries, and the connection), those
   * identifiers are linked first, deterministically, as any sighting of them would be: a FHIR-fed
   * patient and the HL7-fed patient with the same MRN become one (merged into the older, on the
   * record), and the demographics go to the survivor. True when they were given.
   */
  async learnDemographics(
    ctx: RequestContext,
    patientId: string,
    demographics: SightingDemographics,
    connectionId?: string,
    seen?: { readonly ehrId: string; readonly identifiers: readonly PatientIdentifier[] },
  ): Promise<boolean> {
    const [row] = await patientRows(this.#db, [patientId]);
    if (row === undefined) throw new NotFoundError(`patient ${patientId}`);
    const scope = { site: row.site };
    const ingest = await this.#policy.decide(ctx, 'ehr.ingest', scope);
    const decision = ingest.allowed ? ingest : await this.#policy.enforce(ctx, 'phi.write', scope);
    const matchKey = matchKeyOf(this.#cipher, demographics);
    const minimum = {
      name: demographics.name,
      birthDate: demographics.birthDate,
      ...(demographics.gender ? { gender: demographics.gender } : {}),
    };
    const touched = new Set([patientId]);
    let target = patientId;
    let linked = false;
    return this.#audit.transact(
      async (tx) => {
        let [current] = await patientRows(tx, [patientId]);
        if (current === undefined || current.merged_into !== null) return false;
        if (seen !== undefined && connectionId !== undefined && seen.identifiers.length > 0) {
          const r = new Resolution(tx, this.#cipher, this.#clock.now(), ctx.actor.id, current.site, this.#cache);
          const sighting = { connectionId, site: current.site, ehrId: seen.ehrId, identifiers: seen.identifiers };
          const survivor = await r.resolve(sighting, { source: 'ehr' });
          await r.flush();
          linked = true;
          if (survivor !== undefined && survivor !== patientId) {
            touched.add(survivor);
            target = survivor;
            [current] = await patientRows(tx, [target]);
            if (current === undefined) return false;
          }
        }
        if (current.demographics_enc !== null) return false;
        const at = this.#clock.now();
        const sealed = this.#cipher.encrypt(JSON.stringify(minimum), `clinic_patients:${target}`);
        await fillDemographics(tx, [{ id: target, site: current.site, demographics: sealed, matchKey }], at);
        if (matchKey !== undefined) {
          const lookAlikes = (await findByMatch(tx, matchKey, 21)).filter((id) => !touched.has(id)).slice(0, 20);
          const reviews = lookAlikes.map((candidateId) => ({
            id: newId(),
            patientId: target,
            candidateId,
            site: current.site,
            reason: sameNameAndBirthDate,
          }));
          await insertReviews(tx, reviews, at);
          await appendLinks(
            tx,
            at,
            reviews.map((r) => ({
              kind: 'review-opened' as const,
              patientId: target,
              otherPatientId: r.candidateId,
              source: 'review' as const,
              sourceRef: r.id,
              ...(connectionId !== undefined ? { connectionId } : {}),
              actorId: ctx.actor.id,
            })),
          );
        }
        return true;
      },
      (given) => [
        {
          actor: ctx.actor,
          event: 'phi.update',
          action: 'U',
          outcome: 'success',
          patientIds: [...touched],
          entity: { kind: 'Patient', id: target },
          fields: [...(linked ? ['identifiers'] : []), ...(given ? ['name', 'birthDate', 'gender'] : [])],
          site: row.site,
          purposeOfUse: decision.purposeOfUse,
          ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
          source: sourceOf(ctx),
          ...(given ? {} : { reason: 'already-known' }),
        },
      ],
    );
  }

  /**
   * A resolution pass in `tx` acting for `actorId` at `site`, sharing this index's key cache (a
   * merge made through it clears the cache). For the review list's links.
   */
  pass(tx: Sql, actorId: string, site: string): Resolution {
    return new Resolution(tx, this.#cipher, this.#clock.now(), actorId, site, this.#cache);
  }

  /**
   * `PatientResolver`: the journal's events (and the subjects of messages that file none),
   * resolved in its filing transaction (merges followed).
   */
  async resolveEvents(
    tx: Sql,
    ctx: RequestContext,
    site: string,
    events: readonly (ResolvableEvent | ResolvableSubject)[],
  ): Promise<readonly (string | undefined)[]> {
    const r = new Resolution(tx, this.#cipher, this.#clock.now(), ctx.actor.id, site, this.#cache);
    const sightings = events.map((e) =>
      'input' in e ? sightingsOf(e.input, site) : [sightingOf(e.subject, e.connectionId, site)],
    );
    await r.prefetch(sightings.flat());
    const out: (string | undefined)[] = [];
    for (const [i, e] of events.entries()) {
      const [own, retiredSighting] = sightings[i] ?? [];
      const from = { source: 'ehr' as const, sourceRef: e.id };
      const id = own === undefined ? undefined : await r.resolve(own, from);
      const facts = 'input' in e ? e.input.facts : undefined;
      if (id !== undefined && retiredSighting !== undefined && facts?.kind === 'Merge' && facts.scope === 'patient') {
        // The EHR says who survives: the retired patient points at it from now on, whatever their age.
        const retired = await r.resolve(retiredSighting, from);
        if (retired !== undefined) await r.merge(retired, id, from, own?.connectionId);
      }
      out.push(id);
    }
    await r.flush();
    return out;
  }

  /**
   * `PatientResolver.resolveKnown`: the same resolution as `resolveEvents`, before the filing
   * transaction, when it writes nothing (every patient known by all its keys, with demographics
   * when the event gives some; an EHR merge only when it was made before). One lookup statement for the batch on this index's own connection, none
   * when the key cache knows every key; the journal's statement checks what it read under the lock.
   */
  async resolveKnown(
    ctx: RequestContext,
    site: string,
    events: readonly (ResolvableEvent | ResolvableSubject)[],
  ): Promise<KnownPatients | undefined> {
    const r = new Resolution(this.#db, this.#cipher, this.#clock.now(), ctx.actor.id, site, this.#cache);
    const known = await r.known(
      events.map((e) => {
        if (!('input' in e)) return { own: sightingOf(e.subject, e.connectionId, site) };
        const [own, retired] = sightingsOf(e.input, site) as [PatientSighting, PatientSighting?];
        const facts = e.input.facts;
        // An EHR merge: only one made before (the retired patient finds the survivor) writes nothing.
        return facts.kind === 'Merge' && facts.scope === 'patient' ? { own, retired } : { own };
      }),
    );
    if (known === undefined) return undefined;
    return {
      ids: known.ids,
      checks: known.checks.map((c) => ({ ...c, key: Buffer.from(c.key, 'hex') })),
    };
  }

  /**
   * Patients by any identifier (`system|value`, a bare MRN value or EHR id, a Steward id) or by
   * `Family, Given YYYY-MM-DD`, as far as the caller may search them (`phi.search` at each
   * patient's site; others are not there). Audited as a search naming what it found.
   */
  async find(ctx: RequestContext, query: PatientQuery): Promise<readonly PatientSummary[]> {
    const live = await this.#liveIdsFor(this.#db, query.term, query.near === true);
    const rows = await patientRows(this.#db, live);
    const allowed = new Map<string, Awaited<ReturnType<PolicyDecisionPoint['decide']>>>();
    for (const site of new Set(rows.map((r) => r.site)))
      allowed.set(site, await this.#policy.decide(ctx, 'phi.search', { site }));
    const visible = rows.filter((r) => allowed.get(r.site)?.allowed === true);
    const outside = rows.find((r) => allowed.get(r.site)?.allowed !== true);
    if (outside !== undefined) {
      // Patients outside the caller's scope are answered as not found; the denial is on the trail.
      await this.#policy.enforce(ctx, 'phi.search', { site: outside.site }).catch(() => undefined);
    }
    const merged = await withMerged(
      this.#db,
      visible.map((r) => r.id),
    );
    const retiredOf = await patientRows(
      this.#db,
      merged.filter((id) => !visible.some((v) => v.id === id)),
    );
    const summaries = visible.map((r) =>
      this.summary(
        r,
        retiredOf.filter((m) => m.merged_into === r.id).map((m) => m.id),
      ),
    );
    const firstAllowed = [...allowed.values()].find((d) => d.allowed);
    await this.#audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      ...(summaries.length > 0 ? { patientIds: summaries.map((s) => s.id) } : {}),
      entity: { kind: 'Patient', id: '*' },
      fields: ['name', 'birthDate', 'gender'],
      ...(visible[0] !== undefined ? { site: visible[0].site } : {}),
      ...(firstAllowed?.allowed === true ? { purposeOfUse: firstAllowed.purposeOfUse } : {}),
      source: sourceOf(ctx),
      query: query.near === true ? { patient: query.term, near: 'one letter off' } : { patient: query.term },
      reason: `matches:${summaries.length}`,
    });
    return summaries;
  }

  /**
   * `AuditPatientLookup`: every Steward id a term stands for (live patients and those merged into
   * them). The audit service has decided `audit.read`; ids only. A UUID no patient has is kept as
   * given (a Steward record's own patient id).
   */
  async patientIdsFor(_ctx: RequestContext, term: string): Promise<readonly string[]> {
    const parsed = parseSearchTerm(term);
    // An identifier or a bare value (the usual audit search): one statement, merges included.
    if (parsed.kind === 'identifier' || parsed.kind === 'value') {
      const key =
        parsed.kind === 'identifier'
          ? identifierKeyOf(this.#cipher, parsed.identifier)?.key
          : bareValueKey(this.#cipher, parsed.value);
      return key === undefined
        ? []
        : idsWithMergedByKey(this.#db, parsed.kind === 'identifier' ? 'key' : 'value_key', key);
    }
    const ids = await withMerged(this.#db, await this.#liveIdsFor(this.#db, term));
    if (parsed.kind !== 'steward-id') return ids;
    // A UUID is also looked up as an identifier's value: MRNs and EHR ids are often UUIDs too.
    // Only when it is none is it kept as given (a Steward record's own patient id).
    const byValue = await idsWithMergedByKey(this.#db, 'value_key', bareValueKey(this.#cipher, term.trim()));
    if (byValue.length > 0) return [...new Set([...ids, ...byValue])];
    return ids.includes(parsed.id) ? ids : [...ids, parsed.id];
  }

  /**
   * `PatientLookup`: the live Steward patient a sighting names (the EHR id on its connection
   * first, then its identifiers in order), found only, never created. Ids only, not audited: the
   * caller's own audit entry names what it finds.
   */
  async patientIdOf(sighting: PatientSighting): Promise<string | undefined> {
    const keys = sightingKeys(this.#cipher, sighting);
    const found = await findByKeys(
      this.#db,
      keys.map((k) => k.key),
    );
    const ordered = [...keys.filter((k) => k.kind === 'ehr-id'), ...keys.filter((k) => k.kind !== 'ehr-id')];
    return ordered.map((k) => found.get(k.key)?.patientId).find((id) => id !== undefined);
  }

  /**
   * The Steward ids of one person: the live patient `patientId` means now (merges followed) first,
   * then every id merged into it; empty for an unknown id. Ids only, not audited (like `patientIdOf`).
   */
  async idsOfPerson(patientId: string): Promise<readonly string[]> {
    const live = await liveIdOf(this.#db, patientId);
    if (live === undefined) return [];
    return [live, ...(await withMerged(this.#db, [live])).filter((id) => id !== live)];
  }

  async #liveIdsFor(tx: Sql, term: string, near = false): Promise<readonly string[]> {
    const parsed = parseSearchTerm(term);
    if (near) {
      // Only a name and birth date has a near form; any other term finds nothing near.
      return parsed.kind === 'name' ? findByAnyMatch(tx, nearMatchKeysOf(this.#cipher, parsed.demographics), 50) : [];
    }
    switch (parsed.kind) {
      case 'steward-id': {
        const id = await liveIdOf(tx, parsed.id);
        // A UUID no Steward patient has may be an MRN or EHR id (Synthea's MRNs are UUIDs), as in `patientIdsFor`.
        return id !== undefined ? [id] : findByValue(tx, bareValueKey(this.#cipher, term.trim()));
      }
      case 'identifier': {
        const key = identifierKeyOf(this.#cipher, parsed.identifier);
        if (key === undefined) return [];
        const found = await findByKeys(tx, [key.key]);
        return [...new Set([...found.values()].map((p) => p.patientId))];
      }
      case 'value':
        return findByValue(tx, bareValueKey(this.#cipher, parsed.value));
      case 'name': {
        const matchKey = matchKeyOf(this.#cipher, parsed.demographics);
        return matchKey === undefined ? [] : findByMatch(tx, matchKey, 50);
      }
    }
  }

  summary(row: PatientRow, mergedIds: readonly string[]): PatientSummary {
    const d =
      row.demographics_enc === null
        ? {}
        : (JSON.parse(
            this.#cipher.decrypt(row.demographics_enc, `clinic_patients:${row.id}`).toString('utf8'),
          ) as Partial<SightingDemographics>);
    return {
      id: row.id,
      site: row.site,
      ...(d.name !== undefined ? { name: d.name } : {}),
      ...(d.birthDate !== undefined ? { birthDate: d.birthDate } : {}),
      ...(d.gender !== undefined ? { gender: d.gender } : {}),
      mergedIds,
    };
  }
}

function sightingOf(patient: PatientRef, connectionId: string, site: string): PatientSighting {
  return {
    connectionId,
    site,
    identifiers: patient.identifiers,
    ...(patient.ehrId !== undefined ? { ehrId: patient.ehrId } : {}),
    ...(patient.demographics !== undefined ? { demographics: patient.demographics } : {}),
  };
}

/** Every patient an event names: its own, and a merge's retired one. */
function sightingsOf(e: EhrEventInput, site: string): PatientSighting[] {
  const own = sightingOf(e.patient, e.connectionId, site);
  return e.facts.kind === 'Merge' ? [own, sightingOf(e.facts.retired, e.connectionId, site)] : [own];
}
