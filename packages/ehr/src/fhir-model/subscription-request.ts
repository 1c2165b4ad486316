/**
 * @module Reads an R4 backport `Subscription` (topic in `criteria`, filters and payload content in
 * extensions) into what Steward needs to know about it: which topic, which filters, whether
 * notifications will carry full resources or ids only, and the heartbeat period. Channel headers
 * are never read back (they carry credentials).
 */
import { checkResource } from './parse-resource.js';
import { objectsOf, opt, optObject, optString, reqString, fhirInvalid, elementsOf } from './read-elements.js';

const backport = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

export interface BackportSubscription {
  readonly id?: string;
  readonly status: string;
  /** The SubscriptionTopic canonical URL. */
  readonly topic: string;
  readonly filters: readonly string[];
  readonly channelType: string;
  readonly endpoint?: string;
  readonly payloadContent: 'empty' | 'id-only' | 'full-resource';
  readonly heartbeatPeriodSeconds?: number;
  readonly end?: string;
}

export function readBackportSubscription(value: unknown): BackportSubscription {
  const s = elementsOf(checkResource(value, { expectedType: 'Subscription' }, 'Subscription'));
  const path = 'Subscription';
  const channel = optObject(s, 'channel', path);
  if (!channel) throw fhirInvalid(`${path}.channel`, 'is required');
  const criteriaExt = optObject(s, '_criteria', path);
  const filters = criteriaExt
    ? objectsOf(criteriaExt, 'extension', `${path}._criteria`)
        .filter((e) => e['url'] === `${backport}backport-filter-criteria`)
        .map((e, i) => reqString(e, 'valueString', `${path}._criteria.extension[${i}]`))
    : [];
  const payloadExt = optObject(channel, '_payload', `${path}.channel`);
  const content = payloadExt
    ? objectsOf(payloadExt, 'extension', `${path}.channel._payload`).find(
        (e) => e['url'] === `${backport}backport-payload-content`,
      )
    : undefined;
  const payloadContent = content ? optString(content, 'valueCode', `${path}.channel._payload.extension`) : 'empty';
  if (payloadContent !== 'empty' && payloadContent !== 'id-only' && payloadContent !== 'full-resource') {
    throw fhirInvalid(
      `${path}.channel._payload.extension(backport-payload-content)`,
      'must be empty, id-only or full-resource',
    );
  }
  const heartbeat = objectsOf(channel, 'extension', `${path}.channel`).find(
    (e) => e['url'] === `${backport}backport-heartbeat-period`,
  );
  const hb = heartbeat?.['valueUnsignedInt'] ?? heartbeat?.['valueInteger'];
  return {
    ...opt('id', optString(s, 'id', path)),
    status: reqString(s, 'status', path),
    topic: reqString(s, 'criteria', path),
    filters,
    channelType: reqString(channel, 'type', `${path}.channel`),
    ...opt('endpoint', optString(channel, 'endpoint', `${path}.channel`)),
    payloadContent,
    ...opt('heartbeatPeriodSeconds', typeof hb === 'number' && Number.isSafeInteger(hb) && hb >= 0 ? hb : undefined),
    ...opt('end', optString(s, 'end', path)),
  };
}
