/**
 * @module The HL7 feed over MLLP, with Medplum's Hl7Client. Each message waits for the peer's ACK
 * so the feed keeps order; a rejected or missing ACK is an OperationalError (EHR_UNAVAILABLE).
 * Known limit: no retry or queue; the simulator step fails and the caller decides.
 */
import { OperationalError } from '@steward/core';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import type { Hl7Feed } from './ports.js';

export interface MllpFeed extends Hl7Feed {
  close(): Promise<void>;
}

export function mllpFeed(host: string, port: number, options: { readonly timeoutMs?: number } = {}): MllpFeed {
  const client = new Hl7Client({ host, port, keepAlive: true });
  return {
    async send(message: string): Promise<void> {
      let ack: Hl7Message;
      try {
        ack = await client.sendAndWait(Hl7Message.parse(message), { timeoutMs: options.timeoutMs ?? 10_000 });
      } catch (e) {
        throw new OperationalError('EHR_UNAVAILABLE', 'HL7 feed did not acknowledge a message', [], { cause: e });
      }
      const code = ack.getSegment('MSA')?.getField(1)?.toString();
      if (code !== 'AA' && code !== 'CA') throw new OperationalError('EHR_UNAVAILABLE', 'HL7 feed rejected a message');
    },
    close: () => client.close(),
  };
}
