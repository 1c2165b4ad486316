/**
 * @module Scheduling actions: open a day's slots, book, reschedule, cancel, no-show, arrive, check
 * in, fulfil. Each writes through the FHIR port and builds the SIU/ADT message a real EHR sends.
 */
import type { Appointment, Encounter, Slot } from '@medplum/fhirtypes';
import type { ActionResult, Clinic, Hl7Out } from './clinic.js';
import { refOf } from './clinic.js';
import type { AppointmentPurpose, AppointmentState, ClinicProvider, SlotState } from './clinic-model.js';
import { NUCC } from './clinic-model.js';
import type { LocalDate } from './clinic-time.js';
import { dateKey, isWeekend } from './clinic-time.js';
import type { SiuEvent } from './hl7-messages.js';
import { adtMessage, siuMessage } from './hl7-messages.js';

const V2_0276 = 'http://terminology.hl7.org/CodeSystem/v2-0276';
const CANCEL_REASON = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

export const cancellationReasons = [
  { code: 'pat', display: 'Patient' },
  { code: 'prov', display: 'Provider' },
  { code: 'other', display: 'Other' },
] as const;

const appointmentType: Record<AppointmentPurpose, string> = {
  visit: 'ROUTINE',
  referral: 'ROUTINE',
  'follow-up': 'FOLLOWUP',
};

/** Creates one provider's free slots for a clinic day (none on weekends or over lunch). */
export async function openSlots(clinic: Clinic, provider: ClinicProvider, day: LocalDate): Promise<number> {
  if (isWeekend(day)) return 0;
  const list = clinic.slots.get(provider.key) ?? [];
  const step = provider.serviceLine.slotMinutes;
  let made = 0;
  for (let m = clinic.openHour * 60; m + step <= clinic.closeHour * 60; m += step) {
    const hour = Math.floor(m / 60);
    if (clinic.lunchHour !== undefined && hour === clinic.lunchHour) continue;
    const start = clinic.zone.instant(day, hour, m % 60);
    const end = start + step * 60_000;
    const simId = clinic.nextId('SLOT');
    const slot = await clinic.create<Slot>({
      resourceType: 'Slot',
      identifier: [clinic.identifier('slot', simId)],
      schedule: { reference: provider.scheduleRef },
      status: 'free',
      serviceType: [
        { coding: [{ system: NUCC, code: provider.serviceLine.taxonomy }], text: provider.serviceLine.display },
      ],
      specialty: [
        {
          coding: [
            { system: NUCC, code: provider.serviceLine.taxonomy, display: provider.serviceLine.taxonomyDisplay },
          ],
        },
      ],
      start: clinic.zone.fhir(start),
      end: clinic.zone.fhir(end),
    });
    const state: SlotState = { simId, resource: slot, providerKey: provider.key, start, end };
    list.push(state);
    clinic.slotBySimId.set(simId, state);
    made++;
  }
  clinic.slots.set(provider.key, list);
  clinic.openedDays.add(dateKey(day));
  return made;
}

/** Free slots of a provider starting after `after`, in start order. */
export function freeSlots(clinic: Clinic, providerKey: string, after: number): SlotState[] {
  return (clinic.slots.get(providerKey) ?? []).filter((s) => s.start > after && s.resource.status === 'free');
}

async function setSlot(clinic: Clinic, slot: SlotState, status: 'free' | 'busy'): Promise<void> {
  const saved = await clinic.save(slot.resource, (r) => ({ ...r, status }));
  if (saved) slot.resource = saved;
}

function siu(
  clinic: Clinic,
  a: AppointmentState,
  event: SiuEvent,
  at: number,
  status: string,
  reason?: { code: string; display: string },
): Hl7Out {
  const d = clinic.provider(a.providerKey);
  const controlId = clinic.nextControlId();
  const message = siuMessage(clinic.hl7Context, {
    event,
    at,
    controlId,
    appointmentId: a.simId,
    scheduleId: d.scheduleSimId,
    start: a.start,
    end: a.end,
    fillerStatus: status,
    appointmentType: appointmentType[a.purpose],
    serviceCode: d.serviceLine.taxonomy,
    serviceDisplay: d.serviceLine.display,
    ...(reason ? { eventReason: reason } : {}),
    patient: clinic.hl7Patient(a.patientKey),
    provider: clinic.hl7Provider(a.providerKey),
    providerRole: { code: d.serviceLine.taxonomy, display: d.serviceLine.taxonomyDisplay },
    place: clinic.hl7Place(a.providerKey),
    visitNumber: a.encounterSimId ?? a.simId,
  });
  return { type: `SIU^${event}`, controlId, message };
}

function result(
  clinic: Clinic,
  a: AppointmentState,
  kind: ActionResult['kind'],
  at: number,
  hl7: Hl7Out | undefined,
  extra: readonly string[] = [],
  detail?: string,
): ActionResult {
  return {
    kind,
    at,
    simId: a.simId,
    patientKey: a.patientKey,
    serviceLine: clinic.provider(a.providerKey).serviceLine.code,
    references: [refOf(a.resource), ...extra],
    ...(hl7 ? { hl7 } : {}),
    ...(detail ? { detail } : {}),
  };
}

export interface BookInput {
  readonly patientKey: string;
  readonly slot: SlotState;
  readonly purpose: AppointmentPurpose;
  readonly at: number;
  readonly basedOn?: { readonly ref: string; readonly simId: string };
}

export async function book(
  clinic: Clinic,
  input: BookInput,
): Promise<{ state: AppointmentState; result: ActionResult }> {
  const d = clinic.provider(input.slot.providerKey);
  const p = clinic.patient(input.patientKey);
  const simId = clinic.nextId('APPT');
  const resource = await clinic.create<Appointment>({
    resourceType: 'Appointment',
    identifier: [clinic.identifier('appointment', simId)],
    status: 'booked',
    serviceType: [{ coding: [{ system: NUCC, code: d.serviceLine.taxonomy }], text: d.serviceLine.display }],
    specialty: [{ coding: [{ system: NUCC, code: d.serviceLine.taxonomy, display: d.serviceLine.taxonomyDisplay }] }],
    appointmentType: { coding: [{ system: V2_0276, code: appointmentType[input.purpose] }] },
    start: clinic.zone.fhir(input.slot.start),
    end: clinic.zone.fhir(input.slot.end),
    minutesDuration: Math.round((input.slot.end - input.slot.start) / 60_000),
    slot: [{ reference: refOf(input.slot.resource) }],
    created: clinic.zone.fhir(input.at),
    ...(input.basedOn ? { basedOn: [{ reference: input.basedOn.ref }] } : {}),
    participant: [
      { actor: { reference: p.ref }, required: 'required', status: 'accepted' },
      { actor: { reference: d.practitionerRef }, required: 'required', status: 'accepted' },
      { actor: { reference: d.locationRef }, required: 'required', status: 'accepted' },
    ],
  });
  await setSlot(clinic, input.slot, 'busy');
  const state: AppointmentState = {
    simId,
    resource,
    patientKey: input.patientKey,
    providerKey: d.key,
    purpose: input.purpose,
    ...(input.basedOn ? { referralSimId: input.basedOn.simId } : {}),
    slotSimIds: [input.slot.simId],
    start: input.slot.start,
    end: input.slot.end,
  };
  clinic.appointments.set(simId, state);
  const kind = input.purpose === 'referral' ? 'referral-scheduled' : 'appointment-booked';
  return { state, result: result(clinic, state, kind, input.at, siu(clinic, state, 'S12', input.at, 'Booked')) };
}

export async function reschedule(
  clinic: Clinic,
  a: AppointmentState,
  slot: SlotState,
  at: number,
): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) =>
    r.status !== 'booked'
      ? undefined
      : {
          ...r,
          start: clinic.zone.fhir(slot.start),
          end: clinic.zone.fhir(slot.end),
          slot: [{ reference: refOf(slot.resource) }],
        },
  );
  if (!saved) return undefined;
  for (const old of a.slotSimIds) {
    const s = clinic.slotBySimId.get(old);
    if (s) await setSlot(clinic, s, 'free');
  }
  await setSlot(clinic, slot, 'busy');
  a.resource = saved;
  a.slotSimIds = [slot.simId];
  a.start = slot.start;
  a.end = slot.end;
  return result(clinic, a, 'appointment-rescheduled', at, siu(clinic, a, 'S13', at, 'Booked'));
}

export async function cancel(
  clinic: Clinic,
  a: AppointmentState,
  at: number,
  reason: { code: string; display: string },
): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) =>
    r.status !== 'booked'
      ? undefined
      : { ...r, status: 'cancelled', cancelationReason: { coding: [{ system: CANCEL_REASON, ...reason }] } },
  );
  if (!saved) return undefined;
  a.resource = saved;
  for (const old of a.slotSimIds) {
    const s = clinic.slotBySimId.get(old);
    if (s && s.start > at) await setSlot(clinic, s, 'free');
  }
  return result(
    clinic,
    a,
    'appointment-cancelled',
    at,
    siu(clinic, a, 'S15', at, 'Cancelled', reason),
    [],
    reason.code,
  );
}

export async function noShow(clinic: Clinic, a: AppointmentState, at: number): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) => (r.status !== 'booked' ? undefined : { ...r, status: 'noshow' }));
  if (!saved) return undefined;
  a.resource = saved;
  return result(clinic, a, 'appointment-noshow', at, siu(clinic, a, 'S26', at, 'Noshow'));
}

/** The patient is at the front desk: Appointment arrived, ADT^A04 registration. */
export async function arrive(clinic: Clinic, a: AppointmentState, at: number): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) => (r.status !== 'booked' ? undefined : { ...r, status: 'arrived' }));
  if (!saved) return undefined;
  a.resource = saved;
  a.encounterSimId = clinic.nextId('ENC');
  const controlId = clinic.nextControlId();
  const message = adtMessage(clinic.hl7Context, {
    event: 'A04',
    at,
    controlId,
    patient: clinic.hl7Patient(a.patientKey),
    patientClass: 'O',
    place: clinic.hl7Place(a.providerKey),
    attending: clinic.hl7Provider(a.providerKey),
    visitNumber: a.encounterSimId,
    admitAt: at,
  });
  return result(clinic, a, 'patient-arrived', at, { type: 'ADT^A04', controlId, message });
}

/** Registration done, the visit starts: Appointment checked-in, Encounter in-progress, SIU^S14. */
export async function checkIn(clinic: Clinic, a: AppointmentState, at: number): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) =>
    r.status !== 'arrived' ? undefined : { ...r, status: 'checked-in' },
  );
  if (!saved) return undefined;
  a.resource = saved;
  const d = clinic.provider(a.providerKey);
  const referral = a.referralSimId ? clinic.referrals.get(a.referralSimId) : undefined;
  a.encounterSimId ??= clinic.nextId('ENC');
  a.encounter = await clinic.create<Encounter>({
    resourceType: 'Encounter',
    identifier: [clinic.identifier('encounter', a.encounterSimId)],
    status: 'in-progress',
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    serviceType: { coding: [{ system: NUCC, code: d.serviceLine.taxonomy }], text: d.serviceLine.display },
    subject: { reference: clinic.patient(a.patientKey).ref },
    participant: [{ individual: { reference: d.practitionerRef } }],
    appointment: [{ reference: refOf(a.resource) }],
    ...(referral ? { basedOn: [{ reference: refOf(referral.serviceRequest) }] } : {}),
    period: { start: clinic.zone.fhir(at) },
    location: [{ location: { reference: d.locationRef } }],
    serviceProvider: { reference: d.organizationRef },
  });
  return result(clinic, a, 'patient-checked-in', at, siu(clinic, a, 'S14', at, 'Started'), [refOf(a.encounter)]);
}

/** The visit ends: Appointment fulfilled, Encounter finished, SIU^S14 Complete. */
export async function fulfil(clinic: Clinic, a: AppointmentState, at: number): Promise<ActionResult | undefined> {
  const saved = await clinic.save(a.resource, (r) =>
    r.status !== 'checked-in' ? undefined : { ...r, status: 'fulfilled' },
  );
  if (!saved) return undefined;
  a.resource = saved;
  const extra: string[] = [];
  if (a.encounter) {
    const enc = await clinic.save(a.encounter, (r) =>
      r.status !== 'in-progress'
        ? undefined
        : { ...r, status: 'finished', period: { ...r.period, end: clinic.zone.fhir(at) } },
    );
    if (enc) a.encounter = enc;
    extra.push(refOf(a.encounter));
  }
  return result(clinic, a, 'visit-fulfilled', at, siu(clinic, a, 'S14', at, 'Complete'), extra);
}
