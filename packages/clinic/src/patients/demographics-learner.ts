/**
 * @module How the patient index learns who the patients are that the EHR's events only point at (a
 * FHIR order or appointment carries a Patient reference, not the person): the router hands it each
 * batch before routing it, and for each FHIR-fed patient still without demographics it reads the
 * EHR's `Patient/<id>` once, through the governed read-only reader (as the workflows' account,
 * audited there), and gives the index what it says (as the connection's own account, which files
 * EHR data): every identifier (so the patient is found by the MRN the EHR holds: the audit search,
 * the console) and the name, birth date and sex. Bounded per batch. Nothing here throws the
 * router's batch: a read or a store that fails is reported with its code and tried again on a
 * later sighting.
 */
import type { EhrEvent, PatientIdentifier, RequestContext } from '@steward/core';
import type { SightingDemographics } from '@steward/governance';
import type { PatientIndex } from './patient-index.js';

/** What the EHR's Patient resource says of one patient: every identifier, and the minimum demographics. */
export interface EhrPatientRecord {
  /** Every `Patient.identifier` with a system and a value. */
  readonly identifiers: readonly PatientIdentifier[];
  /** Absent when the resource has no usable name and birth date. */
  readonly demographics?: SightingDemographics;
}

/** The EHR's record of one patient (undefined: no Patient resource came back). Rejects with a coded error. */
export type EhrPatientReader = (
  ctx: RequestContext,
  connectionId: string,
  ehrId: string,
) => Promise<EhrPatientRecord | undefined>;

/** A patient whose demographics could not be learned this time (ids and a code only, no PHI). */
export interface DemographicsFailure {
  readonly connectionId: string;
  readonly patientId: string;
  readonly code: string;
}

export interface DemographicsLearnerOptions {
  readonly index: Pick<PatientIndex, 'withoutDemographics' | 'learnDemographics' | 'linkIdentifiers'>;
  /** The account that reads the EHR (`phi.read` at the connection's site). */
  readonly ctx: RequestContext;
  readonly read: EhrPatientReader;
  /** The account that gives the index what the EHR said: the connection's own (`ehr.ingest`). */
  readonly writerOf: (connectionId: string) => Promise<RequestContext>;
  /** Told of every patient not learned this time (the server logs it). */
  readonly failed: (f: DemographicsFailure) => void;
  /** Patients read per batch at most (the rest wait for a later sighting). Default 20. */
  readonly maxPerBatch?: number;
}

export interface DemographicsRound {
  readonly learned: number;
  readonly failed: number;
}

/** Patients whose EHR record had no usable demographics, remembered so each is read once (per process). */
const maxRemembered = 10_000;

export class DemographicsLearner {
  readonly #o: DemographicsLearnerOptions;
  readonly #without = new Set<string>();

  constructor(options: DemographicsLearnerOptions) {
    this.#o = options;
  }

  async observe(connectionId: string, events: readonly EhrEvent[]): Promise<DemographicsRound> {
    // FHIR-fed patients the event did not describe (one that did was given them while it was filed).
    const candidates = new Map<string, string>();
    for (const e of events)
      if (
        e.channel !== 'hl7v2' &&
        e.patientId !== undefined &&
        e.patient.ehrId !== undefined &&
        e.patient.demographics === undefined &&
        !this.#without.has(e.patientId)
      )
        candidates.set(e.patientId, e.patient.ehrId);
    if (candidates.size === 0) return { learned: 0, failed: 0 };
    let learned = 0;
    let failed = 0;
    const fail = (patientId: string, e: unknown): void => {
      failed++;
      const code = (e as { code?: unknown } | undefined)?.code;
      this.#o.failed({ connectionId, patientId, code: typeof code === 'string' ? code : 'INTERNAL' });
    };
    let missing: readonly string[];
    try {
      missing = await this.#o.index.withoutDemographics([...candidates.keys()]);
    } catch (e) {
      fail('*', e);
      return { learned, failed };
    }
    for (const patientId of missing.slice(0, this.#o.maxPerBatch ?? 20)) {
      const ehrId = candidates.get(patientId);
      if (ehrId === undefined) continue;
      try {
        const record = await this.#o.read(this.#o.ctx, connectionId, ehrId);
        const writer = record === undefined ? undefined : await this.#o.writerOf(connectionId);
        // The identifiers first: they may say this patient is one the index knows by another id.
        const id =
          writer === undefined || record === undefined || record.identifiers.length === 0
            ? patientId
            : await this.#o.index.linkIdentifiers(writer, patientId, {
                connectionId,
                ehrId,
                identifiers: record.identifiers,
              });
        if (writer === undefined || record?.demographics === undefined) {
          if (this.#without.size >= maxRemembered) this.#without.clear();
          this.#without.add(patientId);
          fail(patientId, { code: 'FHIR_INVALID' });
          continue;
        }
        await this.#o.index.learnDemographics(writer, id, record.demographics, connectionId);
        learned++;
      } catch (e) {
        fail(patientId, e);
      }
    }
    return { learned, failed };
  }
}
