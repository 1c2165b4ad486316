/**
 * @module Dispatches a parsed HL7 v2 message to the mapper for its type. Supported: ADT^A01/A03/
 * A04/A08/A40, SIU^S12/S13/S14/S15/S26, REF^I12/I13/I14, MDM^T02, ORM^O01, ORU^R01. Anything else
 * throws `HL7_INVALID` "unsupported message type X", which the listener dead-letters (AR).
 */
import type { EhrEventInput } from '@steward/core';
import type { ParsedHl7 } from './parse.js';
import { invalid, type Hl7MapContext } from './map-common.js';
import { mapAdt } from './map-adt.js';
import { mapSiu } from './map-siu.js';
import { mapRef } from './map-ref.js';
import { mapMdm } from './map-mdm.js';
import { mapOrders } from './map-orders.js';

export function mapHl7(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
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
