/**
 * @module The sandbox's durable store: an append-only NDJSON journal, one line per committed unit of work (a
 * single write, or a whole transaction), written and fsync'd before the client hears "done". At start the
 * journal is read back in order; a torn last line (the process died while writing it, so nobody was told it
 * committed) is cut off, and damage anywhere else stops the start with a clear error rather than serving half
 * an EHR.
 *
 * Why a journal and not embedded PGlite: the sandbox's reads, searches and FHIRPath evaluation all live in
 * Medplum's in-memory repository; a database underneath would only hold blobs and add a second query engine.
 * Every committed write is kept (the journal is also the `_history`), so nothing needs compacting away; the
 * file is rewritten only to drop a torn tail.
 */
import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { OperationalError } from '@steward/core';

/** One journal line: what a unit of work committed, or a note about the store itself. */
export type JournalRecord =
  | { readonly kind: 'changes'; readonly changes: readonly unknown[] }
  | { readonly kind: 'meta'; readonly key: string; readonly value: unknown };

export interface JournalContents {
  readonly records: readonly JournalRecord[];
  /** Bytes of a torn last line that were cut off (0 when the file ended cleanly). */
  readonly droppedBytes: number;
}

export const journalFileName = 'fhir-journal.ndjson';

export class Journal {
  readonly path: string;
  #fd: number | undefined;
  /** Bytes of committed lines: a failed append is cut back to here, so it never leaves a torn middle line. */
  #size = 0;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, journalFileName);
  }

  /** Reads every committed record and opens the file for appending. Call once, before `append`. */
  open(): JournalContents {
    let text = '';
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const records: JournalRecord[] = [];
    let offset = 0;
    let droppedBytes = 0;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      const line = text.slice(offset, end === -1 ? text.length : end);
      let record: JournalRecord | undefined;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        record = undefined;
      }
      if (end === -1 || record === undefined) {
        // Only the last line may be torn: it was never acknowledged. Anything else is damage.
        if (end !== -1 && text.slice(end + 1).trim().length > 0) {
          throw new OperationalError(
            'STORE_UNAVAILABLE',
            `the sandbox journal ${this.path} is damaged at byte ${offset}; move it away to start empty`,
          );
        }
        droppedBytes = Buffer.byteLength(text.slice(offset));
        break;
      }
      records.push(record);
      offset = end + 1;
    }
    this.#fd = openSync(this.path, 'a+');
    this.#size = Buffer.byteLength(text) - droppedBytes;
    if (droppedBytes > 0) {
      ftruncateSync(this.#fd, this.#size);
      fsyncSync(this.#fd);
    }
    return { records, droppedBytes };
  }

  /** Appends records as lines and fsyncs: when this returns, they survive a crash or power loss. */
  append(records: readonly JournalRecord[]): void {
    if (this.#fd === undefined) throw new Error('journal not open');
    if (records.length === 0) return;
    const data = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    try {
      let written = 0;
      while (written < data.length) written += writeSync(this.#fd, data, written);
      fsyncSync(this.#fd);
    } catch (e) {
      // e.g. a full disk: the caller undoes the unit, and the file must not keep half of it.
      try {
        ftruncateSync(this.#fd, this.#size);
      } catch {
        // the next start drops a torn last line anyway
      }
      throw e;
    }
    this.#size += data.length;
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
