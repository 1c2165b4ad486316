/**
 * The content hash an approval binds to: SHA-256 over the canonical JSON of everything that
 * decides what would be written and where. Priority, due time, assignee and evidence are not in
 * it: changing who reviews a proposal, or when, does not change what it writes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '@steward/governance';
import type { ActionType, ProposalPatient, ProposalTarget } from './proposal.js';

export interface HashedContent {
  readonly action: ActionType;
  readonly connectionId: string | undefined;
  readonly target: ProposalTarget;
  readonly baseVersion: string | undefined;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly patient: ProposalPatient;
}

export function contentHash(c: HashedContent): string {
  const doc = {
    action: c.action,
    connection: c.connectionId ?? null,
    target: { resourceType: c.target.resourceType, id: c.target.id ?? null },
    baseVersion: c.baseVersion ?? null,
    payload: c.payload,
    patient: {
      stewardId: c.patient.stewardId ?? null,
      ehrId: c.patient.ehrId,
      identifiers: c.patient.identifiers.map((i) => ({ system: i.system, value: i.value })),
    },
  };
  return createHash('sha256').update(canonicalJson(doc), 'utf8').digest('hex');
}
