/**
 * @module The screens channel: an `EhrChannel` for connections whose EHR has no API for what Steward
 * writes, so `GovernedEhr` governs it like any other (policy, audit, the wrong-chart guard). Each
 * create is one governed browser run (identity, patient, steps recorded): the FHIR resource is
 * mapped onto the map's form for its type (fields by key path, template by specialty or encounter
 * type), the patient opened by the map's identifier, the banner checked, every field filled and
 * read back, the form submitted and the confirmation read back. The same write key finds the
 * record already written (`created: false`), so a retry never writes twice. `read(Patient/<id>)`
 * opens the chart and returns the identifiers its banner shows, so the governed writer's own
 * wrong-chart guard reads the screen too.
 *
 * Known limits: creates only (a screen map's forms add, they do not change); a resource other than a Patient is read back
 * only as this process wrote and verified it on screen (the resource as sent, with the EHR's id);
 * `search` answers only `identifier` from those writes, and an empty answer is safe because a
 * create looks on screen before writing — where the map's form has a `lookup`. Without one, a write
 * key is recognised only within this process (a restart between a submit and its retry could
 * write twice: give every form a lookup).
 */
import { OperationalError, UserError, ValidationError, type EhrIdentifier, type ErrorDetail } from '@steward/core';
import type { EhrChannel, EhrReference, EhrResource, EhrSearch, WriteContext } from '@steward/ehr';
import type { ScreenExecutor } from '../executor/executor.js';
import { compareIdentifiers } from '../executor/patient.js';
import type { RunOutcome, RunStart } from '../model/run.js';
import type { FormSpec, ScreenMap } from '../model/screen-map.js';
import { fieldValues, templateHints, uncovered } from './resource-fields.js';
import type { RunJournal } from './run-journal.js';

export interface ScreensChannelDeps {
  readonly executor: ScreenExecutor;
  /** The connection's current approved screen map. */
  readonly maps: (connectionId: string) => Promise<ScreenMap>;
  readonly runs: RunJournal;
  /** The identifiers Steward knows for an EHR patient (its patient index): how their chart is searched. */
  readonly identifiersOf: (connectionId: string, ehrId: string) => Promise<readonly EhrIdentifier[]>;
  /**
   * Whether the identifiers a write's guard names belong to another patient than the EHR patient
   * it names, as Steward knows them (a patient index that keeps identifiers only as keyed hashes
   * answers this without them). Default: compared with `identifiersOf`.
   */
  readonly contradicts?: (
    connectionId: string,
    ehrId: string,
    identifiers: readonly EhrIdentifier[],
  ) => Promise<boolean>;
  /** The Steward patient id runs record for an EHR patient (default: the runs name no patient). */
  readonly patientIdOf?: (connectionId: string, ehrId: string) => Promise<string>;
}

/** Writes verified on screen, kept for the governed writer's read-back (bounded). */
const keptWrites = 1_000;

export class ScreensChannel implements EhrChannel {
  readonly kind = 'screens';
  private readonly written = new Map<string, EhrResource>();
  /** `connection|type|system|value` of a write key → its entry in `written`. */
  private readonly keys = new Map<string, string>();
  /** The write of each key under way: a second write of the same key waits for it, then finds its record. */
  private readonly writing = new Map<string, Promise<unknown>>();

  constructor(private readonly d: ScreensChannelDeps) {}

  async read(connectionId: string, ref: EhrReference): Promise<EhrResource> {
    if (ref.resourceType === 'Patient') return this.readPatient(connectionId, ref.id);
    const kept = this.written.get(`${connectionId}|${ref.resourceType}/${ref.id}`);
    if (kept !== undefined) return kept;
    throw new UserError(
      'EHR_NOT_SUPPORTED',
      `the screens channel reads a ${ref.resourceType} only as it wrote and verified it on screen`,
    );
  }

  readVersion(): Promise<EhrResource | undefined> {
    return Promise.resolve(undefined); // screens keep no history Steward can read
  }

  search(connectionId: string, resourceType: string, params: EhrSearch): Promise<readonly EhrResource[]> {
    const keys = Object.keys(params);
    const identifier = params['identifier'];
    if (keys.length !== 1 || identifier === undefined)
      return Promise.reject(new UserError('EHR_NOT_SUPPORTED', 'the screens channel searches by identifier only'));
    const [system, value] = identifier.split('|');
    const byKey = this.keys.get(`${connectionId}|${resourceType}|${identifier}`);
    const keyed = byKey === undefined ? undefined : this.written.get(byKey);
    const found = [...this.written.entries()]
      .filter(([k]) => k.startsWith(`${connectionId}|${resourceType}/`))
      .map(([, r]) => r)
      .filter(
        (r) =>
          r === keyed ||
          ((r.resource['identifier'] as { system?: string; value?: string }[] | undefined) ?? []).some(
            (i) => i.system === system && i.value === value,
          ),
      );
    return Promise.resolve(found);
  }

  /**
   * One run per write key at a time in this process: the approval's own commit and the write-back
   * worker may both take an approved proposal, and two runs under way at once would both look the
   * record up before either submits, and both type it. The second waits, then finds the first's.
   */
  create(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
    context?: WriteContext,
  ): Promise<EhrResource & { readonly created: boolean }> {
    const key = `${connectionId}|${resource.resourceType}|${ifNoneExist}`;
    const earlier = this.writing.get(key) ?? Promise.resolve();
    const mine = earlier
      .catch(() => undefined)
      .then(() => this.createOnce(connectionId, resource, ifNoneExist, context));
    this.writing.set(key, mine);
    const done = (): void => {
      if (this.writing.get(key) === mine) this.writing.delete(key);
    };
    mine.then(done, done);
    return mine;
  }

  private async createOnce(
    connectionId: string,
    resource: { readonly resourceType: string },
    ifNoneExist: string,
    context?: WriteContext,
  ): Promise<EhrResource & { readonly created: boolean }> {
    const map = await this.d.maps(connectionId);
    const form = map.forms.find((f) => f.resourceType === resource.resourceType);
    if (form === undefined)
      throw new UserError('EHR_NOT_SUPPORTED', `the screen map has no form that writes a ${resource.resourceType}`);
    const patient = context?.patient;
    if (patient === undefined)
      throw new ValidationError('a write through screens needs the patient it is for', [
        { path: 'context.patient', message: 'required' },
      ]);
    // The run finds the chart by the guard's identifiers and checks the banner against them; it
    // never sees the EHR id the write names. So the guard must be that EHR patient's as Steward
    // knows them: identifiers of another patient would open, and pass the banner check of, that
    // patient's chart (what the FHIR channel's guard catches by reading the patient by its id).
    const contradicted =
      this.d.contradicts !== undefined
        ? await this.d.contradicts(connectionId, patient.ehrId, patient.identifiers)
        : compareIdentifiers(await this.d.identifiersOf(connectionId, patient.ehrId), patient.identifiers)
            .contradicted > 0;
    if (contradicted)
      throw new UserError(
        'EHR_WRONG_PATIENT',
        "the write's patient identifiers are not those Steward knows for the patient it names: nothing was typed",
      );
    // Written by this process already: the same key is the same change (this holds even for a form
    // the map gives no lookup for, whose screens cannot show Steward's reference).
    const [prior] = await this.search(connectionId, resource.resourceType, { identifier: ifNoneExist });
    if (prior !== undefined) return { ...prior, created: false };
    const json = resource as Readonly<Record<string, unknown>>;
    const [system = '', key = ''] = ifNoneExist.split('|');
    const referenceKey = `identifier:${system}`;
    const carries = form.templates.some((t) => t.fields.some((f) => f.key === referenceKey));
    const left = uncovered(form, json, system);
    if (left.length > 0)
      throw new UserError(
        'SCREEN_FIELDS_MISSING',
        `the screen map's ${form.id} form has no field for ${left.length === 1 ? 'an element' : 'elements'} of the ${resource.resourceType}: nothing was typed`,
        left.map((path) => ({ path, message: 'no field on the form enters it, and the form does not set it' })),
      );
    const values = fieldValues(form, json);
    // The write key goes on screen with the record (where the form has a field for it).
    if (carries) values[referenceKey] ??= key;
    const run = await this.d.runs.begin(await this.start(map, 'write', patient.ehrId, context));
    const result = await this.d.executor.write({
      runId: run.runId,
      map,
      recorder: run,
      formId: form.id,
      when: templateHints(json),
      values,
      patient,
      ...(carries ? { reference: { key: referenceKey, value: key } } : {}),
    });
    await run.finish(result.outcome);
    if (result.outcome.status === 'halted' || result.record === undefined) throw haltError(result.outcome, form);
    // The EHR's id from the confirmation's address; without one, Steward's reference names it.
    const id = result.record.id ?? key;
    const created: EhrResource = { resource: { ...json, id }, versionId: undefined };
    this.keep(`${connectionId}|${resource.resourceType}/${id}`, created);
    this.keys.set(
      `${connectionId}|${resource.resourceType}|${ifNoneExist}`,
      `${connectionId}|${resource.resourceType}/${id}`,
    );
    return { ...created, created: result.record.created };
  }

  /** The run that writes checks the banner on two identifiers before its first input event. */
  checksChartBeforeWrite(): Promise<boolean> {
    return Promise.resolve(true);
  }

  update(): Promise<EhrResource> {
    return Promise.reject(
      new UserError(
        'EHR_NOT_SUPPORTED',
        'the screens channel only creates: no form of a screen map changes what is there',
      ),
    );
  }

  /** A Patient as the chart's banner shows them: the identifiers the map names, read on screen. */
  private async readPatient(connectionId: string, ehrId: string): Promise<EhrResource> {
    const map = await this.d.maps(connectionId);
    const identifiers = await this.d.identifiersOf(connectionId, ehrId);
    const run = await this.d.runs.begin(await this.start(map, 'read', ehrId, undefined));
    const result = await this.d.executor.readPatient({
      runId: run.runId,
      map,
      recorder: run,
      patient: { ehrId, identifiers },
    });
    await run.finish(result.outcome);
    if (result.outcome.status === 'halted' || result.identifiers === undefined) throw haltError(result.outcome);
    return {
      resource: {
        resourceType: 'Patient',
        id: ehrId,
        identifier: result.identifiers.map((i) => ({ system: i.system, value: i.value })),
      },
      versionId: undefined,
    };
  }

  private async start(
    map: ScreenMap,
    kind: RunStart['kind'],
    ehrId: string,
    context: WriteContext | undefined,
  ): Promise<RunStart> {
    const ctx = context?.requestedBy;
    const patientId = await this.d.patientIdOf?.(map.connectionId, ehrId);
    return {
      connectionId: map.connectionId,
      site: map.site,
      purpose: ctx?.purposeOfUse ?? (kind === 'write' ? 'HOPERAT' : 'TREAT'),
      kind,
      identity: {
        accountId: ctx?.actor.id ?? `connection:${map.connectionId}`,
        ...(context?.proposal?.approvedBy !== undefined ? { approvedBy: context.proposal.approvedBy } : {}),
      },
      patients: patientId === undefined ? [] : [patientId],
      ...(context?.proposal !== undefined ? { proposalId: context.proposal.id } : {}),
      mapVersion: map.version,
    };
  }

  private keep(key: string, r: EhrResource): void {
    this.written.delete(key);
    this.written.set(key, r);
    if (this.written.size > keptWrites) this.written.delete(this.written.keys().next().value as string);
    if (this.keys.size > keptWrites) this.keys.delete(this.keys.keys().next().value as string);
  }
}

/**
 * A halted run as a Steward error: the halt reason and detail travel as details (no values). A
 * time-out or crash before any submit may be retried; after a submit it is an unknown outcome —
 * retried only when the form can find its record again (its lookup), else a person looks.
 */
export function haltError(outcome: RunOutcome, form?: FormSpec): Error {
  if (outcome.status === 'done') return new OperationalError('SCREEN_UNAVAILABLE', 'the run ended without a record');
  const details: ErrorDetail[] = [
    { path: 'halt', message: outcome.reason },
    { path: 'detail', message: outcome.detail },
    { path: 'submitted', message: String(outcome.submitted) },
  ];
  const message = `the run on the EHR's screens halted (${outcome.reason}): ${outcome.detail}`;
  if (outcome.reason === 'wrong-patient') return new UserError('EHR_WRONG_PATIENT', message, details);
  if (outcome.reason === 'timed-out' || outcome.reason === 'browser-crashed') {
    if (!outcome.submitted) return new OperationalError('SCREEN_UNAVAILABLE', message, details);
    if (form?.lookup !== undefined) return new OperationalError('EHR_OUTCOME_UNKNOWN', message, details);
  }
  return new UserError('SCREEN_HALTED', message, details);
}
