/**
 * @module MLLP framing (`0x0B` message `0x1C 0x0D`) with a streaming decoder: frames split across
 * chunks, several frames in one chunk, a maximum message size, and bytes outside a frame reported
 * with a clear error (the decoder then skips to the next start byte, so one bad sender byte does
 * not lose the following messages).
 *
 * Written here rather than using `@medplum/hl7`'s `Hl7Connection` because that one only sees a
 * frame's end when a chunk ends with `0x1C 0x0D` (several frames in a chunk are merged), has no
 * size limit, sends a commit ACK before the application has stored anything, and dispatches
 * messages without waiting for the previous one, so it cannot keep order or ack only after store.
 */

export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

/** Wraps a message for the wire. */
export function frameMllp(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}

export type MllpDecodeResult =
  | {
      readonly kind: 'frame';
      readonly payload: Buffer;
      /** Set when a start byte was found inside the frame: what was done about it (for a log line, no ACK). */
      readonly notice?: string;
    }
  | { readonly kind: 'error'; readonly reason: string };

/**
 * Feed chunks in, get complete frames and framing errors out, in stream order. Keeps at most
 * `maxMessageBytes` of one message buffered; a longer message is reported once and skipped up to
 * its end.
 */
export class MllpDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private oversized = false;
  private garbage = false;
  /** A start byte (VT) was seen inside the current frame; resolved when the frame ends. */
  private strayStart = false;
  /** The sender restarted inside this frame (a VT followed by a header); the first try was dropped. */
  private restarted = false;
  /** The last byte of a chunk was FS: the frame ends if the next chunk starts with CR. */
  private pendingFs = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** True while part of a message has been received but not its end. */
  get partial(): boolean {
    return this.inFrame;
  }

  /** Bytes of the unfinished message held in memory. */
  get bufferedBytes(): number {
    return this.size;
  }

  /** Drops the unfinished message (its sender never got an ACK for it, so it resends). */
  reset(): void {
    this.parts = [];
    this.size = 0;
    this.inFrame = false;
    this.oversized = false;
    this.strayStart = false;
    this.restarted = false;
    this.pendingFs = false;
  }

  push(chunk: Buffer): MllpDecodeResult[] {
    const out: MllpDecodeResult[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(VT, i);
        const end = start === -1 ? chunk.length : start;
        if (hasNonWhitespace(chunk, i, end)) this.garbage = true;
        if (start === -1) break;
        if (this.garbage) {
          out.push({ kind: 'error', reason: 'bytes outside an MLLP frame were skipped' });
          this.garbage = false;
        }
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      if (this.pendingFs) {
        this.pendingFs = false;
        if (chunk[i] === CR) {
          this.finish(out);
          i += 1;
          continue;
        }
        this.append(Buffer.from([FS]));
      }
      const fs = chunk.indexOf(FS, i);
      if (fs === -1) {
        this.append(chunk.subarray(i));
        break;
      }
      if (fs === chunk.length - 1) {
        this.append(chunk.subarray(i, fs));
        this.pendingFs = true;
        break;
      }
      if (chunk[fs + 1] === CR) {
        this.append(chunk.subarray(i, fs));
        this.finish(out);
        i = fs + 2;
      } else {
        // A lone FS inside a message: keep it as data (it is not a valid end block).
        this.append(chunk.subarray(i, fs + 1));
        i = fs + 1;
      }
    }
    return out;
  }

  private append(data: Buffer): void {
    if (data.length === 0) return;
    if (data.includes(VT)) {
      const last = data.lastIndexOf(VT);
      if (startsWithHeader(data.subarray(last + 1))) {
        // A restart seen whole in this chunk: drop the first try now, so it does not count
        // against the size limit of the message that follows.
        this.parts = [];
        this.size = 0;
        this.oversized = false;
        this.strayStart = false;
        this.restarted = true;
        data = data.subarray(last + 1);
      } else {
        // Otherwise keep it for now and resolve it when the frame ends (`finish`).
        this.strayStart = true;
      }
    }
    if (this.oversized) return;
    if (this.size + data.length > this.maxMessageBytes) {
      this.oversized = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(data);
    this.size += data.length;
  }

  /**
   * One frame end gives exactly one result, so the sender gets exactly one ACK. A start byte found
   * inside the frame is either a restart (the sender began again without ending the first try:
   * what follows the last VT is a whole message, starting with a header, and is the one
   * acknowledged; the unfinished first try was never acknowledged, so nothing is lost) or a stray
   * byte inside the message (removed; the message is processed as sent).
   */
  private finish(out: MllpDecodeResult[]): void {
    if (this.oversized) out.push({ kind: 'error', reason: `message exceeds the ${this.maxMessageBytes}-byte limit` });
    else {
      let payload = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
      const restartNotice = 'a frame restarted before the previous one ended; the unfinished first part was discarded';
      let notice: string | undefined = this.restarted ? restartNotice : undefined;
      if (this.strayStart) {
        const tail = payload.subarray(payload.lastIndexOf(VT) + 1);
        if (startsWithHeader(tail)) {
          payload = tail;
          notice = restartNotice;
        } else {
          payload = Buffer.from(payload.filter((b) => b !== VT));
          notice = 'a stray start byte inside a frame was removed';
        }
      }
      out.push({ kind: 'frame', payload, ...(notice === undefined ? {} : { notice }) });
    }
    this.parts = [];
    this.size = 0;
    this.inFrame = false;
    this.oversized = false;
    this.strayStart = false;
    this.restarted = false;
  }
}

/** MSH, FHS or BHS, after an optional UTF-8 byte-order mark. */
function startsWithHeader(buf: Buffer): boolean {
  const at = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const name = buf.subarray(at, at + 3).toString('latin1');
  return name === 'MSH' || name === 'FHS' || name === 'BHS';
}

function hasNonWhitespace(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) return true;
  }
  return false;
}
