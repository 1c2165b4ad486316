/**
 * @module An MLLP listener for one HL7 v2 connection (one interface at one site), in enhanced mode
 * in the sense that matters: the ACK is written only after the journal has durably stored the
 * message (AA), stored it on the dead-letter list (AR), or failed (AE: nothing stored, the sender
 * must resend).
 *
 * Ordering: the frames of one TCP connection are handled strictly one after another — the next
 * waits until the previous is stored and acknowledged — so a sender that keeps one patient's
 * messages on one connection (as HL7 interface engines do) keeps them in order. There is no
 * ordering across connections. Backpressure: the socket is paused when too many frames wait.
 *
 * Dedup keys: a stored message's key is its MSH-10 (a resend is `duplicate` → AA, no second
 * event); a dead-lettered message's key is `dead:<sha256 of the bytes>`, so a corrected message
 * resent with the same MSH-10 is not mistaken for the rejected one.
 *
 * Limits: frames are decoded as UTF-8 (MSH-18 is not honoured); TLS is not terminated here (put
 * the listener behind a TLS proxy or VPN, as MLLP deployments usually are).
 */
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { IANAZone } from 'luxon';
import {
  ConfigError,
  isStewardError,
  newId,
  systemClock,
  type Clock,
  type EhrEventInput,
  type InboundJournal,
  type InboundMessage,
} from '@steward/core';
import { ackSourceFromHeader, ackSourceFromRaw, buildAck, type AckCode, type AckSource } from './ack.js';
import { mapHl7 } from './map.js';
import type { Hl7MapContext } from './map-common.js';
import { frameMllp, MllpDecoder, type MllpDecodeResult } from './mllp.js';
import { parseHl7, type ParsedHl7 } from './parse.js';

/** What the listener logs: operational facts only (connection, type, reason), never message content. */
export interface Hl7Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface MllpListenerConfig {
  readonly connectionId: string;
  /** IANA zone for zone-less HL7 times. */
  readonly facilityTimeZone: string;
  readonly journal: InboundJournal;
  readonly host: string;
  /** 0 for an ephemeral port (tests). */
  readonly port: number;
  /** Largest message accepted; a larger one is rejected (AR) and skipped. */
  readonly maxMessageBytes: number;
  /** Close a connection idle this long (default 10 minutes). */
  readonly idleTimeoutMs?: number;
  /** On close(), how long in-flight work may take before sockets are destroyed (default 10 s). */
  readonly drainTimeoutMs?: number;
  readonly identifierSystems?: Readonly<Record<string, string>>;
  readonly previousStartField?: string;
  /** Zone-less times: read in the facility zone and flagged (default), or refused. */
  readonly zonelessTimes?: 'infer' | 'refuse';
  readonly clock?: Clock;
  readonly logger?: Hl7Logger;
}

/** Frames waiting on a connection before its socket is paused, and the level to resume at. */
const pauseAt = 256;
const resumeAt = 32;

export class MllpListener {
  private readonly server: Server;
  private readonly connections = new Set<ConnectionWorker>();
  private readonly mapContext: Hl7MapContext;
  private readonly clock: Clock;
  private closing = false;

  constructor(private readonly config: MllpListenerConfig) {
    const problems: { path: string; message: string }[] = [];
    if (config.connectionId.trim() === '') problems.push({ path: 'connectionId', message: 'must not be empty' });
    if (!IANAZone.isValidZone(config.facilityTimeZone))
      problems.push({ path: 'facilityTimeZone', message: 'must be an IANA time zone' });
    if (!Number.isInteger(config.maxMessageBytes) || config.maxMessageBytes < 64)
      problems.push({ path: 'maxMessageBytes', message: 'must be an integer of at least 64' });
    if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
      problems.push({ path: 'port', message: 'must be a TCP port' });
    if (problems.length > 0) throw new ConfigError(problems);
    this.clock = config.clock ?? systemClock;
    this.mapContext = {
      connectionId: config.connectionId,
      facilityTimeZone: config.facilityTimeZone,
      ...(config.identifierSystems === undefined ? {} : { identifierSystems: config.identifierSystems }),
      ...(config.previousStartField === undefined ? {} : { previousStartField: config.previousStartField }),
      ...(config.zonelessTimes === undefined ? {} : { zonelessTimes: config.zonelessTimes }),
    };
    this.server = createServer((socket) => this.accept(socket));
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

  /**
   * Stops accepting connections and data, lets every frame already received be stored and
   * acknowledged (up to `drainTimeoutMs`), then closes the sockets.
   */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all([...this.connections].map((c) => c.drain(this.config.drainTimeoutMs ?? 10_000)));
    await closed;
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const worker = new ConnectionWorker(socket, this.config, this.mapContext, this.clock);
    this.connections.add(worker);
    socket.once('close', () => this.connections.delete(worker));
  }
}

/** One TCP connection: decodes frames and handles them strictly in order. */
class ConnectionWorker {
  private readonly decoder: MllpDecoder;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private paused = false;
  private draining = false;

  constructor(
    private readonly socket: Socket,
    private readonly config: MllpListenerConfig,
    private readonly ctx: Hl7MapContext,
    private readonly clock: Clock,
  ) {
    this.decoder = new MllpDecoder(config.maxMessageBytes);
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
    });
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

  private onData(chunk: Buffer): void {
    if (this.draining) return; // not acked: the sender resends to the next listener
    for (const result of this.decoder.push(chunk)) {
      this.queued++;
      this.tail = this.tail.then(() => this.handle(result)).finally(() => this.dequeued());
    }
    if (this.queued >= pauseAt && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private dequeued(): void {
    this.queued--;
    if (this.paused && this.queued <= resumeAt) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Never rejects: every outcome becomes an ACK (or a log line when the socket is gone). */
  private async handle(result: MllpDecodeResult): Promise<void> {
    const receivedAt = this.clock.now();
    if (result.kind === 'error') {
      // A framing error has no message to store; tell the sender, who may resend.
      this.config.logger?.warn({ connectionId: this.config.connectionId, reason: result.reason }, 'hl7 framing error');
      this.reply('AR', ackSourceFromRaw(''), result.reason, '100');
      return;
    }
    const raw = result.payload.toString('utf8');
    let parsed: ParsedHl7 | undefined;
    let source: AckSource;
    let events: EhrEventInput[] = [];
    let rejection: string | undefined;
    try {
      parsed = parseHl7(raw);
      source = ackSourceFromHeader(parsed.message.header);
      events = mapHl7(parsed, this.ctx);
    } catch (err) {
      source = parsed === undefined ? ackSourceFromRaw(raw) : ackSourceFromHeader(parsed.message.header);
      // A UserError names the field; anything else is a bug in a mapper, kept visible, not thrown.
      rejection =
        isStewardError(err) && err.category === 'user'
          ? err.message
          : 'the message could not be mapped (internal error)';
    }

    const message: InboundMessage = {
      connectionId: this.config.connectionId,
      channel: 'hl7v2',
      messageKey:
        rejection === undefined && parsed !== undefined
          ? parsed.controlId
          : `dead:${createHash('sha256').update(result.payload).digest('hex')}`,
      raw,
      messageType: parsed?.type ?? 'unknown',
      receivedAt,
    };
    try {
      if (rejection !== undefined) {
        await this.config.journal.deadLetter(message, rejection);
        this.config.logger?.info(
          { connectionId: this.config.connectionId, messageType: message.messageType, reason: rejection },
          'hl7 message dead-lettered',
        );
        this.reply('AR', source, rejection, rejection.startsWith('unsupported message type') ? '200' : '102');
        return;
      }
      const outcome = await this.config.journal.receive(message, events);
      if (outcome.status === 'dead-letter')
        this.reply('AR', source, 'the message was put on the dead-letter list', '102');
      else this.reply('AA', source);
    } catch (err) {
      // Nothing was stored: AE tells the sender to resend later.
      this.config.logger?.warn(
        {
          connectionId: this.config.connectionId,
          messageType: message.messageType,
          code: isStewardError(err) ? err.code : 'UNEXPECTED',
        },
        'hl7 message could not be stored',
      );
      this.reply('AE', source, 'the message could not be stored; resend later', '207');
    }
  }

  private reply(code: AckCode, source: AckSource, reason?: string, errorCode?: string): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    const ack = buildAck({
      code,
      source,
      ackControlId: newId(),
      now: this.clock.now(),
      ...(reason === undefined ? {} : { reason }),
      ...(errorCode === undefined ? {} : { errorCode }),
    });
    this.socket.write(frameMllp(ack));
  }
}
