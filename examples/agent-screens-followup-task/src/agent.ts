/**
 * @module The agent: for each no-show Steward publishes, read the missed appointment and its patient
 * through the FHIR facade (governed, audited, minimum necessary for operations) and propose a
 * follow-up task on the connection that writes through the EHR's screens. It never touches the EHR:
 * once a person approves, Steward's executor types the task into the clinic's form, reads it back,
 * and the stream tells the agent how it ended — verified, or failed with the reason (a halt such as
 * a chart that is not the patient's, a form that cannot hold the task), or rejected with the
 * reviewer's words. Logs carry ids and codes only, never patient data.
 */
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { StewardApiError, type Steward, type StewardEvent } from '@steward/sdk';
import { followup } from './followup.js';

export interface FollowupConfig {
  readonly site: string;
  readonly workflow: string;
  /** The connection to read through the facade when an event names none. */
  readonly connection: string;
  /** The id of the connection that writes through the EHR's screens (what a proposal names). */
  readonly screensConnectionId: string;
  readonly now?: () => Date;
}

export type Handled =
  | { readonly event: string; readonly outcome: 'proposed'; readonly proposal: string; readonly status: string }
  | { readonly event: string; readonly outcome: 'skipped'; readonly reason: string }
  | {
      readonly event: string;
      readonly outcome: 'told';
      readonly proposal: string;
      readonly result: string;
      /** Why it ended so: the error code of a failure (a halt's), the reviewer's reason of a rejection. */
      readonly reason?: string;
    }
  | { readonly event: string; readonly outcome: 'failed'; readonly code: string };

export const listensTo = [
  'appointment.no-show',
  'proposal.written',
  'proposal.verified',
  'proposal.failed',
  'proposal.rejected',
  'proposal.rolled-back',
] as const;

export class ScreensFollowupAgent {
  /** The proposals this agent drafted, so it recognises their outcomes among the site's events. */
  readonly #mine = new Set<string>();

  constructor(
    private readonly steward: Steward,
    private readonly config: FollowupConfig,
    private readonly log: (line: Handled) => void = (line) => void process.stdout.write(`${JSON.stringify(line)}\n`),
  ) {}

  /** Follows the event stream until `signal` aborts, resuming after `after` (the last event handled). */
  async run(
    options: {
      readonly signal?: AbortSignal;
      readonly after?: string;
      readonly since?: Date;
      readonly onHandled?: (id: string) => void;
    } = {},
  ): Promise<void> {
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

  /** One event, at most one logged outcome (other drafters' proposals are not this agent's). */
  async handle(event: StewardEvent): Promise<Handled | undefined> {
    try {
      if (event.type.startsWith('proposal.')) {
        const proposal = event.data.references.proposalId;
        if (proposal === undefined || !this.#mine.has(proposal)) return undefined;
        return this.done(await this.told(event, proposal));
      }
      return this.done(await this.noShow(event));
    } catch (e) {
      const code = e instanceof StewardApiError ? e.code : e instanceof Error ? e.name : 'UNKNOWN';
      return this.done({ event: event.data.id, outcome: 'failed', code });
    }
  }

  /** The outcome, with its reason when it did not land: the event carries references only, the proposal the rest. */
  private async told(event: StewardEvent, proposal: string): Promise<Handled> {
    const result = event.type.slice('proposal.'.length);
    const line = { event: event.data.id, outcome: 'told', proposal, result } as const;
    if (result === 'written' || result === 'verified') return line;
    const { outcome } = await this.steward.proposals.get(proposal);
    const reason = outcome.error?.code ?? outcome.reason ?? event.data.references.reason;
    return reason !== undefined && reason !== null ? { ...line, reason } : line;
  }

  private async noShow(event: StewardEvent): Promise<Handled> {
    const id = event.data.id;
    const resource = event.data.references.resource;
    if (resource?.type !== 'Appointment')
      return { event: id, outcome: 'skipped', reason: 'the event names no appointment to read (an HL7-fed no-show)' };
    const connection = event.data.references.connectionId ?? this.config.connection;
    const missed = await this.steward.fhir.read<Appointment>(connection, 'Appointment', resource.id);
    const patientRef = missed.participant.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
    if (patientRef === undefined) return { event: id, outcome: 'skipped', reason: 'the appointment names no patient' };
    const patient = await this.steward.fhir.read<Patient>(connection, 'Patient', patientRef.slice('Patient/'.length));
    const decision = followup({
      eventId: id,
      site: event.data.site,
      workflow: this.config.workflow,
      screensConnectionId: this.config.screensConnectionId,
      missed,
      patient,
      today: (this.config.now?.() ?? new Date()).toISOString().slice(0, 10),
    });
    if (decision.kind === 'skip') return { event: id, outcome: 'skipped', reason: decision.reason };
    const drafted = await this.steward.proposals.draft(decision.draft);
    this.#mine.add(drafted.id);
    return { event: id, outcome: 'proposed', proposal: drafted.id, status: drafted.outcome.outcome };
  }

  private done(line: Handled): Handled {
    this.log(line);
    return line;
  }
}
