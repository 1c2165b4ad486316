/**
 * @module Topic-based rest-hook subscriptions (R4 backport) that Steward asks an EHR for, so
 * changes arrive within seconds instead of at the next poll. One Subscription per advertised
 * topic, full-resource payloads, pointing at Steward's notification route for the connection and
 * carrying the connection's notification secret in a channel header.
 *
 * Idempotent across restarts: an active or requested Subscription with the same topic and the
 * same endpoint is kept. The endpoint carries a fingerprint of the secret, so after a secret
 * changes (index-key rotation) the old Subscriptions no longer match, new ones are made, and the
 * old ones are switched off. Creating a Subscription is configuration of the interface, not a
 * change to a patient's record, so it does not go through the proposal path (the governed EHR channel).
 */
import type { Subscription } from '@medplum/fhirtypes';
import { isStewardError } from '@steward/core';
import type { FhirClient } from '../fhir-r4/index.js';

const backport = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';

export interface SubscriptionPlan {
  /** Where the EHR posts notifications (Steward's route for this connection, with the fingerprint). */
  readonly endpoint: string;
  /** The full `Authorization` header value the EHR must send. */
  readonly authorization: string;
  readonly topics: readonly string[];
  /** When the Subscriptions end (the EHR stops after it); renewed at each start. */
  readonly end?: string;
}

export interface SubscriptionSetup {
  readonly kept: number;
  readonly created: number;
  /** Stale Subscriptions of this connection (an old endpoint) switched off. */
  readonly retired: number;
}

export async function ensureSubscriptions(client: FhirClient, plan: SubscriptionPlan): Promise<SubscriptionSetup> {
  const base = plan.endpoint.split('?')[0] ?? plan.endpoint;
  const mine: Subscription[] = [];
  for await (const sub of client.searchAll('Subscription', { status: 'requested,active' })) {
    if ((sub.channel?.endpoint ?? '').split('?')[0] === base) mine.push(sub);
  }
  let kept = 0;
  let created = 0;
  let retired = 0;
  for (const topic of plan.topics) {
    if (mine.some((s) => s.criteria === topic && s.channel.endpoint === plan.endpoint)) {
      kept++;
      continue;
    }
    // eslint-disable-next-line steward/no-ehr-write -- a Subscription is Steward's own configuration at the EHR, no patient's record
    await client.create<Subscription>(subscriptionFor(topic, plan));
    created++;
  }
  for (const stale of mine.filter((s) => s.channel.endpoint !== plan.endpoint || !plan.topics.includes(s.criteria))) {
    if (stale.id === undefined || stale.meta?.versionId === undefined) continue;
    try {
      // eslint-disable-next-line steward/no-ehr-write -- retiring Steward's own Subscription, no patient's record
      await client.update<Subscription>({ ...stale, status: 'off' }, { ifMatch: stale.meta.versionId });
      retired++;
    } catch (e) {
      // Someone changed it meanwhile: it is retired at the next start.
      if (!isStewardError(e) || e.code !== 'EHR_CONFLICT') throw e;
    }
  }
  return { kept, created, retired };
}

export function subscriptionFor(topic: string, plan: SubscriptionPlan): Subscription {
  return {
    resourceType: 'Subscription',
    meta: { profile: [`${backport}/backport-subscription`] },
    status: 'requested',
    reason: 'Steward follows operational changes (appointments, referrals, tasks, encounters, documents)',
    criteria: topic,
    ...(plan.end !== undefined ? { end: plan.end } : {}),
    channel: {
      type: 'rest-hook',
      endpoint: plan.endpoint,
      payload: 'application/fhir+json',
      header: [`Authorization: ${plan.authorization}`],
      _payload: { extension: [{ url: `${backport}/backport-payload-content`, valueCode: 'full-resource' }] },
    } as Subscription['channel'],
  };
}
