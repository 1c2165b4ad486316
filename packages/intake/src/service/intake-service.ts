/**
 * @module Intake as a governed service. `receive` records an arrival (who or what brought which
 * file from where) under `intake.upload` at the site, deduplicates it by a keyed content digest,
 * seals the file and returns with it `received`; a reading worker (`readingWorker`, worker/) reads
 * it through the `DocumentReader` port off the arrival's call, and the service records what was
 * read and takes each document found as far as it goes without a person (`IntakePipeline`).
 * `arrival` answers what became of an arrival (`intake.upload` at its site: who may bring a file
 * may follow it; no PHI). People work the queue: `list` (`intake.read`),
 * `show` and `pageImage` (also `phi.read` at the site: what was read and the page images are PHI,
 * audited as `phi.read` naming the patient), and `sort`, `match`, `reject` (`intake.work`, audited
 * as updates), after which the document goes on. The per-site intake policy (`intake.manage`) says
 * which types are filed without a person and above which confidence.
 */
import {
  ConflictError,
  NotFoundError,
  UserError,
  ValidationError,
  newId,
  systemClock,
  type Actor,
  type Clock,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditEntryInput } from '@steward/governance';
import { notify } from '@steward/store';
import { documentTypes, type Completeness, type DocumentType, type ReadResult } from '../model/intake-model.js';
import type { ArrivingFile } from '../arrival/arrival-file.js';
import {
  IntakeRows,
  contentKey,
  documentStates,
  type ArrivalSource,
  type ClaimedFile,
  type DocumentRow,
  type FileRow,
} from '../store/intake-rows.js';
import { IntakePipeline } from './intake-pipeline.js';
import { ReadingWorker, type ReadingRecorder, type ReadingWorkerOptions } from '../worker/reading-worker.js';
import { documentReferrals } from './referral-view.js';
import { answeringTypes, referralReasonWords } from '../filing/referral-links.js';
import type { CandidatePatient } from '../matching/patient-match.js';
import type { IntakeDeps } from './intake-deps.js';
import type {
  ArrivalView,
  DocumentDetail,
  DocumentSummary,
  IntakePolicy,
  QueueFilter,
  QueuePage,
} from './intake-views.js';

const DOCUMENT = 'intake document';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const rejectReasons = [
  'duplicate',
  'not-for-this-clinic',
  'illegible',
  'wrong-recipient',
  'test',
  'other',
] as const;
export type RejectReason = (typeof rejectReasons)[number];
const DEFAULT_POOL = 'intake';

/** A patient a person may name for a document, and what found them. */
export interface Candidate {
  readonly id: string;
  readonly name?: string;
  readonly birthDate?: string;
  readonly foundBy: 'typed' | 'mrn' | 'member-id' | 'name-and-birth-date' | 'near-name-and-birth-date';
}

export interface ReceiveInput {
  readonly site: string;
  readonly source: ArrivalSource;
  readonly file: ArrivingFile;
  /** Who brought it when not the caller (a webhook source, a watched folder): recorded on the arrival. */
  readonly by?: { readonly kind: string; readonly id: string; readonly name: string };
}

/** The channel a received file NOTIFYs on (PostgreSQL): reading workers in every process LISTEN on it. */
export const INTAKE_CHANNEL = 'steward_intake_received';

export class IntakeService {
  readonly #clock: Clock;
  readonly #rows: IntakeRows;
  readonly #pipeline: IntakePipeline;
  /** This process's reading workers, woken when a file arrives here. */
  readonly #arrivalListeners = new Set<() => void>();

  constructor(private readonly deps: IntakeDeps) {
    this.#clock = deps.clock ?? systemClock;
    this.#rows = new IntakeRows(deps.cipher);
    this.#pipeline = new IntakePipeline(deps, this.#rows, this.#clock, (site) => this.#policy(site));
  }

  /**
   * Records one arrival and returns at once: the file `received`, waiting to be read (a reading
   * worker reads and routes it), unless the same file arrived before (a duplicate, naming it).
   */
  async receive(ctx: RequestContext, input: ReceiveInput): Promise<ArrivalView> {
    checkSite(input.site);
    const decision = await this.deps.policy.enforce(ctx, 'intake.upload', { site: input.site });
    const { file, site, source } = input;
    const key = contentKey(this.deps.cipher, site, file.bytes);
    const arrivalId = newId();
    const at = this.#clock.now();
    const by = input.by ?? actorOf(ctx.actor);
    const result = await this.deps.audit.transact(
      async (tx) => {
        const fileId = newId();
        const inserted = await this.#rows.insertFile(tx, {
          id: fileId,
          site,
          key,
          mediaType: file.mediaType,
          bytes: file.bytes,
          at,
        });
        const found = inserted ? undefined : await this.#rows.fileByKey(tx, site, key);
        // A file that could not be read is read again when it arrives again (the reader may have been fixed).
        const again = found !== undefined && found.state === 'unreadable' && found.content_enc !== null;
        if (again) await this.#rows.reopenFile(tx, found.id, at);
        const existing = again ? undefined : found;
        const detail =
          existing !== undefined
            ? `already received as file ${existing.id} on ${existing.received_at.toISOString()} (${existing.state})`
            : again
              ? `read again: file ${found.id} could not be read when it first arrived`
              : undefined;
        await this.#rows.insertArrival(tx, {
          id: arrivalId,
          site,
          source,
          by,
          ...(file.reference !== undefined ? { reference: file.reference } : {}),
          fileId: found?.id ?? fileId,
          outcome: existing !== undefined ? 'duplicate' : 'accepted',
          ...(detail !== undefined ? { detail } : {}),
          at,
        });
        return { fileId: found?.id ?? fileId, duplicate: existing !== undefined, detail };
      },
      (r) => [
        {
          actor: ctx.actor,
          event: 'phi.create',
          action: 'C',
          outcome: 'success',
          entity: { kind: 'IntakeFile', id: r.fileId },
          site,
          purposeOfUse: decision.purposeOfUse,
          source: sourceOf(ctx),
          reason: `intake:${source}:${r.duplicate ? 'duplicate' : 'accepted'}:by:${by.kind}:${by.name}`,
        },
      ],
    );
    // The arrival as it is now (its file waiting to be read), then this process's workers woken.
    // Then every process's (PostgreSQL NOTIFY, sent once the view is read so it says `received`; a
    // wake-up lost in a crash here is made up by the workers' poll).
    const view = await this.#arrivalView(arrivalId);
    if (!result.duplicate) {
      for (const wake of this.#arrivalListeners) wake();
      await notify(this.deps.db, this.deps.db, INTAKE_CHANNEL);
    }
    return view;
  }

  /**
   * A reading worker over this service (not started): it claims received files with a lease, reads
   * them and records the outcome here. The server runs one (STEWARD_INTAKE_READING); tests drive one.
   */
  readingWorker(options: ReadingWorkerOptions = {}): ReadingWorker {
    return new ReadingWorker(
      {
        db: this.deps.db,
        rows: this.#rows,
        reader: this.deps.reader,
        recorder: this.#recorder,
        // This process's arrivals at once; on PostgreSQL, every process's when their transaction commits.
        onReceived: (listener) => {
          this.#arrivalListeners.add(listener);
          const unlisten = this.deps.db.listen?.(INTAKE_CHANNEL, listener);
          return () => {
            this.#arrivalListeners.delete(listener);
            unlisten?.();
          };
        },
      },
      { clock: this.#clock, ...options },
    );
  }

  /** What became of an arrival: the file waiting, being read, read (its documents) or unreadable. */
  async arrival(ctx: RequestContext, arrivalId: string): Promise<ArrivalView> {
    const row = uuid.test(arrivalId) ? await this.#rows.arrival(this.deps.db, arrivalId) : undefined;
    await this.deps.policy.visible(ctx, 'intake.upload', 'arrival', row, (r) => ({
      site: r.site,
      entity: { kind: 'IntakeArrival', id: r.id },
    }));
    return this.#arrivalView(arrivalId);
  }

  readonly #recorder: ReadingRecorder = {
    read: (file, result, owner) => this.#recordRead(file, result, owner),
    unreadable: (fileId, reason, owner) =>
      this.deps.db.transaction((tx) => this.#rows.markUnreadable(tx, fileId, reason, this.#clock.now(), owner)),
  };

  async #recordRead(file: ClaimedFile, read: ReadResult, owner: string): Promise<boolean> {
    const fileId = file.id;
    if (read.documents.length === 0)
      return this.#recorder.unreadable(
        fileId,
        `no document found in ${read.pages.length} page(s): all blank or cover sheets`,
        owner,
      );
    const at = this.#clock.now();
    const ids: string[] = [];
    const recorded = await this.deps.db.transaction(async (tx) => {
      if (!(await this.#rows.markRead(tx, fileId, read.pages, read.modelVersion, at, owner))) return false;
      for (const [idx, d] of read.documents.entries()) {
        const id = newId();
        ids.push(id);
        const stamp = (state: string, note?: string) => ({
          state,
          at: at.toISOString(),
          by: 'intake',
          ...(note !== undefined ? { note } : {}),
        });
        await this.#rows.insertDocument(tx, {
          id,
          file_id: fileId,
          site: file.site,
          idx,
          pages: [...d.pages],
          state: d.type === null ? 'needs-sorting' : 'needs-match',
          doc_type: d.type,
          best_type: d.bestType,
          confidence: d.confidence,
          type_set_by: d.type === null ? null : 'classifier',
          complete: d.completeness.complete,
          missing: [...d.completeness.missing],
          fields: d.fields,
          patient_id: null,
          match_reason: null,
          matched_by: null,
          trail: [
            stamp('received'),
            stamp('read', `model ${read.modelVersion}`),
            d.type === null ? stamp('abstained', `best guess ${d.bestType}`) : stamp('sorted', d.type),
          ],
          created_at: at,
          updated_at: at,
        });
      }
      return true;
    });
    if (!recorded) return false;
    // Each document as far as it goes without a person; the lease ends when they are routed (an
    // error is on the document, `routing stopped`, for a person to resume).
    try {
      for (const id of ids) await this.#pipeline.advance(id);
    } finally {
      await this.#rows.endLease(this.deps.db, fileId, owner);
    }
    return true;
  }

  async #arrivalView(arrivalId: string): Promise<ArrivalView> {
    const first = await this.#rows.arrival(this.deps.db, arrivalId);
    if (first?.file_id === null || first?.file_id === undefined) throw new NotFoundError('arrival');
    // The file first, then the arrival and documents: those are recorded with the file's state, so
    // they are read at least as new as it (never `unreadable` beside an outcome still `accepted`).
    const file = await this.#rows.file(this.deps.db, first.file_id);
    const a = (await this.#rows.arrival(this.deps.db, arrivalId)) ?? first;
    const fileId = first.file_id;
    const docs = await this.#rows.documentsOf(this.deps.db, fileId);
    const reading = file !== undefined ? readingOf(file, this.#clock.now()) : { state: 'read' as const, note: 'read' };
    return {
      arrivalId: a.id,
      site: a.site,
      source: a.source,
      fileId,
      outcome: a.outcome,
      ...(a.outcome_detail !== null ? { detail: a.outcome_detail } : {}),
      reading: reading.state,
      readingNote: reading.note,
      documents: docs.map((d) => ({ id: d.id, state: d.state })),
    };
  }

  /** The intake queue, newest change first; audited as a search naming the patients listed. */
  async list(ctx: RequestContext, filter: QueueFilter = {}): Promise<QueuePage> {
    if (filter.site !== undefined) checkSite(filter.site);
    const decision = await this.deps.policy.enforce(
      ctx,
      'intake.read',
      filter.site !== undefined ? { site: filter.site } : {},
    );
    const problems: { path: string; message: string }[] = [];
    for (const s of filter.state ?? [])
      if (!(documentStates as readonly string[]).includes(s))
        problems.push({ path: 'state', message: `one of ${documentStates.join(', ')}` });
    if (filter.type !== undefined && !(documentTypes as readonly string[]).includes(filter.type))
      problems.push({ path: 'type', message: `one of ${documentTypes.join(', ')}` });
    for (const [path, v] of [
      ['minConfidence', filter.minConfidence],
      ['maxConfidence', filter.maxConfidence],
    ] as const)
      if (v !== undefined && !(v >= 0 && v <= 1)) problems.push({ path, message: 'a number from 0 to 1' });
    const before = filter.cursor !== undefined ? decodeCursor(filter.cursor) : undefined;
    if (filter.cursor !== undefined && before === undefined)
      problems.push({ path: 'cursor', message: 'a cursor from a previous page' });
    if (problems.length > 0) throw new ValidationError('invalid intake queue filter', problems);
    const limit = Math.max(1, Math.min(filter.limit ?? 50, 200));
    const rows = await this.#rows.queue(this.deps.db, {
      ...(filter.site !== undefined ? { sites: [filter.site] } : {}),
      ...(filter.state !== undefined && filter.state.length > 0 ? { states: filter.state } : {}),
      ...(filter.type !== undefined ? { type: filter.type } : {}),
      ...(filter.minConfidence !== undefined ? { minConfidence: filter.minConfidence } : {}),
      ...(filter.maxConfidence !== undefined ? { maxConfidence: filter.maxConfidence } : {}),
      ...(filter.complete !== undefined ? { complete: filter.complete } : {}),
      ...(before !== undefined ? { before } : {}),
      limit: limit + 1,
    });
    // A `*` grant lists every site; a site grant only its own (rows at other sites are left out).
    const visible: DocumentRow[] = [];
    for (const r of rows.slice(0, limit))
      if ((await this.deps.policy.decide(ctx, 'intake.read', { site: r.site })).allowed) visible.push(r);
    const items = await this.#summaries(ctx, visible);
    const patientIds = [...new Set(visible.flatMap((r) => (r.patient_id !== null ? [r.patient_id] : [])))];
    await this.deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      ...(patientIds.length > 0 ? { patientIds } : {}),
      entity: { kind: 'IntakeDocument', id: '*' },
      ...(filter.site !== undefined ? { site: filter.site } : {}),
      purposeOfUse: decision.purposeOfUse,
      source: sourceOf(ctx),
      reason: `intake-queue:${items.length}`,
    });
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    // Files not read yet have no documents: the queue says how many are still being read.
    let reading = 0;
    for (const [site, n] of await this.#rows.readingBySite(this.deps.db, filter.site))
      if ((await this.deps.policy.decide(ctx, 'intake.read', { site })).allowed) reading += n;
    return { items, ...(last !== undefined ? { next: encodeCursor(last) } : {}), reading };
  }

  /** One document with what was read from it (fields, page text): PHI, audited as a read naming the patient. */
  async show(ctx: RequestContext, id: string): Promise<DocumentDetail> {
    const row = await this.#visible(ctx, id, 'intake.read');
    const decision = await this.deps.policy.enforce(ctx, 'phi.read', {
      site: row.site,
      entity: { kind: 'IntakeDocument', id },
    });
    const pages = await this.#rows.pages(this.deps.db, row.file_id);
    const file = await this.#rows.file(this.deps.db, row.file_id);
    const arrivals = await this.#rows.arrivalsOf(this.deps.db, row.file_id);
    const [summary] = await this.#summaries(ctx, [row]);
    await this.deps.audit.append(
      this.#entry(ctx, row, 'phi.read', 'R', 'shown', decision.purposeOfUse, ['fields', 'page-text']),
    );
    return {
      ...(summary as DocumentSummary),
      fields: this.#rows.openFields(row),
      pages: pages
        .filter((p) => row.pages.includes(p.idx))
        .map((p) => {
          const text = this.#rows.openPageText(p);
          return {
            index: p.idx,
            source: p.source,
            textConfidence: p.text_confidence,
            ...(text !== undefined ? { text: text.text } : {}),
          };
        }),
      trail: row.trail,
      arrivals: arrivals.map((a) => {
        const reference = this.#rows.openReference(a);
        return {
          id: a.id,
          source: a.source,
          by: a.brought_by_name,
          ...(reference !== undefined ? { reference } : {}),
          outcome: a.outcome,
          ...(a.outcome_detail !== null ? { detail: a.outcome_detail } : {}),
          receivedAt: a.received_at.toISOString(),
        };
      }),
      modelVersion: file?.model_version ?? null,
      ...(await documentReferrals(this.deps, ctx, row)),
    };
  }

  /** One page of a document as a PNG, decrypted: `phi.read` at the site, audited naming the patient and page. */
  async pageImage(ctx: RequestContext, id: string, page: number): Promise<Buffer> {
    const row = await this.#visible(ctx, id, 'intake.read');
    const decision = await this.deps.policy.enforce(ctx, 'phi.read', {
      site: row.site,
      entity: { kind: 'IntakeDocument', id },
    });
    if (!Number.isInteger(page) || !row.pages.includes(page)) throw new NotFoundError('page');
    const image = await this.#rows.pageImage(this.deps.db, row.file_id, page);
    if (image === undefined) throw new NotFoundError('page');
    if (image === null) throw new UserError('INTAKE_PURGED', 'the page image was cleared by retention');
    await this.deps.audit.append(
      this.#entry(ctx, row, 'phi.read', 'R', `page:${page}`, decision.purposeOfUse, ['page-image']),
    );
    return image;
  }

  /** A person sets the type of a document the classifier abstained on (or corrects it before matching); it goes on. */
  async sort(ctx: RequestContext, id: string, type: string): Promise<DocumentSummary> {
    if (!(documentTypes as readonly string[]).includes(type))
      throw new ValidationError('invalid type', [{ path: 'type', message: `one of ${documentTypes.join(', ')}` }]);
    const row = await this.#visible(ctx, id, 'intake.work');
    if (row.state !== 'needs-sorting' && row.state !== 'needs-match')
      throw new ConflictError(
        'VERSION_CONFLICT',
        `the document is ${row.state}: only a document waiting to be sorted or matched is sorted`,
      );
    const t = type as DocumentType;
    const judged = t !== row.best_type && this.deps.judge !== undefined ? this.#judge(row, t) : undefined;
    await this.#change(
      ctx,
      row,
      {
        doc_type: t,
        type_set_by: ctx.actor.id,
        state: 'needs-match',
        match_reason: row.patient_id === null ? null : row.match_reason,
        ...(judged !== undefined ? { complete: judged.complete, missing: [...judged.missing] } : {}),
      },
      {
        state: 'sorted',
        note: `by person: ${t}${t !== row.best_type && judged === undefined ? ` (checklist of ${row.best_type} kept)` : ''}`,
      },
      `sorted:${t}`,
    );
    await this.#pipeline.advance(id);
    return this.#summary(ctx, id);
  }

  /** A person names the patient (a Steward id they found in the index); it goes on. */
  async match(ctx: RequestContext, id: string, patientId: string): Promise<DocumentSummary> {
    if (!uuid.test(patientId))
      throw new ValidationError('invalid patient', [{ path: 'patientId', message: 'a Steward patient id' }]);
    const row = await this.#visible(ctx, id, 'intake.work');
    if (row.state !== 'needs-match')
      throw new ConflictError(
        'VERSION_CONFLICT',
        `the document is ${row.state}: only a document waiting for its patient is matched`,
      );
    const found = await this.deps.patients.byValue(ctx, patientId);
    if (!found.some((p) => p.id === patientId.toLowerCase())) throw new NotFoundError('patient');
    await this.#change(
      ctx,
      row,
      { patient_id: patientId.toLowerCase(), matched_by: ctx.actor.id, match_reason: 'person' },
      { state: 'matched', note: 'by person' },
      'matched',
      patientId.toLowerCase(),
    );
    await this.#pipeline.advance(id);
    return this.#summary(ctx, id);
  }

  /**
   * A person links a consult note or result to the referral it answers (a referral of its patient at
   * its site), or says it answers none (`null`). A document waiting for its referral goes on (filed
   * against it); an incomplete one keeps its handoff, now naming the referral.
   */
  async linkReferral(ctx: RequestContext, id: string, referralId: string | null): Promise<DocumentSummary> {
    if (referralId !== null && !uuid.test(referralId))
      throw new ValidationError('invalid referral', [{ path: 'referral', message: 'a referral id, or null for none' }]);
    const row = await this.#visible(ctx, id, 'intake.work');
    if (row.state !== 'needs-referral' && row.state !== 'handed-off')
      throw new ConflictError(
        'VERSION_CONFLICT',
        `the document is ${row.state}: only a document waiting for its referral, or handed off, is linked`,
      );
    if (row.patient_id === null || row.doc_type === null || !answeringTypes.includes(row.doc_type))
      throw new UserError(
        'INTAKE_REFERRAL_MISMATCH',
        'only a consult note or result of a known patient answers a referral',
      );
    if (referralId !== null) {
      const mine = await this.deps.referrals?.ofPatient(ctx, row.site, row.patient_id);
      if (!(mine ?? []).some((r) => r.id === referralId.toLowerCase()))
        throw new UserError(
          'INTAKE_REFERRAL_MISMATCH',
          "the referral is not one of the document's patient at its site",
        );
    }
    await this.#change(
      ctx,
      row,
      {
        referral_id: referralId?.toLowerCase() ?? null,
        referral_reason: referralId !== null ? 'person' : 'not-for-a-referral',
        referral_set_by: ctx.actor.id,
      },
      {
        state: referralId !== null ? 'referral-linked' : 'no-referral',
        note: referralReasonWords[referralId !== null ? 'person' : 'not-for-a-referral'],
      },
      referralId !== null ? 'referral-linked' : 'not-for-a-referral',
      row.patient_id,
    );
    if (row.state === 'needs-referral') await this.#pipeline.advance(id);
    return this.#summary(ctx, id);
  }

  /**
   * The patients a person may choose from for a document waiting for one: those the identifiers read
   * on its page find in the index (its MRN, its member id, its name and birth date — or, when that
   * name finds nobody, a name one letter off with that birth date), and those a
   * value the person typed finds (an MRN or member id as written). `intake.work` at the document's
   * site; the index audits each search.
   */
  async candidates(ctx: RequestContext, id: string, value?: string): Promise<readonly Candidate[]> {
    const row = await this.#visible(ctx, id, 'intake.work');
    await this.deps.policy.enforce(ctx, 'intake.work', { site: row.site });
    const typed = value?.replace(/[|,]/g, ' ').trim();
    if (value !== undefined && (typed === undefined || typed === '' || typed.length > 100))
      throw new ValidationError('invalid search', [
        { path: 'value', message: 'an MRN or member id, up to 100 characters' },
      ]);
    const fields = this.#rows.openFields(row);
    const found = new Map<string, Candidate>();
    const add = (list: readonly CandidatePatient[], foundBy: Candidate['foundBy']): void => {
      for (const p of list)
        if (!found.has(p.id))
          found.set(p.id, {
            id: p.id,
            ...(p.family !== undefined || (p.given?.length ?? 0) > 0
              ? { name: [p.family, (p.given ?? []).join(' ')].filter((x) => x !== undefined && x !== '').join(', ') }
              : {}),
            ...(p.birthDate !== undefined ? { birthDate: p.birthDate } : {}),
            foundBy,
          });
    };
    if (typed !== undefined && typed !== '') add(await this.deps.patients.byValue(ctx, typed), 'typed');
    const mrn = fields.mrn?.replace(/[|,]/g, ' ').trim();
    if (mrn !== undefined && mrn !== '') add(await this.deps.patients.byValue(ctx, mrn), 'mrn');
    const member = fields.memberId?.replace(/[|,]/g, ' ').trim();
    if (member !== undefined && member !== '') add(await this.deps.patients.byValue(ctx, member), 'member-id');
    const family = fields.patientFamily?.replace(/[|,]/g, ' ').trim();
    if (
      family !== undefined &&
      family !== '' &&
      fields.birthDate !== undefined &&
      /^\d{4}-\d{2}-\d{2}$/.test(fields.birthDate)
    ) {
      const given = fields.patientGiven?.trim() ?? '';
      const exact = await this.deps.patients.byNameAndBirthDate(ctx, family, given, fields.birthDate);
      add(exact, 'name-and-birth-date');
      // A name OCR misread by a letter: the patients born that day one letter off are offered too.
      if (exact.length === 0 && this.deps.patients.byNearNameAndBirthDate !== undefined)
        add(
          await this.deps.patients.byNearNameAndBirthDate(ctx, family, given, fields.birthDate),
          'near-name-and-birth-date',
        );
    }
    return [...found.values()].slice(0, 20);
  }

  /** A person ends a document that should not be filed, with a reason code. */
  async reject(ctx: RequestContext, id: string, reason: string): Promise<DocumentSummary> {
    if (!(rejectReasons as readonly string[]).includes(reason))
      throw new ValidationError('invalid reason', [{ path: 'reason', message: `one of ${rejectReasons.join(', ')}` }]);
    const row = await this.#visible(ctx, id, 'intake.work');
    if (row.state === 'filed' || row.state === 'rejected' || row.state === 'proposed-for-filing')
      throw new ConflictError('VERSION_CONFLICT', `the document is ${row.state}: it can no longer be rejected here`);
    await this.#change(
      ctx,
      row,
      { state: 'rejected', outcome_detail: `rejected: ${reason}` },
      { state: 'rejected', note: reason },
      `rejected:${reason}`,
    );
    return this.#summary(ctx, id);
  }

  /**
   * Follows the filing proposals still open, a page per call: what became of each (written to the
   * EHR, rejected or edited in review, failed for good) is said on its document. The host calls it
   * after each round of commits (the server's workflow runtime). No person acts here, so no policy
   * is decided; what it changes is audited where it is decided (the review desk, the applier).
   */
  async followFilings(limit = 100): Promise<number> {
    return this.#pipeline.followFilings(limit);
  }

  /**
   * Takes a document on again after its routing stopped on an error (the index, the EHR journal or
   * the review desk unavailable: its `outcomeDetail` says so), as far as it goes without a person.
   */
  async resume(ctx: RequestContext, id: string): Promise<DocumentSummary> {
    const row = await this.#visible(ctx, id, 'intake.work');
    if (row.state === 'filed' || row.state === 'rejected' || row.state === 'proposed-for-filing')
      throw new ConflictError('VERSION_CONFLICT', `the document is ${row.state}: there is nothing to resume`);
    const decision = await this.deps.policy.enforce(ctx, 'intake.work', { site: row.site });
    await this.deps.audit.append(this.#entry(ctx, row, 'phi.update', 'U', 'resumed', decision.purposeOfUse));
    await this.#pipeline.advance(id);
    return this.#summary(ctx, id);
  }

  /** The site's intake policy (version 0: none set, nothing filed without a person). */
  async policy(ctx: RequestContext, site: string): Promise<IntakePolicy> {
    checkSite(site);
    await this.deps.policy.enforce(ctx, 'intake.read', { site });
    return this.#policy(site);
  }

  async setPolicy(
    ctx: RequestContext,
    input: { site: string; autoFileTypes: readonly string[]; confidenceFloor: number; intakePool?: string },
  ): Promise<IntakePolicy> {
    checkSite(input.site);
    const decision = await this.deps.policy.enforce(ctx, 'intake.manage', { site: input.site });
    const problems: { path: string; message: string }[] = [];
    if (
      !Array.isArray(input.autoFileTypes) ||
      !(input.autoFileTypes as readonly unknown[]).every(
        (t) => typeof t === 'string' && (documentTypes as readonly string[]).includes(t),
      )
    )
      problems.push({ path: 'autoFileTypes', message: `document types: ${documentTypes.join(', ')}` });
    if (typeof input.confidenceFloor !== 'number' || !(input.confidenceFloor >= 0.5 && input.confidenceFloor <= 1))
      problems.push({ path: 'confidenceFloor', message: 'a number from 0.5 to 1' });
    if (input.intakePool !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(input.intakePool))
      problems.push({ path: 'intakePool', message: 'a pool name (lower case letters, digits, . _ -)' });
    if (problems.length > 0) throw new ValidationError('invalid intake policy', problems);
    const at = this.#clock.now();
    const row = await this.deps.audit.transact(
      (tx) =>
        this.#rows.insertPolicy(tx, {
          site: input.site,
          autoFileTypes: [...new Set(input.autoFileTypes)],
          floor: input.confidenceFloor,
          pool: input.intakePool ?? null,
          by: ctx.actor.id,
          at,
        }),
      (r) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: 'U',
          outcome: 'success',
          entity: { kind: 'IntakePolicy', id: `${r.site}:${r.version}` },
          site: input.site,
          purposeOfUse: decision.purposeOfUse,
          source: sourceOf(ctx),
          reason: `intake-policy:auto:${r.auto_file_types.join('+') || 'none'}:floor:${r.confidence_floor}`,
        },
      ],
    );
    return policyView(row);
  }

  async #policy(site: string): Promise<IntakePolicy> {
    const row = await this.#rows.currentPolicy(this.deps.db, site);
    return row !== undefined
      ? policyView(row)
      : { site, version: 0, autoFileTypes: [], confidenceFloor: 1, intakePool: DEFAULT_POOL };
  }

  /** The rows the service keeps (for arrival sources in this package: webhooks). */
  get rows(): IntakeRows {
    return this.#rows;
  }

  #judge(row: DocumentRow, type: DocumentType): Completeness | undefined {
    const judge = this.deps.judge;
    if (judge === undefined) return undefined;
    const fields = this.#rows.openFields(row);
    return judge(type, {
      pages: row.pages,
      type,
      bestType: row.best_type,
      confidence: row.confidence,
      fields,
      completeness: { complete: row.complete, missing: row.missing },
    });
  }

  async #change(
    ctx: RequestContext,
    row: DocumentRow,
    changes: Parameters<IntakeRows['updateDocument']>[2],
    step: { state: string; note?: string },
    reason: string,
    patientId?: string,
  ): Promise<void> {
    const at = this.#clock.now();
    const decision = await this.deps.policy.enforce(ctx, 'intake.work', { site: row.site });
    await this.deps.audit.transact(
      async (tx) => {
        const ok = await this.#rows.updateDocument(
          tx,
          row,
          changes,
          { ...step, at: at.toISOString(), by: ctx.actor.name },
          at,
        );
        if (!ok) throw new ConflictError('VERSION_CONFLICT', 'the intake document changed meanwhile: reload it');
      },
      () => [
        {
          ...this.#entry(ctx, row, 'phi.update', 'U', reason, decision.purposeOfUse),
          ...(patientId !== undefined ? { patientIds: [patientId] } : {}),
        },
      ],
    );
  }

  async #visible(ctx: RequestContext, id: string, action: 'intake.read' | 'intake.work'): Promise<DocumentRow> {
    const { row } = await this.deps.policy.visible(
      ctx,
      action,
      DOCUMENT,
      uuid.test(id) ? await this.#rows.document(this.deps.db, id) : undefined,
      (r: DocumentRow) => ({ site: r.site, entity: { kind: 'IntakeDocument', id: r.id } }),
    );
    return row;
  }

  async #summary(ctx: RequestContext, id: string): Promise<DocumentSummary> {
    const row = await this.#rows.document(this.deps.db, id);
    if (row === undefined) throw new NotFoundError(DOCUMENT);
    const [s] = await this.#summaries(ctx, [row]);
    return s as DocumentSummary;
  }

  async #summaries(ctx: RequestContext, rows: readonly DocumentRow[]): Promise<DocumentSummary[]> {
    const named = rows.filter((r) => r.patient_id !== null);
    const labels =
      this.deps.labels !== undefined && named.length > 0
        ? await this.deps.labels.label(
            ctx,
            named.map((r) => ({ patientId: r.patient_id as string, site: r.site })),
          )
        : [];
    const byId = new Map(labels.map((l) => [l.id, l]));
    const files = new Map<string, FileRow | undefined>();
    for (const r of rows)
      if (!files.has(r.file_id)) files.set(r.file_id, await this.#rows.file(this.deps.db, r.file_id));
    const sources = await this.#rows.firstSources(this.deps.db, [...files.keys()]);
    return rows.map((r) => {
      const label = r.patient_id !== null ? byId.get(r.patient_id) : undefined;
      const source = sources.get(r.file_id);
      return {
        id: r.id,
        fileId: r.file_id,
        site: r.site,
        state: r.state,
        type: r.doc_type,
        bestType: r.best_type,
        confidence: r.confidence,
        typeSetBy: r.type_set_by === null ? null : r.type_set_by === 'classifier' ? 'classifier' : 'person',
        complete: r.complete,
        missing: r.missing,
        pageCount: r.pages.length,
        ...(r.patient_id !== null
          ? {
              patient: {
                id: r.patient_id,
                ...(label?.name !== undefined ? { name: label.name } : {}),
                ...(label?.birthDate !== undefined ? { birthDate: label.birthDate } : {}),
              },
            }
          : {}),
        matchReason: r.match_reason,
        referralId: r.referral_id,
        referralReason: r.referral_reason,
        proposalId: r.proposal_id,
        handoffIds: r.handoff_ids,
        outcomeDetail: r.outcome_detail,
        ...(source !== undefined ? { source } : {}),
        receivedAt: (files.get(r.file_id)?.received_at ?? r.created_at).toISOString(),
        updatedAt: r.updated_at.toISOString(),
      };
    });
  }

  #entry(
    ctx: RequestContext,
    row: DocumentRow,
    event: AuditEntryInput['event'],
    action: AuditEntryInput['action'],
    reason: string,
    purposeOfUse: AuditEntryInput['purposeOfUse'],
    fields?: string[],
  ): AuditEntryInput {
    return {
      actor: ctx.actor,
      event,
      action,
      outcome: 'success',
      ...(row.patient_id !== null ? { patientIds: [row.patient_id] } : {}),
      entity: { kind: 'IntakeDocument', id: row.id },
      ...(fields !== undefined ? { fields } : {}),
      site: row.site,
      ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason,
    };
  }
}

function policyView(row: {
  site: string;
  version: number;
  auto_file_types: DocumentType[];
  confidence_floor: number;
  intake_pool: string | null;
  set_by: string;
  set_at: Date;
}): IntakePolicy {
  return {
    site: row.site,
    version: Number(row.version),
    autoFileTypes: row.auto_file_types,
    confidenceFloor: Number(row.confidence_floor),
    intakePool: row.intake_pool ?? DEFAULT_POOL,
    setBy: row.set_by,
    setAt: row.set_at.toISOString(),
  };
}

function actorOf(actor: Actor): { kind: string; id: string; name: string } {
  return { kind: actor.kind, id: actor.id, name: actor.name };
}

function checkSite(site: string): void {
  if (typeof site !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(site))
    throw new ValidationError('invalid site', [{ path: 'site', message: 'a site name' }]);
}

/**
 * Where a file is in its reading, in words: waiting (and why, after a transient failure), being read
 * (a worker's lease not yet passed), routing what was read, read, or unreadable with the reason.
 */
function readingOf(f: FileRow, now: Date): { state: ArrivalView['reading']; note: string } {
  const leased = f.lease_owner !== null && f.lease_until !== null && f.lease_until > now;
  if (f.state === 'unreadable')
    return { state: 'unreadable', note: `unreadable: ${f.unreadable_reason ?? 'no reason recorded'}` };
  if (f.state === 'read')
    return leased
      ? { state: 'reading', note: 'read; routing its documents' }
      : { state: 'read', note: `read: ${f.page_count ?? 0} page(s)` };
  if (leased) return { state: 'reading', note: `being read (attempt ${f.read_attempts})` };
  if (f.read_error !== null)
    return { state: 'received', note: `received, waiting to be read again after a transient failure: ${f.read_error}` };
  return { state: 'received', note: 'received, waiting to be read' };
}

function encodeCursor(r: DocumentRow): string {
  return Buffer.from(JSON.stringify([r.updated_at.toISOString(), r.id])).toString('base64url');
}

function decodeCursor(c: string): { at: Date; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
    const d = new Date(at);
    return Number.isNaN(d.getTime()) || !uuid.test(id) ? undefined : { at: d, id };
  } catch {
    return undefined;
  }
}
