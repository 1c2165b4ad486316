/**
 * @module Recheck orders: after a visit the clinician orders a recheck "in N weeks" (a
 * ServiceRequest, category `follow-up`, code `recheck`, occurrence the due date), which the front
 * desk books later as an appointment based on it; the order completes when that visit is
 * fulfilled. Known limit: no HL7 order message (ORM^O01) is sent for the order itself, only the
 * SIU messages of its appointments.
 */
import type { ServiceRequest } from '@medplum/fhirtypes';
import type { ActionResult, Clinic } from './clinic.js';
import { refOf } from './clinic.js';

/** The category and code Steward's follow-up route recognises. */
export const RECHECK_CATEGORY = 'http://steward.dev/fhir/CodeSystem/order-category';
export const RECHECK_CODE = 'http://steward.dev/fhir/CodeSystem/order-code';

export type RecheckPhase = 'ordered' | 'booked' | 'done' | 'lapsed';

export interface RecheckState {
  readonly simId: string;
  serviceRequest: ServiceRequest;
  readonly patientKey: string;
  readonly providerKey: string;
  /** When the recheck is due (simulated epoch ms). */
  readonly dueAt: number;
  phase: RecheckPhase;
  /** When the front desk next tries to book it. */
  nextAt: number;
  appointmentSimId?: string;
}

export async function orderRecheck(
  clinic: Clinic,
  input: { patientKey: string; providerKey: string; at: number; dueAt: number; nextAt: number; encounterRef?: string },
): Promise<{ state: RecheckState; result: ActionResult }> {
  const simId = clinic.nextId('RCK');
  const d = clinic.provider(input.providerKey);
  const serviceRequest = await clinic.create<ServiceRequest>({
    resourceType: 'ServiceRequest',
    identifier: [clinic.identifier('order', simId)],
    status: 'active',
    intent: 'order',
    priority: 'routine',
    category: [{ coding: [{ system: RECHECK_CATEGORY, code: 'follow-up', display: 'Follow-up' }] }],
    code: { coding: [{ system: RECHECK_CODE, code: 'recheck', display: 'Recheck visit' }] },
    subject: { reference: clinic.patient(input.patientKey).ref },
    ...(input.encounterRef ? { encounter: { reference: input.encounterRef } } : {}),
    occurrenceDateTime: clinic.zone.fhir(input.dueAt),
    authoredOn: clinic.zone.fhir(input.at),
    requester: { reference: d.practitionerRef },
  });
  const state: RecheckState = {
    simId,
    serviceRequest,
    patientKey: input.patientKey,
    providerKey: input.providerKey,
    dueAt: input.dueAt,
    phase: 'ordered',
    nextAt: input.nextAt,
  };
  return {
    state,
    result: {
      kind: 'recheck-ordered',
      at: input.at,
      simId,
      patientKey: input.patientKey,
      serviceLine: d.serviceLine.code,
      references: [refOf(serviceRequest)],
    },
  };
}

/** The recheck visit happened: the order is completed. */
export async function completeRecheck(clinic: Clinic, r: RecheckState, at: number): Promise<ActionResult | undefined> {
  const saved = await clinic.save(r.serviceRequest, (s) =>
    s.status !== 'active' ? undefined : { ...s, status: 'completed' },
  );
  if (!saved) return undefined;
  r.serviceRequest = saved;
  r.phase = 'done';
  return {
    kind: 'recheck-completed',
    at,
    simId: r.simId,
    patientKey: r.patientKey,
    serviceLine: clinic.provider(r.providerKey).serviceLine.code,
    references: [refOf(saved)],
  };
}
