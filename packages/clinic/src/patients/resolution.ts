/**
 * @module One resolution pass inside one transaction: sightings in, Steward patient ids out, with
 * the rows and link history the linking rules call for. A pass decides in memory and writes at the
 * end (`flush`), so a batch of inbound events costs one lookup statement when every patient is
 * known (the common case) and a handful of multi-row statements when some are new, whatever the
 * batch's size. Merges are the exception: each is written at once (they are rare).
 */
import { newId } from '@steward/core';
import type { FieldCipher, PatientSighting } from '@steward/governance';
import type { Sql } from '@steward/store';
import type { PatientKeyCache } from './key-cache.js';
import { decideLinking, matchKeyOf, sightingKeys, type SightingKey } from './linking.js';
import {
  appendLinks,
  fillDemographics,
  insertKeys,
  insertPatients,
  insertReviews,
  lookUp,
  mergeInto,
  type KeyRow,
  type LinkEntry,
  type NewPatientRow,
  type ReviewRow,
} from './patient-rows.js';

/** Where a link came from: an inbound event (its id), a reviewer's decision, or an API call. */
export interface LinkSource {
  readonly source: LinkEntry['source'];
  readonly sourceRef?: string;
}

/** Why a look-alike went to review (a reason code, no values). */
export const sameNameAndBirthDate = 'same-name-and-birth-date';

interface Known {
  patientId: string;
  createdAt: Date;
  hasDemographics: boolean;
}

export class Resolution {
  private readonly found = new Map<string, Known>();
  private readonly matches = new Map<string, string[]>();
  private readonly looked = new Set<string>();
  private readonly lookedMatch = new Set<string>();
  private pending = emptyPending();
  /** Each sighting's keys, made once per pass (prefetch and resolve see the same sighting objects). */
  private readonly keysBySighting = new WeakMap<PatientSighting, readonly SightingKey[]>();

  constructor(
    private readonly tx: Sql,
    private readonly cipher: FieldCipher,
    private readonly at: Date,
    private readonly actorId: string,
    private readonly site: string,
    private readonly cache?: PatientKeyCache,
  ) {}

  /**
   * Looks up every key of these sightings at once (one statement for a whole batch, none when the
   * cache knows them all), then the match keys of those no key found (a second one, only then).
   */
  async prefetch(sightings: readonly PatientSighting[]): Promise<void> {
    const keyed = sightings.map((s) => ({ s, keys: this.keysOf(s) }));
    await this.lookUp(
      keyed.flatMap((k) => k.keys),
      [],
    );
    const unknown = keyed.filter((k) => k.keys.length > 0 && !k.keys.some((key) => this.found.has(key.key)));
    await this.lookUp(
      [],
      unknown.flatMap((k) => this.matchKeyOf(k.s) ?? []),
    );
  }

  /**
   * The Steward patients of sightings when resolving them writes nothing: every key of each known
   * to the store (or the cache), all to one patient, which has demographics if the sighting gives
   * some. With each key read and the patient it found, for the filing statement to check under the
   * lock. Undefined when any sighting would need a write (`resolve` it in a transaction instead).
   * An item's `retired` (an EHR merge's retired patient) must find the same patient as its own
   * sighting: the merge was made before, and `merge` would write nothing. Reads only; use a pass of
   * its own (not one that resolves).
   */
  async known(
    items: readonly { readonly own: PatientSighting; readonly retired?: PatientSighting | undefined }[],
  ): Promise<
    { ids: (string | undefined)[]; checks: { key: string; patientId: string; withDemographics: boolean }[] } | undefined
  > {
    await this.lookUp(
      items.flatMap((i) => [...this.keysOf(i.own), ...(i.retired === undefined ? [] : this.keysOf(i.retired))]),
      [],
    );
    const checks = new Map<string, { key: string; patientId: string; withDemographics: boolean }>();
    // The patient a sighting finds with no write: null for none (no key), undefined when it would write.
    const knownOf = (sighting: PatientSighting): string | null | undefined => {
      const keys = this.keysOf(sighting);
      const linking = decideLinking(keys, this.found);
      if (linking.kind === 'none') return null;
      if (linking.kind !== 'known' || linking.addKeys.length > 0 || linking.mergeIn.length > 0) return undefined;
      // As `resolve` does: the first key found says whether the patient has demographics yet.
      const known = this.found.get(keys.find((k) => this.found.has(k.key))?.key ?? '');
      const withDemographics = sighting.demographics !== undefined;
      if (known === undefined || (withDemographics && !known.hasDemographics)) return undefined;
      for (const k of keys) {
        const had = checks.get(k.key);
        checks.set(k.key, {
          key: k.key,
          patientId: linking.patientId,
          withDemographics: withDemographics || had?.withDemographics === true,
        });
      }
      return linking.patientId;
    };
    const ids: (string | undefined)[] = [];
    for (const item of items) {
      const id = knownOf(item.own);
      if (id === undefined) return undefined;
      if (id !== null && item.retired !== undefined) {
        const retired = knownOf(item.retired);
        if (retired === undefined || (retired !== null && retired !== id)) return undefined;
      }
      ids.push(id ?? undefined);
    }
    return { ids, checks: [...checks.values()] };
  }

  /** The Steward patient of a sighting; undefined when it names no identifier and no EHR id. */
  async resolve(sighting: PatientSighting, from: LinkSource): Promise<string | undefined> {
    const keys = this.keysOf(sighting);
    const matchKey = this.matchKeyOf(sighting);
    await this.lookUp(keys, []);
    const linking = decideLinking(keys, this.found);
    switch (linking.kind) {
      case 'none':
        return undefined;
      case 'new':
        if (matchKey !== undefined) await this.lookUp([], [matchKey]);
        return this.create(sighting, linking.keys, matchKey, from);
      case 'known': {
        for (const other of linking.mergeIn) await this.merge(other, linking.patientId, from, sighting.connectionId);
        const known = this.found.get(keys.find((k) => this.found.has(k.key))?.key ?? '');
        for (const k of linking.addKeys) {
          this.pending.keys.push({ patientId: linking.patientId, key: k, connectionId: sighting.connectionId });
          this.pending.keyLinks.push({
            key: k.key,
            link: this.link('key-added', linking.patientId, from, sighting.connectionId, { keyKind: k.kind }),
          });
          this.remember(k.key, linking.patientId, known?.createdAt ?? this.at, known?.hasDemographics ?? false);
        }
        if (sighting.demographics !== undefined && known !== undefined && !known.hasDemographics) {
          this.pending.fills.push({
            id: linking.patientId,
            site: this.site,
            demographics: this.seal(linking.patientId, sighting),
            matchKey,
          });
          for (const p of this.found.values()) if (p.patientId === linking.patientId) p.hasDemographics = true;
        }
        return linking.patientId;
      }
    }
  }

  /** Retires `retired` into `survivor` (both live), as the EHR or a reviewer said; written at once. */
  async merge(retired: string, survivor: string, from: LinkSource, connectionId?: string): Promise<void> {
    if (retired === survivor) return;
    await this.flush();
    await mergeInto(this.tx, retired, survivor, this.at);
    this.cache?.clear();
    const since = [...this.found.values()].find((p) => p.patientId === survivor);
    for (const p of this.found.values()) {
      if (p.patientId !== retired) continue;
      p.patientId = survivor;
      p.createdAt = since?.createdAt ?? p.createdAt;
    }
    this.pending.links.push(this.link('merged', retired, from, connectionId, { otherPatientId: survivor }));
  }

  /** Writes what the pass decided: patients, keys, demographics, reviews, then the link history. */
  async flush(): Promise<void> {
    const p = this.pending;
    this.pending = emptyPending();
    await insertPatients(this.tx, p.patients, this.at);
    const added = await insertKeys(this.tx, p.keys, this.at);
    await fillDemographics(this.tx, p.fills, this.at);
    await insertReviews(this.tx, p.reviews, this.at);
    await appendLinks(this.tx, this.at, [...p.links, ...p.keyLinks.filter((k) => added.has(k.key)).map((k) => k.link)]);
  }

  private create(
    sighting: PatientSighting,
    keys: readonly SightingKey[],
    matchKey: string | undefined,
    from: LinkSource,
  ): string {
    const id = newId();
    this.pending.patients.push({
      id,
      site: this.site,
      demographics: sighting.demographics === undefined ? null : this.seal(id, sighting),
      matchKey,
    });
    for (const k of keys) {
      this.pending.keys.push({ patientId: id, key: k, connectionId: sighting.connectionId });
      this.remember(k.key, id, this.at, sighting.demographics !== undefined);
    }
    this.pending.links.push(this.link('created', id, from, sighting.connectionId));
    if (matchKey !== undefined) {
      const lookAlikes = this.matches.get(matchKey) ?? [];
      for (const candidate of lookAlikes.slice(0, 20)) {
        const reviewId = newId();
        this.pending.reviews.push({
          id: reviewId,
          patientId: id,
          candidateId: candidate,
          site: this.site,
          reason: sameNameAndBirthDate,
        });
        this.pending.links.push(
          this.link('review-opened', id, { source: 'review', sourceRef: reviewId }, sighting.connectionId, {
            otherPatientId: candidate,
          }),
        );
      }
      this.matches.set(matchKey, [...lookAlikes, id]);
    }
    return id;
  }

  private async lookUp(keys: readonly SightingKey[], matchKeys: readonly string[]): Promise<void> {
    const now = this.at.getTime();
    const missing: string[] = [];
    for (const key of new Set(keys.map((k) => k.key))) {
      if (this.looked.has(key)) continue;
      const cached = this.cache?.get(key, now);
      if (cached === undefined) missing.push(key);
      else this.remember(key, cached.patientId, cached.createdAt, cached.hasDemographics);
    }
    const missingMatch = [...new Set(matchKeys.filter((m) => !this.lookedMatch.has(m)))];
    if (missing.length === 0 && missingMatch.length === 0) return;
    for (const k of missing) this.looked.add(k);
    for (const m of missingMatch) this.lookedMatch.add(m);
    const got = await lookUp(this.tx, missing, missingMatch);
    for (const [key, p] of got.keys) {
      this.found.set(key, { ...p });
      this.cache?.remember(key, p, now);
    }
    for (const [m, ids] of got.matches) this.matches.set(m, [...(this.matches.get(m) ?? []), ...ids]);
  }

  private remember(key: string, patientId: string, createdAt: Date, hasDemographics: boolean): void {
    this.found.set(key, { patientId, createdAt, hasDemographics });
    this.looked.add(key);
  }

  private keysOf(sighting: PatientSighting): readonly SightingKey[] {
    let keys = this.keysBySighting.get(sighting);
    if (keys === undefined) {
      keys = sightingKeys(this.cipher, sighting);
      this.keysBySighting.set(sighting, keys);
    }
    return keys;
  }

  private matchKeyOf(sighting: PatientSighting): string | undefined {
    return sighting.demographics === undefined ? undefined : matchKeyOf(this.cipher, sighting.demographics);
  }

  private seal(id: string, sighting: PatientSighting): Uint8Array {
    const d = sighting.demographics;
    const minimum =
      d === undefined ? {} : { name: d.name, birthDate: d.birthDate, ...(d.gender ? { gender: d.gender } : {}) };
    return this.cipher.encrypt(JSON.stringify(minimum), `clinic_patients:${id}`);
  }

  private link(
    kind: LinkEntry['kind'],
    patientId: string,
    from: LinkSource,
    connectionId: string | undefined,
    extra: Pick<LinkEntry, 'otherPatientId' | 'keyKind'> = {},
  ): LinkEntry {
    return {
      kind,
      patientId,
      ...extra,
      source: from.source,
      ...(from.sourceRef !== undefined ? { sourceRef: from.sourceRef } : {}),
      ...(connectionId !== undefined ? { connectionId } : {}),
      actorId: this.actorId,
    };
  }
}

function emptyPending() {
  return {
    patients: [] as NewPatientRow[],
    keys: [] as KeyRow[],
    fills: [] as NewPatientRow[],
    reviews: [] as ReviewRow[],
    links: [] as LinkEntry[],
    keyLinks: [] as { key: string; link: LinkEntry }[],
  };
}
