/**
 * @module The write half of the governed EHR (`GovernedEhr`), for every channel. Every write is:
 * - allowed by policy (`ehr.write` at the connection's site) and audited, whatever its outcome,
 *   under the patient it is for;
 * - guarded against the wrong chart: the target patient is read again and must be active, not
 *   merged away, and match the patient the change was made for on at least two identifiers;
 * - version-aware: an update carries `If-Match` with the version it was based on, and a 412 is a
 *   conflict reported to the caller, never an overwrite;
 * - idempotent: a create carries a Steward identifier and is conditional on it (`If-None-Exist`),
 *   and after an ambiguous outcome (response lost, timeout) the writer reads back before any
 *   retry, so a retry never creates a duplicate and a landed update is recognised as landed;
 * - verified: the written fields are read back and compared.
 * Known limit: "is this update mine?" compares the fields Steward sent; a concurrent writer that
 * set exactly the same values is indistinguishable (and harmless).
 */
import {
  OperationalError,
  UnexpectedError,
  UserError,
  ValidationError,
  isStewardError,
  type EhrIdentifier,
  type RequestContext,
} from '@steward/core';
import type { AuditSink, PolicyDecisionPoint } from '@steward/governance';
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { EhrChannel, EhrResource, WriteContext, WriteProvenance } from './ehr-channel.js';

/** The identifier system of Steward's idempotency keys on the resources it creates. */
export const stewardWriteSystem = 'urn:steward:write';

/** What Steward may write, and nothing else: operational resources, and notes only as drafts. */
export const writableTypes = ['Appointment', 'Task', 'ServiceRequest', 'Communication', 'DocumentReference'] as const;
export type WritableType = (typeof writableTypes)[number];

/** The patient a change was made for, as the change's author saw them. */
export interface PatientGuard {
  readonly ehrId: string;
  /** At least two; the EHR's patient must still carry two of them. */
  readonly identifiers: readonly EhrIdentifier[];
}

export type WriteRequest =
  | {
      readonly kind: 'create';
      readonly resource: Resource;
      readonly patient: PatientGuard;
      /** Unique per intended change (a proposal id): the same key is the same change. */
      readonly idempotencyKey: string;
      /** The proposal carried out and its approver (the screens channel's run identity). */
      readonly proposal?: WriteProvenance;
    }
  | {
      readonly kind: 'update';
      readonly resource: Resource & { readonly id: string };
      /** The EHR version the change was based on. */
      readonly baseVersion: string;
      readonly patient: PatientGuard;
      readonly idempotencyKey: string;
      readonly proposal?: WriteProvenance;
    };

export interface WriteOutcome {
  readonly status: 'written' | 'already-written';
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string | undefined;
  readonly attempts: number;
}

/** The connection written to: its id and site. */
export interface WriteTarget {
  readonly id: string;
  readonly site: string;
}

export interface EhrWriterOptions {
  /** Most tries after ambiguous outcomes or unavailability before giving up. Default 4. */
  readonly maxAttempts?: number;
  /** Whether Steward knows of a merge pending for this patient (from the inbound feed). */
  readonly pendingMerge?: (connectionId: string, patientEhrId: string) => Promise<boolean>;
}

/** Writes through one channel, governed. Internal to `GovernedEhr`, which is its only user. */
export class GovernedWrite {
  private readonly maxAttempts: number;

  constructor(
    private readonly channel: EhrChannel,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditSink,
    /** The Steward patient id an EHR patient of a connection at a site is audited under. */
    private readonly patientIdOf: (connectionId: string, site: string, ehrId: string) => Promise<string>,
    private readonly options: EhrWriterOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
  }

  async write(ctx: RequestContext, target: WriteTarget, request: WriteRequest): Promise<WriteOutcome> {
    checkRequest(request);
    const { site } = target;
    const patientId = await this.patientIdOf(target.id, site, request.patient.ehrId);
    await this.policy.enforce(ctx, 'ehr.write', { site, patientId });
    const entry = { site, patientId };
    try {
      await this.guardPatient(target, request.patient, request.resource);
      const outcome =
        request.kind === 'create'
          ? await this.create(ctx, target.id, request)
          : await this.update(ctx, target.id, request);
      await this.record(ctx, entry, request, 'success', `${request.kind}:${outcome.status}`, outcome);
      return outcome;
    } catch (e) {
      const code = isStewardError(e) ? e.code : 'INTERNAL';
      await this.record(ctx, entry, request, 'failure', `${request.kind}:${code}`);
      throw e;
    }
  }

  private async create(
    ctx: RequestContext,
    connectionId: string,
    request: Extract<WriteRequest, { kind: 'create' }>,
  ): Promise<WriteOutcome> {
    const key = `${stewardWriteSystem}|${request.idempotencyKey}`;
    const resource = withIdentifier(request.resource, request.idempotencyKey);
    const type = resource.resourceType;
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await this.channel.create(connectionId, resource, key, contextOf(ctx, request));
        return await this.verified(
          connectionId,
          resource,
          created,
          attempt,
          created.created ? 'written' : 'already-written',
        );
      } catch (e) {
        if (!ambiguous(e) || attempt >= this.maxAttempts) throw e;
        // The request may have landed: look before trying again.
        const found = await this.readBackByIdentifier(connectionId, type, key);
        if (found !== undefined) return this.verified(connectionId, resource, found, attempt, 'written');
      }
    }
  }

  private async update(
    ctx: RequestContext,
    connectionId: string,
    request: Extract<WriteRequest, { kind: 'update' }>,
  ): Promise<WriteOutcome> {
    const { resource } = request;
    for (let attempt = 1; ; attempt++) {
      try {
        const updated = await this.channel.update(connectionId, resource, request.baseVersion, contextOf(ctx, request));
        return await this.verified(connectionId, resource, updated, attempt, 'written');
      } catch (e) {
        const conflict = isStewardError(e) && e.code === 'EHR_CONFLICT';
        if (!conflict && (!ambiguous(e) || attempt >= this.maxAttempts)) throw e;
        const current = await this.channel.read(connectionId, resource);
        // Ours landed (the lost response, or a 412 because our own earlier try moved the version on).
        if (contains(current.resource, resource))
          return this.verified(connectionId, resource, current, attempt, 'already-written');
        if (conflict || current.versionId !== request.baseVersion) {
          throw new UserError(
            'EHR_CONFLICT',
            `${resource.resourceType} changed in the EHR since version ${request.baseVersion} (now ${current.versionId ?? 'unknown'}); nothing was overwritten`,
          );
        }
        // Still at the base version: it did not land, so trying again is safe.
      }
    }
  }

  private async verified(
    connectionId: string,
    sent: Resource,
    result: EhrResource,
    attempts: number,
    status: WriteOutcome['status'],
  ): Promise<WriteOutcome> {
    const id = result.resource['id'];
    if (typeof id !== 'string') throw new UnexpectedError('the EHR answered a write without a resource id');
    const readBack = await this.channel.read(connectionId, { resourceType: sent.resourceType, id });
    if (!contains(readBack.resource, { ...sent, id })) {
      throw new OperationalError(
        'EHR_OUTCOME_UNKNOWN',
        `${sent.resourceType} read back after the write does not hold what was written`,
      );
    }
    return { status, resourceType: sent.resourceType, id, versionId: readBack.versionId, attempts };
  }

  /** The wrong-chart guard. Reads the patient fresh; never trusts what the change was drafted from. */
  private async guardPatient(target: WriteTarget, guard: PatientGuard, resource: Resource): Promise<void> {
    const refs = patientReferences(resource);
    if (refs.length === 0 || refs.some((r) => r !== `Patient/${guard.ehrId}`)) {
      throw new UserError(
        'EHR_WRONG_PATIENT',
        `the ${resource.resourceType} does not point at the patient it was made for`,
      );
    }
    if ((await this.options.pendingMerge?.(target.id, guard.ehrId)) === true) {
      throw new UserError('EHR_WRONG_PATIENT', 'a merge is pending for the target patient');
    }
    // The screens channel checks the banner itself, in the run that writes, before any input.
    if ((await this.channel.checksChartBeforeWrite?.(target.id)) === true) return;
    // What the guard reads of the chart (the channel speaks plain JSON).
    let patient: Pick<Patient, 'active' | 'link' | 'identifier'>;
    try {
      const read = await this.channel.read(target.id, { resourceType: 'Patient', id: guard.ehrId });
      patient = read.resource;
    } catch (e) {
      if (isStewardError(e) && (e.code === 'EHR_REJECTED' || e.code === 'NOT_FOUND'))
        throw new UserError('EHR_WRONG_PATIENT', 'the target patient is no longer in the EHR');
      throw e;
    }
    if (patient.active === false || (patient.link ?? []).some((l) => l.type === 'replaced-by')) {
      throw new UserError('EHR_WRONG_PATIENT', 'the target patient is inactive or merged into another record');
    }
    const held = new Set((patient.identifier ?? []).map((i) => `${i.system ?? ''}|${i.value ?? ''}`));
    const matched = guard.identifiers.filter((i) => held.has(`${i.system}|${i.value}`)).length;
    if (matched < 2) {
      throw new UserError('EHR_WRONG_PATIENT', 'the target patient no longer matches on two identifiers');
    }
  }

  /** The channel's matches for a Steward write key: none, one, or (never expected) a duplicate. */
  private async readBackByIdentifier(
    connectionId: string,
    type: string,
    key: string,
  ): Promise<EhrResource | undefined> {
    const matches = await this.channel.search(connectionId, type, { identifier: key });
    if (matches.length > 1)
      throw new UnexpectedError(`${matches.length} ${type} resources carry one Steward write key`);
    const id = matches[0]?.resource['id'];
    if (typeof id !== 'string') return undefined;
    return this.channel.read(connectionId, { resourceType: type, id });
  }

  private async record(
    ctx: RequestContext,
    at: { readonly site: string; readonly patientId: string },
    request: WriteRequest,
    outcome: 'success' | 'failure',
    reason: string,
    result?: WriteOutcome,
  ): Promise<void> {
    await this.audit.append({
      actor: ctx.actor,
      event: 'ehr.written',
      action: request.kind === 'create' ? 'C' : 'U',
      outcome,
      patientIds: [at.patientId],
      entity: {
        kind: request.resource.resourceType,
        id: result?.id ?? (request.kind === 'update' ? request.resource.id : request.idempotencyKey),
      },
      fields: Object.keys(request.resource).filter((k) => k !== 'resourceType' && k !== 'meta'),
      site: at.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      ...(ctx.requestId !== undefined ? { source: { requestId: ctx.requestId } } : {}),
      reason,
    });
  }
}

/** What the channel is told of the write (the screens channel runs it with this identity and patient). */
function contextOf(ctx: RequestContext, request: WriteRequest): WriteContext {
  return {
    requestedBy: ctx,
    patient: request.patient,
    idempotencyKey: request.idempotencyKey,
    ...(request.proposal !== undefined ? { proposal: request.proposal } : {}),
  };
}

function checkRequest(request: WriteRequest): void {
  const type = request.resource.resourceType;
  if (!(writableTypes as readonly string[]).includes(type))
    throw new ValidationError('Steward does not write this resource type', [
      { path: 'resourceType', message: `one of ${writableTypes.join(', ')}` },
    ]);
  if (type === 'DocumentReference' && (request.resource as { docStatus?: string }).docStatus !== 'preliminary')
    throw new ValidationError('notes are written only as drafts', [
      { path: 'docStatus', message: 'must be preliminary: a clinician finalises notes in the EHR' },
    ]);
  if (request.patient.identifiers.length < 2)
    throw new ValidationError('the patient guard needs two identifiers', [
      { path: 'patient.identifiers', message: 'at least two (e.g. MRN and enterprise id)' },
    ]);
  if (!/^[A-Za-z0-9.-]{8,64}$/.test(request.idempotencyKey))
    throw new ValidationError('invalid idempotency key', [
      { path: 'idempotencyKey', message: '8–64 of A-Z a-z 0-9 . -' },
    ]);
}

/** A dropped connection or lost response after sending, or unavailability: the write may or may not have landed. */
function ambiguous(e: unknown): boolean {
  return isStewardError(e) && (e.code === 'EHR_OUTCOME_UNKNOWN' || e.code === 'EHR_UNAVAILABLE');
}

function withIdentifier(resource: Resource, key: string): Resource {
  const existing = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  const identifier = [
    ...existing.filter((i) => i.system !== stewardWriteSystem),
    { system: stewardWriteSystem, value: key },
  ];
  return { ...resource, identifier } as Resource;
}

/** The patient references a resource carries (subject, patient, for, beneficiary, participant actors). */
export function patientReferences(resource: Readonly<Record<string, unknown>> | Resource): string[] {
  const r = resource as Readonly<Record<string, unknown>>;
  const refs: string[] = [];
  for (const key of ['subject', 'patient', 'for']) {
    const v = r[key] as { reference?: string } | undefined;
    if (v?.reference?.startsWith('Patient/') === true) refs.push(v.reference);
  }
  for (const p of (r['participant'] as { actor?: { reference?: string } }[] | undefined) ?? []) {
    if (p.actor?.reference?.startsWith('Patient/') === true) refs.push(p.actor.reference);
  }
  return refs;
}

/** Whether `current` holds every top-level element of `sent` (meta, text and id aside) with the same value. */
export function contains(current: Readonly<Record<string, unknown>>, sent: Resource): boolean {
  const c = current;
  for (const [key, value] of Object.entries(sent)) {
    if (key === 'meta' || key === 'text') continue;
    if (canonical(c[key]) !== canonical(value)) return false;
  }
  return true;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
