/**
 * @module A write-only audit witness: each checkpoint as an RFC 5424 syslog message over UDP to
 * the local syslog daemon (loopback only), which forwards it to a SIEM the database role cannot
 * reach. Verification cannot read it back (compare with the SIEM's copy); it is a second copy
 * beside the witness file, not a replacement.
 *
 * Known limit: UDP on loopback does not drop under normal load, but nothing acknowledges it:
 * `record` resolves once the datagram was handed to the kernel, not once the SIEM stored it.
 */
import { createSocket, type Socket } from 'node:dgram';
import { hostname } from 'node:os';
import { ConfigError } from '@steward/core';
import type { AuditWitness, WitnessedCheckpoint } from './witness.js';

/** authpriv (10) × 8 + notice (5). */
const PRI = 85;
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export class SyslogAuditWitness implements AuditWitness {
  readonly name: string;
  readonly #host: string;
  readonly #port: number;
  readonly #hostname: string;
  #socket: Socket | undefined;

  /** `url`: `udp://127.0.0.1:514` (loopback only: the daemon there forwards it). */
  constructor(url: string, options: { hostname?: string } = {}) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ConfigError([{ path: 'STEWARD_AUDIT_SYSLOG', message: 'must be a URL like udp://127.0.0.1:514' }]);
    }
    if (u.protocol !== 'udp:' || !LOOPBACK.has(u.hostname)) {
      throw new ConfigError([
        { path: 'STEWARD_AUDIT_SYSLOG', message: 'must be udp:// to a loopback address (the local syslog daemon)' },
      ]);
    }
    this.#host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
    this.#port = u.port === '' ? 514 : Number(u.port);
    this.#hostname = (options.hostname ?? hostname()).replace(/\s/g, '') || '-';
    this.name = `syslog udp://${u.host}`;
  }

  async record(checkpoints: readonly WitnessedCheckpoint[]): Promise<void> {
    const socket = this.#open();
    for (const c of checkpoints) {
      const msg =
        `<${PRI}>1 ${c.at} ${this.#hostname} steward - audit-checkpoint - ` +
        `steward-audit-checkpoint seq=${c.seq} hash=${c.hash} at=${c.at} key=${c.keyId} sig=${c.signature}`;
      await new Promise<void>((resolve, reject) =>
        socket.send(msg, this.#port, this.#host, (e) => (e ? reject(e) : resolve())),
      );
    }
  }

  close(): Promise<void> {
    const s = this.#socket;
    this.#socket = undefined;
    return s === undefined ? Promise.resolve() : new Promise((resolve) => s.close(() => resolve()));
  }

  #open(): Socket {
    if (this.#socket === undefined) {
      this.#socket = createSocket(this.#host.includes(':') ? 'udp6' : 'udp4');
      this.#socket.unref();
    }
    return this.#socket;
  }
}
