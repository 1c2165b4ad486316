/**
 * @module The way a document goes after it is read, as intake's own account: sorted (or a person
 * sorts it), matched to a patient (or a person matches it), complete (or a handoff asks the sender
 * for what is missing), then proposed for filing (auto-approved when the site's policy names the
 * type and the confidence reaches its floor) with a handoff to whoever acts on it. A consult note or
 * result is first linked to the referral it answers (`filing/referral-links.ts`): filed with the
 * referral's request in `context.related`, with a second proposal completing the request, and, when
 * incomplete, handed to whoever works referrals at the site. Each stop is a state on the document and
 * a handoff to a person: nothing ends silently.
 */
import { ConflictError, isStewardError, type Clock, type RequestContext } from '@steward/core';
import type { DocumentType } from '../model/intake-model.js';
import { matchPatient } from '../matching/patient-match.js';
import { documentCodes } from '../filing/document-codes.js';
import { filingDraft, type FilingOutcome } from '../filing/filing-proposal.js';
import type { HandoffRequest, HandoffTarget, IntakeHandoffKind } from '../filing/handoff-sink.js';
import {
  answeringTypes,
  chooseReferral,
  completionDraft,
  referralReasonWords,
  referralWords,
  type ReferralCandidate,
} from '../filing/referral-links.js';
import type { DocumentRow, IntakeRows, TrailStep } from '../store/intake-rows.js';
import type { IntakeDeps, PatientChart } from './intake-deps.js';
import type { IntakePolicy } from './intake-views.js';

const DAY_MS = 86_400_000;

/** What acting on a filed document is, per type: a referral's next step, or a follow-up. */
const followUps: Partial<Record<DocumentType, IntakeHandoffKind>> = {
  'referral-letter': 'referral.next-step',
  result: 'intake.follow-up',
  'records-request': 'intake.follow-up',
  'prior-authorization': 'intake.follow-up',
};

export class IntakePipeline {
  constructor(
    private readonly deps: IntakeDeps,
    private readonly rows: IntakeRows,
    private readonly clock: Clock,
    private readonly policyOf: (site: string) => Promise<IntakePolicy>,
  ) {}

  /** Takes the document as far as it can go without a person. */
  async advance(id: string): Promise<void> {
    const ctx = await this.deps.pipeline();
    for (let step = 0; step < 4; step++) {
      const row = await this.rows.document(this.deps.db, id);
      if (row === undefined) return;
      let moved: boolean;
      try {
        moved = await this.#step(ctx, row);
      } catch (e) {
        await this.#stopped(id, e);
        return;
      }
      if (!moved) return;
    }
  }

  #followedAfter = '00000000-0000-0000-0000-000000000000';

  /**
   * Follows the filing proposals still open, a page per call (round after round through all of
   * them): written to the EHR → `filed`, saying where; rejected in review → `rejected`; edited →
   * followed to the new revision; a write that failed for good or conflicted → handed to the intake
   * pool naming the code; rolled back → `rejected`, saying so. A write the applier retries by itself
   * is left to it. Returns how many documents moved.
   */
  async followFilings(limit: number): Promise<number> {
    const outcomesOf = this.deps.proposals.filingOutcomes?.bind(this.deps.proposals);
    if (outcomesOf === undefined) return 0;
    const rows = await this.rows.openFilings(this.deps.db, this.#followedAfter, limit);
    this.#followedAfter = rows.length < limit ? '00000000-0000-0000-0000-000000000000' : (rows.at(-1)?.id ?? '');
    if (rows.length === 0) return 0;
    const outcomes = await outcomesOf(rows.flatMap((r) => (r.proposal_id !== null ? [r.proposal_id] : [])));
    let moved = 0;
    for (const row of rows) {
      const outcome = row.proposal_id !== null ? outcomes.get(row.proposal_id) : undefined;
      if (outcome === undefined || outcome.status === row.filing_status) continue;
      try {
        if (await this.#filingMoved(row, outcome)) moved++;
      } catch (e) {
        // Changed meanwhile (a person acted): the next round sees it as it is now.
        if ((e as { code?: unknown }).code !== 'VERSION_CONFLICT') throw e;
      }
    }
    return moved;
  }

  async #filingMoved(row: DocumentRow, o: FilingOutcome): Promise<boolean> {
    const label = documentCodes[row.doc_type ?? row.best_type].label.toLowerCase();
    switch (o.status) {
      case 'drafted':
      case 'pending_review':
        await this.rows.noteFilingStatus(this.deps.db, row.id, o.status);
        return false;
      case 'approved':
        return this.#update(
          row,
          {
            filing_status: o.status,
            outcome_detail: row.state === 'filed' ? row.outcome_detail : 'approved in review: being written to the EHR',
          },
          { state: row.state, note: 'filing approved' },
        );
      case 'committed':
      case 'verified':
        return this.#update(
          row,
          {
            state: 'filed',
            filing_status: o.status,
            outcome_detail: `filed in the EHR${o.written !== undefined ? ` as ${o.written}` : ''}${o.status === 'verified' ? ', read back' : ''}`,
          },
          { state: 'filed', note: o.status === 'verified' ? 'written to the EHR and read back' : 'written to the EHR' },
        );
      case 'rejected':
        return this.#update(
          row,
          { state: 'rejected', filing_status: o.status, outcome_detail: 'filing rejected in review' },
          { state: 'rejected', note: 'filing rejected in review' },
        );
      case 'rolled_back':
        return this.#update(
          row,
          { state: 'rejected', filing_status: o.status, outcome_detail: 'filed, then rolled back in the EHR' },
          { state: 'rejected', note: 'filing rolled back' },
        );
      case 'superseded':
        if (o.supersededBy === undefined) return false;
        return this.#update(
          row,
          { proposal_id: o.supersededBy, filing_status: null },
          { state: row.state, note: `filing edited in review: proposal ${o.supersededBy}` },
        );
      case 'conflicted':
      case 'failed': {
        if (o.retrying) return false;
        const ctx = await this.deps.pipeline();
        await this.#stop(ctx, row, 'handed-off', 'intake.follow-up', await this.policyOf(row.site), {
          ask: `The filing of a ${label} could not be written to the EHR (${o.status}${o.errorCode !== undefined ? `: ${o.errorCode}` : ''}): look at it in the review queue, then file it again or in the EHR.`,
          changes: {
            filing_status: o.status,
            outcome_detail: `filing ${o.status}${o.errorCode !== undefined ? ` (${o.errorCode})` : ''}`,
          },
          ...(row.patient_id !== null ? { patientId: row.patient_id } : {}),
        });
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Routing stopped on an error (the index, the journal or the review desk unavailable, a draft
   * refused): said on the document, which stays where it was until `resume` or a person's action.
   */
  async #stopped(id: string, e: unknown): Promise<void> {
    const row = await this.rows.document(this.deps.db, id);
    if (row === undefined) return;
    const code = (e as { code?: unknown }).code;
    // The details name what was wrong (paths and messages, never values): "the proposal is not
    // valid" alone does not tell a person what to fix.
    const details = (e as { details?: readonly { path: string; message: string }[] }).details ?? [];
    const named = details.map((d) => `${d.path}: ${d.message}`).join('; ');
    const why =
      `${typeof code === 'string' ? code : 'INTERNAL'}: ${e instanceof Error ? e.message : String(e)}${named === '' ? '' : ` (${named})`}`.slice(
        0,
        300,
      );
    const at = this.clock.now();
    await this.rows.updateDocument(
      this.deps.db,
      row,
      { outcome_detail: `routing stopped (${why}); resume it when the cause is fixed` },
      {
        state: 'routing-stopped',
        at: at.toISOString(),
        by: 'intake',
        note: typeof code === 'string' ? code : 'INTERNAL',
      },
      at,
    );
  }

  async #step(ctx: RequestContext, row: DocumentRow): Promise<boolean> {
    if (row.state === 'filed' || row.state === 'rejected' || row.state === 'proposed-for-filing') return false;
    const policy = await this.policyOf(row.site);
    if (row.doc_type === null) {
      if (row.state === 'needs-sorting' && row.handoff_ids.length > 0) return false;
      await this.#stop(ctx, row, 'needs-sorting', 'intake.sort', policy, {
        ask: `Sort a document: the classifier was not sure (best guess ${documentCodes[row.best_type].label}, ${pct(row.confidence)}).`,
      });
      return false;
    }
    if (row.patient_id === null) {
      if (row.state === 'needs-match' && row.handoff_ids.length > 0 && row.match_reason !== null) return false;
      const fields = this.rows.openFields(row);
      const outcome = await matchPatient(this.deps.patients, ctx, fields);
      if (outcome.kind === 'matched') {
        return this.#update(
          row,
          { patient_id: outcome.patientId, match_reason: outcome.reason, matched_by: 'index' },
          {
            state: 'matched',
            note: outcome.reason,
          },
        );
      }
      await this.#stop(ctx, row, 'needs-match', 'intake.match', policy, {
        ask: `Find the patient of a ${documentCodes[row.doc_type].label.toLowerCase()}: ${outcome.reason.replaceAll('-', ' ')} (${outcome.candidates} candidate${outcome.candidates === 1 ? '' : 's'}).`,
        changes: { match_reason: outcome.reason },
      });
      return false;
    }
    const referrals = this.deps.referrals;
    if (referrals !== undefined && answeringTypes.includes(row.doc_type) && row.referral_reason === null) {
      const candidates = await referrals.ofPatient(ctx, row.site, row.patient_id);
      const choice = chooseReferral(candidates, this.rows.openFields(row));
      if (choice.reason !== 'several-open-referrals' || !row.complete) {
        return this.#update(
          row,
          {
            referral_id: choice.referral?.id ?? null,
            referral_reason: choice.reason,
            referral_set_by: choice.referral !== undefined ? 'index' : null,
          },
          {
            state: choice.referral !== undefined ? 'referral-linked' : 'no-referral',
            note: referralReasonWords[choice.reason],
          },
        );
      }
      await this.#stop(ctx, row, 'needs-referral', 'intake.link-referral', policy, {
        ask: `Link a ${documentCodes[row.doc_type].label.toLowerCase()} to its referral: the patient has several referrals waiting for a report (or say it answers none).`,
        changes: { referral_reason: choice.reason },
        patientId: row.patient_id,
      });
      return false;
    }
    if (row.state === 'needs-referral' && row.referral_reason === 'several-open-referrals') return false;
    if (!row.complete) {
      const fields = this.rows.openFields(row);
      const sender = [
        fields.fromName,
        fields.fromName !== undefined ? fields.fromOrganization : undefined,
        fields.fromNpi !== undefined ? `NPI ${fields.fromNpi}` : undefined,
      ]
        .filter((v) => v !== undefined)
        .join(', ');
      const referral = row.referral_id !== null ? await referrals?.byId(ctx, row.site, row.referral_id) : undefined;
      await this.#stop(ctx, row, 'handed-off', 'intake.incomplete', policy, {
        ask: `Incomplete ${documentCodes[row.doc_type].label.toLowerCase()}${referral !== undefined ? ` for the ${referralWords(referral, false)}` : ''}: missing ${row.missing.join(', ')}. Request it from ${sender === '' ? (fields.fromOrganization ?? 'the sender (not read on the page: see the fax header)') : sender}.`,
        changes: { outcome_detail: `incomplete: ${row.missing.join(', ')}` },
        patientId: row.patient_id,
        ...(referral !== undefined ? { to: referralWorker(referral) } : {}),
      });
      return false;
    }
    return this.#file(ctx, row, row.doc_type, row.patient_id, policy);
  }

  async #file(
    ctx: RequestContext,
    row: DocumentRow,
    type: DocumentType,
    patientId: string,
    policy: IntakePolicy,
  ): Promise<boolean> {
    const chart = await this.deps.chartOf(ctx, row.site, patientId);
    if (chart === undefined) {
      await this.#stop(ctx, row, 'needs-match', 'intake.match', policy, {
        ask: `The patient of a ${documentCodes[type].label.toLowerCase()} has no chart known on the site's EHR connection: find the chart.`,
        changes: { match_reason: 'no-ehr-chart', patient_id: null },
        patientId,
      });
      return false;
    }
    const file = await this.rows.file(this.deps.db, row.file_id);
    const bytes = file !== undefined ? this.rows.openContent(file) : undefined;
    if (file === undefined || bytes === undefined) {
      await this.#update(
        row,
        { state: 'rejected', outcome_detail: 'the file was purged before filing' },
        { state: 'rejected', note: 'purged' },
      );
      return false;
    }
    const fields = this.rows.openFields(row);
    const auto =
      policy.version > 0 &&
      policy.autoFileTypes.includes(type) &&
      (row.type_set_by !== null && row.type_set_by !== 'classifier' ? true : row.confidence >= policy.confidenceFloor);
    const { encounterId, encounterNote } = await this.#encounter(ctx, chart, fields.documentDate);
    const referral =
      row.referral_id !== null ? await this.deps.referrals?.byId(ctx, row.site, row.referral_id) : undefined;
    // Only a request on the chart's own connection is named (the DocumentReference is written there).
    const request =
      referral?.serviceRequest != null && referral.connectionId === chart.connectionId
        ? referral.serviceRequest
        : undefined;
    const draft = filingDraft({
      ...(request !== undefined ? { related: request } : {}),
      documentId: row.id,
      site: row.site,
      type,
      patientId,
      chart,
      ...(encounterId !== undefined ? { encounterId } : {}),
      ...(fields.documentDate !== undefined ? { documentDate: fields.documentDate } : {}),
      mediaType: file.media_type,
      bytes,
      pageCount: row.pages.length,
      receivedAt: file.received_at,
    });
    const { proposal } = await this.deps.proposals.draftFiled(
      ctx,
      draft,
      auto ? { approvedByPolicy: `intake-policy:${row.site}:${policy.version}` } : {},
    );
    const filed = proposal.status === 'approved';
    // The loop closes when a person approves the request's completion: drafted for review, never
    // approved by intake's own policy.
    const current =
      request !== undefined ? await this.deps.referrals?.currentRequest(ctx, chart.connectionId, request) : undefined;
    const completion =
      request !== undefined && current !== undefined && current.resource['status'] !== 'completed'
        ? (
            await this.deps.proposals.draftFiled(
              ctx,
              completionDraft({
                documentId: row.id,
                site: row.site,
                type,
                patientId,
                chart,
                serviceRequest: request,
                current,
              }),
            )
          ).proposal
        : undefined;
    const kind = followUps[type];
    const handoff =
      kind === undefined
        ? undefined
        : await this.deps.handoffs.create(ctx, {
            site: row.site,
            kind,
            subject: { kind: 'document', id: row.id, patientId },
            to: { kind: 'pool', id: policy.intakePool },
            ask:
              kind === 'referral.next-step'
                ? 'A referral letter was filed: take the referral to its next step (schedule, or ask for what it needs).'
                : `A ${documentCodes[type].label.toLowerCase()} was filed: act on it.`,
            due: new Date(this.clock.now().getTime() + DAY_MS),
          });
    await this.#update(
      row,
      {
        state: filed ? 'filed' : 'proposed-for-filing',
        proposal_id: proposal.id,
        handoff_ids: handoff !== undefined ? [...row.handoff_ids, handoff.id] : row.handoff_ids,
        outcome_detail: `${filed ? `approved by intake policy v${policy.version}` : 'waiting for review'}${completion !== undefined ? "; the referral's completion waits for review" : ''}`,
      },
      {
        state: filed ? 'filed' : 'proposed-for-filing',
        note: `proposal ${proposal.id}${encounterNote}${completion !== undefined ? `; referral completion proposal ${completion.id}` : ''}`,
      },
    );
    return false;
  }

  /**
   * The encounter to file the document under: the EHR's one encounter of the patient on the
   * document's date. A failed lookup files without one and says why on the trail (a feed with no
   * search, the EHR down): the document is not held back for it.
   */
  async #encounter(
    ctx: RequestContext,
    chart: PatientChart,
    date: string | undefined,
  ): Promise<{ encounterId?: string; encounterNote: string }> {
    if (date === undefined || this.deps.encounterOf === undefined) return { encounterNote: '' };
    try {
      const encounterId = await this.deps.encounterOf(ctx, chart, date);
      return encounterId !== undefined
        ? { encounterId, encounterNote: `; encounter ${encounterId} of ${date}` }
        : { encounterNote: `; no single encounter on ${date}: filed without one` };
    } catch (e) {
      const code = isStewardError(e) ? e.code : 'an error';
      return { encounterNote: `; encounter not looked up (${code}): filed without one` };
    }
  }

  async #stop(
    ctx: RequestContext,
    row: DocumentRow,
    state: DocumentRow['state'],
    kind: IntakeHandoffKind,
    policy: IntakePolicy,
    how: { ask: string; changes?: Partial<DocumentRow>; patientId?: string; to?: HandoffTarget },
  ): Promise<void> {
    const request: HandoffRequest = {
      site: row.site,
      kind,
      subject: { kind: 'document', id: row.id, ...(how.patientId !== undefined ? { patientId: how.patientId } : {}) },
      to: how.to ?? { kind: 'pool', id: policy.intakePool },
      ask: how.ask,
      due: new Date(this.clock.now().getTime() + DAY_MS),
    };
    const handoff = await this.deps.handoffs.create(ctx, request);
    await this.#update(
      row,
      { ...how.changes, state, handoff_ids: [...row.handoff_ids, handoff.id] },
      { state, note: `handoff ${kind} ${handoff.id}` },
    );
  }

  async #update(
    row: DocumentRow,
    changes: Parameters<IntakeRows['updateDocument']>[2],
    step: Omit<TrailStep, 'at' | 'by'>,
  ): Promise<boolean> {
    const at = this.clock.now();
    const ok = await this.rows.updateDocument(
      this.deps.db,
      row,
      changes,
      { ...step, at: at.toISOString(), by: 'intake' },
      at,
    );
    if (!ok) throw new ConflictError('VERSION_CONFLICT', 'the intake document changed meanwhile: reload it');
    return true;
  }
}

/**
 * Who works a referral at its site: its owner when the owner is a staff member, else the site's
 * `referrals` pool, else (the pool empty) the coordinators.
 */
function referralWorker(referral: ReferralCandidate): HandoffTarget {
  return referral.ownerStaff != null
    ? { kind: 'person', id: referral.ownerStaff }
    : { kind: 'pool', id: 'referrals', orRole: 'coordinator' };
}

const pct = (p: number): string => `${Math.round(p * 100)} %`;
