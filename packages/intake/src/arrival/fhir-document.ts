/**
 * @module A document from the EHR as FHIR: a DocumentReference whose first content attachment holds
 * the bytes (`attachment.data`, base64), or a Binary (`contentType`, `data`). An attachment only by
 * `url` is refused with that reason: intake does not fetch from the EHR here (the EHR adapter does).
 */
import { ValidationError } from '@steward/core';
import { checkArrivingFile, decodeBase64, type ArrivingFile } from './arrival-file.js';

export function fhirDocument(resource: unknown): ArrivingFile {
  if (resource === null || typeof resource !== 'object')
    throw new ValidationError('not a FHIR resource', [{ path: 'resource', message: 'a DocumentReference or Binary' }]);
  const r = resource as Record<string, unknown>;
  const id = typeof r['id'] === 'string' ? r['id'] : undefined;
  if (r['resourceType'] === 'Binary') {
    if (typeof r['data'] !== 'string')
      throw new ValidationError('the Binary has no data', [{ path: 'data', message: 'base64 content' }]);
    const type = typeof r['contentType'] === 'string' ? r['contentType'] : undefined;
    return checkArrivingFile(decodeBase64(r['data'], 'data'), type, id !== undefined ? `Binary/${id}` : 'Binary');
  }
  if (r['resourceType'] !== 'DocumentReference')
    throw new ValidationError('not a document', [
      { path: 'resourceType', message: `DocumentReference or Binary; got ${String(r['resourceType'])}` },
    ]);
  const content = Array.isArray(r['content']) ? (r['content'] as unknown[]) : [];
  const attachment = (content[0] as { attachment?: Record<string, unknown> } | undefined)?.attachment;
  if (attachment === undefined)
    throw new ValidationError('the DocumentReference has no content', [
      { path: 'content/0/attachment', message: 'an attachment with data' },
    ]);
  if (typeof attachment['data'] !== 'string')
    throw new ValidationError('the attachment has no data', [
      {
        path: 'content/0/attachment/data',
        message:
          typeof attachment['url'] === 'string' ? 'data inline: attachments by url are not fetched' : 'base64 content',
      },
    ]);
  const type = typeof attachment['contentType'] === 'string' ? attachment['contentType'] : undefined;
  return checkArrivingFile(
    decodeBase64(attachment['data'], 'content/0/attachment/data'),
    type,
    id !== undefined ? `DocumentReference/${id}` : 'DocumentReference',
  );
}
