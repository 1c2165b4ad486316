/**
 * @module A document from the EHR as HL7 v2 MDM^T02 (original document notification and content):
 * the content is OBX-5 of value type ED (OBX-2), whose components are source application ^ type of
 * data ^ data subtype ^ encoding ^ data, with encoding `Base64` (HL7 table 0299; `A` ASCII is not a
 * scanned document and is refused). The document's number (TXA-12) or MSH-10 is its reference. A
 * message split over several OBX segments (the data continued) is joined in order.
 */
import { ValidationError } from '@steward/core';
import { parseHl7 } from '@steward/ehr';
import { checkArrivingFile, decodeBase64, type ArrivingFile } from './arrival-file.js';

const subtypes: Readonly<Record<string, string>> = {
  PDF: 'application/pdf',
  TIFF: 'image/tiff',
  TIF: 'image/tiff',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  JPG: 'image/jpeg',
};

export function mdmDocument(raw: string): ArrivingFile {
  const parsed = parseHl7(raw);
  if (parsed.code !== 'MDM' || (parsed.trigger !== 'T02' && parsed.trigger !== 'T04'))
    throw new ValidationError('not a document message', [
      { path: 'MSH-9', message: `MDM^T02 or MDM^T04 with the document in OBX-5; got ${parsed.type}` },
    ]);
  const { message } = parsed;
  const obx = message.getAllSegments('OBX');
  const ed = obx.filter((s) => s.getField(2)?.toString() === 'ED');
  if (ed.length === 0)
    throw new ValidationError('no document in the message', [
      { path: 'OBX-2', message: 'an OBX of value type ED carrying the document' },
    ]);
  const first = ed[0];
  const field = first?.getField(5);
  const encoding = field?.getComponent(4) ?? '';
  if (encoding.toLowerCase() !== 'base64')
    throw new ValidationError('unsupported document encoding', [
      { path: 'OBX-5.4', message: `Base64; got ${encoding === '' ? 'none' : encoding}` },
    ]);
  const subtype = (field?.getComponent(3) ?? '').toUpperCase();
  const data = ed.map((s) => s.getField(5)?.getComponent(5) ?? '').join('');
  const bytes = decodeBase64(data, 'OBX-5.5');
  const txa = message.getSegment('TXA');
  const reference = txa?.getField(12)?.getComponent(1) || parsed.controlId;
  return checkArrivingFile(bytes, subtypes[subtype], `MDM:${reference}`);
}
