/**
 * @module One resolution pass inside one transaction: sightings in, Steward patient ids out, with
 * the rows and link history the linking rules call for. It keeps what it learnt in the pass, so a
 * batch of events about the same patients costs one lookup query, and nothing more when every key
 * is known already (the common case of an inbound event).
 */
import { newId } from '@steward/core';
import type { FieldCipher, PatientSighting } from '@steward/governance';
import type { Sql } from '@steward/store';
import { decideLinking, matchKeyOf, sightingKeys, type FoundPatient, type SightingKey } from './linking.js';
import {
  appendLinks,
  fillDemographics,
  findByKeys,
  findByMatch,
  insertKeys,
  insertPatient,
  mergeInto,
  type LinkEntry,
} from './patient-rows.js';

/** Where a link came from: an inbound event (its id), a reviewer's decision, or an API call. */
export interface LinkSource {
  readonly source: LinkEntry['source'];
  readonly sourceRef?: string;
}

/** Why a look-alike went to review (a reason code, no values). */
export const sameNameAndBirthDate = 'same-name-and-birth-date';

export class Resolution {
  private readonly found = new Map<string, FoundPatient>();
  private readonly looked = new Set<string>();

  constructor(
    private readonly tx: Sql,
    private readonly cipher: FieldCipher,
    private readonly at: Date,
    private readonly actorId: string,
    private readonly site: string,
  ) {}

  /** Looks up every key of these sightings at once (one query for a whole batch). */
  async prefetch(sightings: readonly PatientSighting[]): Promise<void> {
    await this.lookUp(sightings.flatMap((s) => sightingKeys(this.cipher, s)));
  }

  /** The Steward patient of a sighting; undefined when it names no identifier and no EHR id. */
  async resolve(sighting: PatientSighting, from: LinkSource): Promise<string | undefined> {
    const keys = sightingKeys(this.cipher, sighting);
    await this.lookUp(keys);
    const linking = decideLinking(keys, this.found);
    switch (linking.kind) {
      case 'none':
        return undefined;
      case 'new':
        return this.create(sighting, linking.keys, from);
      case 'known': {
        const links: LinkEntry[] = [];
        for (const other of linking.mergeIn)
          links.push(...(await this.mergeLinks(other, linking.patientId, from, sighting)));
        const added = new Set(
          await insertKeys(this.tx, linking.patientId, linking.addKeys, sighting.connectionId, this.at),
        );
        for (const k of linking.addKeys) {
          this.remember(k.key, linking.patientId);
          if (added.has(k.key))
            links.push(this.link('key-added', linking.patientId, from, sighting, { keyKind: k.kind }));
        }
        if (sighting.demographics !== undefined) {
          await fillDemographics(
            this.tx,
            linking.patientId,
            this.seal(linking.patientId, sighting),
            matchKeyOf(this.cipher, sighting.demographics),
            this.at,
          );
        }
        await appendLinks(this.tx, this.at, links);
        return linking.patientId;
      }
    }
  }

  /** Retires `retired` into `survivor` (both live), as the EHR or a reviewer said. */
  async merge(retired: string, survivor: string, from: LinkSource, connectionId?: string): Promise<void> {
    if (retired === survivor) return;
    await appendLinks(this.tx, this.at, await this.mergeLinks(retired, survivor, from, connectionId));
  }

  private async mergeLinks(
    retired: string,
    survivor: string,
    from: LinkSource,
    on: PatientSighting | string | undefined,
  ): Promise<LinkEntry[]> {
    await mergeInto(this.tx, retired, survivor, this.at);
    const since = [...this.found.values()].find((p) => p.patientId === survivor)?.createdAt ?? this.at;
    for (const [key, p] of this.found) if (p.patientId === retired) this.remember(key, survivor, since);
    return [this.link('merged', retired, from, on, { otherPatientId: survivor })];
  }

  private async create(sighting: PatientSighting, keys: readonly SightingKey[], from: LinkSource): Promise<string> {
    const id = newId();
    const matchKey = sighting.demographics === undefined ? undefined : matchKeyOf(this.cipher, sighting.demographics);
    const lookAlikes = matchKey === undefined ? [] : await findByMatch(this.tx, matchKey);
    await insertPatient(this.tx, {
      id,
      site: this.site,
      demographics: sighting.demographics === undefined ? null : this.seal(id, sighting),
      matchKey,
      at: this.at,
    });
    await insertKeys(this.tx, id, keys, sighting.connectionId, this.at);
    for (const k of keys) this.remember(k.key, id, this.at);
    const links = [this.link('created', id, from, sighting)];
    for (const candidate of lookAlikes) {
      const reviewId = newId();
      await this.tx.query(
        `insert into clinic_patient_reviews (id, patient_id, candidate_id, site, reason, status, created_at)
         values ($1, $2, $3, $4, $5, 'open', $6) on conflict (patient_id, candidate_id) do nothing`,
        [reviewId, id, candidate, this.site, sameNameAndBirthDate, this.at],
      );
      links.push(
        this.link('review-opened', id, { source: 'review', sourceRef: reviewId }, sighting, {
          otherPatientId: candidate,
        }),
      );
    }
    await appendLinks(this.tx, this.at, links);
    return id;
  }

  private async lookUp(keys: readonly SightingKey[]): Promise<void> {
    const missing = [...new Set(keys.map((k) => k.key).filter((k) => !this.looked.has(k)))];
    if (missing.length === 0) return;
    for (const k of missing) this.looked.add(k);
    for (const [key, p] of await findByKeys(this.tx, missing)) this.found.set(key, p);
  }

  private remember(key: string, patientId: string, createdAt?: Date): void {
    const was = this.found.get(key);
    this.found.set(key, { patientId, createdAt: createdAt ?? was?.createdAt ?? this.at });
    this.looked.add(key);
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
    on: PatientSighting | string | undefined,
    extra: Pick<LinkEntry, 'otherPatientId' | 'keyKind'> = {},
  ): LinkEntry {
    const connectionId = typeof on === 'string' ? on : on?.connectionId;
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
