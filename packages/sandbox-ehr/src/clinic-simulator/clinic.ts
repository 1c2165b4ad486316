/**
 * @module The clinic's live state: who works where, the slots, appointments, referrals and stays the
 * simulator made, and the helpers every action uses to write through the FHIR port (optimistic
 * concurrency: an update carries the version it was made from; on a conflict the resource is read
 * again and the change re-applied only if it still makes sense).
 */
import { isStewardError } from '@steward/core';
import type { Resource } from '@medplum/fhirtypes';
import { ClinicZone } from './clinic-time.js';
import type {
  AppointmentState,
  ClinicPatient,
  ClinicProvider,
  ReferralState,
  ServiceLineDef,
  SlotState,
  StayState,
} from './clinic-model.js';
import { simSystem } from './clinic-model.js';
import type { Hl7Context, Hl7Patient, Hl7Place, Hl7Provider } from './hl7-messages.js';
import type { ClinicEventKind, ClinicFhir } from './ports.js';

/** An HL7 message an action built, with its MSH-9 and MSH-10. */
export interface Hl7Out {
  readonly type: string;
  readonly controlId: string;
  readonly message: string;
}

/** What one action did; the simulator turns it into a ClinicEvent and sends the message. */
export interface ActionResult {
  readonly kind: ClinicEventKind;
  readonly at: number;
  readonly simId: string;
  readonly patientKey: string;
  readonly serviceLine?: string;
  readonly references: readonly string[];
  readonly hl7?: Hl7Out;
  readonly detail?: string;
}

export interface ClinicInit {
  readonly fhir: ClinicFhir;
  readonly zone: ClinicZone;
  /** Prefix of the simulator's identifiers and HL7 control ids; derive it from the seed. */
  readonly idPrefix: string;
  readonly serviceLines: readonly ServiceLineDef[];
  readonly providers: readonly ClinicProvider[];
  readonly patients: readonly ClinicPatient[];
  readonly hl7: Omit<Hl7Context, 'zone'>;
  /** Clinic opening hours, local wall clock. */
  readonly openHour: number;
  readonly closeHour: number;
  readonly lunchHour?: number;
}

export const refOf = (r: Resource): string => `${r.resourceType}/${r.id ?? ''}`;

/** The clinic's whole state as plain JSON, to continue after a restart (see `Clinic.restore`). */
export interface ClinicSnapshot {
  readonly init: Omit<ClinicInit, 'fhir' | 'zone'> & { readonly timeZone: string };
  /** Every slot the clinic knows, and per provider the ones still in play (by simId, in start order). */
  readonly slots: readonly SlotState[];
  readonly slotsByProvider: Readonly<Record<string, readonly string[]>>;
  readonly appointments: readonly AppointmentState[];
  readonly referrals: readonly ReferralState[];
  readonly stays: readonly StayState[];
  readonly openedDays: readonly string[];
  readonly counters: Readonly<Record<string, number>>;
}

export class Clinic {
  readonly fhir: ClinicFhir;
  readonly zone: ClinicZone;
  readonly idPrefix: string;
  readonly serviceLines: readonly ServiceLineDef[];
  readonly providers: readonly ClinicProvider[];
  readonly patients: readonly ClinicPatient[];
  readonly hl7Context: Hl7Context;
  readonly openHour: number;
  readonly closeHour: number;
  readonly lunchHour: number | undefined;

  readonly providerByKey = new Map<string, ClinicProvider>();
  readonly patientByKey = new Map<string, ClinicPatient>();
  /** Per provider key, that provider's slots in start order. */
  readonly slots = new Map<string, SlotState[]>();
  readonly slotBySimId = new Map<string, SlotState>();
  readonly appointments = new Map<string, AppointmentState>();
  readonly referrals = new Map<string, ReferralState>();
  readonly stays = new Map<string, StayState>();
  /** Local dates (YYYY-MM-DD) that have slots. */
  readonly openedDays = new Set<string>();

  readonly #counters = new Map<string, number>();

  constructor(init: ClinicInit) {
    this.fhir = init.fhir;
    this.zone = init.zone;
    this.idPrefix = init.idPrefix;
    this.serviceLines = init.serviceLines;
    this.providers = init.providers;
    this.patients = init.patients;
    this.hl7Context = { ...init.hl7, zone: init.zone };
    this.openHour = init.openHour;
    this.closeHour = init.closeHour;
    this.lunchHour = init.lunchHour;
    for (const p of init.providers) {
      this.providerByKey.set(p.key, p);
      this.slots.set(p.key, []);
    }
    for (const p of init.patients) this.patientByKey.set(p.key, p);
  }

  snapshot(): ClinicSnapshot {
    const { sendingApplication, sendingFacility, receivingApplication, receivingFacility } = this.hl7Context;
    return structuredClone({
      init: {
        timeZone: this.zone.zone,
        idPrefix: this.idPrefix,
        serviceLines: this.serviceLines,
        providers: this.providers,
        patients: this.patients,
        hl7: { sendingApplication, sendingFacility, receivingApplication, receivingFacility },
        openHour: this.openHour,
        closeHour: this.closeHour,
        ...(this.lunchHour !== undefined ? { lunchHour: this.lunchHour } : {}),
      },
      slots: [...this.slotBySimId.values()],
      slotsByProvider: Object.fromEntries([...this.slots].map(([key, list]) => [key, list.map((s) => s.simId)])),
      appointments: [...this.appointments.values()],
      referrals: [...this.referrals.values()],
      stays: [...this.stays.values()],
      openedDays: [...this.openedDays],
      counters: Object.fromEntries(this.#counters),
    });
  }

  /** A clinic as it was when `snapshot` was taken, acting through `fhir`. */
  static restore(snapshot: ClinicSnapshot, fhir: ClinicFhir): Clinic {
    const s = structuredClone(snapshot);
    const { timeZone, ...init } = s.init;
    const clinic = new Clinic({ ...init, fhir, zone: new ClinicZone(timeZone) });
    for (const slot of s.slots) clinic.slotBySimId.set(slot.simId, slot);
    for (const [key, ids] of Object.entries(s.slotsByProvider)) {
      clinic.slots.set(
        key,
        ids.flatMap((id) => clinic.slotBySimId.get(id) ?? []),
      );
    }
    for (const a of s.appointments) clinic.appointments.set(a.simId, a);
    for (const r of s.referrals) clinic.referrals.set(r.simId, r);
    for (const st of s.stays) clinic.stays.set(st.simId, st);
    for (const d of s.openedDays) clinic.openedDays.add(d);
    for (const [kind, n] of Object.entries(s.counters)) clinic.#counters.set(kind, n);
    return clinic;
  }

  /** The next simulator identifier of a kind, e.g. "S1A2B3-APPT-000012". */
  nextId(kind: string): string {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return `${this.idPrefix}-${kind}-${String(n).padStart(6, '0')}`;
  }

  /** MSH-10: unique per run and seed, at most 20 characters. */
  nextControlId(): string {
    const n = (this.#counters.get('MSG') ?? 0) + 1;
    this.#counters.set('MSG', n);
    return `${this.idPrefix}${String(n).padStart(8, '0')}`.slice(-20);
  }

  identifier(kind: string, value: string): { system: string; value: string } {
    return { system: simSystem(kind), value };
  }

  provider(key: string): ClinicProvider {
    const p = this.providerByKey.get(key);
    if (!p) throw new Error(`unknown provider key ${key}`);
    return p;
  }

  patient(key: string): ClinicPatient {
    const p = this.patientByKey.get(key);
    if (!p) throw new Error(`unknown patient key ${key}`);
    return p;
  }

  providersOf(line: string): ClinicProvider[] {
    return this.providers.filter((p) => p.serviceLine.code === line);
  }

  async create<T extends Resource>(resource: T): Promise<T> {
    return this.fhir.create(resource);
  }

  /**
   * Applies `change` to the current version and writes it. `change` returns undefined when the
   * change no longer applies (someone else moved the resource on); then nothing is written.
   */
  async save<T extends Resource>(current: T, change: (r: T) => T | undefined): Promise<T | undefined> {
    const next = change(structuredClone(current));
    if (!next) return undefined;
    try {
      return await this.fhir.update(next);
    } catch (e) {
      if (!isConflict(e)) throw e;
      const [fresh] = await this.fhir.search<T>(current.resourceType, { _id: current.id ?? '' });
      if (!fresh) return undefined;
      const again = change(structuredClone(fresh));
      return again ? this.fhir.update(again) : undefined;
    }
  }

  hl7Patient(key: string): Hl7Patient {
    const p = this.patient(key);
    return {
      mrn: p.mrn,
      ...(p.mrnSystem ? { mrnSystem: p.mrnSystem } : {}),
      ...(p.family ? { family: p.family } : {}),
      ...(p.given ? { given: p.given } : {}),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.gender ? { gender: p.gender } : {}),
    };
  }

  hl7Provider(key: string): Hl7Provider {
    const d = this.provider(key);
    return {
      id: d.npi ?? d.key,
      idType: d.npi ? 'NPI' : 'L',
      ...(d.family ? { family: d.family } : {}),
      ...(d.given ? { given: d.given } : {}),
    };
  }

  hl7Place(key: string): Hl7Place {
    const d = this.provider(key);
    return { location: d.locationName, facility: d.facilityName };
  }

  /** Whether the clinic's doors are open at that instant (weekday, opening hours). */
  isOpen(ms: number): boolean {
    const l = this.zone.local(ms);
    return l.weekday !== 0 && l.weekday !== 6 && l.hour >= this.openHour && l.hour < this.closeHour;
  }
}

function isConflict(e: unknown): boolean {
  return isStewardError(e) && (e.code === 'VERSION_CONFLICT' || e.code === 'EHR_CONFLICT');
}
