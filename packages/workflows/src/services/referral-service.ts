/**
 * @module The referral service: the worklist, its figures and one referral's detail, each a whole
 * governed act (decide, read, audit). The list and figures need `phi.search` at the site asked for
 * (or at every site without one); the list is audited as a search naming every patient on the
 * page; the detail needs `phi.search` at the referral's site (out of
 * scope answers not-found, so ids are not probed) and is audited as a read. Items are references
 * and codes only (ServiceRequest/Appointment ids, stages, times).
 */
import type { RequestContext } from '@steward/core';
import { sourceOf, type AuditLog, type PolicyDecisionPoint } from '@steward/governance';
import type { ParticipantView } from '@steward/clinic';
import { primaryReports, type ReportReader, type ReportSource, type Sql } from '@steward/store';
import {
  REFERRAL_WORKFLOW,
  referralStages,
  type ParticipantNote,
  type ReferralStage,
  type ReferralState,
} from '../referrals/referral-model.js';
import {
  listReferrals,
  referralFigures,
  type ReferralFigureFilter,
  type ReferralFigures,
  type ReferralListFilter,
  type ReferralListItem,
  type ReferralPage,
} from '../referrals/referral-queries.js';
import { nameParticipants, type ParticipantDirectory } from './participant-names.js';
import { patientsOf, workflowsOfPatients } from './workflow-patients.js';
import { currentProposals, effectOutcome, readDetail, stepBase, str, type StoredStep } from './workflow-steps.js';

export interface ReferralServiceDeps {
  readonly db: Sql;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'visible'>;
  readonly audit: Pick<AuditLog, 'append'>;
  /** The clinic directory, which names requesters and destinations. Absent: they stay raw references, unresolved. */
  readonly directory?: ReferralDirectory;
  /** Where the figures are read: a read-only replica (STEWARD_REPORTING_DATABASE_URL). Default: `db`. */
  readonly reports?: ReportReader;
}

/** What the service asks of the clinic directory (`DirectoryService.describe`). */
export type ReferralDirectory = ParticipantDirectory;

/** A worklist item with its requester and destination named by the directory (or unresolved, with the raw reference). */
export type ReferralItem = Omit<ReferralListItem, 'requester' | 'destination'> & {
  readonly requester: ParticipantView | null;
  readonly destination: ParticipantView | null;
};

export interface ReferralItemPage {
  readonly items: readonly ReferralItem[];
  readonly next?: string;
}

/** One step of a referral's workflow history, as codes, references and times. */
export interface ReferralHistoryEntry {
  readonly step: number;
  readonly at: string;
  readonly input: 'start' | 'signal' | 'timer' | 'effect';
  readonly name: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly occurredAt: string | null;
  readonly status: string | null;
  readonly resource: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
}

/** A stage entered, gone back to (missed or cancelled appointment) or ended in, with the event behind it. */
export interface ReferralStageChange {
  readonly stage: ReferralStage;
  readonly at: string;
  readonly change: 'entered' | 'back' | 'ended';
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly resource: string | null;
}

export interface ReferralDetail extends ReferralItem {
  readonly priority: ReferralState['priority'];
  readonly due: ReferralState['due'];
  readonly performers: readonly { readonly kind: string; readonly ref: string | null }[];
  readonly performerInNetwork: ReferralState['performerInNetwork'];
  readonly appointmentStart: ReferralState['appointmentStart'];
  readonly appointmentInNetwork: ReferralState['appointmentInNetwork'];
  readonly requestCompleted: boolean;
  readonly missedAppointments: number;
  readonly endedAt: ReferralState['endedAt'];
  /** As they stand now (an edited one: its latest revision's state, that revision in `revisedTo`). */
  readonly proposals: readonly (ReferralState['proposals'][number] & { readonly revisedTo: string | null })[];
  readonly stages: readonly ReferralStageChange[];
  readonly history: readonly ReferralHistoryEntry[];
}

export class ReferralService {
  readonly #deps: ReferralServiceDeps;

  constructor(deps: ReferralServiceDeps) {
    this.#deps = deps;
  }

  /** Referrals in the work-queue order (overdue first, then soonest due, ended last), filtered and paged by cursor. */
  async list(
    ctx: RequestContext,
    query: ReferralListFilter & { readonly patientIds?: readonly string[] },
  ): Promise<ReferralItemPage> {
    const decision = await this.#deps.policy.enforce(
      ctx,
      'phi.search',
      query.site !== undefined ? { site: query.site } : {},
    );
    const { patientIds: forPatients, ...filter } = query;
    const page: ReferralPage = await listReferrals(this.#deps.db, {
      ...filter,
      ...(forPatients !== undefined
        ? { workflowIds: await workflowsOfPatients(this.#deps.db, REFERRAL_WORKFLOW, forPatients) }
        : {}),
    });
    const items = await this.#named(ctx, page.items);
    const patientIds = await patientsOf(
      this.#deps.db,
      page.items.map((i) => i.workflowId),
    );
    await this.#deps.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'R',
      outcome: 'success',
      ...(patientIds.length > 0 ? { patientIds } : {}),
      entity: { kind: 'Referral', id: '*' },
      ...(query.site !== undefined ? { site: query.site } : {}),
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      source: sourceOf(ctx),
      reason: `referrals:${page.items.length}`,
    });
    return { ...page, items };
  }

  /** Each item's requester and destination as the directory names them, asked once per connection. */
  async #named(ctx: RequestContext, items: readonly ReferralListItem[]): Promise<ReferralItem[]> {
    // Asked once per connection and site (the site the caller was allowed to read the referrals at).
    const views = await nameParticipants(
      this.#deps.directory,
      ctx,
      items.map((i) => ({ connectionId: i.connectionId, site: i.site, notes: [i.requester, i.destination] })),
    );
    const view = (n: ParticipantNote | null): ParticipantView | null => (n === null ? null : (views.get(n) ?? null));
    return items.map((item) => ({ ...item, requester: view(item.requester), destination: view(item.destination) }));
  }

  /**
   * Counts by stage, time in stage, overdue, closure rate, leakage by reason; decided on the
   * primary, read where reports read (`source`: the primary, or the replica and how fresh it is).
   */
  async figures(
    ctx: RequestContext,
    query: ReferralFigureFilter,
  ): Promise<ReferralFigures & { readonly source: ReportSource }> {
    await this.#deps.policy.enforce(ctx, 'phi.search', query.site !== undefined ? { site: query.site } : {});
    const reports = this.#deps.reports ?? primaryReports(this.#deps.db);
    const { value, source } = await reports.read((sql) => referralFigures(sql, query));
    return { ...value, source };
  }

  /** One referral with its stage transitions and the workflow's history of inputs. */
  async detail(ctx: RequestContext, workflowId: string): Promise<ReferralDetail> {
    const { db } = this.#deps;
    const { item, state, steps } = await readDetail<ReferralListItem, ReferralState>(this.#deps, ctx, {
      action: 'phi.search',
      label: 'referral',
      kind: 'Referral',
      id: workflowId,
      type: REFERRAL_WORKFLOW,
      find: async () => (await listReferrals(db, { workflowId, limit: 1 })).items[0],
      fields: ['stages', 'history', 'proposals'],
    });
    const history = steps.map((r) => historyEntry(r, state));
    const [named] = await this.#named(ctx, [item]);
    return {
      ...named!,
      priority: state.priority,
      due: state.due,
      performers: state.performers.map((p) => ({ kind: p.kind, ref: p.ref })),
      performerInNetwork: state.performerInNetwork,
      appointmentStart: state.appointmentStart,
      appointmentInNetwork: state.appointmentInNetwork,
      requestCompleted: state.requestCompleted,
      missedAppointments: state.missedAppointments,
      endedAt: state.endedAt,
      proposals: await currentProposals(db, state.proposals),
      stages: stageChanges(state, history),
      history,
    };
  }
}

function historyEntry(stored: StoredStep, state: ReferralState): ReferralHistoryEntry {
  const input = stored.input;
  const base = {
    ...stepBase(stored),
    eventId: null,
    eventType: null,
    occurredAt: null,
    status: null,
    resource: null,
    tag: null,
    proposalId: null,
  };
  const p = (input.payload ?? {}) as Record<string, unknown>;
  switch (input.kind) {
    case 'start':
      return {
        ...base,
        eventId: str(p['eventId']),
        eventType: 'referral.created',
        occurredAt: str(p['occurredAt']),
        status: str(p['status']),
        resource: str(p['serviceRequest']),
      };
    case 'signal':
      return {
        ...base,
        eventId: str(p['eventId']),
        eventType: str(p['eventType']),
        occurredAt: str(p['occurredAt']),
        status: str(p['status']),
        resource: str(p['ref']) ?? (input.name === 'referral' ? state.serviceRequest : null),
      };
    case 'timer':
      return { ...base, occurredAt: input.payload.dueAt };
    case 'effect':
      return { ...base, ...effectOutcome(input) };
  }
}

/** The stage entries of the state, each with the event behind it (found in the history by id). */
function stageChanges(state: ReferralState, history: readonly ReferralHistoryEntry[]): ReferralStageChange[] {
  const byEvent = new Map(history.filter((h) => h.eventId !== null).map((h) => [h.eventId, h]));
  return state.history.map((h, i) => {
    const prev = i > 0 ? state.history[i - 1] : undefined;
    const change =
      prev === undefined
        ? 'entered'
        : h.stage === prev.stage
          ? 'ended'
          : referralStages.indexOf(h.stage) < referralStages.indexOf(prev.stage)
            ? 'back'
            : 'entered';
    const e = h.eventId !== null ? byEvent.get(h.eventId) : undefined;
    return {
      stage: h.stage,
      at: h.at,
      change,
      eventId: h.eventId,
      eventType: e?.eventType ?? null,
      resource: e?.resource ?? null,
    };
  });
}
