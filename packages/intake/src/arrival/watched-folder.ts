/**
 * @module A watched folder where a fax server or scanner drops files. A file is picked up only when
 * complete: a `<name>.done` marker beside it, or (without markers) its size and modification time
 * unchanged across two scans at least `settleMs` apart. Each file is handed to `ingest` once, then
 * moved to `processed/`, or to `failed/` with `<name>.reason.txt` saying why. The folder is the
 * state: after a restart the files still there are scanned again, and a file ingested just before a
 * crash (not yet moved) arrives again as a recorded duplicate, then moves. Dot-files, markers and
 * sub-folders are ignored.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '@steward/core';

export interface FolderPickup {
  readonly name: string;
  readonly outcome: 'processed' | 'failed';
  readonly detail: string;
}

export interface WatchedFolderOptions {
  readonly dir: string;
  /** Hands one complete file on; resolves to a short outcome, throws to fail it (the message is kept). */
  readonly ingest: (bytes: Buffer, name: string) => Promise<string>;
  /** Without a `.done` marker, how long a file's size must stay the same. Default 2 s. */
  readonly settleMs?: number;
  /** Only files with a `.done` marker. Default false. */
  readonly markersOnly?: boolean;
  readonly clock?: Clock;
}

const MARKER = '.done';

export class WatchedFolder {
  readonly #seen = new Map<string, { size: number; mtimeMs: number; since: number }>();
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<readonly FolderPickup[]> | undefined;

  constructor(private readonly options: WatchedFolderOptions) {
    this.#clock = options.clock ?? systemClock;
  }

  /** Scans every `intervalMs` until `stop`. */
  start(intervalMs = 2000, onError: (e: unknown) => void = () => undefined): void {
    this.#timer ??= setInterval(() => {
      this.scan().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#scanning;
  }

  /** One pass: picks up every complete file. Passes never overlap. */
  scan(): Promise<readonly FolderPickup[]> {
    this.#scanning ??= this.#scan().finally(() => {
      this.#scanning = undefined;
    });
    return this.#scanning;
  }

  async #scan(): Promise<readonly FolderPickup[]> {
    const { dir } = this.options;
    await mkdir(join(dir, 'processed'), { recursive: true });
    await mkdir(join(dir, 'failed'), { recursive: true });
    const entries = await readdir(dir, { withFileTypes: true });
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    const out: FolderPickup[] = [];
    for (const name of [...names].sort()) {
      if (name.startsWith('.') || name.endsWith(MARKER) || name.endsWith('.reason.txt')) continue;
      if (!(await this.#complete(name, names.has(name + MARKER)))) continue;
      this.#seen.delete(name);
      const path = join(dir, name);
      let result: FolderPickup;
      try {
        const detail = await this.options.ingest(await readFile(path), name);
        result = { name, outcome: 'processed', detail };
      } catch (e) {
        result = { name, outcome: 'failed', detail: e instanceof Error ? e.message : String(e) };
      }
      const to = join(dir, result.outcome, name);
      await rename(path, to);
      if (result.outcome === 'failed') await writeFile(`${to}.reason.txt`, `${result.detail}\n`);
      if (names.has(name + MARKER)) await unlink(join(dir, name + MARKER)).catch(() => undefined);
      out.push(result);
    }
    for (const name of this.#seen.keys()) if (!names.has(name)) this.#seen.delete(name);
    return out;
  }

  async #complete(name: string, marked: boolean): Promise<boolean> {
    if (marked) return true;
    if (this.options.markersOnly === true) return false;
    const s = await stat(join(this.options.dir, name));
    const now = this.#clock.now().getTime();
    const before = this.#seen.get(name);
    if (before === undefined || before.size !== s.size || before.mtimeMs !== s.mtimeMs) {
      this.#seen.set(name, { size: s.size, mtimeMs: s.mtimeMs, since: now });
      return false;
    }
    return s.size > 0 && now - before.since >= (this.options.settleMs ?? 2000);
  }
}
