/**
 * @module REF (patient referral) → referral events. I12 → `referral.created`, I13 → `referral.updated`
 * with the RF1-1 status, I14 (cancel) → `referral.updated` with status `revoked`.
 *
 * RF1-1 referral status (HL7 table 0283, plus the common local `C` cancelled): P pending and
 * A accepted → active, R rejected and C cancelled → revoked, E expired → completed (the request no
 * longer stands but was not withdrawn). `service` is RF1-3 (referral type) text, else code;
 * `authoredOn` RF1-7 (effective date); requester the PRD with role RP, performers those with RT.
 * `occurredAt` is EVN-2 when present, else MSH-7.
 */
import type { EhrCoding, EhrEventInput, ParticipantRef, ReferralFacts, ReferralStatus } from '@steward/core';
import type { Hl7Segment } from '@medplum/core';
import { component, subcomponent, value, type ParsedHl7 } from './parse.js';
import { prdDetails } from './map-directory.js';
import {
  eiIdentifier,
  envelope,
  eventTime,
  invalid,
  patientFrom,
  timeOf,
  withOptional,
  type Hl7MapContext,
} from './map-common.js';

const referralStatus: Readonly<Record<string, ReferralStatus>> = {
  P: 'active',
  A: 'active',
  R: 'revoked',
  C: 'revoked',
  E: 'completed',
};

const priority: Readonly<Record<string, ReferralFacts['priority']>> = { S: 'stat', A: 'asap', R: 'routine' };

export const refTriggers = ['I12', 'I13', 'I14'] as const;

export function mapRef(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const { message, trigger } = parsed;
  if (trigger !== 'I12' && trigger !== 'I13' && trigger !== 'I14')
    throw invalid(`unsupported message type ${parsed.type}`);
  const rf1 = message.getSegment('RF1');
  if (rf1 === undefined) throw invalid('RF1 segment is missing');
  const patient = patientFrom(ctx, message.getSegment('PID'));
  const identifiers = [
    eiIdentifier(ctx, rf1, 6, 'originating-referral'),
    eiIdentifier(ctx, rf1, 11, 'external-referral'),
  ].filter((i) => i !== undefined);
  if (identifiers.length === 0) throw invalid('RF1-6/RF1-11 (referral identifier) are both missing');
  const reported = referralStatus[component(rf1, 1, 1).trim().toUpperCase()];
  const status: ReferralStatus = trigger === 'I14' ? 'revoked' : (reported ?? 'active');

  const prds = message.getAllSegments('PRD');
  const requester = prds.find((p) => component(p, 1, 1).trim().toUpperCase() === 'RP');
  const performers = prds
    .filter((p) => component(p, 1, 1).trim().toUpperCase() === 'RT')
    .map(providerOf)
    .filter((p) => p !== undefined);

  const facts = withOptional<ReferralFacts>(
    { kind: 'Referral', identifiers, status, intent: 'order', performers, categoryCodes: referralType(rf1) },
    {
      service: component(rf1, 3, 2).trim() || component(rf1, 3, 1).trim(),
      priority: priority[component(rf1, 2, 1).trim().toUpperCase()],
      authoredOn: timeOf(ctx, rf1, 7, 'RF1-7'),
      requester: requester === undefined ? undefined : providerOf(requester),
    },
  );
  const type = trigger === 'I12' ? 'referral.created' : 'referral.updated';
  return [envelope(ctx, parsed, 0, type, eventTime(ctx, parsed), patient, facts)];
}

/** RF1-3 referral type (HL7 table 0281: Lab, Rad, Med, Psy …), as the referral rules read it. */
function referralType(rf1: Hl7Segment): EhrCoding[] {
  const code = component(rf1, 3, 1).trim();
  return code === '' ? [] : [{ system: component(rf1, 3, 3).trim() || 'HL70281', code }];
}

/** PRD-2 name (XPN: family^given) and PRD-7 identifier (id^type). */
function providerOf(prd: Hl7Segment): ParticipantRef | undefined {
  const family = subcomponent(prd, 2, 1, 1).trim();
  const given = component(prd, 2, 2).trim();
  const display = [given, family].filter((s) => s !== '').join(' ');
  const id = value(prd, 7).trim();
  const idType = component(prd, 7, 2).trim();
  const identifiers =
    id === ''
      ? []
      : [{ system: `urn:steward:hl7v2:provider-id:${encodeURIComponent(idType || 'unknown')}`, value: id }];
  if (display === '' && identifiers.length === 0) return undefined;
  return prdDetails(
    prd,
    display === '' ? { kind: 'Practitioner', identifiers } : { kind: 'Practitioner', identifiers, display },
  );
}
