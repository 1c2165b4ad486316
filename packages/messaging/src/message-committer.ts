/**
 * Commits approved `reminder.send` and `communication.send` proposals: picks the channel and
 * language from the patient's preferences, refuses an opted-out channel, renders the template
 * (no clinical content), holds the message until quiet hours end, and hands it to the channel.
 *
 * Rules:
 * - Channel: the payload's `channel` when it names one, else the preferred one, else the first
 *   with an address (sms, then email).
 * - Opt-out: `all`, or the chosen channel, refuses with FORBIDDEN (detail path
 *   `preferences.optOut`): the proposal fails, and the workflow, told of the failure, stops
 *   proposing reminders to that patient. No address for the channel refuses with
 *   VALIDATION_FAILED (`preferences.addresses`).
 * - Quiet hours: the patient's override, else the clinic's; a message committed inside them
 *   is queued with `notBefore` at their end (a committed message is never refused for the hour).
 *
 * Known limit: only the local outbox exists; a vendor channel needs an egress destination with
 * a BAA first, and delivery receipts (which would verify a proposal) are not read.
 */
import { systemClock, UserError, ValidationError, type Clock, type RequestContext } from '@steward/core';
import type { ChannelCommit, ProposalCommitter } from '@steward/proposals';
import { deliverableAt, type ClinicHours } from './quiet-hours.js';
import type { ContactPreferenceStore, StoredPreferences } from './contact-preferences.js';
import { channelKinds, type ChannelKind, type MessageChannel } from './message-channel.js';
import { renderMessage } from './message-templates.js';

export interface MessageCommitterOptions {
  readonly preferences: Pick<ContactPreferenceStore, 'forCommit'>;
  /** A channel per kind (in embedded mode, the local outbox for both). */
  readonly channels: Partial<Record<ChannelKind, MessageChannel>>;
  /** The clinic's zone and quiet hours, per site. */
  readonly clinic: (site: string) => ClinicHours | Promise<ClinicHours>;
  readonly clock?: Clock;
}

/** What a message proposal's payload holds (references, codes, times; no text). */
interface MessagePayload {
  readonly template?: string;
  readonly channel?: string;
  readonly start?: string;
  readonly zone?: string;
  readonly correlationKey?: string;
}

export class MessageCommitter implements ProposalCommitter {
  readonly #o: MessageCommitterOptions;
  readonly #clock: Clock;

  constructor(options: MessageCommitterOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  async commit(ctx: RequestContext, proposal: ChannelCommit): Promise<{ readonly reference?: string }> {
    const p = proposal.payload as MessagePayload;
    if (typeof p.template !== 'string')
      throw new ValidationError('a message proposal names its template', [
        { path: 'payload.template', message: 'required' },
      ]);
    const prefs = await this.#o.preferences.forCommit(
      ctx,
      proposal.site,
      proposal.patient.ehrId,
      proposal.patient.stewardId,
    );
    const kind = chooseChannel(p.channel, prefs);
    if (prefs?.optOut.includes('all') === true || (kind !== undefined && prefs?.optOut.includes(kind) === true))
      throw new UserError('FORBIDDEN', 'the patient opted out of messages on this channel', [
        { path: 'preferences.optOut', message: 'opted out' },
      ]);
    const to = kind !== undefined ? prefs?.addresses[kind] : undefined;
    if (kind === undefined || to === undefined || to === '')
      throw new ValidationError('no address for the patient on this channel', [
        { path: 'preferences.addresses', message: 'missing' },
      ]);
    const channel = this.#o.channels[kind];
    if (channel === undefined)
      throw new UserError('EGRESS_NOT_REGISTERED', 'no message channel is configured for this kind', [
        { path: 'channel', message: kind },
      ]);
    const clinic = await this.#o.clinic(proposal.site);
    const zone = p.zone ?? clinic.zone;
    const rendered = renderMessage(
      p.template,
      prefs?.language,
      p.start !== undefined ? { start: p.start, zone } : undefined,
    );
    const quiet = prefs?.quietHours ?? clinic.quiet;
    const notBefore = deliverableAt(this.#clock.now(), zone, quiet);
    const { messageId } = await channel.send(ctx, {
      site: proposal.site,
      channel: kind,
      to,
      ...(kind === 'email' ? { subject: rendered.subject } : {}),
      body: rendered.body,
      language: rendered.language,
      template: p.template,
      idempotencyKey: proposal.idempotencyKey,
      proposalId: proposal.id,
      ...(p.correlationKey !== undefined ? { correlationKey: p.correlationKey } : {}),
      ...(proposal.patient.stewardId !== undefined ? { patientId: proposal.patient.stewardId } : {}),
      notBefore,
    });
    return { reference: `Message/${messageId}` };
  }
}

function chooseChannel(asked: string | undefined, prefs: StoredPreferences | undefined): ChannelKind | undefined {
  if (asked !== undefined && (channelKinds as readonly string[]).includes(asked)) return asked as ChannelKind;
  if (prefs?.channel !== undefined) return prefs.channel;
  return channelKinds.find((k) => prefs?.addresses[k] !== undefined) ?? 'sms';
}
