/**
 * @module The default audit witness: an append-only file (`<data dir>/audit-witness.log`, 0600).
 *
 * Each line is one checkpoint as canonical JSON, written with O_APPEND in one write and fsynced
 * before `record` resolves. Lines are hash-chained per writer: every process that opens the file
 * draws a random writer id and links each of its lines to its previous one (`prev`, SHA-256 of
 * that line's text), so several processes (the server and a CLI) can append at once without a
 * lock, and an edited or removed line in the middle of a writer's run breaks its chain.
 *
 * Known limits: the file defends against the DATABASE role, not against whoever can write the
 * file: removing a writer's last lines, or the whole file, is not detectable from the file
 * alone. Keep it where the database role has no access (another host than the database's, or
 * at least another user), make it append-only where root can (`chattr +a`), and ship it off the
 * machine (log shipping, or a second witness such as syslog). Archiving it (moving it away) is
 * safe: a new file starts fresh chains, and verification uses the file it is given.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson } from './audit-chain.js';
import type { AuditWitness, WitnessedCheckpoint, WitnessReading } from './witness.js';

const ZERO = '0'.repeat(64);

interface Line extends WitnessedCheckpoint {
  readonly v: 1;
  readonly writer: string;
  /** This writer's line number, from 1. */
  readonly n: number;
  /** SHA-256 (hex) of this writer's previous line's text; zeros for its first. */
  readonly prev: string;
}

export class FileAuditWitness implements AuditWitness {
  readonly name: string;
  readonly #path: string;
  readonly #writer = randomBytes(8).toString('hex');
  #handle: FileHandle | undefined;
  #n = 0;
  #prev = ZERO;
  /** Writes in the order their lines were chained, one at a time. */
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
    this.name = path;
  }

  async record(checkpoints: readonly WitnessedCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    const write = this.#writing.then(async () => {
      // Chained inside the queue, and the chain moves on only once the lines are on disk: a
      // failed write leaves no gap in this writer's chain.
      let n = this.#n;
      let prev = this.#prev;
      let text = '';
      for (const c of checkpoints) {
        n += 1;
        const line = canonicalJson({
          v: 1,
          writer: this.#writer,
          n,
          prev,
          seq: c.seq,
          hash: c.hash,
          at: c.at,
          keyId: c.keyId,
          signature: c.signature,
        } satisfies Line);
        prev = sha256(line);
        text += `${line}\n`;
      }
      const handle = await this.#open();
      // One write of whole lines with O_APPEND: other processes' lines never interleave with ours.
      await handle.write(text);
      await handle.sync();
      this.#n = n;
      this.#prev = prev;
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }

  async read(): Promise<WitnessReading> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { latest: undefined };
      throw e;
    }
    return readWitnessText(text);
  }

  async close(): Promise<void> {
    await this.#writing;
    const h = this.#handle;
    this.#handle = undefined;
    await h?.close();
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle !== undefined) return this.#handle;
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const handle = await open(this.#path, 'a', 0o600);
    // After a crash cut a line short, start on a fresh line so ours stay whole.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      const reader = await open(this.#path, 'r');
      try {
        await reader.read(last, 0, 1, size - 1);
      } finally {
        await reader.close();
      }
      if (last[0] !== 0x0a) await handle.write('\n');
    }
    this.#handle = handle;
    return handle;
  }
}

/** Checks every writer's chain in a witness file's text and returns its highest checkpoint. */
export function readWitnessText(text: string): WitnessReading {
  const writers = new Map<string, { n: number; prev: string }>();
  let latest: WitnessedCheckpoint | undefined;
  const lines = text.split('\n');
  // What follows the last newline: nothing, or a write cut short by a crash (not an edit).
  lines.pop();
  for (const [i, raw] of lines.entries()) {
    const where = `line ${i + 1}`;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      return { latest, problem: `${where} is not a witness record: the file was edited` };
    }
    if (
      line.v !== 1 ||
      typeof line.writer !== 'string' ||
      !Number.isSafeInteger(line.n) ||
      !Number.isSafeInteger(line.seq) ||
      typeof line.hash !== 'string' ||
      canonicalJson(line) !== raw
    ) {
      return { latest, problem: `${where} is not a witness record: the file was edited` };
    }
    const before = writers.get(line.writer) ?? { n: 0, prev: ZERO };
    if (line.n !== before.n + 1 || line.prev !== before.prev) {
      return {
        latest,
        problem: `${where} does not follow its writer's previous line: lines were edited or removed`,
      };
    }
    writers.set(line.writer, { n: line.n, prev: sha256(raw) });
    if (latest === undefined || line.seq > latest.seq) {
      latest = { seq: line.seq, hash: line.hash, at: line.at, keyId: line.keyId, signature: line.signature };
    }
  }
  return { latest };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
