/**
 * @module Test support (not exported): a tiny EHR that versions FHIR resources the way the
 * sandbox's clinic simulator writes them and turns each save into the normalized events the
 * journal would store (through @steward/ehr's `changeEvents`, with the previous version), a
 * journal, the router with the referral route, the engine with a fake `proposal.draft`, and a
 * manual clock.
 */
import { randomUUID } from 'node:crypto';
import type { Appointment, DocumentReference, Encounter, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { ManualClock, UserError, type EhrEvent } from '@steward/core';
import { changeEvents, mapHl7, MemoryInboundJournal, parseHl7 } from '@steward/ehr';
import type { Database } from '@steward/store';
import { WorkflowEngine, WorkflowWorker, type EffectHandler, type Json } from '../engine/index.js';
import { EventRouter, type RoutedConnection } from '../routing/index.js';
import type { DraftRequest } from '../effects/index.js';
import { createReferralRoute } from './referral-route.js';
import { referralWorkflowV1With, referralWorkflowWith, type ReferralWorkflowOptions } from './referral-workflow.js';
import type { RaiseRequest } from '../handoffs/handoff-effects.js';

export const CONN = '6f1c2b7e-2d0a-4c47-9a55-0b8d7c1e9a01';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Drafted {
  readonly key: string;
  readonly request: DraftRequest;
}

export interface ReferralKitOptions {
  /** The Steward patient each event was filed with (the journal's patient index); none by default. */
  readonly patientOf?: (event: EhrEvent) => string | undefined;
  /** The route's `patientIdsOf` (the ids of one person, merges followed). */
  readonly patientIdsOf?: (patientId: string) => Promise<readonly string[]>;
  /** HL7 arrives on this second connection of the same site (an EHR's interface registered apart). */
  readonly hl7Connection?: string;
  /** Run version 1 (Task proposals for overdue stages), as referrals started before handoffs do. */
  readonly version?: 1;
  /** The site mirrors handoffs as FHIR Tasks (the route's `mirrorTasksOf`). */
  readonly mirrorTasks?: boolean;
  /** Raising a handoff is refused (a site not configured): what the workflow falls back to. */
  readonly raiseRefused?: boolean;
}

export async function referralKit(db: Database, options: ReferralWorkflowOptions = {}, kit: ReferralKitOptions = {}) {
  await db.query(
    'truncate workflow_history, workflow_inbox, workflow_effects, workflow_links, workflow_router_cursors, workflow_instances',
  );
  const clock = new ManualClock('2026-03-02T14:00:00Z');
  const drafts = new Map<string, DraftRequest>();
  const draft: EffectHandler = (req) => {
    if (!drafts.has(req.key)) drafts.set(req.key, req.input as unknown as DraftRequest);
    return Promise.resolve({ proposalId: uuidOf(req.key), status: 'pending_review' } satisfies Json);
  };
  // The handoff effects, faked: what was raised (by key) and closed, in order; the owner takes each.
  const raises = new Map<string, RaiseRequest>();
  const closes: { key: string; reason: string }[] = [];
  const raise: EffectHandler = (req) => {
    const input = req.input as unknown as RaiseRequest;
    if (kit.raiseRefused === true) return Promise.reject(new UserError('SITE_UNKNOWN', 'site north is not configured'));
    const key = input.key ?? req.key;
    if (!raises.has(key)) raises.set(key, input);
    return Promise.resolve({
      handoffId: uuidOf(key),
      to: { kind: 'user', ref: 'owner-user' },
      owner: true,
    } satisfies Json);
  };
  const close: EffectHandler = (req) => {
    const input = req.input as { key: string; reason: string };
    if (!closes.some((c) => c.key === input.key)) closes.push(input);
    return Promise.resolve({ closed: true, handoffId: uuidOf(input.key) });
  };
  const definition = kit.version === 1 ? referralWorkflowV1With(options) : referralWorkflowWith(options);
  const engine = new WorkflowEngine({
    db,
    clock,
    definitions: [definition],
    effects: { 'proposal.draft': draft, 'handoff.raise': raise, 'handoff.close': close },
  });
  const worker = new WorkflowWorker(engine, { id: 'w1', batchSize: 16 });
  const journal = new MemoryInboundJournal();
  const hl7Journal = kit.hl7Connection !== undefined ? new MemoryInboundJournal() : journal;
  const hl7Conn = kit.hl7Connection ?? CONN;
  // The journal files each event with its Steward patient (here: as the test says).
  const withPatients = (j: MemoryInboundJournal): RoutedConnection['journal'] => ({
    events: async (after, limit) =>
      (await j.events(after, limit)).map((e) => {
        const patientId = kit.patientOf?.(e);
        return patientId !== undefined ? { ...e, patientId } : e;
      }),
  });
  const connections: RoutedConnection[] = [
    { id: CONN, journal: withPatients(journal) },
    ...(kit.hl7Connection !== undefined ? [{ id: kit.hl7Connection, journal: withPatients(hl7Journal) }] : []),
  ];
  const router = new EventRouter({
    db,
    engine,
    clock,
    routes: [
      createReferralRoute({
        siteOf: () => Promise.resolve('north'),
        ...(kit.patientIdsOf !== undefined ? { patientIdsOf: kit.patientIdsOf } : {}),
        siteConnectionsOf: (id) => Promise.resolve([id, ...connections.map((c) => c.id).filter((c) => c !== id)]),
        mirrorTasksOf: () => Promise.resolve(kit.mirrorTasks === true),
      }),
    ],
    connections: () => Promise.resolve(connections),
  });
  const versions = new Map<string, Resource>();

  /** Saves a version (the EHR assigns version and lastUpdated), journals its events, routes and runs them. */
  async function save<T extends Resource>(resource: T): Promise<T> {
    const key = `${resource.resourceType}/${resource.id ?? ''}`;
    const previous = versions.get(key);
    const version = String(Number(previous?.meta?.versionId ?? '0') + 1);
    const current = { ...resource, meta: { versionId: version, lastUpdated: clock.now().toISOString() } } as T;
    versions.set(key, current);
    const events = changeEvents(current, previous, { connectionId: CONN, channel: 'fhir-subscription' });
    await journal.receive(
      {
        connectionId: CONN,
        channel: 'fhir-subscription',
        messageKey: `${key}/${version}`,
        raw: JSON.stringify(current),
        messageType: resource.resourceType,
        receivedAt: clock.now(),
      },
      events,
    );
    await run();
    return current;
  }

  /** Files an HL7 v2 message as the MLLP listener would (mapped on this connection), routes and runs it. */
  async function receiveHl7(raw: string): Promise<void> {
    const parsed = parseHl7(raw);
    const events = mapHl7(parsed, { connectionId: hl7Conn, facilityTimeZone: 'America/New_York' });
    await hl7Journal.receive(
      {
        connectionId: hl7Conn,
        channel: 'hl7v2',
        messageKey: parsed.controlId,
        raw,
        messageType: parsed.type,
        receivedAt: clock.now(),
      },
      events,
    );
    await run();
  }

  /** The referral workflows' correlation keys, oldest first. */
  async function referralKeys(): Promise<string[]> {
    const r = await db.query<{ correlation_key: string }>(
      "select correlation_key from workflow_instances where type = 'referral' order by created_at, correlation_key",
    );
    return r.rows.map((row) => row.correlation_key);
  }

  async function run(): Promise<void> {
    await router.drain();
    await worker.drain();
  }

  /** Moves time on and runs whatever came due. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await run();
  }

  /** The referral of a ServiceRequest id, or of a full correlation key (`referral:…`). */
  async function stateOf(srId: string) {
    const r = await db.query<{ id: string }>(
      "select id from workflow_instances where type = 'referral' and correlation_key = $1",
      [srId.startsWith('referral:') ? srId : `referral:${CONN}:${srId}`],
    );
    const id = r.rows[0]?.id;
    if (id === undefined) throw new Error('no referral workflow');
    return engine.get(id);
  }

  return {
    clock,
    drafts,
    raises,
    closes,
    engine,
    worker,
    journal,
    router,
    save,
    receiveHl7,
    run,
    advance,
    stateOf,
    referralKeys,
  };
}

export function uuidOf(key: string): string {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `00000000-0000-4000-8000-${h.toString(16).padStart(12, '0')}`;
}

export const PATIENT = 'Patient/pat-1';

/** A referral as the clinic simulator writes it (category Patient referral, PractitionerRole + Organization performers). */
export function serviceRequest(id: string, extra: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'active',
    intent: 'order',
    priority: 'routine',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    code: { text: 'Referral to Cardiology' },
    subject: { reference: PATIENT },
    authoredOn: '2026-03-02T14:00:00Z',
    requester: { reference: 'Practitioner/pcp-1' },
    performer: [{ reference: 'PractitionerRole/card-role' }, { reference: 'Organization/card-org' }],
    ...extra,
  };
}

export function referralTask(id: string, srId: string, status: Task['status']): Task {
  return {
    resourceType: 'Task',
    id,
    status,
    intent: 'order',
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: `ServiceRequest/${srId}` },
    for: { reference: PATIENT },
    requester: { reference: 'Practitioner/pcp-1' },
    owner: { reference: 'PractitionerRole/card-role' },
  };
}

export function appointment(
  id: string,
  srId: string | undefined,
  status: Appointment['status'],
  start: string,
  provider: Appointment['participant'][number]['actor'] = { reference: 'Practitioner/card-1' },
): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    status,
    start,
    end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    ...(srId !== undefined ? { basedOn: [{ reference: `ServiceRequest/${srId}` }] } : {}),
    participant: [
      { actor: { reference: PATIENT }, status: 'accepted' },
      { actor: provider, status: 'accepted' },
    ],
  };
}

/** An encounter that names only its appointment (found through the appointment's link). */
export function encounter(id: string, appointmentId: string, status: Encounter['status']): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status,
    class: { code: 'AMB' },
    subject: { reference: PATIENT },
    appointment: [{ reference: `Appointment/${appointmentId}` }],
    serviceProvider: { reference: 'Organization/card-org' },
  };
}

export function consultNote(id: string, related: readonly string[]): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
    subject: { reference: PATIENT },
    content: [{ attachment: { contentType: 'text/plain' } }],
    context: { related: related.map((reference) => ({ reference })) },
  };
}

export const newId = (): string => randomUUID();
