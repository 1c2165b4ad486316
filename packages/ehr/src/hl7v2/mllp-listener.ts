/**
 * @module An MLLP listener for one HL7 v2 connection (one interface at one site), in enhanced mode
 * in the sense that matters: the ACK is written only after the journal has durably stored the
 * message (AA), kept it as ignored (AA, a type the connection does not route), stored it on the
 * dead-letter list (AR), or failed (AE: nothing stored, the sender must resend). What happens to
 * a frame is `Hl7Intake`'s job; this file is the socket side.
 *
 * Ordering: the frames of one TCP connection are handled strictly one after another — the next
 * waits until the previous is stored and acknowledged — so a sender that keeps one patient's
 * messages on one connection (as HL7 interface engines do) keeps them in order. There is no
 * ordering across connections. Backpressure: the socket is paused when too many frames or bytes wait.
 *
 * Hardening: an allow-list of source addresses (others are closed at once, before any byte is
 * read), optional TLS (MLLP over TLS, `node:tls`; client certificates when a CA is given), a cap
 * on concurrent connections, a cap on bytes held per connection (the unfinished message plus the
 * frames waiting), a short partial-frame timeout (an abandoned half message is dropped and the
 * connection closed; the sender never got its ACK, so it resends), buffers released on close.
 * Binding every interface (`0.0.0.0`, `::`) is refused without an allow-list: never by accident.
 *
 * Dedup keys: a stored message's key is its MSH-10, compared by content (see `Hl7Intake`); a
 * dead-lettered message's key is `dead:<sha256 of the bytes>`, so a corrected message resent with
 * the same MSH-10 is not mistaken for the rejected one.
 *
 * Limits: frames are decoded as UTF-8 (MSH-18 is not honoured).
 */
import { BlockList, createServer, isIP, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { IANAZone } from 'luxon';
import { ConfigError, newId, systemClock, type Clock, type InboundJournal } from '@steward/core';
import { ackSourceFromRaw, buildAck } from './ack.js';
import { Hl7DecodePool } from './hl7-decode-pool.js';
import { Hl7Intake, routingProblems, type Hl7Logger, type Hl7Routing, type Hl7SenderRules } from './hl7-intake.js';
import type { Hl7MapContext } from './map-common.js';
import { frameMllp, MllpDecoder, type MllpDecodeResult } from './mllp.js';

export type { Hl7Logger } from './hl7-intake.js';

export interface MllpListenerConfig {
  readonly connectionId: string;
  /** IANA zone for zone-less HL7 times. */
  readonly facilityTimeZone: string;
  readonly journal: InboundJournal;
  /** Where to bind. `0.0.0.0` / `::` (every interface) only with `allowedSources`. */
  readonly host: string;
  /** 0 for an ephemeral port (tests). */
  readonly port: number;
  /** Largest message accepted; a larger one is rejected (AR) and skipped. */
  readonly maxMessageBytes: number;
  /** Close a connection idle this long (default 10 minutes). */
  readonly idleTimeoutMs?: number;
  /** Drop an unfinished frame (and close) when no byte of it arrived for this long (default 30 s). */
  readonly partialFrameTimeoutMs?: number;
  /** Concurrent connections; more are closed at once (default 16). */
  readonly maxConnections?: number;
  /** Bytes one connection may hold (unfinished message + frames waiting); above it the socket is paused (default 4 × maxMessageBytes). */
  readonly maxBufferedBytes?: number;
  /** Source addresses (IPv4/IPv6, or CIDR like `10.1.0.0/16`) allowed to connect; absent: any. */
  readonly allowedSources?: readonly string[];
  /** MSH-3/MSH-4 values allowed on this connection; others are refused (AR) onto the dead-letter list. */
  readonly senders?: Hl7SenderRules;
  /** Which message types are routed; the others are acknowledged AA and kept as ignored. */
  readonly routing?: Hl7Routing;
  /** MLLP over TLS: key and certificate (PEM); with `ca`, clients must present a certificate it signed. */
  readonly tls?: Pick<TlsOptions, 'key' | 'cert' | 'ca'>;
  /** On close(), how long in-flight work may take before sockets are destroyed (default 10 s). */
  readonly drainTimeoutMs?: number;
  readonly identifierSystems?: Readonly<Record<string, string>>;
  readonly previousStartField?: string;
  /** Zone-less times: read in the facility zone and flagged (default), or refused. */
  readonly zonelessTimes?: 'infer' | 'refuse';
  readonly clock?: Clock;
  readonly logger?: Hl7Logger;
  /** Hears each filed MDM message (intake's document arrivals). */
  readonly documents?: (raw: string) => Promise<void>;
  /**
   * Worker threads that parse and map messages (0..16; default 0: on the listener's thread), so
   * that per-message CPU does not hold up the journal's writer and the ACKs on this thread.
   */
  readonly decodeThreads?: number;
}

/** What a listener holds now: for tests and status pages. */
export interface MllpListenerStats {
  readonly connections: number;
  /** Bytes held across connections: unfinished messages plus frames waiting. */
  readonly bufferedBytes: number;
  readonly refusedConnections: number;
}

/** Frames waiting on a connection before its socket is paused, and the level to resume at. */
const pauseAt = 256;
const resumeAt = 32;
const wildcardHosts = new Set(['0.0.0.0', '::', '']);

export class MllpListener {
  private readonly server: Server;
  private readonly connections = new Set<ConnectionWorker>();
  private readonly intake: Hl7Intake;
  private readonly decoder: Hl7DecodePool | undefined;
  private readonly allowed: BlockList | undefined;
  private closing = false;
  private refused = 0;

  constructor(private readonly config: MllpListenerConfig) {
    const problems: { path: string; message: string }[] = [];
    if (config.connectionId.trim() === '') problems.push({ path: 'connectionId', message: 'must not be empty' });
    if (!IANAZone.isValidZone(config.facilityTimeZone))
      problems.push({ path: 'facilityTimeZone', message: 'must be an IANA time zone' });
    if (!Number.isInteger(config.maxMessageBytes) || config.maxMessageBytes < 64)
      problems.push({ path: 'maxMessageBytes', message: 'must be an integer of at least 64' });
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
      problems.push({ path: 'port', message: 'must be a TCP port' });
    for (const [path, v] of [
      ['maxConnections', config.maxConnections],
      ['maxBufferedBytes', config.maxBufferedBytes],
      ['partialFrameTimeoutMs', config.partialFrameTimeoutMs],
      ['idleTimeoutMs', config.idleTimeoutMs],
    ] as const)
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        problems.push({ path, message: 'must be a positive integer' });
    if (
      config.decodeThreads !== undefined &&
      (!Number.isInteger(config.decodeThreads) || config.decodeThreads < 0 || config.decodeThreads > 16)
    )
      problems.push({ path: 'decodeThreads', message: 'must be an integer from 0 to 16' });
    if (config.maxBufferedBytes !== undefined && config.maxBufferedBytes < config.maxMessageBytes)
      problems.push({ path: 'maxBufferedBytes', message: 'must be at least maxMessageBytes' });
    const allowed = parseSources(config.allowedSources ?? [], problems);
    if (wildcardHosts.has(config.host) && allowed === undefined)
      problems.push({
        path: 'host',
        message: 'binding every interface needs an allow-list of source addresses (allowedSources)',
      });
    if (config.tls !== undefined && (config.tls.key === undefined || config.tls.cert === undefined))
      problems.push({ path: 'tls', message: 'needs a key and a certificate' });
    problems.push(...routingProblems(config.routing, 'routing'));
    if (problems.length > 0) throw new ConfigError(problems);
    this.allowed = allowed;
    const mapContext: Hl7MapContext = {
      connectionId: config.connectionId,
      facilityTimeZone: config.facilityTimeZone,
      ...(config.identifierSystems === undefined ? {} : { identifierSystems: config.identifierSystems }),
      ...(config.previousStartField === undefined ? {} : { previousStartField: config.previousStartField }),
      ...(config.zonelessTimes === undefined ? {} : { zonelessTimes: config.zonelessTimes }),
    };
    this.decoder =
      (config.decodeThreads ?? 0) > 0
        ? new Hl7DecodePool(config.decodeThreads ?? 0, {
            mapContext,
            ...(config.routing === undefined ? {} : { routing: config.routing }),
            ...(config.senders === undefined ? {} : { senders: config.senders }),
          })
        : undefined;
    this.intake = new Hl7Intake({
      connectionId: config.connectionId,
      journal: config.journal,
      mapContext,
      clock: config.clock ?? systemClock,
      ...(config.routing === undefined ? {} : { routing: config.routing }),
      ...(config.senders === undefined ? {} : { senders: config.senders }),
      ...(config.logger === undefined ? {} : { logger: config.logger }),
      ...(config.documents === undefined ? {} : { documents: config.documents }),
      ...(this.decoder === undefined ? {} : { decoder: this.decoder }),
    });
    const tls = config.tls;
    this.server =
      tls === undefined
        ? createServer((socket) => this.accept(socket))
        : createTlsServer(
            { ...tls, requestCert: tls.ca !== undefined, rejectUnauthorized: tls.ca !== undefined },
            (socket) => this.accept(socket),
          );
    if (tls !== undefined) {
      // Before the handshake: an address not allowed never gets to negotiate TLS.
      this.server.on('connection', (socket: Socket) => {
        if (!this.admits(socket)) socket.destroy();
      });
      this.server.on('tlsClientError', (err: NodeJS.ErrnoException) =>
        config.logger?.warn({ connectionId: config.connectionId, code: err.code ?? 'TLS' }, 'hl7 TLS handshake failed'),
      );
    }
  }

  /** Starts listening; resolves with the bound address (the real port when `port` was 0). */
  start(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.port, this.config.host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  stats(): MllpListenerStats {
    let bufferedBytes = 0;
    for (const c of this.connections) bufferedBytes += c.bufferedBytes;
    return { connections: this.connections.size, bufferedBytes, refusedConnections: this.refused };
  }

  /**
   * Stops accepting connections and data, lets every frame already received be stored and
   * acknowledged (up to `drainTimeoutMs`), then closes the sockets.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections].map((c) => c.drain(this.config.drainTimeoutMs ?? 10_000)));
    await closed;
    await this.decoder?.close();
  }

  /** Source allow-list and connection cap; a refusal is logged with the address, never content. */
  private admits(socket: Socket): boolean {
    const address = socket.remoteAddress ?? '';
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    let reason: string | undefined;
    if (this.allowed !== undefined && !this.allowed.check(address, family)) reason = 'source address not allowed';
    else if (this.connections.size >= (this.config.maxConnections ?? 16)) reason = 'too many connections';
    if (reason === undefined) return true;
    this.refused++;
    this.config.logger?.warn({ connectionId: this.config.connectionId, address, reason }, 'hl7 connection refused');
    return false;
  }

  private accept(socket: Socket): void {
    if (this.closing || (this.config.tls === undefined && !this.admits(socket))) {
      socket.destroy();
      return;
    }
    const worker = new ConnectionWorker(socket, this.config, this.intake);
    this.connections.add(worker);
    socket.once('close', () => this.connections.delete(worker));
  }
}

/** The allow-list as a BlockList (used as an allow list), or undefined when any source may connect. */
function parseSources(
  sources: readonly string[],
  problems: { path: string; message: string }[],
): BlockList | undefined {
  if (sources.length === 0) return undefined;
  const list = new BlockList();
  for (const s of sources) {
    const [address = '', prefix] = s.split('/');
    const v = isIP(address);
    const bits = prefix === undefined ? (v === 6 ? 128 : 32) : Number(prefix);
    if (v === 0 || !Number.isInteger(bits) || bits < 0 || bits > (v === 6 ? 128 : 32)) {
      problems.push({ path: 'allowedSources', message: `${s} is not an IP address or CIDR range` });
      continue;
    }
    const family = v === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(address, bits, family);
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    if (v === 4) list.addSubnet(`::ffff:${address}`, 96 + bits, 'ipv6');
  }
  return list;
}

/** One TCP connection: decodes frames and handles them strictly in order. */
class ConnectionWorker {
  private readonly decoder: MllpDecoder;
  private readonly maxBuffered: number;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private queuedBytes = 0;
  private paused = false;
  private draining = false;
  private partialTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly config: MllpListenerConfig,
    private readonly intake: Hl7Intake,
  ) {
    this.decoder = new MllpDecoder(config.maxMessageBytes);
    this.maxBuffered = config.maxBufferedBytes ?? 4 * config.maxMessageBytes;
    socket.setNoDelay(true);
    socket.setTimeout(config.idleTimeoutMs ?? 600_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => {
      // Idle: close once whatever is in flight has been acknowledged.
      void this.tail.then(() => socket.end());
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      config.logger?.warn({ connectionId: config.connectionId, code: err.code }, 'hl7 connection error');
    });
    socket.on('close', () => {
      if (this.decoder.partial) {
        // The sender never finished the frame, so it was never acked: it will resend.
        config.logger?.warn(
          { connectionId: config.connectionId },
          'hl7 connection closed mid-message; partial message discarded',
        );
      }
      this.release();
    });
  }

  /** Bytes this connection holds now. */
  get bufferedBytes(): number {
    return this.decoder.bufferedBytes + this.queuedBytes;
  }

  drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    const done = this.tail.then(() => {
      this.socket.end();
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, timeoutMs);
    });
    return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  }

  private release(): void {
    clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    this.decoder.reset();
  }

  private onData(chunk: Buffer): void {
    if (this.draining) return; // not acked: the sender resends to the next listener
    for (const result of this.decoder.push(chunk)) {
      const bytes = result.kind === 'frame' ? result.payload.length : 0;
      this.queued++;
      this.queuedBytes += bytes;
      this.tail = this.tail
        .then(() => this.handle(result))
        .finally(() => {
          this.queuedBytes -= bytes;
          this.dequeued();
        });
    }
    this.armPartialTimer();
    if ((this.queued >= pauseAt || this.bufferedBytes >= this.maxBuffered) && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  /** An unfinished frame with no new byte for `partialFrameTimeoutMs`: drop it and close. */
  private armPartialTimer(): void {
    clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    if (!this.decoder.partial) return;
    this.partialTimer = setTimeout(() => {
      this.config.logger?.warn(
        { connectionId: this.config.connectionId },
        'hl7 partial frame timed out; partial message discarded and connection closed',
      );
      this.decoder.reset();
      void this.tail.then(() => this.socket.destroy());
    }, this.config.partialFrameTimeoutMs ?? 30_000);
  }

  private dequeued(): void {
    this.queued--;
    if (this.paused && this.queued <= resumeAt && this.bufferedBytes < this.maxBuffered / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Never rejects: every frame end gets exactly one ACK frame (or a log line when the socket is gone). */
  private async handle(result: MllpDecodeResult): Promise<void> {
    if (result.kind === 'error') {
      // A framing error has no message to store; tell the sender, who may resend.
      this.config.logger?.warn({ connectionId: this.config.connectionId, reason: result.reason }, 'hl7 framing error');
      this.write(
        buildAck({
          code: 'AR',
          source: ackSourceFromRaw(''),
          ackControlId: newId(),
          now: (this.config.clock ?? systemClock).now(),
          reason: result.reason,
          errorCode: '100',
        }),
      );
      return;
    }
    if (result.notice !== undefined)
      this.config.logger?.warn({ connectionId: this.config.connectionId, reason: result.notice }, 'hl7 framing notice');
    this.write(await this.intake.frame(result.payload));
  }

  private write(ack: string): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    this.socket.write(frameMllp(ack));
  }
}
