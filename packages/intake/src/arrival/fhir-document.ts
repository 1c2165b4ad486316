/**
 * @module A document from the EHR as FHIR: a DocumentReference whose first content attachment holds
 * the bytes (`attachment.data`, base64) or points at a Binary on the EHR (`attachment.url`, as EHRs
 * mostly send it), or a Binary itself (`contentType`, `data`). Intake does not fetch: an attachment
 * by url comes back as the Binary to read, and the caller reads it through the governed EHR reader
 * (the server's route), then hands the Binary to `binaryFile`.
 */
import { ValidationError } from '@steward/core';
import { checkArrivingFile, decodeBase64, type ArrivingFile } from './arrival-file.js';

/** What a FHIR document arrival holds: the file itself, or the EHR Binary its attachment points at. */
export type FhirDocumentSource =
  | { readonly kind: 'inline'; readonly file: ArrivingFile }
  | {
      readonly kind: 'binary';
      /** The Binary's id on the EHR. */
      readonly binaryId: string;
      /** The attachment's content type, used when the Binary does not say. */
      readonly contentType?: string;
      /** Where the file came from, for the arrival row: `DocumentReference/<id>`. */
      readonly reference: string;
    };

/** A DocumentReference or Binary with its content inline; an attachment only by url is refused naming why. */
export function fhirDocument(resource: unknown): ArrivingFile {
  const source = fhirDocumentSource(resource);
  if (source.kind === 'inline') return source.file;
  throw new ValidationError('the attachment is by url: name the EHR connection to read it from', [
    { path: 'connection', message: `the EHR connection that holds Binary/${source.binaryId}` },
  ]);
}

export function fhirDocumentSource(resource: unknown): FhirDocumentSource {
  if (resource === null || typeof resource !== 'object')
    throw new ValidationError('not a FHIR resource', [{ path: 'resource', message: 'a DocumentReference or Binary' }]);
  const r = resource as Record<string, unknown>;
  const id = typeof r['id'] === 'string' ? r['id'] : undefined;
  if (r['resourceType'] === 'Binary') return { kind: 'inline', file: binaryFile(r) };
  if (r['resourceType'] !== 'DocumentReference')
    throw new ValidationError('not a document', [
      { path: 'resourceType', message: `DocumentReference or Binary; got ${String(r['resourceType'])}` },
    ]);
  const content = Array.isArray(r['content']) ? (r['content'] as unknown[]) : [];
  const attachment = (content[0] as { attachment?: Record<string, unknown> } | undefined)?.attachment;
  if (attachment === undefined)
    throw new ValidationError('the DocumentReference has no content', [
      { path: 'content/0/attachment', message: 'an attachment with data or a url' },
    ]);
  const type = typeof attachment['contentType'] === 'string' ? attachment['contentType'] : undefined;
  const reference = id !== undefined ? `DocumentReference/${id}` : 'DocumentReference';
  if (typeof attachment['data'] === 'string')
    return {
      kind: 'inline',
      file: checkArrivingFile(decodeBase64(attachment['data'], 'content/0/attachment/data'), type, reference),
    };
  if (typeof attachment['url'] === 'string') {
    const binaryId = binaryIdOf(attachment['url']);
    if (binaryId === undefined)
      throw new ValidationError('the attachment url is not a Binary on the EHR', [
        { path: 'content/0/attachment/url', message: 'Binary/<id>, relative or under the EHR base' },
      ]);
    return { kind: 'binary', binaryId, ...(type !== undefined ? { contentType: type } : {}), reference };
  }
  throw new ValidationError('the attachment has no data', [
    { path: 'content/0/attachment/data', message: 'base64 content, or a url to a Binary' },
  ]);
}

/**
 * A Binary's bytes as an arriving file: its `contentType`, else the attachment's; named by the
 * DocumentReference that pointed at it when there was one.
 */
export function binaryFile(
  binary: Readonly<Record<string, unknown>>,
  from: { readonly contentType?: string; readonly reference?: string } = {},
): ArrivingFile {
  if (typeof binary['data'] !== 'string')
    throw new ValidationError('the Binary has no data', [{ path: 'data', message: 'base64 content' }]);
  const id = typeof binary['id'] === 'string' ? binary['id'] : undefined;
  const type = typeof binary['contentType'] === 'string' ? binary['contentType'] : from.contentType;
  const reference = from.reference ?? (id !== undefined ? `Binary/${id}` : 'Binary');
  return checkArrivingFile(decodeBase64(binary['data'], 'data'), type, reference);
}

// `Binary/123`, `https://ehr.example/fhir/R4/Binary/123`, `…/Binary/123/_history/2`: the id, which
// FHIR limits to [A-Za-z0-9-.]{1,64}. Anything else (another type, another path) is not fetched.
function binaryIdOf(url: string): string | undefined {
  const m = /(?:^|\/)Binary\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(
    url.split(/[?#]/)[0] ?? '',
  );
  return m?.[1];
}
