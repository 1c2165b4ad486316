/**
 * @module A small MLLP sender for tests, the sandbox feed and the benchmark: send a message and
 * await the ACK whose MSA-2 matches its MSH-10, with a timeout. Several sends may be outstanding
 * on one connection (pipelining); ACKs are matched by MSA-2, and an ACK with an empty MSA-2 (the
 * listener could not read MSH-10) goes to the oldest send without a readable MSH-10.
 */
import { connect, type Socket } from 'node:net';
import { Hl7Message } from '@medplum/core';
import { OperationalError } from '@steward/core';
import { ackSourceFromRaw } from './ack.js';
import { frameMllp, MllpDecoder } from './mllp.js';
import { rawField, value } from './parse.js';

export interface Hl7Ack {
  /** MSA-1: AA, AE, AR (or CA/CE/CR from other systems). */
  readonly code: string;
  /** MSA-2: the MSH-10 of the message acknowledged. */
  readonly controlId: string;
  /** MSA-3, when given. */
  readonly text: string;
  /** MSH-9 of the ACK, e.g. `ACK^S12^ACK`. */
  readonly messageType: string;
  readonly raw: string;
}

export interface MllpClientOptions {
  readonly host: string;
  readonly port: number;
  /** Default wait for each ACK (default 10 s). */
  readonly timeoutMs?: number;
  readonly maxMessageBytes?: number;
}

interface Pending {
  resolve(ack: Hl7Ack): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class MllpClient {
  private readonly pending = new Map<string, Pending[]>();
  private readonly decoder: MllpDecoder;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
    maxMessageBytes: number,
  ) {
    this.decoder = new MllpDecoder(maxMessageBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const r of this.decoder.push(chunk)) if (r.kind === 'frame') this.onAck(r.payload.toString('utf8'));
    });
    socket.on('error', (err) =>
      this.failAll(new OperationalError('EHR_UNAVAILABLE', `MLLP connection failed: ${err.message}`)),
    );
    socket.on('close', () =>
      this.failAll(new OperationalError('EHR_UNAVAILABLE', 'MLLP connection closed before the ACK arrived')),
    );
  }

  static connect(options: MllpClientOptions): Promise<MllpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new MllpClient(socket, options.timeoutMs ?? 10_000, options.maxMessageBytes ?? 1_048_576));
      });
    });
  }

  /** Sends one message and resolves with its ACK. Rejects on timeout or disconnect. */
  send(message: string, timeoutMs = this.timeoutMs): Promise<Hl7Ack> {
    return this.sendBytes(frameMllp(message), ackSourceFromRaw(message).controlId, timeoutMs);
  }

  /** Writes raw bytes (for tests of framing) and waits for the ACK matching `controlId`. */
  sendBytes(bytes: Buffer, controlId: string, timeoutMs = this.timeoutMs): Promise<Hl7Ack> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    return new Promise<Hl7Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.remove(controlId, entry);
        reject(new OperationalError('EHR_UNAVAILABLE', `no ACK within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Pending = { resolve, reject, timer };
      const list = this.pending.get(controlId);
      if (list === undefined) this.pending.set(controlId, [entry]);
      else list.push(entry);
      this.socket.write(bytes);
    });
  }

  /** Writes bytes without waiting for anything (to test partial frames and garbage). */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private onAck(raw: string): void {
    let ack: Hl7Ack;
    try {
      // Lenient on purpose: an ACK only needs a readable MSH and MSA, whatever its version says.
      const message = Hl7Message.parse(
        raw
          .split(/\r\n|\r|\n/)
          .filter((l) => l !== '')
          .join('\r'),
      );
      const msa = message.getSegment('MSA');
      if (!raw.startsWith('MSH') || msa === undefined) return;
      ack = {
        code: value(msa, 1),
        controlId: value(msa, 2),
        text: value(msa, 3),
        messageType: rawField(message.header, 9),
        raw,
      };
    } catch {
      return; // not an ACK we can read: the send times out
    }
    const list = this.pending.get(ack.controlId);
    const entry = list?.shift();
    if (list !== undefined && list.length === 0) this.pending.delete(ack.controlId);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    entry.resolve(ack);
  }

  private remove(controlId: string, entry: Pending): void {
    const list = this.pending.get(controlId);
    if (list === undefined) return;
    const i = list.indexOf(entry);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) this.pending.delete(controlId);
  }

  private failAll(err: Error): void {
    this.closedError ??= err;
    for (const list of this.pending.values()) {
      for (const entry of list) {
        clearTimeout(entry.timer);
        entry.reject(err);
      }
    }
    this.pending.clear();
  }
}
