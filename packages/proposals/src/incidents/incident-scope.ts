/**
 * @module What an incident covers, read from the audit trail: the seed (a proposal, one audited
 * write, a patient, or every PHI event of a time range), then every PHI access and write in the
 * window that names a patient, record or proposal of the seed. Nothing is copied: a report reads
 * the trail again, so it shows what the trail says now.
 */
import { NotFoundError, ValidationError } from '@steward/core';
import { iterateAudit, queryAudit, type AuditRecord, type FieldCipher } from '@steward/governance';
import { ehrPatientId } from '@steward/ehr';
import type { Sql } from '@steward/store';
import type { ProposalStore, ProposalRow } from '../store/index.js';
import type { SealedBody } from '../review/index.js';
import {
  accessEvents,
  writeEvents,
  type AffectedPatient,
  type IncidentOrigin,
  type ScopedEntry,
  type ScopedProposal,
} from './incident-model.js';

/** Most audit entries one scope scans (a report says when it stopped short). */
export const SCAN_LIMIT = 50_000;

export interface Scope {
  readonly from: Date;
  readonly to: Date;
  readonly entries: readonly ScopedEntry[];
  readonly proposals: readonly ScopedProposal[];
  readonly patients: readonly AffectedPatient[];
  readonly truncated: boolean;
  /** The scoped proposals' rows: containment is proposed from them. */
  readonly rows: readonly ProposalRow[];
}

interface Seed {
  readonly from: Date;
  /** Undefined: up to the newest entry (an incident still unfolding). */
  readonly to: Date | undefined;
  readonly patients: Set<string>;
  readonly entities: Set<string>;
  readonly proposals: Set<string>;
  /** Every PHI event in the window is in scope (a time range). */
  readonly all: boolean;
}

const entityKey = (kind: string, id: string): string => `${kind}/${id}`;
const written = new Set<string>(['ehr.written', 'phi.create', 'phi.update', 'phi.delete', 'proposal.committed']);

export async function resolveScope(
  db: Sql,
  cipher: FieldCipher,
  store: ProposalStore,
  origin: IncidentOrigin,
  now: Date,
): Promise<Scope> {
  const seed = await seedOf(db, cipher, store, origin);
  const entries: ScopedEntry[] = [];
  let scanned = 0;
  let truncated = false;
  const events = [...accessEvents, ...writeEvents];
  const window = { from: seed.from, ...(seed.to !== undefined ? { to: seed.to } : {}) };
  for await (const r of iterateAudit(db, cipher, { events, ...window })) {
    if (++scanned > SCAN_LIMIT) {
      truncated = true;
      break;
    }
    if (!seed.all && !inSeed(seed, r)) continue;
    entries.push(scoped(r));
    // A proposal met in scope brings its target: the applier's EHR write names only the resource.
    if (r.entity?.kind === 'Proposal' && !seed.proposals.has(r.entity.id)) {
      seed.proposals.add(r.entity.id);
      const row = await store.row(r.entity.id);
      if (row !== undefined) seed.entities.add(targetOf(row));
    }
  }
  // An EHR write scanned before its proposal came into scope (a rollback of an older proposal, a
  // write that was retried): a second pass over the window's EHR writes takes it in.
  if (!seed.all && !truncated) {
    const have = new Set(entries.map((e) => e.seq));
    for await (const r of iterateAudit(db, cipher, { events: ['ehr.written'], ...window })) {
      if (!have.has(r.seq) && r.entity !== undefined && seed.entities.has(entityKey(r.entity.kind, r.entity.id)))
        entries.push(scoped(r));
    }
    entries.sort((a, b) => a.seq - b.seq);
  }
  const rows: ProposalRow[] = [];
  for (const id of seed.proposals) {
    const row = await store.row(id);
    if (row !== undefined) rows.push(row);
  }
  const proposals = rows.map((row) => scopedProposal(store, row));
  const patients = new Map<string, AffectedPatient>();
  for (const e of entries) for (const id of e.patientIds) patients.set(`steward:${id}`, { stewardId: id });
  for (const [i, p] of proposals.entries()) {
    // A patient without a Steward id of its own is audited by the governed EHR under a keyed one:
    // the audit's entry for it and the proposal's EHR reference are one patient.
    const row = rows[i];
    const audited =
      p.patient.stewardId === undefined && row?.connection_id != null && p.patient.ehrRef !== undefined
        ? `steward:${ehrPatientId(cipher, row.connection_id, p.patient.ehrRef.slice('Patient/'.length))}`
        : undefined;
    if (audited !== undefined && patients.has(audited)) {
      patients.set(audited, { ...patients.get(audited), ...p.patient });
      continue;
    }
    const key = p.patient.stewardId !== undefined ? `steward:${p.patient.stewardId}` : `ehr:${p.patient.ehrRef ?? ''}`;
    if (!patients.has(key) && (p.patient.stewardId !== undefined || p.patient.ehrRef !== undefined))
      patients.set(key, p.patient);
  }
  return { from: seed.from, to: seed.to ?? now, entries, proposals, patients: [...patients.values()], truncated, rows };
}

async function seedOf(db: Sql, cipher: FieldCipher, store: ProposalStore, origin: IncidentOrigin): Promise<Seed> {
  const empty = (from: Date, to: Date | undefined, all = false): Seed => ({
    from,
    to,
    patients: new Set(),
    entities: new Set(),
    proposals: new Set(),
    all,
  });
  switch (origin.kind) {
    case 'range':
      return empty(new Date(origin.from), new Date(origin.to), true);
    case 'patient': {
      const seed = empty(new Date(origin.from ?? 0), origin.to !== undefined ? new Date(origin.to) : undefined);
      seed.patients.add(origin.patientId);
      return seed;
    }
    case 'proposal': {
      const row = await store.row(origin.proposalId);
      if (row === undefined) throw new NotFoundError('proposal');
      const seed = empty(row.created_at, undefined);
      seed.proposals.add(row.id);
      seed.entities.add(targetOf(row));
      if (row.patient_id !== null) seed.patients.add(row.patient_id);
      return seed;
    }
    case 'write': {
      const entry = (await queryAudit(db, cipher, { after: origin.auditSeq - 1, limit: 1 })).entries[0];
      if (entry === undefined || entry.seq !== origin.auditSeq) throw new NotFoundError('audit entry');
      if (!written.has(entry.event) || entry.entity === undefined)
        throw new ValidationError('not a write', [
          { path: 'auditSeq', message: `an entry of ${[...written].join(', ')}` },
        ]);
      let from = new Date(entry.at);
      const seed = empty(from, undefined);
      for (const id of entry.patientIds) seed.patients.add(id);
      if (entry.entity.kind === 'Proposal') {
        const row = await store.row(entry.entity.id);
        if (row !== undefined) {
          seed.proposals.add(row.id);
          seed.entities.add(targetOf(row));
          // The proposal was drafted before the write: its whole life is in the window.
          return { ...seed, from: row.created_at };
        }
      }
      seed.entities.add(entityKey(entry.entity.kind, entry.entity.id));
      for (const row of await store.touching(entry.entity.kind, entry.entity.id)) {
        seed.proposals.add(row.id);
        if (row.patient_id !== null) seed.patients.add(row.patient_id);
        if (row.created_at < from) from = row.created_at;
      }
      return { ...seed, from };
    }
  }
}

function inSeed(seed: Seed, r: AuditRecord): boolean {
  if (r.patientIds.some((id) => seed.patients.has(id))) return true;
  if (r.entity === undefined) return false;
  if (r.entity.kind === 'Proposal') return seed.proposals.has(r.entity.id);
  return seed.entities.has(entityKey(r.entity.kind, r.entity.id));
}

function targetOf(row: ProposalRow): string {
  return entityKey(row.target_type, row.committed_id ?? row.target_id ?? '');
}

function scoped(r: AuditRecord): ScopedEntry {
  return {
    seq: r.seq,
    at: r.at,
    event: r.event,
    kind: (accessEvents as readonly string[]).includes(r.event) ? 'access' : 'write',
    outcome: r.outcome,
    actor: { id: r.actor.id, name: r.actor.name, kind: r.actor.kind },
    patientIds: r.patientIds,
    ...(r.entity !== undefined ? { entity: r.entity } : {}),
    ...(r.fields !== undefined ? { fields: r.fields } : {}),
    ...(r.site !== undefined ? { site: r.site } : {}),
  };
}

function scopedProposal(store: ProposalStore, row: ProposalRow): ScopedProposal {
  const body = store.open<SealedBody>('body', row.id, row.body_enc);
  const patient: AffectedPatient = {
    ...(body.patient.stewardId !== undefined ? { stewardId: body.patient.stewardId } : {}),
    ...(body.patient.ehrId !== undefined ? { ehrRef: `Patient/${body.patient.ehrId}` } : {}),
  };
  return {
    id: row.id,
    action: row.action_type,
    status: row.status,
    site: row.site,
    target: targetOf(row),
    patient,
  };
}
