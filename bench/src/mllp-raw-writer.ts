/**
 * @module Bench-only: the raw SQL path `mllp-ingest` compares Steward against. An MLLP server
 * (same decoder, same senders) that files every frame as the same rows Steward writes — one
 * `ehr_inbound` row with the sealed message, its `ehr_events` rows (sealed, with a patient blind
 * index), one hash-chained `audit_log` row — into the same tables of a database of its own,
 * durably, and ACKs only after the commit. It is the best done by hand: whatever frames arrived
 * while the previous batch was in flight make the next batch, and a batch is ONE statement (a
 * multi-row insert per table in one `with`, its own implicit transaction): one round trip, with
 * the sealed values as one binary parameter per table (offsets and lengths beside them). Its
 * rows' payloads are sealed once per template (the same sizes as Steward's), so it spends almost
 * no CPU per message: no HL7 parse, no mapping, no policy, no cipher, no lock. The chain head is
 * kept in memory (the only writer of its database).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Database } from '@steward/store';
import { MllpDecoder, frameMllp } from '@steward/ehr';

/** What one message's rows hold, sealed once per template. */
export interface RawTemplate {
  readonly messageType: string;
  readonly rawSealed: Buffer;
  readonly events: readonly {
    readonly type: string;
    readonly sealed: Buffer;
    readonly patientKey: Buffer | undefined;
    readonly occurredAt: string;
  }[];
  /** The audit entry's JSON, with `@@ID@@` where the message's id goes (the same length as Steward's entry). */
  readonly entry: string;
}

/** Each value's offset and length in their concatenation (sent as one binary parameter). */
function offsets(values: readonly Buffer[]): [number[], number[]] {
  const at: number[] = [];
  let n = 0;
  for (const v of values) {
    at.push(n);
    n += v.length;
  }
  return [at, values.map((v) => v.length)];
}

interface Pending {
  readonly key: string;
  readonly template: RawTemplate;
  readonly ack: () => void;
}

export class RawIngestServer {
  private readonly server: Server;
  private queue: Pending[] = [];
  private running = false;
  private seq = 0;
  private hash: Buffer = Buffer.alloc(32);
  /** Messages per statement, to compare with Steward's batches. */
  batches = 0;
  messages = 0;

  private constructor(
    private readonly db: Database,
    private readonly connectionId: string,
    private readonly templateOf: (messageKey: string, messageType: string) => RawTemplate,
  ) {
    this.server = createServer((socket) => {
      socket.setNoDelay(true);
      const decoder = new MllpDecoder(1 << 20);
      socket.on('data', (chunk: Buffer) => {
        for (const r of decoder.push(chunk)) {
          if (r.kind !== 'frame') continue;
          const text = r.payload.toString('latin1');
          const sep = text[3] ?? '|';
          const end = text.indexOf('\r');
          const msh = (end === -1 ? text : text.slice(0, end)).split(sep);
          const id = msh[9] ?? '';
          this.enqueue({
            key: id,
            template: this.templateOf(id, msh[8] ?? ''),
            ack: () => {
              if (socket.writable)
                socket.write(frameMllp(`MSH|^~\\&|||||${Date.now()}||ACK|A${id}|P|2.5\rMSA|AA|${id}`));
            },
          });
        }
      });
      socket.on('error', () => undefined);
    });
  }

  /** Creates the connection row its rows refer to, and listens on loopback. */
  static async start(
    db: Database,
    templateOf: (messageKey: string, messageType: string) => RawTemplate,
  ): Promise<{ port: number; server: RawIngestServer; close(): Promise<void> }> {
    const connectionId = randomUUID();
    await db.query(
      `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
       values ($1, 'raw-bench', 'north', 'generic-r4', 'America/New_York', now(), now())`,
      [connectionId],
    );
    const s = new RawIngestServer(db, connectionId, templateOf);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return {
      port: (s.server.address() as AddressInfo).port,
      server: s,
      close: () => new Promise((resolve) => s.server.close(() => resolve())),
    };
  }

  private enqueue(p: Pending): void {
    this.queue.push(p);
    if (this.running) return;
    this.running = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.write(batch);
        for (const p of batch) p.ack();
      }
    } finally {
      this.running = false;
    }
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    const now = new Date().toISOString();
    const ib = {
      id: [] as string[],
      key: [] as string[],
      type: [] as string[],
      raw: [] as Buffer[],
      hash: [] as string[],
    };
    const ev = {
      id: [] as string[],
      inbound: [] as string[],
      type: [] as string[],
      dedup: [] as string[],
      patientKey: [] as (Buffer | null)[],
      occurredAt: [] as string[],
      data: [] as Buffer[],
    };
    const au = { seq: [] as number[], entry: [] as string[], prev: [] as Buffer[], hash: [] as Buffer[] };
    for (const p of batch) {
      const id = randomUUID();
      ib.id.push(id);
      ib.key.push(p.key);
      ib.type.push(p.template.messageType);
      ib.raw.push(p.template.rawSealed);
      ib.hash.push(createHash('sha256').update(p.key).digest('hex'));
      p.template.events.forEach((e, k) => {
        ev.id.push(randomUUID());
        ev.inbound.push(id);
        ev.type.push(e.type);
        ev.dedup.push(`${p.key}:${k}`);
        ev.patientKey.push(e.patientKey ?? null);
        ev.occurredAt.push(e.occurredAt);
        ev.data.push(e.sealed);
      });
      this.seq += 1;
      const entry = p.template.entry.replace('@@ID@@', id).replace('@@SEQ@@', String(this.seq));
      const prev = this.hash;
      this.hash = createHash('sha256').update(prev).update(entry).digest();
      au.seq.push(this.seq);
      au.entry.push(entry);
      au.prev.push(prev);
      au.hash.push(this.hash);
    }
    await this.db.query(
      `with ib as (
         insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, raw_enc, received_at, content_hash)
         select t.id, $1, 'hl7v2', t.key, t.type, 'stored', substr($6::bytea, t.at + 1, t.len), $2::timestamptz, t.hash
           from unnest($3::uuid[], $4::text[], $5::text[], $19::int4[], $20::int4[], $7::text[]) as t(id, key, type, at, len, hash)
         returning id
       ), ev as (
         insert into ehr_events (id, connection_id, inbound_id, type, dedup_key, patient_key, occurred_at, data_enc, recorded_at)
         select e.id, $1, e.inbound, e.type, e.dedup, e.pk, e.at::timestamptz, substr($14::bytea, e.off + 1, e.len),
                $2::timestamptz
           from unnest($8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::bytea[], $13::text[], $21::int4[], $22::int4[])
                with ordinality as e(id, inbound, type, dedup, pk, at, off, len, ord)
          order by e.ord
         returning 1
       ), au as (
         insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
         select a.seq, $2::timestamptz, 'raw-bench', 'C', 'ehr.received', 'success', '{}', a.entry, a.prev, a.hash
           from unnest($15::int8[], $16::text[], $17::bytea[], $18::bytea[]) as a(seq, entry, prev, hash)
         returning 1
       )
       select (select count(*) from ib) + (select count(*) from ev) + (select count(*) from au) as n`,
      [
        this.connectionId,
        now,
        ib.id,
        ib.key,
        ib.type,
        Buffer.concat(ib.raw),
        ib.hash,
        ev.id,
        ev.inbound,
        ev.type,
        ev.dedup,
        ev.patientKey,
        ev.occurredAt,
        Buffer.concat(ev.data),
        au.seq,
        au.entry,
        au.prev,
        au.hash,
        ...offsets(ib.raw),
        ...offsets(ev.data),
      ],
    );
    this.batches += 1;
    this.messages += batch.length;
  }
}
