/**
 * @module Audit witnesses: places outside the database that hold each signed checkpoint (seq,
 * head hash, time, key, signature), so a database role that can rewrite the audit tables still
 * cannot shorten the log unnoticed: `verifyAuditLog` checks the database against the highest
 * witnessed checkpoint, and a log that ends before it is truncated.
 *
 * A witness must be something the database role cannot rewrite. Steward ships two:
 * `FileAuditWitness` (an append-only file in the data directory, the default) and
 * `SyslogAuditWitness` (RFC 5424 over UDP to a loopback syslog daemon that forwards to a SIEM;
 * write-only). Others implement `AuditWitness`: another process or host receiving the records
 * over an authenticated channel and answering `read` with its highest one; an object store with
 * a retention lock (S3 Object Lock in compliance mode: one object per checkpoint, `read` lists
 * the newest key). `record` must be durable when it resolves; it is called only after the
 * checkpoints committed, in seq order per process.
 */

/** One signed checkpoint as a witness holds it. `hash` and `signature` are lowercase hex. */
export interface WitnessedCheckpoint {
  readonly seq: number;
  readonly hash: string;
  /** ISO-8601 with milliseconds, UTC: exactly the time the signature covers. */
  readonly at: string;
  readonly keyId: string;
  readonly signature: string;
}

export interface WitnessReading {
  /** The highest checkpoint the witness holds (none yet: undefined). */
  readonly latest: WitnessedCheckpoint | undefined;
  /** Set when the witness's own record shows it was edited: verification must not pass. */
  readonly problem?: string;
}

export interface AuditWitness {
  /** Names the witness in messages (a path, an address); never a secret. */
  readonly name: string;
  /** Records committed checkpoints, ascending seq; durable when it resolves. */
  record(checkpoints: readonly WitnessedCheckpoint[]): Promise<void>;
  /** What the witness holds. Absent for write-only witnesses (syslog): verification cannot ask them. */
  read?(): Promise<WitnessReading>;
  close?(): Promise<void>;
}

/** The highest checkpoint over several readings, and the first problem any of them reports. */
export async function readWitnesses(
  witnesses: readonly AuditWitness[],
): Promise<{ latest: (WitnessedCheckpoint & { witness: string }) | undefined; problem: string | undefined }> {
  let latest: (WitnessedCheckpoint & { witness: string }) | undefined;
  for (const w of witnesses) {
    if (w.read === undefined) continue;
    let r: WitnessReading;
    try {
      r = await w.read();
    } catch (e) {
      // Unreadable is not intact: verification must not pass without what the witness holds.
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).name;
      return { latest, problem: `witness ${w.name} cannot be read (${code})` };
    }
    if (r.problem !== undefined) return { latest, problem: `witness ${w.name}: ${r.problem}` };
    if (r.latest !== undefined && (latest === undefined || r.latest.seq > latest.seq))
      latest = { ...r.latest, witness: w.name };
  }
  return { latest, problem: undefined };
}
