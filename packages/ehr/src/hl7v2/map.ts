/**
 * @module Dispatches a parsed HL7 v2 message to the mapper for its type. Supported: ADT^A01/A03/
 * A04/A08 and the merges and identifier changes A34/A35/A36/A39/A40/A41/A46/A47/A49,
 * SIU^S12/S13/S14/S15/S26, REF^I12/I13/I14, MDM^T02, ORM^O01, ORU^R01. Anything else
 * throws `HL7_INVALID` "unsupported message type X", which the listener dead-letters (AR).
 */
import type { EhrEventInput } from '@steward/core';
import type { ParsedHl7 } from './parse.js';
import { flagsOf, invalid, newMapNotes, type Hl7MapContext } from './map-common.js';
import { mapAdt } from './map-adt.js';
import { mapSiu } from './map-siu.js';
import { mapRef } from './map-ref.js';
import { mapMdm } from './map-mdm.js';
import { mapOrders } from './map-orders.js';

/**
 * The message's events, each flagged with what mapping noticed (a zone-less time read in the
 * facility zone, a scheduling conflict): flags are per message, since one field can feed them all.
 */
export function mapHl7(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const noted: Hl7MapContext = { ...ctx, notes: newMapNotes() };
  const events = mapByType(parsed, noted);
  const flags = flagsOf(noted);
  return flags === undefined ? events : events.map((e) => ({ ...e, flags: [...(e.flags ?? []), ...flags] }));
}

function mapByType(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  switch (parsed.code) {
    case 'ADT':
      return mapAdt(parsed, ctx);
    case 'SIU':
      return mapSiu(parsed, ctx);
    case 'REF':
      return mapRef(parsed, ctx);
    case 'MDM':
      return mapMdm(parsed, ctx);
    case 'ORM':
    case 'ORU':
      return mapOrders(parsed, ctx);
    default:
      throw invalid(`unsupported message type ${parsed.type}`);
  }
}
