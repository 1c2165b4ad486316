/**
 * @module The follow-up service: the recheck follow-ups at a site, their figures and one
 * follow-up's timeline, each a whole governed act (decide, read, audit). The list and figures
 * need `phi.search` at the site (the references still point at one patient's chart) and are
 * audited as searches. The timeline (history, messages sent, replies, what is next) needs
 * `phi.read` at the follow-up's site, since message templates and languages are sealed with the
 * bodies (out of scope answers not-found), and is audited as a read. Each follow-up's owner (the
 * order's requester) is named by the clinic directory, as a referral's requester is.
 */
import type { Clock, RequestContext } from '@steward/core';
import {
  sourceOf,
  type AuditEntryInput,
  type AuditLog,
  type Decision,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type { ParticipantView } from '@steward/clinic';
import { primaryReports, type ReportReader, type ReportSource, type Sql } from '@steward/store';
import {
  followupFigures,
  listFollowups,
  type FollowupFigures,
  type FollowupFilter,
  type FollowupItem,
} from '../followups/followup-queries.js';
import { FOLLOWUP, type FollowupState } from '../followups/followup-workflow.js';
import {
  appointmentSignal,
  followupSignalNames,
  orderSignal,
  replySignal,
  type FollowupSignalName,
} from '../followups/followup-signals.js';
import { proposalOutcome } from '../effects/index.js';
import { currentProposals, effectOutcome, readDetail, stepBase, str, type StoredStep } from './workflow-steps.js';
import { patientsOf, workflowsOfPatients } from './workflow-patients.js';
import { nameParticipants, type ParticipantDirectory } from './participant-names.js';

/** One message sent for a follow-up: metadata, template and language; the text only when asked. */
export interface FollowupMessage {
  readonly id: string;
  readonly channel: string;
  readonly status: string;
  readonly proposalId: string | null;
  readonly notBefore: string;
  readonly createdAt: string;
  readonly template: string;
  readonly language: string;
  readonly subject?: string;
  readonly body?: string;
}

/** Where the messages sent for a workflow are read (messaging's outbox; it decides and audits its own read). */
export interface FollowupThreads {
  thread(
    ctx: RequestContext,
    options: { readonly site: string; readonly correlationKey: string; readonly bodies?: boolean },
  ): Promise<readonly FollowupMessage[]>;
}

export interface FollowupServiceDeps {
  readonly db: Sql;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'visible'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly outbox: FollowupThreads;
  /** The clinic directory, which names owners. Absent: an owner stays its raw reference, unresolved. */
  readonly directory?: ParticipantDirectory;
  /** Where the figures are read: a read-only replica (STEWARD_REPORTING_DATABASE_URL). Default: `db`. */
  readonly reports?: ReportReader;
}

/**
 * A follow-up as lists and the timeline show it: its owner (who ordered the recheck) named by the
 * directory, or unresolved with the raw reference; null when the EHR recorded no requester.
 */
export type FollowupView = Omit<FollowupItem, 'requester'> & { readonly owner: ParticipantView | null };

export interface FollowupListQuery {
  readonly site: string;
  readonly stage?: NonNullable<FollowupFilter['stage']>;
  readonly overdue?: boolean;
  readonly status?: NonNullable<FollowupFilter['status']>;
  /** The last id of the previous page. */
  readonly after?: string;
  /** Only the follow-ups of these Steward patients (the patient page). */
  readonly patientIds?: readonly string[];
  /** Default 50. */
  readonly limit?: number;
}

export interface FollowupPage {
  readonly items: FollowupView[];
  /** Present when the page is full: the `after` of the next page. */
  readonly next?: string;
}

export interface FollowupFiguresQuery {
  readonly site: string;
  /** Follow-ups started since this date or time (ISO 8601). */
  readonly since?: string;
}

/** One input of a follow-up's history, as codes, references and times. */
export interface FollowupStep {
  readonly step: number;
  readonly at: string;
  readonly input: 'start' | 'signal' | 'timer' | 'effect';
  readonly name: string;
  /** Which of the follow-up's declared signals this step is; null for any other input. */
  readonly signal: FollowupSignalName | null;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly occurredAt: string | null;
  readonly status: string | null;
  readonly resource: string | null;
  /** An appointment signal's start (the appointment's time as the EHR said then). */
  readonly start: string | null;
  readonly intent: string | null;
  readonly messageId: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
  /** An effect's proposal replaced by an edit: the latest revision (its `status` is that one's). */
  readonly revisedTo: string | null;
}

export interface FollowupTimeline {
  readonly followup: FollowupView;
  /** The server's time, to tell past from upcoming. */
  readonly asOf: string;
  readonly reminders: FollowupState['reminders'];
  readonly proposals: readonly (FollowupState['proposals'][number] & { readonly revisedTo: string | null })[];
  readonly messages: readonly FollowupMessage[];
  readonly replies: readonly { readonly at: string; readonly intent: string; readonly messageId: string | null }[];
  readonly history: readonly FollowupStep[];
}

export class FollowupService {
  readonly #deps: FollowupServiceDeps;

  constructor(deps: FollowupServiceDeps) {
    this.#deps = deps;
  }

  /** The follow-ups at a site, overdue first then the soonest due: stage, window, appointment, flags; paged by `after`. */
  async list(ctx: RequestContext, query: FollowupListQuery): Promise<FollowupPage> {
    const decision = await this.#deps.policy.enforce(ctx, 'phi.search', { site: query.site });
    const limit = query.limit ?? 50;
    const items = await listFollowups(this.#deps.db, {
      site: query.site,
      limit,
      ...(query.stage !== undefined ? { stage: query.stage } : {}),
      ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.after !== undefined ? { after: query.after } : {}),
      ...(query.patientIds !== undefined
        ? { ids: await workflowsOfPatients(this.#deps.db, FOLLOWUP, query.patientIds) }
        : {}),
    });
    // Audited once the page is read, naming every patient on it.
    const patientIds = await patientsOf(
      this.#deps.db,
      items.map((i) => i.id),
    );
    await this.#deps.audit.append(
      searchEntry(ctx, decision, query.site, 'Followup', query, patientIds, `followups:${items.length}`),
    );
    const last = items.at(-1);
    return {
      items: await this.#owned(ctx, items),
      ...(items.length === limit && last !== undefined ? { next: last.id } : {}),
    };
  }

  /** Each item with its owner named by the directory (asked once per connection and site). */
  async #owned(ctx: RequestContext, items: readonly FollowupItem[]): Promise<FollowupView[]> {
    const views = await nameParticipants(
      this.#deps.directory,
      ctx,
      items.map((i) => ({ connectionId: i.connectionId, site: i.site, notes: [i.requester] })),
    );
    return items.map(({ requester, ...item }) => ({
      ...item,
      owner: requester !== null ? (views.get(requester) ?? null) : null,
    }));
  }

  /** Counts by stage, time in stage, overdue, no-show and fulfilled rates. */
  /** Decided and audited on the primary, read where reports read (`source`: the primary, or the replica and how fresh it is). */
  async figures(
    ctx: RequestContext,
    query: FollowupFiguresQuery,
  ): Promise<FollowupFigures & { readonly source: ReportSource }> {
    await this.#searched(ctx, query.site, 'FollowupReport', query);
    const now = this.#deps.clock.now();
    const since = query.since !== undefined ? { since: new Date(query.since) } : {};
    const reports = this.#deps.reports ?? primaryReports(this.#deps.db);
    const { value, source } = await reports.read((sql) => followupFigures(sql, { site: query.site, now, ...since }));
    return { ...value, source };
  }

  /** One follow-up's history, messages sent (texts only with `bodies`), replies and what is next. */
  async timeline(
    ctx: RequestContext,
    id: string,
    options: { readonly bodies?: boolean } = {},
  ): Promise<FollowupTimeline> {
    const { db, clock, outbox } = this.#deps;
    const {
      item: followup,
      state,
      steps,
      more: messages,
    } = await readDetail<FollowupItem, FollowupState, readonly FollowupMessage[]>(
      this.#deps,
      ctx,
      {
        action: 'phi.read',
        label: 'follow-up',
        kind: 'Followup',
        id,
        type: FOLLOWUP,
        find: async () => (await listFollowups(db, { id, limit: 1 }))[0],
        fields: ['history', 'reminders', 'replies', 'messages'],
      },
      // Messaging decides and audits its own read of the thread.
      async (f) =>
        f.site !== null
          ? outbox.thread(ctx, { site: f.site, correlationKey: f.correlationKey, bodies: options.bodies === true })
          : [],
    );
    // Proposals as they stand now, not as drafted: the history's effect steps and the state's list.
    const history = await currentProposals(db, steps.map(stepOf));
    const proposals = (await currentProposals(db, state.proposals)).map((p) => ({ ...p, status: p.status ?? '' }));
    const [owned] = await this.#owned(ctx, [followup]);
    return {
      followup: owned!,
      asOf: clock.now().toISOString(),
      reminders: state.reminders,
      proposals,
      messages,
      replies: history
        .filter((h) => h.input === 'signal' && h.name === 'reply' && h.intent !== null)
        .map((h) => ({ at: h.occurredAt ?? h.at, intent: h.intent ?? '', messageId: h.messageId })),
      history,
    };
  }

  /** Enforces `phi.search` at `site` and audits the search with the query asked (as text). */
  async #searched(ctx: RequestContext, site: string, entity: string, query: object): Promise<void> {
    const decision = await this.#deps.policy.enforce(ctx, 'phi.search', { site });
    await this.#deps.audit.append(searchEntry(ctx, decision, site, entity, query, []));
  }
}

/** The audit entry of a search at `site`, with the query asked (as text) and the patients it showed. */
function searchEntry(
  ctx: RequestContext,
  decision: Extract<Decision, { allowed: true }>,
  site: string,
  entity: string,
  query: object,
  patientIds: readonly string[],
  /** How many items the search showed (`followups:<n>`), when it listed any. */
  reason?: string,
): AuditEntryInput {
  return {
    actor: ctx.actor,
    event: 'phi.search',
    action: 'R',
    outcome: 'success',
    ...(patientIds.length > 0 ? { patientIds } : {}),
    entity: { kind: entity, id: '*' },
    site,
    purposeOfUse: decision.purposeOfUse,
    ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
    source: sourceOf(ctx),
    ...(reason !== undefined ? { reason } : {}),
    query: Object.fromEntries(
      Object.entries(query)
        .filter((e) => e[1] !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ),
  };
}

function stepOf(stored: StoredStep): Omit<FollowupStep, 'revisedTo'> {
  const input = stored.input;
  const base: Omit<FollowupStep, 'revisedTo'> = {
    ...stepBase(stored),
    signal: input.kind === 'signal' ? (followupSignalNames.find((n) => n === input.name) ?? null) : null,
    eventId: null,
    eventType: null,
    occurredAt: null,
    status: null,
    resource: null,
    start: null,
    intent: null,
    messageId: null,
    tag: null,
    proposalId: null,
  };
  const p = (input.payload ?? {}) as Record<string, unknown>;
  const event = (p['event'] ?? {}) as Record<string, unknown>;
  const fromEvent = {
    eventId: str(event['eventId']),
    eventType: str(event['type']),
    occurredAt: str(event['occurredAt']),
  };
  switch (input.kind) {
    case 'start':
      return { ...base, ...fromEvent, status: 'active', resource: str(p['orderRef']) };
    case 'timer':
      return { ...base, occurredAt: input.payload.dueAt };
    case 'effect':
      return { ...base, ...effectOutcome(input) };
    case 'signal':
      switch (input.name) {
        // By the signals' declared names. Fields are read one by one (not `read`, which checks the
        // whole payload) so a step recorded before a field was added still shows what it has.
        case appointmentSignal.name:
          return {
            ...base,
            ...fromEvent,
            status: str(p['status']),
            resource: str(p['appointmentRef']),
            start: str(p['start']),
          };
        case orderSignal.name:
          return { ...base, ...fromEvent, status: str(p['status']) };
        case replySignal.name:
          return { ...base, occurredAt: str(p['at']), intent: str(p['intent']), messageId: str(p['messageId']) };
        case proposalOutcome.name:
          return { ...base, status: str(p['status']), proposalId: str(p['proposalId']), tag: str(p['action']) };
        default:
          return base;
      }
  }
}
