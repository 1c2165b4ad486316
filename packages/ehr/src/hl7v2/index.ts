/** @module HL7 v2 feeds: parse, map to Steward events, MLLP listener and client. */
export { parseHl7, unescapeHl7 } from './parse.js';
export type { ParsedHl7 } from './parse.js';
export { hl7TimeToIso, hl7InstantToIso } from './hl7-time.js';
export type { Hl7TimeOptions } from './hl7-time.js';
export { mapHl7 } from './map.js';
export type { Hl7MapContext } from './map-common.js';
export { buildAck, escapeHl7 } from './ack.js';
export type { AckCode, AckOptions, AckSource } from './ack.js';
export { frameMllp, MllpDecoder } from './mllp.js';
export type { MllpDecodeResult } from './mllp.js';
export { MllpListener } from './mllp-listener.js';
export { Hl7Intake } from './hl7-intake.js';
export type { Hl7Routing, Hl7SenderRules } from './hl7-intake.js';
export { splitBatch, buildBatchAck } from './batch.js';
export type { MllpListenerConfig, MllpListenerStats, Hl7Logger } from './mllp-listener.js';
export { MllpClient } from './mllp-client.js';
export type { Hl7Ack, MllpClientOptions } from './mllp-client.js';
