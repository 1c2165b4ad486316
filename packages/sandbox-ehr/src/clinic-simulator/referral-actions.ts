/**
 * @module Referral actions (HL7 FHIR referral workflow): a ServiceRequest (category "Patient
 * referral") with a Task that moves requested → received → accepted → completed, or is cancelled;
 * the answer is a consult-note DocumentReference linked to the ServiceRequest. REF^I12/I13/I14 and
 * MDM^T02 go to the feed as a real EHR's interface would send them.
 */
import type { DocumentReference, ServiceRequest, Task } from '@medplum/fhirtypes';
import type { ActionResult, Clinic, Hl7Out } from './clinic.js';
import { refOf } from './clinic.js';
import type { ReferralState } from './clinic-model.js';
import { NUCC } from './clinic-model.js';
import type { RefEvent } from './hl7-messages.js';
import { mdmMessage, refMessage } from './hl7-messages.js';

const SNOMED = 'http://snomed.info/sct';
const TASK_CODE = 'http://hl7.org/fhir/CodeSystem/task-code';

function ref(
  clinic: Clinic,
  r: ReferralState,
  event: RefEvent,
  at: number,
  status: { code: string; display: string },
): Hl7Out {
  const to = clinic.provider(r.toKey);
  const controlId = clinic.nextControlId();
  const message = refMessage(clinic.hl7Context, {
    event,
    at,
    controlId,
    referralId: r.simId,
    status,
    priority: r.serviceRequest.priority === 'urgent' ? 'S' : 'R',
    authoredAt: r.authoredAt,
    reason: `Referral to ${to.serviceLine.display}`,
    specialty: { code: to.serviceLine.taxonomy, display: to.serviceLine.taxonomyDisplay },
    referring: clinic.hl7Provider(r.fromKey),
    referredTo: clinic.hl7Provider(r.toKey),
    referredToFacility: to.facilityName,
    patient: clinic.hl7Patient(r.patientKey),
  });
  return { type: `REF^${event}`, controlId, message };
}

function result(
  clinic: Clinic,
  r: ReferralState,
  kind: ActionResult['kind'],
  at: number,
  hl7?: Hl7Out,
  extra: readonly string[] = [],
): ActionResult {
  return {
    kind,
    at,
    simId: r.simId,
    patientKey: r.patientKey,
    serviceLine: clinic.provider(r.toKey).serviceLine.code,
    references: [refOf(r.serviceRequest), refOf(r.task), ...extra],
    ...(hl7 ? { hl7 } : {}),
  };
}

export interface SendReferralInput {
  readonly patientKey: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly at: number;
  readonly urgent: boolean;
  readonly encounterRef?: string;
  readonly willLeak: boolean;
  readonly willCancel: boolean;
  readonly nextAt: number;
}

export async function sendReferral(
  clinic: Clinic,
  input: SendReferralInput,
): Promise<{ state: ReferralState; result: ActionResult }> {
  const from = clinic.provider(input.fromKey);
  const to = clinic.provider(input.toKey);
  const patientRef = clinic.patient(input.patientKey).ref;
  const simId = clinic.nextId('REF');
  const authored = clinic.zone.fhir(input.at);
  const serviceRequest = await clinic.create<ServiceRequest>({
    resourceType: 'ServiceRequest',
    identifier: [clinic.identifier('referral', simId)],
    status: 'active',
    intent: 'order',
    priority: input.urgent ? 'urgent' : 'routine',
    category: [{ coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] }],
    code: { text: `Referral to ${to.serviceLine.display}` },
    subject: { reference: patientRef },
    ...(input.encounterRef ? { encounter: { reference: input.encounterRef } } : {}),
    authoredOn: authored,
    requester: { reference: from.practitionerRef },
    performerType: {
      coding: [{ system: NUCC, code: to.serviceLine.taxonomy, display: to.serviceLine.taxonomyDisplay }],
    },
    performer: [{ reference: to.roleRef }, { reference: to.organizationRef }],
  });
  const task = await clinic.create<Task>({
    resourceType: 'Task',
    identifier: [clinic.identifier('referral-task', simId)],
    status: 'requested',
    intent: 'order',
    priority: input.urgent ? 'urgent' : 'routine',
    code: { coding: [{ system: TASK_CODE, code: 'fulfill', display: 'Fulfill the focal request' }] },
    focus: { reference: refOf(serviceRequest) },
    for: { reference: patientRef },
    authoredOn: authored,
    lastModified: authored,
    requester: { reference: from.practitionerRef },
    owner: { reference: to.roleRef },
  });
  const state: ReferralState = {
    simId,
    serviceRequest,
    task,
    patientKey: input.patientKey,
    fromKey: input.fromKey,
    toKey: input.toKey,
    authoredAt: input.at,
    phase: 'requested',
    nextAt: input.nextAt,
    willLeak: input.willLeak,
    willCancel: input.willCancel,
  };
  clinic.referrals.set(simId, state);
  return {
    state,
    result: result(
      clinic,
      state,
      'referral-sent',
      input.at,
      ref(clinic, state, 'I12', input.at, { code: 'P', display: 'Pending' }),
    ),
  };
}

async function moveTask(
  clinic: Clinic,
  r: ReferralState,
  from: readonly Task['status'][],
  to: Task['status'],
  at: number,
  extra: Partial<Task> = {},
): Promise<boolean> {
  const saved = await clinic.save(r.task, (t) =>
    from.includes(t.status) ? { ...t, ...extra, status: to, lastModified: clinic.zone.fhir(at) } : undefined,
  );
  if (!saved) return false;
  r.task = saved;
  return true;
}

/** The specialist's office saw it (no HL7 message: the interface reports acceptance, not receipt). */
export async function receiveReferral(clinic: Clinic, r: ReferralState, at: number): Promise<ActionResult | undefined> {
  if (!(await moveTask(clinic, r, ['requested'], 'received', at))) return undefined;
  r.phase = 'received';
  return result(clinic, r, 'referral-received', at);
}

export async function acceptReferral(clinic: Clinic, r: ReferralState, at: number): Promise<ActionResult | undefined> {
  if (!(await moveTask(clinic, r, ['received'], 'accepted', at))) return undefined;
  r.phase = 'accepted';
  return result(clinic, r, 'referral-accepted', at, ref(clinic, r, 'I13', at, { code: 'A', display: 'Accepted' }));
}

/** The referrer withdraws it: Task cancelled, ServiceRequest revoked, REF^I14. */
export async function cancelReferral(clinic: Clinic, r: ReferralState, at: number): Promise<ActionResult | undefined> {
  if (!(await moveTask(clinic, r, ['requested', 'received', 'accepted'], 'cancelled', at))) return undefined;
  const sr = await clinic.save(r.serviceRequest, (s) =>
    s.status === 'active' ? { ...s, status: 'revoked' } : undefined,
  );
  if (sr) r.serviceRequest = sr;
  r.phase = 'cancelled';
  return result(clinic, r, 'referral-cancelled', at, ref(clinic, r, 'I14', at, { code: 'C', display: 'Cancelled' }));
}

/** Marks the booked appointment on the Task so a worklist can show it. */
export async function noteScheduled(
  clinic: Clinic,
  r: ReferralState,
  at: number,
  appointmentRef: string,
): Promise<void> {
  await moveTask(clinic, r, ['accepted'], 'accepted', at, {
    businessStatus: { text: 'Appointment booked' },
    output: [{ type: { text: 'appointment' }, valueReference: { reference: appointmentRef } }],
  });
  r.phase = 'scheduled';
}

/** The consult note comes back: DocumentReference, Task completed, ServiceRequest completed, MDM^T02. */
export async function answerReferral(
  clinic: Clinic,
  r: ReferralState,
  at: number,
  encounterRef?: string,
): Promise<ActionResult | undefined> {
  const to = clinic.provider(r.toKey);
  const docSimId = clinic.nextId('DOC');
  const doc = await clinic.create<DocumentReference>({
    resourceType: 'DocumentReference',
    identifier: [clinic.identifier('document', docSimId)],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
    category: [
      {
        coding: [
          {
            system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
            code: 'clinical-note',
            display: 'Clinical Note',
          },
        ],
      },
    ],
    subject: { reference: clinic.patient(r.patientKey).ref },
    date: clinic.zone.fhir(at),
    author: [{ reference: to.practitionerRef }],
    custodian: { reference: to.organizationRef },
    content: [
      {
        attachment: {
          contentType: 'text/plain',
          title: 'Consult note',
          data: Buffer.from('Consult note available in EHR').toString('base64'),
        },
      },
    ],
    context: {
      ...(encounterRef ? { encounter: [{ reference: encounterRef }] } : {}),
      related: [{ reference: refOf(r.serviceRequest) }],
    },
  });
  const moved = await moveTask(clinic, r, ['accepted', 'in-progress'], 'completed', at, {
    output: [...(r.task.output ?? []), { type: { text: 'consult note' }, valueReference: { reference: refOf(doc) } }],
  });
  if (!moved) return undefined;
  const sr = await clinic.save(r.serviceRequest, (s) =>
    s.status === 'active' ? { ...s, status: 'completed' } : undefined,
  );
  if (sr) r.serviceRequest = sr;
  r.phase = 'completed';
  const controlId = clinic.nextControlId();
  const message = mdmMessage(clinic.hl7Context, {
    at,
    controlId,
    documentId: docSimId,
    referralId: r.simId,
    author: clinic.hl7Provider(r.toKey),
    patient: clinic.hl7Patient(r.patientKey),
    place: clinic.hl7Place(r.toKey),
    visitNumber: r.appointmentSimId ?? r.simId,
  });
  return result(clinic, r, 'referral-answered', at, { type: 'MDM^T02', controlId, message }, [refOf(doc)]);
}
