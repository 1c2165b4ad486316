/**
 * @module Retention for the EHR journal: deletes expired events and the inbound messages left
 * without events. Kept, whatever their age: events a legal hold's patient is keyed by (the blind
 * index of any identifier or EHR id the hold names), events the workflow router has not read yet
 * (`routedThrough`), the messages of kept events, and — while any patient hold is active — dead
 * letters, whose patient cannot be told without opening them. Audit entries naming purged rows
 * stay: the entries are the record that the rows existed.
 */
import { identifierKey } from '@steward/core';
import type { Sql } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { HeldPatient, PurgeCount, PurgeRequest, RetentionPurger } from '../retention/index.js';

export interface EhrRetentionOptions {
  /**
   * How far the workflow router has read each connection's journal, as seq: later events are
   * kept, so a purge never takes an event before the workflows saw it. Undefined when nothing
   * routes events (every expired event may go).
   */
  readonly routedThrough?: (tx: Sql) => Promise<ReadonlyMap<string, number>>;
}

export class EhrJournalRetention implements RetentionPurger {
  readonly kind = 'ehr-messages' as const;

  constructor(
    private readonly cipher: FieldCipher,
    private readonly options: EhrRetentionOptions = {},
  ) {}

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const heldKeys = request.held.flatMap((p) => this.keysOf(p));
    const routed = this.options.routedThrough !== undefined ? await this.options.routedThrough(tx) : undefined;
    const connections = routed === undefined ? [] : [...routed.keys()];
    const seqs = routed === undefined ? [] : connections.map((c) => routed.get(c) ?? 0);
    // $3: whether the router's marks apply; an event of a connection with no mark was never routed.
    const expired = `recorded_at < $1::timestamptz
        and ($3::boolean = false or seq <= coalesce(
          (select r.seq from unnest($4::uuid[], $5::int8[]) as r(connection_id, seq) where r.connection_id = e.connection_id), 0))`;
    const params = [request.before, heldKeys, routed !== undefined, connections, seqs];
    const { rows: events } = await tx.query<{ id: string }>(
      `delete from ehr_events where id in (
         select id from ehr_events e
          where ${expired} and (patient_key is null or not (patient_key = any($2::bytea[])))
          order by seq limit $6)
       returning id`,
      [...params, request.limit],
    );
    const { rows: keptRows } = await tx.query<{ n: string | number }>(
      `select count(*) as n from ehr_events e where ${expired} and patient_key = any($2::bytea[])`,
      params,
    );
    const { rows: messages } = await tx.query<{ id: string }>(
      `delete from ehr_inbound where id in (
         select id from ehr_inbound i
          where received_at < $1::timestamptz
            and ($2::boolean = false or status <> 'dead-letter')
            and not exists (select 1 from ehr_events e where e.inbound_id = i.id)
          order by received_at limit $3)
       returning id`,
      [request.before, heldKeys.length > 0, request.limit],
    );
    return {
      deleted: events.length + messages.length,
      kept: Number(keptRows[0]?.n ?? 0),
      more: events.length >= request.limit || messages.length >= request.limit,
    };
  }

  /** The journal's patient keys a hold can match: each identifier, and the EHR id. */
  private keysOf(p: HeldPatient): Buffer[] {
    const keys = (p.identifiers ?? []).map((i) => this.cipher.blindIndex('ehr_events.patient', identifierKey(i)));
    if (p.ehrId !== undefined) keys.push(this.cipher.blindIndex('ehr_events.patient', `ehr-id|${p.ehrId}`));
    return keys;
  }
}
