/** @module The derived clinic's shape: service lines, providers, patients, and the simulator's identifier systems. */
import type { Appointment, Encounter, ServiceRequest, Slot, Task } from '@medplum/fhirtypes';

/** Identifier systems of everything the simulator creates (one per kind, under one base). */
export const simSystemBase = 'https://sandbox.steward.invalid/clinic-simulator';
export const simSystem = (kind: string): string => `${simSystemBase}/${kind}`;

export const NUCC = 'http://nucc.org/provider-taxonomy';

export interface ServiceLineDef {
  readonly code: string;
  readonly display: string;
  /** NUCC provider taxonomy code of the clinicians of this line. */
  readonly taxonomy: string;
  readonly taxonomyDisplay: string;
  readonly slotMinutes: number;
}

/** The lines a small community practice refers within. Primary care is first and always present. */
export const defaultServiceLines: readonly ServiceLineDef[] = [
  {
    code: 'primary-care',
    display: 'Primary care',
    taxonomy: '207Q00000X',
    taxonomyDisplay: 'Family Medicine',
    slotMinutes: 30,
  },
  {
    code: 'cardiology',
    display: 'Cardiology',
    taxonomy: '207RC0000X',
    taxonomyDisplay: 'Cardiovascular Disease',
    slotMinutes: 30,
  },
  {
    code: 'orthopedics',
    display: 'Orthopedics',
    taxonomy: '207X00000X',
    taxonomyDisplay: 'Orthopaedic Surgery',
    slotMinutes: 30,
  },
  {
    code: 'physical-therapy',
    display: 'Physical therapy',
    taxonomy: '225100000X',
    taxonomyDisplay: 'Physical Therapist',
    slotMinutes: 60,
  },
  {
    code: 'dermatology',
    display: 'Dermatology',
    taxonomy: '207N00000X',
    taxonomyDisplay: 'Dermatology',
    slotMinutes: 30,
  },
];

export interface ClinicProvider {
  /** The simulator's key (D01 …), stable across runs over the same data. */
  readonly key: string;
  readonly serviceLine: ServiceLineDef;
  readonly practitionerRef: string;
  readonly npi?: string;
  readonly family?: string;
  readonly given?: string;
  readonly roleRef: string;
  readonly organizationRef: string;
  readonly facilityName: string;
  readonly locationRef: string;
  readonly locationName: string;
  readonly healthcareServiceRef: string;
  readonly scheduleRef: string;
  readonly scheduleSimId: string;
}

export interface ClinicPatient {
  /** The simulator's key (P001 …): a position in MRN order, not an identifier. */
  readonly key: string;
  readonly ref: string;
  readonly mrn: string;
  readonly mrnSystem?: string;
  readonly family?: string;
  readonly given?: string;
  readonly birthDate?: string;
  readonly gender?: string;
  /** Key of the patient's primary-care provider. */
  readonly pcpKey: string;
}

export interface SlotState {
  readonly simId: string;
  resource: Slot;
  readonly providerKey: string;
  readonly start: number;
  readonly end: number;
}

export type AppointmentPurpose = 'visit' | 'referral' | 'follow-up';

export interface AppointmentState {
  readonly simId: string;
  resource: Appointment;
  readonly patientKey: string;
  readonly providerKey: string;
  readonly purpose: AppointmentPurpose;
  readonly referralSimId?: string;
  slotSimIds: string[];
  start: number;
  end: number;
  encounter?: Encounter;
  encounterSimId?: string;
  /** Decided when the patient is due: they will not come. */
  missed?: boolean;
  /** Part of a demo story (demo-stories.ts): the random draws never cancel or move it. */
  scripted?: boolean;
}

export type ReferralPhase =
  'requested' | 'received' | 'accepted' | 'scheduled' | 'attended' | 'completed' | 'cancelled' | 'leaked';

export interface ReferralState {
  readonly simId: string;
  serviceRequest: ServiceRequest;
  task: Task;
  readonly patientKey: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly authoredAt: number;
  phase: ReferralPhase;
  /** When the next step of this referral is due (simulated epoch ms). */
  nextAt: number;
  /** Decided when sent: this referral will never be scheduled (leakage). */
  readonly willLeak: boolean;
  /** Decided when sent: the referrer will cancel it. */
  readonly willCancel: boolean;
  appointmentSimId?: string;
  /**
   * A demo story (demo-stories.ts): `stalled` is never received by the specialist's office;
   * `closed-loop` is neither leaked nor cancelled and its patient comes to the appointment.
   */
  story?: 'stalled' | 'closed-loop';
}

export interface StayState {
  readonly simId: string;
  encounter: Encounter;
  readonly patientKey: string;
  readonly attendingKey: string;
  readonly admitAt: number;
  readonly dischargeAt: number;
}
