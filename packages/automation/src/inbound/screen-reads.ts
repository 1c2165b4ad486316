/**
 * @module Screen reads into the inbound journal (issue 17 item 6): for an EHR without an API for
 * it, a map's read (a day's schedule) runs through the executor as a recorded run of kind `read`,
 * and its rows become Steward's normalised events, filed through the same `InboundJournal` as FHIR
 * and HL7 on channel `screens` — one message per row (the row as JSON, the patient as its
 * `subject`), as the FHIR poller files one message per resource version. Workflows cannot tell
 * where an event came from.
 *
 * Dedup: a message's key is the row's content hash, and an event's change key is the record and
 * its state (an appointment's status, and its start when booked; a task's status and due date), so
 * a re-read of an unchanged screen files nothing and a changed row files only its change. A row the
 * mapping cannot understand goes to the dead-letter list (the connection's attention list) naming
 * the column, once per content.
 *
 * Known limits: a reschedule (`appointment.rescheduled`) or a task's update (`task.updated`) is
 * recognised against the state this process last read; after a restart the first read files the
 * current state (as a FHIR poll's first sync does, without a previous version: `booked`,
 * `task.created`). A record back in a state it had before is the same change key, so it is not filed
 * again. Rows that leave the screen (a deleted appointment, a task completed off an open-task list)
 * file nothing: the screen does not say what happened to them.
 */
import { createHash } from 'node:crypto';
import {
  UserError,
  systemClock,
  type Clock,
  type EhrEventInput,
  type InboundJournal,
  type InboundMessage,
  type ReceiveOutcome,
} from '@steward/core';
import { DateTime } from 'luxon';
import type { ScreenExecutor } from '../executor/executor.js';
import type { ReadRow } from '../executor/read-rows.js';
import type { ReadSpec, ScreenMap } from '../model/screen-map.js';
import { haltError } from '../channel/screens.channel.js';
import type { RunJournal } from '../channel/run-journal.js';
import { appointmentRows } from './read-appointments.js';
import { taskRows } from './read-tasks.js';
import type { RowReader } from './row-reader.js';

export interface ScreenReadsDeps {
  readonly executor: ScreenExecutor;
  /** The connection's current approved screen map. */
  readonly maps: (connectionId: string) => Promise<ScreenMap>;
  readonly runs: RunJournal;
  /** The inbound journal as this connection files into it (the governed journal's `forConnection`). */
  readonly journal: (connectionId: string) => InboundJournal | Promise<InboundJournal>;
  /** The connection's IANA zone (its `facilityTimeZone`): the zone its screens show times in. */
  readonly timeZone: (connectionId: string) => Promise<string>;
  /** The account runs are recorded as (default `connection:<id>`, as the screens channel). */
  readonly accountId?: (connectionId: string) => string;
  readonly clock?: Clock;
}

export interface ScreenReadResult {
  readonly runId: string;
  readonly rows: number;
  /** Events newly filed (those already filed are deduplicated by their change key). */
  readonly events: number;
  /** Rows whose message was filed before (unchanged since a previous read). */
  readonly duplicates: number;
  /** Rows refused onto the attention list (new ones). */
  readonly refused: number;
}

/** Last states kept per process for reschedule detection (bounded). */
const keptStates = 20_000;

export class ScreenReads {
  private readonly clock: Clock;
  /** `connection|Appointment/<id>` → the state last read (appointment or task). */
  private readonly last = new Map<string, unknown>();

  constructor(private readonly d: ScreenReadsDeps) {
    this.clock = d.clock ?? systemClock;
  }

  /**
   * Reads `readId` of the connection's map (for `day`, YYYY-MM-DD, default today in the
   * connection's zone, when the read has a day field) as one recorded run and files its rows. A
   * halted run throws the screens channel's error (its reason and detail, no values); nothing is
   * filed then.
   */
  async read(connectionId: string, readId: string, day?: string): Promise<ScreenReadResult> {
    const map = await this.d.maps(connectionId);
    const read = map.reads?.find((r) => r.id === readId);
    if (read === undefined) throw new UserError('EHR_NOT_SUPPORTED', `the screen map has no read ${readId}`);
    if (read.rows === undefined)
      throw new UserError('EHR_NOT_SUPPORTED', `the screen map's read ${readId} does not say what its rows are`);
    const zone = await this.d.timeZone(connectionId);
    const on = day ?? DateTime.fromJSDate(this.clock.now(), { zone }).toISODate() ?? '';
    const run = await this.d.runs.begin({
      connectionId,
      site: map.site,
      purpose: 'HOPERAT',
      kind: 'read',
      identity: { accountId: this.d.accountId?.(connectionId) ?? `connection:${connectionId}` },
      patients: [],
      mapVersion: map.version,
    });
    const result = await this.d.executor.read({
      runId: run.runId,
      map,
      recorder: run,
      readId,
      ...(read.day !== undefined ? { day: on } : {}),
    });
    await run.finish(result.outcome);
    if (result.outcome.status === 'halted' || result.rows === undefined) throw haltError(result.outcome);
    const reader = (read.rows === 'task' ? taskRows : appointmentRows) as RowReader<unknown>;
    // A schedule without a day field shows today's: its times are read on today's date.
    const dayRead = read.day !== undefined || read.rows === 'appointment' ? on : undefined;
    const filed = await this.file(map, read, reader, result.rows, dayRead, zone);
    return { runId: run.runId, rows: result.rows.length, ...filed };
  }

  private async file(
    map: ScreenMap,
    read: ReadSpec,
    reader: RowReader<unknown>,
    rows: readonly ReadRow[],
    day: string | undefined,
    zone: string,
  ): Promise<Omit<ScreenReadResult, 'runId' | 'rows'>> {
    const connectionId = map.connectionId;
    const journal = await this.d.journal(connectionId);
    const receivedAt = this.clock.now();
    const occurredAt = DateTime.fromJSDate(receivedAt, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
    const type = reader.resourceType;
    const good: { message: InboundMessage; events: EhrEventInput[]; key: string; state: unknown }[] = [];
    let refused = 0;
    let duplicates = 0;
    for (const row of rows) {
      const raw = JSON.stringify({ read: read.id, ...(day !== undefined ? { day } : {}), row });
      const hash = createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 32);
      const reading = reader.read(map, read, row, day ?? '', zone);
      const message: InboundMessage = {
        connectionId,
        channel: 'screens',
        messageKey: `${read.id}/${day ?? '-'}/${type}/${reading.id ?? 'row'}/${hash}`,
        raw,
        messageType: type,
        receivedAt,
        ...(reading.ok ? { subject: reading.patient } : {}),
      };
      if (!reading.ok) {
        const outcome = await journal.deadLetter(message, `screen read ${read.id}: ${reading.reason}`);
        if (outcome.status === 'duplicate') duplicates++;
        else refused++;
        continue;
      }
      const key = `${connectionId}|${type}/${reading.id}`;
      const decided = reader.event(reading.id, reading.state, this.last.get(key));
      const events: EhrEventInput[] =
        decided === undefined
          ? []
          : [
              {
                type: decided.type,
                connectionId,
                channel: 'screens',
                dedupKey: reader.changeKey(reading.id, reading.state),
                occurredAt,
                patient: reading.patient,
                facts: decided.facts,
                sourceRef: `${type}/${reading.id}`,
              },
            ];
      good.push({ message, events, key, state: reading.state });
    }
    const outcomes: readonly ReceiveOutcome[] =
      journal.receiveMany !== undefined
        ? await journal.receiveMany(good)
        : await sequential(good, (g) => journal.receive(g.message, g.events));
    let events = 0;
    outcomes.forEach((o) => {
      if (o.status === 'stored') events += o.events.length;
      if (o.status === 'duplicate') duplicates++;
    });
    // Only what is filed becomes the state a later read is compared with.
    for (const g of good) this.remember(g.key, g.state);
    return { events, duplicates, refused };
  }

  private remember(key: string, state: unknown): void {
    this.last.delete(key);
    this.last.set(key, state);
    if (this.last.size > keptStates) this.last.delete(this.last.keys().next().value as string);
  }
}

async function sequential<T, R>(items: readonly T[], f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const t of items) out.push(await f(t));
  return out;
}
