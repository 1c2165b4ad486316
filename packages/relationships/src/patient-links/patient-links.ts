/**
 * @module The link between a Steward patient and a contact-graph party at the same site (issue 16):
 * the only SQL on `rel_patient_links`. A link is made only by a person who confirmed it
 * (`phi.write` at the site, the permission the graph's import uses), is audited, and is removable;
 * one party per patient per site, one patient per party. Without a link, the parties whose family
 * name, given names and birth date all match the patient's exactly (the graph's `name_dob` blind
 * index, so nothing else is opened) are offered as suggestions, all of them, none preferred, and
 * never shown as the patient's contacts.
 */
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  systemClock,
  type Clock,
  type RequestContext,
} from '@steward/core';
import type { Database, Sql } from '@steward/store';
import {
  sourceOf,
  type Decision,
  type FieldCipher,
  type PolicyDecisionPoint,
  type TransactionalAudit,
} from '@steward/governance';
import type { ContactGraph } from '../graph/contact-graph.js';
import { GraphRows, isUuid, normalizeName } from '../graph/index.js';
import type { RelationshipTypeCatalog } from '../model/type-catalog.js';
import { displayName, type Party } from '../model/types.js';

/** The patient as the patient index knows them: who, where, and the minimum demographics. */
export interface LinkPatient {
  readonly id: string;
  readonly site: string;
  /** Steward ids merged into this patient: a link made under one of them still holds. */
  readonly mergedIds?: readonly string[];
  readonly name?: { readonly family: string; readonly given: readonly string[] };
  readonly birthDate?: string;
}

export interface PatientLink {
  readonly partyId: string;
  readonly linkedBy: string;
  readonly linkedAt: string;
}

/** One relationship of the linked party, from the patient's side: who, as what, when, with what authority. */
export interface PatientContact {
  readonly relationshipId: string;
  readonly party: { readonly id: string; readonly kind: 'person' | 'organization'; readonly name: string };
  /** The related party's role in words ("family caregiver", "healthcare proxy", "employer"). */
  readonly role: string;
  readonly type: string;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly active: boolean;
  /** The authority the related party holds over the patient, in words (empty when none). */
  readonly authority: readonly string[];
  /** Whether they may receive information about the patient (messages or records), while the relationship holds. */
  readonly mayReceiveInformation: boolean;
}

/** A party that may be the patient: same family name, given names and birth date, to be confirmed. */
export interface LinkSuggestion {
  readonly partyId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly reason: 'same-name-and-birth-date';
}

export interface PatientContacts {
  readonly link: (PatientLink & { readonly name: string }) | null;
  readonly contacts: readonly PatientContact[];
  /** Null when linked; otherwise every exact match (possibly none). */
  readonly suggestions: readonly LinkSuggestion[] | null;
  /** Whether the reader may link or unlink (`phi.write` at the site). */
  readonly mayLink: boolean;
}

const authorityWords: Readonly<Record<string, string>> = {
  'messages.receive': 'receives messages',
  'records.read': 'may read records',
  'appointments.manage': 'manages appointments',
  'billing.receive': 'receives bills',
  'consent.give': 'may give consent',
};
const informs = new Set(['messages.receive', 'records.read']);
const SUGGESTIONS = 20;

type Allowed = Extract<Decision, { allowed: true }>;

interface LinkRow {
  patient_id: string;
  party_id: string;
  linked_by: string;
  linked_at: Date;
}

export class PatientLinks {
  private readonly rows: GraphRows;

  constructor(
    private readonly db: Database,
    private readonly cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly graph: ContactGraph,
    private readonly types: RelationshipTypeCatalog,
    private readonly clock: Clock = systemClock,
  ) {
    this.rows = new GraphRows(cipher);
  }

  /**
   * The patient page's "Contacts and relationships": the linked party's relationships, or the
   * exact-match suggestions. Needs `phi.read` at the patient's site; audited naming the patient and
   * every party shown (`contacts:<n>` or `contact-suggestions:<n>`).
   */
  async contactsOf(ctx: RequestContext, patient: LinkPatient): Promise<PatientContacts> {
    const scope = { site: patient.site, patientId: patient.id, entity: { kind: 'Patient', id: patient.id } };
    const decision = await this.policy.enforce(ctx, 'phi.read', scope);
    const mayLink = (await this.policy.decide(ctx, 'phi.write', { site: patient.site })).allowed;
    const link = await this.linkRow(this.db, patient);
    if (link !== undefined) {
      const view = await this.graph.show(ctx, link.party_id);
      const types = await this.types.forSite(patient.site);
      const contacts = view.relationships.map((r): PatientContact => {
        const t = types.get(r.type);
        const incoming = r.direction === 'incoming';
        const held = incoming ? r.permissions : [];
        return {
          relationshipId: r.id,
          party: r.other,
          role: t === undefined ? r.type : incoming ? t.display : t.reciprocal,
          type: r.type,
          validFrom: r.validFrom ?? null,
          validTo: r.validTo ?? null,
          active: r.active,
          authority: held.map((p) => authorityWords[p] ?? p),
          mayReceiveInformation: r.active && held.some((p) => informs.has(p)),
        };
      });
      contacts.sort((a, b) => Number(b.active) - Number(a.active) || a.party.name.localeCompare(b.party.name));
      await this.read(
        ctx,
        decision,
        patient,
        [link.party_id, ...contacts.map((c) => c.party.id)],
        `contacts:${contacts.length}`,
      );
      return {
        link: { ...toLink(link), name: view.party.name },
        contacts,
        suggestions: null,
        mayLink,
      };
    }
    const suggestions = (await this.candidates(patient)).map((p) => ({
      partyId: p.id,
      name: displayName(p.data),
      birthDate: p.data.birthDate ?? '',
      reason: 'same-name-and-birth-date' as const,
    }));
    await this.read(
      ctx,
      decision,
      patient,
      suggestions.map((s) => s.partyId),
      `contact-suggestions:${suggestions.length}`,
    );
    return { link: null, contacts: [], suggestions, mayLink };
  }

  /**
   * Links the patient to a person in the graph at the patient's site, as a person confirmed it
   * (`phi.write` there). A party missing or at another site is NOT_FOUND; a patient already linked,
   * or a party already linked to another patient, is ALREADY_EXISTS (unlink first). Audited.
   */
  async link(ctx: RequestContext, patient: LinkPatient, partyId: string): Promise<PatientLink> {
    const decision = await this.policy.enforce(ctx, 'phi.write', {
      site: patient.site,
      patientId: patient.id,
      entity: { kind: 'Patient', id: patient.id },
    });
    if (!isUuid(partyId))
      throw new ValidationError('partyId is not a contact id', [
        { path: 'body/partyId', message: 'give a contact id (a UUID)' },
      ]);
    const party = await this.rows.party(this.db, partyId);
    if (party === undefined || party.site !== patient.site) throw new NotFoundError('contact');
    if (party.kind !== 'person')
      throw new ValidationError('only a person can be linked to a patient', [
        { path: 'body/partyId', message: 'the contact is an organization; choose the person who is the patient' },
      ]);
    const at = this.clock.now();
    return this.audit.transact(
      async (tx) => {
        if ((await this.linkRow(tx, patient)) !== undefined)
          throw new ConflictError('ALREADY_EXISTS', 'the patient already has a linked contact; unlink it first');
        const { rows } = await tx.query<{ patient_id: string }>(
          'select patient_id from rel_patient_links where party_id = $1',
          [party.id],
        );
        if (rows.length > 0)
          throw new ConflictError('ALREADY_EXISTS', 'the contact is already linked to another patient');
        // A link made at the same moment by someone else: the table's keys decide, one wins.
        const inserted = await tx.query<{ patient_id: string }>(
          `insert into rel_patient_links (site, patient_id, party_id, linked_by, linked_at) values ($1, $2, $3, $4, $5)
            on conflict do nothing returning patient_id`,
          [patient.site, patient.id, party.id, ctx.actor.id, at],
        );
        if (inserted.rows.length === 0)
          throw new ConflictError('ALREADY_EXISTS', 'the patient or the contact was linked meanwhile');
        return { partyId: party.id, linkedBy: ctx.actor.id, linkedAt: at.toISOString() };
      },
      () => [this.change(ctx, decision, patient, party, 'contact-link:linked')],
    );
  }

  /** Removes the patient's link (`phi.write` at the site); NOT_FOUND when there is none. Audited. */
  async unlink(ctx: RequestContext, patient: LinkPatient): Promise<void> {
    const decision = await this.policy.enforce(ctx, 'phi.write', {
      site: patient.site,
      patientId: patient.id,
      entity: { kind: 'Patient', id: patient.id },
    });
    await this.audit.transact(
      async (tx) => {
        const link = await this.linkRow(tx, patient);
        if (link === undefined) throw new NotFoundError('contact link');
        await tx.query('delete from rel_patient_links where site = $1 and patient_id = $2', [
          patient.site,
          link.patient_id,
        ]);
        return link.party_id;
      },
      (partyId) => [this.change(ctx, decision, patient, { id: partyId }, 'contact-link:unlinked')],
    );
  }

  private async linkRow(sql: Sql, patient: LinkPatient): Promise<LinkRow | undefined> {
    const ids = [patient.id, ...(patient.mergedIds ?? [])];
    const { rows } = await sql.query<LinkRow>(
      `select patient_id, party_id, linked_by, linked_at from rel_patient_links
        where site = $1 and patient_id = any($2::uuid[]) order by (patient_id = $3) desc, linked_at limit 1`,
      [patient.site, ids, patient.id],
    );
    return rows[0];
  }

  /** Exact matches on family name, given names and birth date, through the graph's blind index. */
  private async candidates(patient: LinkPatient): Promise<Party[]> {
    if (patient.name === undefined || patient.birthDate === undefined) return [];
    const value = `${normalizeName(patient.name.family)}|${normalizeName(patient.name.given.join(' '))}|${patient.birthDate}`;
    const digest = this.cipher.blindIndex('rel.name_dob', value);
    const parties = await this.rows.partiesByMatch(this.db, patient.site, 'name_dob', digest);
    const { rows } = await this.db.query<{ party_id: string }>(
      'select party_id from rel_patient_links where party_id = any($1::uuid[])',
      [parties.map((p) => p.id)],
    );
    const taken = new Set(rows.map((r) => r.party_id));
    return parties
      .filter((p) => p.kind === 'person' && !taken.has(p.id))
      .sort((a, b) => displayName(a.data).localeCompare(displayName(b.data)) || a.id.localeCompare(b.id))
      .slice(0, SUGGESTIONS);
  }

  private async read(
    ctx: RequestContext,
    decision: Allowed,
    patient: LinkPatient,
    partyIds: readonly string[],
    reason: string,
  ): Promise<void> {
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      patientIds: [patient.id, ...new Set(partyIds)],
      entity: { kind: 'Patient', id: patient.id },
      fields: ['contacts', 'relationships'],
      site: patient.site,
      reason,
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      ...(ctx.sourceAddress !== undefined || ctx.requestId !== undefined ? { source: sourceOf(ctx) } : {}),
    });
  }

  private change(
    ctx: RequestContext,
    decision: Allowed,
    patient: LinkPatient,
    party: { readonly id: string },
    reason: string,
  ): Parameters<TransactionalAudit['append']>[0] {
    return {
      actor: ctx.actor,
      event: 'phi.update',
      action: 'U',
      outcome: 'success',
      patientIds: [patient.id, party.id],
      entity: { kind: 'PatientContactLink', id: patient.id },
      fields: ['contactLink'],
      site: patient.site,
      reason,
      purposeOfUse: decision.purposeOfUse,
      ...(ctx.sourceAddress !== undefined || ctx.requestId !== undefined ? { source: sourceOf(ctx) } : {}),
    };
  }
}

function toLink(row: LinkRow): PatientLink {
  return { partyId: row.party_id, linkedBy: row.linked_by, linkedAt: new Date(row.linked_at).toISOString() };
}
