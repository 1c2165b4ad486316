/**
 * @module FHIR changes into Steward events: by polling `_lastUpdated` from a durable high-water
 * mark, and from topic-based subscription notifications (R4B backport, rest-hook). Both paths
 * end in the same step — read the version before (instance history; only for the types that
 * become events, and not on a type's first sync), decide the normalized events, and file message
 * and events in the journal — so a change seen by a notification and again by a poll is one event
 * (same change key). A poll files each search page with one `receiveMany`.
 *
 * Polling re-reads a short overlap before the mark on purpose: an EHR may commit a change with a
 * `lastUpdated` just before the mark after the previous poll ran; the journal's dedup makes the
 * overlap free of duplicates. Gaps in notification numbers trigger a poll.
 */
import {
  isStewardError,
  systemClock,
  type Clock,
  type EhrEventChannel,
  type EhrEventInput,
  type InboundJournal,
  type InboundMessage,
  type ReceiveOutcome,
} from '@steward/core';
import type { Bundle, Resource, ResourceType } from '@medplum/fhirtypes';
import type { FhirClient } from '../fhir-r4/index.js';
import {
  changeEvents,
  detectGaps,
  eventResourceTypes,
  parseSubscriptionNotification,
  subjectOf,
} from '../fhir-model/index.js';
import { planPolling, type VendorProfile } from '../vendors/index.js';
import { isDirectoryKind } from '@steward/clinic';

/** Where polling marks are kept durably (the connection registry's `ehr_sync_state`). */
export interface HighWaterMarks {
  get(resourceType: string): Promise<string | undefined>;
  set(resourceType: string, value: string): Promise<void>;
}

export interface FhirChangesOptions {
  readonly connectionId: string;
  readonly client: FhirClient;
  readonly profile: VendorProfile;
  readonly journal: InboundJournal;
  readonly marks: HighWaterMarks;
  /** The resource types to follow. */
  readonly resourceTypes: readonly string[];
  /** Where a first poll starts (ISO instant). Default: the epoch, i.e. everything. */
  readonly initialSince?: string;
  /** How far before the mark each poll starts again. Default 5 s. */
  readonly overlapMs?: number;
  /** The connection's declared IANA zone, for date-times the EHR sends without an offset. */
  readonly facilityTimeZone?: string;
  /** Date-times without an offset: read in `facilityTimeZone` and flagged (default), or refused. */
  readonly zonelessTimes?: 'infer' | 'refuse';
  readonly clock?: Clock;
  /**
   * Hands the clinic directory every Practitioner, PractitionerRole, Organization, Location and
   * HealthcareService filed (polled or notified, not refused), after the journal stored it. A
   * failure fails the poll (its mark does not move) or the notification (the EHR sends again).
   */
  readonly directory?: (resources: readonly Resource[]) => Promise<unknown>;
}

export interface PollResult {
  readonly resources: number;
  readonly events: number;
  readonly duplicates: number;
  /** Types the vendor cannot poll (no change-since search): they rely on subscriptions or feeds. */
  readonly unsupported: readonly string[];
}

export interface NotificationResult {
  readonly type: string;
  readonly events: number;
  /** Missed notifications were detected: a poll was run to catch up. */
  readonly caughtUp: boolean;
}

/** Followed types polled at once. */
const TYPES_AT_ONCE = 4;

interface TypePoll {
  resources: number;
  events: number;
  duplicates: number;
  unsupported: boolean;
}

/** Instance-history reads in flight at once while a page is prepared (the client's budget still applies). */
const HISTORY_READS_AT_ONCE = 4;

const eventTypes: ReadonlySet<string> = new Set(eventResourceTypes);

/** One resource ready to file: its message and events, or the reason it is refused (dead-letter). */
interface Prepared {
  readonly message: InboundMessage;
  readonly events: readonly EhrEventInput[];
  /** The resource as normalized (what the directory reads). */
  readonly resource: Resource;
  readonly refused?: string;
}

function counted(outcome: ReceiveOutcome): { events: number; duplicate: boolean } {
  return {
    events: outcome.status === 'stored' ? outcome.events.length : 0,
    duplicate: outcome.status === 'duplicate',
  };
}

export class FhirChanges {
  private readonly clock: Clock;
  private readonly lastEventNumber = new Map<string, number>();

  constructor(private readonly options: FhirChangesOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /**
   * One poll of every followed type, from each type's mark, filing each search page at once.
   * Types are polled a few at a time (their marks are independent), so the pages of several
   * types meet in one audit writer transaction and one type's HTTP overlaps another's storage.
   * When `signal` aborts (shutdown), each type stops between pages without moving its mark: the
   * next poll re-reads the rest. If a type fails, the others still finish; then the first failure
   * is thrown.
   */
  async pollOnce(signal?: AbortSignal): Promise<PollResult> {
    const types = this.options.resourceTypes;
    const results: Array<TypePoll | undefined> = types.map(() => undefined);
    const failures: unknown[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < types.length && signal?.aborted !== true) {
        const i = next++;
        try {
          results[i] = await this.pollType(types[i] as string, signal);
        } catch (e) {
          failures.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(TYPES_AT_ONCE, types.length) }, worker));
    if (failures.length > 0) throw failures[0];
    const done = results.filter((r): r is TypePoll => r !== undefined);
    return {
      resources: done.reduce((n, r) => n + r.resources, 0),
      events: done.reduce((n, r) => n + r.events, 0),
      duplicates: done.reduce((n, r) => n + r.duplicates, 0),
      unsupported: types.filter((_, i) => results[i]?.unsupported === true),
    };
  }

  /** One type's poll: its pages from its mark, each filed at once; the mark moves after the last page. */
  private async pollType(type: string, signal: AbortSignal | undefined): Promise<TypePoll> {
    const result = { resources: 0, events: 0, duplicates: 0, unsupported: false };
    const stored = await this.options.marks.get(type);
    // The first sync files each resource as Steward first sees it: no history read per resource
    // (there is no earlier version Steward saw), which makes an initial load one search, not N+1.
    const firstSync = stored === undefined;
    const mark = stored ?? this.options.initialSince ?? '1970-01-01T00:00:00Z';
    let plan;
    try {
      plan = planPolling(this.options.profile, type, this.sinceWithOverlap(mark));
    } catch (e) {
      if (isStewardError(e) && e.code === 'EHR_NOT_SUPPORTED') return { ...result, unsupported: true };
      throw e;
    }
    let highest = mark;
    for await (const page of this.options.client.searchPages(plan.resourceType as ResourceType, plan.params)) {
      if (signal?.aborted === true) return result;
      const matched = (page.entry ?? []).flatMap((e) =>
        e.resource?.resourceType === plan.resourceType && (e.search?.mode === undefined || e.search.mode === 'match')
          ? [e.resource]
          : [],
      );
      const outcomes = await this.fileMany(matched, firstSync);
      result.resources += matched.length;
      for (const o of outcomes) {
        result.events += o.events;
        if (o.duplicate) result.duplicates++;
      }
      for (const resource of matched) {
        const updated = resource.meta?.lastUpdated;
        if (updated !== undefined && Date.parse(updated) > Date.parse(highest)) highest = updated;
      }
    }
    // Only after every page is filed: a crash mid-poll re-reads, and dedup absorbs the repeat.
    if (highest !== mark) await this.options.marks.set(type, highest);
    return result;
  }

  /**
   * Files one rest-hook notification (the request body, parsed JSON). Resolves once everything in
   * it is stored, so the HTTP handler answers 2xx only then and the EHR retries otherwise.
   */
  async notification(body: unknown): Promise<NotificationResult> {
    const parsed = this.options.profile.normalizeNotification(parseSubscriptionNotification(body));
    if (parsed.type !== 'event-notification') return { type: parsed.type, events: 0, caughtUp: false };
    const gaps = detectGaps(this.lastEventNumber.get(parsed.subscription), parsed);
    let events = 0;
    for (const ev of parsed.events) {
      let resource = ev.resource;
      if (resource === undefined) {
        const focus = ev.focus;
        if (focus?.type === undefined || focus.id === undefined) continue;
        resource = (await this.options.client.read(focus.type as ResourceType, focus.id)).resource;
      }
      events += (await this.file(resource, 'fhir-subscription', `${parsed.subscription}#${ev.eventNumber}`)).events;
      this.lastEventNumber.set(
        parsed.subscription,
        Math.max(ev.eventNumber, this.lastEventNumber.get(parsed.subscription) ?? 0),
      );
    }
    // Known gap, or a restart (no number remembered) with earlier events: catch up by polling.
    const caughtUp = gaps.length > 0;
    if (caughtUp) await this.pollOnce();
    return { type: parsed.type, events, caughtUp };
  }

  /** Files one resource (a notification's): its message and events, once stored. */
  private async file(
    fetched: Resource,
    channel: EhrEventChannel,
    notificationKey: string | undefined,
  ): Promise<{ events: number; duplicate: boolean }> {
    const item = await this.prepare(fetched, channel, notificationKey, false);
    if (item.refused !== undefined) return counted(await this.options.journal.deadLetter(item.message, item.refused));
    const outcome = counted(await this.options.journal.receive(item.message, item.events));
    await this.learn([item.resource]);
    return outcome;
  }

  /**
   * Files a search page's resources together: their previous versions are read a few at a time,
   * then the whole page goes to the journal at once (`receiveMany`: one audited transaction on
   * the governed journal), or one by one when the journal has no batch method.
   */
  private async fileMany(
    fetched: readonly Resource[],
    firstSync: boolean,
  ): Promise<readonly { events: number; duplicate: boolean }[]> {
    const prepared: Prepared[] = [];
    for (let i = 0; i < fetched.length; i += HISTORY_READS_AT_ONCE) {
      const slice = fetched.slice(i, i + HISTORY_READS_AT_ONCE);
      prepared.push(...(await Promise.all(slice.map((r) => this.prepare(r, 'fhir-poll', undefined, firstSync)))));
    }
    const journal = this.options.journal;
    // Refused resources go to the dead-letter list one by one; the rest are filed together.
    const out = new Map<Prepared, { events: number; duplicate: boolean }>();
    for (const p of prepared)
      if (p.refused !== undefined) out.set(p, counted(await journal.deadLetter(p.message, p.refused)));
    const items = prepared.filter((p) => p.refused === undefined);
    if (journal.receiveMany !== undefined) {
      const outcomes = await journal.receiveMany(items);
      items.forEach((p, i) => out.set(p, counted(outcomes[i] as ReceiveOutcome)));
    } else {
      for (const p of items) out.set(p, counted(await journal.receive(p.message, p.events)));
    }
    await this.learn(items.map((p) => p.resource));
    return prepared.map((p) => out.get(p) as { events: number; duplicate: boolean });
  }

  /**
   * The message and events for one fetched resource: normalized, compared with its previous
   * version. A resource Steward cannot map (malformed, an unknown modifier extension, a refused
   * zone-less time) is not an error of the poll: it is refused with the reason, for the
   * dead-letter list, and the poll goes on.
   */
  private async prepare(
    fetched: Resource,
    channel: EhrEventChannel,
    notificationKey: string | undefined,
    firstSync: boolean,
  ): Promise<Prepared> {
    const resource = this.options.profile.normalize(fetched);
    // Types that never become events decide nothing from a previous version: no history read.
    const needsPrevious = !firstSync && eventTypes.has(resource.resourceType);
    const previous = needsPrevious ? await this.previousVersion(resource) : undefined;
    const receivedAt = this.clock.now();
    const version = resource.meta?.versionId ?? resource.meta?.lastUpdated ?? receivedAt.toISOString();
    // The patient it is about: the receipt names them even when no event comes of it.
    const subject = subjectOf(resource);
    const message: InboundMessage = {
      connectionId: this.options.connectionId,
      channel,
      messageKey: notificationKey ?? `${resource.resourceType}/${resource.id ?? ''}/_history/${version}`,
      raw: JSON.stringify(fetched),
      messageType: resource.resourceType,
      receivedAt,
      ...(subject !== undefined ? { subject } : {}),
    };
    try {
      const events = changeEvents(resource, previous, {
        connectionId: this.options.connectionId,
        channel,
        receivedAt: receivedAt.toISOString(),
        ...(this.options.facilityTimeZone !== undefined ? { timeZone: this.options.facilityTimeZone } : {}),
        ...(this.options.zonelessTimes !== undefined ? { zonelessTimes: this.options.zonelessTimes } : {}),
        knownModifierExtensions: (this.options.profile.modifierExtensions ?? []).map((m) => m.url),
      });
      return { message, events, resource };
    } catch (e) {
      if (isStewardError(e) && (e.code === 'FHIR_INVALID' || e.code === 'FHIR_UNSUPPORTED'))
        return { message, events: [], resource, refused: `${e.code}: ${e.message}` };
      throw e;
    }
  }

  /** The directory's resources among those filed, to the directory (when one is wired in). */
  private async learn(resources: readonly Resource[]): Promise<void> {
    const directory = resources.filter((r) => isDirectoryKind(r.resourceType));
    if (directory.length > 0 && this.options.directory !== undefined) await this.options.directory(directory);
  }

  /** The version before this one, from instance history; undefined for a first version. */
  private async previousVersion(resource: Resource): Promise<Resource | undefined> {
    if (resource.id === undefined) return undefined;
    let bundle: Bundle;
    try {
      bundle = await this.options.client.history(resource.resourceType, resource.id, { _count: 10 });
    } catch (e) {
      // A vendor without instance history: events are decided from the current version alone.
      if (isStewardError(e) && (e.code === 'EHR_REJECTED' || e.code === 'EHR_NOT_SUPPORTED')) return undefined;
      throw e;
    }
    const versions = (bundle.entry ?? []).flatMap((e) => (e.resource !== undefined ? [e.resource] : []));
    const index = versions.findIndex((v) => v.meta?.versionId === resource.meta?.versionId);
    // History is newest first: the previous version follows the current one.
    return index >= 0 ? versions[index + 1] : undefined;
  }

  private sinceWithOverlap(mark: string): string {
    const at = Date.parse(mark);
    if (Number.isNaN(at)) return mark;
    return new Date(Math.max(0, at - (this.options.overlapMs ?? 5_000))).toISOString();
  }
}
