/**
 * @module MDM^T02 (original document notification and content) → `document.received`, from TXA only.
 * Minimum necessary: the OBX note text is never read. Type TXA-2, content presentation TXA-3,
 * date TXA-4 (activity) else TXA-6 (origination), author TXA-5 else TXA-9, identifier TXA-12
 * (unique document number), related TXA-14 placer order numbers. Status from TXA-17 (completion
 * status, HL7 table 0271) as a FHIR DocumentReference.docStatus: AU/LA authenticated → final,
 * DI/DO/IP/IN/PA → preliminary, otherwise `unknown`. `occurredAt` is EVN-2, else MSH-7.
 */
import type { DocumentFacts, EhrEventInput } from '@steward/core';
import { component, repetitions, value, type ParsedHl7 } from './parse.js';
import {
  eiIdentifier,
  envelope,
  eventTime,
  identifierToken,
  invalid,
  patientFrom,
  timeOf,
  withOptional,
  xcnParticipant,
  type Hl7MapContext,
} from './map-common.js';

const docStatus: Readonly<Record<string, string>> = {
  AU: 'final',
  LA: 'final',
  DI: 'preliminary',
  DO: 'preliminary',
  IP: 'preliminary',
  IN: 'preliminary',
  PA: 'preliminary',
};

export const mdmTriggers = ['T02'] as const;

export function mapMdm(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  if (parsed.trigger !== 'T02') throw invalid(`unsupported message type ${parsed.type}`);
  const { message } = parsed;
  const txa = message.getSegment('TXA');
  if (txa === undefined) throw invalid('TXA segment is missing');
  const patient = patientFrom(ctx, message.getSegment('PID'));
  const id = eiIdentifier(ctx, txa, 12, 'document');
  const related: string[] = [];
  for (let rep = 0; rep < repetitions(txa, 14); rep++) {
    const order = eiIdentifier(ctx, txa, 14, 'placer-order', rep);
    if (order !== undefined) related.push(identifierToken(order));
  }
  const facts = withOptional<DocumentFacts>(
    {
      kind: 'Document',
      identifiers: id === undefined ? [] : [id],
      status: docStatus[value(txa, 17).trim().toUpperCase()] ?? 'unknown',
      related,
    },
    {
      type: component(txa, 2, 2).trim() || component(txa, 2, 1).trim(),
      date: timeOf(ctx, txa, 4, 'TXA-4') ?? timeOf(ctx, txa, 6, 'TXA-6'),
      contentType: value(txa, 3).trim(),
      author: xcnParticipant(ctx, txa, 5) ?? xcnParticipant(ctx, txa, 9),
    },
  );
  return [envelope(ctx, parsed, 0, 'document.received', eventTime(ctx, parsed), patient, facts)];
}
