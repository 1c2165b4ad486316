/**
 * @module The agent: for each no-show Steward publishes, read what it needs through the FHIR facade
 * (the missed appointment, the patient, their upcoming appointments: governed, audited, minimum
 * necessary for operations), decide, and propose a rebooking task for review. It never writes the
 * EHR: Steward writes the task only after a person approves it, and tells the agent how it ended.
 * Every event ends in one logged outcome (proposed, skipped with the reason, or failed with the
 * error code); logs carry ids only, never patient data.
 */
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { StewardApiError, type Steward, type StewardEvent } from '@steward/sdk';
import { decide } from './rebooking.js';

export interface AgentConfig {
  readonly site: string;
  readonly workflow: string;
  /** The connection to read when an event names none (by name or id). */
  readonly connection: string;
  /** Ask a model for the rationale through Steward (`POST /ai/calls`); rule-based words otherwise. */
  readonly ai?: { readonly destination: string; readonly model: string };
  readonly now?: () => Date;
}

export type Handled =
  | { readonly event: string; readonly outcome: 'proposed'; readonly proposal: string; readonly status: string }
  | { readonly event: string; readonly outcome: 'skipped'; readonly reason: string }
  | { readonly event: string; readonly outcome: 'told'; readonly proposal: string; readonly result: string }
  | { readonly event: string; readonly outcome: 'failed'; readonly code: string };

export const listensTo = [
  'appointment.no-show',
  'proposal.verified',
  'proposal.rejected',
  'proposal.conflicted',
  'proposal.rolled-back',
  'proposal.failed',
] as const;

export class RebookingAgent {
  /** The proposals this agent drafted, so it recognises their outcomes among the site's events. */
  readonly #mine = new Set<string>();

  constructor(
    private readonly steward: Steward,
    private readonly config: AgentConfig,
    private readonly log: (line: Handled) => void = (line) => void process.stdout.write(`${JSON.stringify(line)}\n`),
  ) {}

  /** Follows the event stream until `signal` aborts, resuming after `after` (the last event handled). */
  async run(
    options: {
      readonly signal?: AbortSignal;
      readonly after?: string;
      /** Without `after`: catch up on the events since this time first. */
      readonly since?: Date;
      readonly onHandled?: (id: string) => void;
    } = {},
  ) {
    for await (const event of this.steward.events.stream({
      types: listensTo,
      ...(options.after !== undefined ? { after: options.after } : {}),
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    })) {
      await this.handle(event);
      options.onHandled?.(event.data.id);
    }
  }

  /** One event, one logged outcome. */
  async handle(event: StewardEvent): Promise<Handled | undefined> {
    const proposal = event.data.references.proposalId;
    if (event.type.startsWith('proposal.')) {
      // Another drafter's proposals at the site are not this agent's business.
      if (proposal === undefined || !this.#mine.has(proposal)) return undefined;
      return this.done({
        event: event.data.id,
        outcome: 'told',
        proposal,
        result: event.type.slice('proposal.'.length),
      });
    }
    try {
      return this.done(await this.noShow(event));
    } catch (e) {
      const code = e instanceof StewardApiError ? e.code : e instanceof Error ? e.name : 'UNKNOWN';
      return this.done({ event: event.data.id, outcome: 'failed', code });
    }
  }

  private async noShow(event: StewardEvent): Promise<Handled> {
    const id = event.data.id;
    const resource = event.data.references.resource;
    if (resource?.type !== 'Appointment')
      return { event: id, outcome: 'skipped', reason: 'the event names no appointment to read (an HL7-fed no-show)' };
    const connection = event.data.references.connectionId ?? this.config.connection;
    const { fhir } = this.steward;
    const missed = await fhir.read<Appointment>(connection, 'Appointment', resource.id);
    const patientRef = missed.participant.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    if (patientRef === undefined) return { event: id, outcome: 'skipped', reason: 'the appointment names no patient' };
    const patientId = patientRef.slice('Patient/'.length);
    const patient = await fhir.read<Patient>(connection, 'Patient', patientId);
    const today = (this.config.now?.() ?? new Date()).toISOString().slice(0, 10);
    const upcoming: Appointment[] = [];
    for await (const a of fhir.searchAll<Appointment>(connection, 'Appointment', {
      patient: patientId,
      date: `ge${today}`,
    }))
      upcoming.push(a);
    const context = {
      eventId: id,
      connectionId: connection,
      site: event.data.site,
      workflow: this.config.workflow,
      missed,
      patient,
      upcoming,
    };
    let decision = decide(context);
    if (decision.kind === 'propose' && this.config.ai !== undefined)
      decision = decide(context, await this.modelRationale(decision.draft.rationale));
    if (decision.kind === 'skip') return { event: id, outcome: 'skipped', reason: decision.reason };
    const drafted = await this.steward.proposals.draft(decision.draft);
    this.#mine.add(drafted.id);
    return { event: id, outcome: 'proposed', proposal: drafted.id, status: drafted.outcome.outcome };
  }

  /**
   * The rationale in a model's words, through Steward: the destination's BAA decides whether the
   * facts go as they are or de-identified; Steward audits the call. The rule-based text stays the
   * answer when the model cannot be reached (said so in the rationale, never silently).
   */
  private async modelRationale(facts: string): Promise<string> {
    const ai = this.config.ai;
    if (ai === undefined) return facts;
    try {
      const answer = await this.steward.ai.call({
        destination: ai.destination,
        model: ai.model,
        site: this.config.site,
        purposeOfUse: 'HOPERAT',
        messages: [
          {
            role: 'system',
            content:
              'You help a clinic front desk. In two sentences, explain to the reviewer why a call to rebook is proposed. No clinical advice.',
          },
          { role: 'user', content: facts },
        ],
        maxTokens: 200,
      });
      return `${answer.message.content.trim()}\n\nFacts: ${facts}`;
    } catch (e) {
      const code = e instanceof StewardApiError ? e.code : 'UNKNOWN';
      return `${facts}\n\n(Written by rules: the model call failed with ${code}.)`;
    }
  }

  private done(line: Handled): Handled {
    this.log(line);
    return line;
  }
}
