/**
 * @module FHIR R4 DocumentReference → `DocumentFacts` and its patient. Minimum necessary: the
 * content itself (attachment data or URL), description and securityLabel details are not read;
 * only the first attachment's MIME type, so a workflow knows what it will fetch.
 */
import type { DocumentReference } from '@medplum/fhirtypes';
import type { DocumentFacts, PatientRef } from '@steward/core';
import { referenceTargets, toParticipant, toPatientRef } from './map-reference.js';
import {
  conceptLabel,
  objectsOf,
  opt,
  optArray,
  optObject,
  optString,
  readIdentifiers,
  reqString,
  elementsOf,
} from './read-elements.js';

export function mapDocumentReference(resource: DocumentReference): DocumentFacts {
  const r = elementsOf(resource);
  const path = 'DocumentReference';
  const firstContent = objectsOf(r, 'content', path)[0];
  const attachment = firstContent ? optObject(firstContent, 'attachment', `${path}.content[0]`) : undefined;
  // R5: context is 0..* Reference (encounter, appointment); R4: an object with encounter and related.
  const r5Context = Array.isArray(r['context']) ? referenceTargets(r['context'] as unknown[], `${path}.context`) : [];
  const context = r5Context.length > 0 || Array.isArray(r['context']) ? undefined : optObject(r, 'context', path);
  const author = optArray(r, 'author', path)
    .map((a, i) => toParticipant(a, `${path}.author[${i}]`))
    .find((a) => a !== undefined);
  const related = context
    ? [
        ...referenceTargets(optArray(context, 'encounter', `${path}.context`), `${path}.context.encounter`),
        ...referenceTargets(optArray(context, 'related', `${path}.context`), `${path}.context.related`),
      ]
    : r5Context;
  return {
    kind: 'Document',
    ...opt('ehrId', optString(r, 'id', path)),
    identifiers: readIdentifiers(r, 'identifier', path),
    status: reqString(r, 'status', path),
    ...opt('type', conceptLabel(optObject(r, 'type', path), `${path}.type`)),
    ...opt('date', optString(r, 'date', path)),
    ...opt(
      'contentType',
      attachment ? optString(attachment, 'contentType', `${path}.content[0].attachment`) : undefined,
    ),
    ...opt('author', author),
    related,
  };
}

export function documentReferencePatient(resource: DocumentReference): PatientRef {
  return toPatientRef(elementsOf(resource)['subject'], 'DocumentReference.subject');
}
