/** @module Inpatient stays: admit (Encounter class IMP, ADT^A01) and discharge with a disposition (ADT^A03). */
import type { Encounter } from '@medplum/fhirtypes';
import type { ActionResult, Clinic, Hl7Out } from './clinic.js';
import { refOf } from './clinic.js';
import type { StayState } from './clinic-model.js';
import { adtMessage } from './hl7-messages.js';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const DISPOSITION = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';

/** FHIR discharge-disposition codes with the HL7 v2 table 0112 (UB-04) code for PV1-36. */
export const dischargeDispositions = [
  { code: 'home', display: 'Home', v2: '01' },
  { code: 'snf', display: 'Skilled nursing facility', v2: '03' },
  { code: 'rehab', display: 'Rehabilitation', v2: '62' },
  { code: 'other-hcf', display: 'Other healthcare facility', v2: '05' },
] as const;
export type DischargeDisposition = (typeof dischargeDispositions)[number];

function adt(
  clinic: Clinic,
  s: StayState,
  event: 'A01' | 'A03',
  at: number,
  disposition?: DischargeDisposition,
): Hl7Out {
  const controlId = clinic.nextControlId();
  const message = adtMessage(clinic.hl7Context, {
    event,
    at,
    controlId,
    patient: clinic.hl7Patient(s.patientKey),
    patientClass: 'I',
    place: clinic.hl7Place(s.attendingKey),
    attending: clinic.hl7Provider(s.attendingKey),
    visitNumber: s.simId,
    admitAt: s.admitAt,
    ...(event === 'A03' ? { dischargeAt: at } : {}),
    ...(disposition ? { dischargeDisposition: disposition.v2 } : {}),
  });
  return { type: `ADT^${event}`, controlId, message };
}

export async function admit(
  clinic: Clinic,
  patientKey: string,
  attendingKey: string,
  at: number,
  dischargeAt: number,
): Promise<{ state: StayState; result: ActionResult }> {
  const d = clinic.provider(attendingKey);
  const simId = clinic.nextId('ADM');
  const encounter = await clinic.create<Encounter>({
    resourceType: 'Encounter',
    identifier: [clinic.identifier('encounter', simId)],
    status: 'in-progress',
    class: { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: clinic.patient(patientKey).ref },
    participant: [{ individual: { reference: d.practitionerRef } }],
    period: { start: clinic.zone.fhir(at) },
    hospitalization: {
      admitSource: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/admit-source',
            code: 'emd',
            display: 'From accident/emergency department',
          },
        ],
      },
    },
    location: [{ location: { reference: d.locationRef } }],
    serviceProvider: { reference: d.organizationRef },
  });
  const state: StayState = { simId, encounter, patientKey, attendingKey, admitAt: at, dischargeAt };
  clinic.stays.set(simId, state);
  return {
    state,
    result: {
      kind: 'inpatient-admitted',
      at,
      simId,
      patientKey,
      references: [refOf(encounter)],
      hl7: adt(clinic, state, 'A01', at),
    },
  };
}

export async function discharge(
  clinic: Clinic,
  s: StayState,
  at: number,
  disposition: DischargeDisposition,
): Promise<ActionResult | undefined> {
  const saved = await clinic.save(s.encounter, (e) =>
    e.status !== 'in-progress'
      ? undefined
      : {
          ...e,
          status: 'finished',
          period: { ...e.period, end: clinic.zone.fhir(at) },
          hospitalization: {
            ...e.hospitalization,
            dischargeDisposition: {
              coding: [{ system: DISPOSITION, code: disposition.code, display: disposition.display }],
            },
          },
        },
  );
  if (!saved) return undefined;
  s.encounter = saved;
  clinic.stays.delete(s.simId);
  return {
    kind: 'inpatient-discharged',
    at,
    simId: s.simId,
    patientKey: s.patientKey,
    references: [refOf(saved)],
    hl7: adt(clinic, s, 'A03', at, disposition),
    detail: disposition.code,
  };
}
