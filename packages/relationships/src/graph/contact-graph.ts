/**
 * @module The governed read of the graph: a person or organization with every relationship (both
 * directions, current and ended) and every note. Asks the policy decision point for `phi.read` at
 * the party's site first (a denied party looks exactly like a missing one), and audits the read
 * with every party whose data it shows before returning anything.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import { sourceOf, type FieldCipher, type PolicyDecisionPoint, type TransactionalAudit } from '@steward/governance';
import type { RelationshipTypeCatalog } from '../model/type-catalog.js';
import { displayName, type Note, type Party, type PartyKind } from '../model/types.js';
import { GraphRows } from './graph-rows.js';

export interface NoteView {
  readonly id: string;
  readonly text: string;
  readonly author: string;
  readonly authoredAt: string;
  readonly provenance: Note['provenance'];
}

export interface RelationshipView {
  readonly id: string;
  readonly type: string;
  /** The relationship named from the shown party's side ("legal guardian of", "ward of"). */
  readonly label: string;
  readonly direction: 'outgoing' | 'incoming';
  readonly other: { readonly id: string; readonly kind: PartyKind; readonly name: string };
  readonly validFrom: string | undefined;
  readonly validTo: string | undefined;
  /** Holds today (by the graph's clock). */
  readonly active: boolean;
  readonly permissions: readonly string[];
  readonly notes: readonly NoteView[];
}

export interface ContactView {
  readonly party: Party & { readonly name: string };
  readonly relationships: readonly RelationshipView[];
  readonly notes: readonly NoteView[];
}

/** One line of a contact search: enough to tell people apart, not their whole record. */
export interface ContactMatch {
  readonly id: string;
  readonly kind: PartyKind;
  readonly name: string;
  readonly birthDate?: string;
}

/** Parties opened per page while searching (names are sealed: a search reads the site's parties). */
const SEARCH_PAGE = 1_000;
const SEARCH_LIMIT = 25;

export class ContactGraph {
  private readonly rows: GraphRows;

  constructor(
    private readonly db: Database,
    cipher: FieldCipher,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly types: RelationshipTypeCatalog,
    private readonly clock: Clock = systemClock,
  ) {
    this.rows = new GraphRows(cipher);
  }

  /**
   * `GET /contacts?site&q`: people and organizations at a site whose name contains every word of
   * `q` (case and accents ignored), or whose birth date (YYYY-MM-DD) or phone digits match it;
   * at most 25, by name. Needs `phi.search` at the site; audited with the query (sealed) and every
   * party returned. Known limit: names are sealed, so it opens the site's parties page by page.
   */
  async search(ctx: RequestContext, site: string, q: string): Promise<{ items: ContactMatch[]; more: boolean }> {
    const decision = await this.policy.enforce(ctx, 'phi.search', { site, entity: { kind: 'Contact', id: site } });
    const words = fold(q)
      .split(/\s+/)
      .filter((w) => w !== '');
    const digits = q.replace(/\D+/g, '');
    const hits: ContactMatch[] = [];
    for (let after: string | undefined, page: Party[] = []; words.length > 0; after = page.at(-1)?.id) {
      page = await this.rows.partiesOfSite(this.db, site, after, SEARCH_PAGE);
      for (const p of page) {
        const name = displayName(p.data);
        const folded = fold(name);
        const matches =
          words.every((w) => folded.includes(w)) ||
          p.data.birthDate === q.trim() ||
          (digits.length >= 7 &&
            p.data.telecom.some((t) => t.system === 'phone' && t.value.replace(/\D+/g, '').includes(digits)));
        if (matches)
          hits.push({
            id: p.id,
            kind: p.kind,
            name,
            ...(p.data.birthDate !== undefined ? { birthDate: p.data.birthDate } : {}),
          });
      }
      if (page.length < SEARCH_PAGE) break;
    }
    hits.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    const items = hits.slice(0, SEARCH_LIMIT);
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.search',
      action: 'E',
      outcome: 'success',
      patientIds: items.map((i) => i.id),
      entity: { kind: 'Contact', id: site },
      fields: ['name', 'birthDate'],
      site,
      query: { q },
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      ...(ctx.sourceAddress !== undefined || ctx.requestId !== undefined ? { source: sourceOf(ctx) } : {}),
    });
    return { items, more: hits.length > SEARCH_LIMIT };
  }

  /** `GET /contacts/:id`: NOT_FOUND when the party does not exist or is outside the caller's scope. */
  async show(ctx: RequestContext, partyId: string): Promise<ContactView> {
    const { row: party, decision } = await this.policy.visible(
      ctx,
      'phi.read',
      'Contact',
      await this.rows.party(this.db, partyId),
      (p) => ({ site: p.site, patientId: p.id, entity: { kind: entityKind(p.kind), id: p.id } }),
    );
    const relationships = await this.rows.relationshipsOf(this.db, party.id);
    const otherIds = [...new Set(relationships.map((r) => (r.fromPartyId === party.id ? r.toPartyId : r.fromPartyId)))];
    const others = new Map((await this.rows.parties(this.db, otherIds)).map((p) => [p.id, p]));
    const notes = await this.rows.notesOf(
      this.db,
      [party.id],
      relationships.map((r) => r.id),
    );
    const types = await this.types.forSite(party.site);
    const today = this.clock.now().toISOString().slice(0, 10);
    const view: ContactView = {
      party: { ...party, name: displayName(party.data) },
      notes: sortNotes(notes.filter((n) => n.partyId === party.id)),
      relationships: relationships.map((r) => {
        const outgoing = r.fromPartyId === party.id;
        const other = others.get(outgoing ? r.toPartyId : r.fromPartyId);
        const t = types.get(r.type);
        return {
          id: r.id,
          type: r.type,
          label: t === undefined ? r.type : outgoing ? `${t.display} of` : `${t.reciprocal} of`,
          direction: outgoing ? 'outgoing' : 'incoming',
          other: {
            id: other?.id ?? (outgoing ? r.toPartyId : r.fromPartyId),
            kind: other?.kind ?? 'person',
            name: other !== undefined ? displayName(other.data) : '',
          },
          validFrom: r.validFrom,
          validTo: r.validTo,
          active: (r.validFrom === undefined || r.validFrom <= today) && (r.validTo === undefined || r.validTo > today),
          permissions: r.permissions,
          notes: sortNotes(notes.filter((n) => n.relationshipId === r.id)),
        };
      }),
    };
    await this.audit.append({
      actor: ctx.actor,
      event: 'phi.read',
      action: 'R',
      outcome: 'success',
      patientIds: [party.id, ...otherIds],
      entity: { kind: entityKind(party.kind), id: party.id, version: party.version },
      fields: ['name', 'birthDate', 'telecom', 'address', 'relationships', 'notes'],
      site: party.site,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      purposeOfUse: decision.purposeOfUse,
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      ...(decision.breakGlassId !== undefined ? { breakGlassId: decision.breakGlassId } : {}),
      ...(ctx.sourceAddress !== undefined || ctx.requestId !== undefined ? { source: sourceOf(ctx) } : {}),
    });
    return view;
  }
}

export function entityKind(kind: PartyKind): 'Person' | 'Organization' {
  return kind === 'person' ? 'Person' : 'Organization';
}

/** Lower case without accents, for matching names as people type them. */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function sortNotes(notes: readonly Note[]): NoteView[] {
  return [...notes]
    .sort((a, b) => a.authoredAt.localeCompare(b.authoredAt) || a.id.localeCompare(b.id))
    .map((n) => ({ id: n.id, text: n.text, author: n.author, authoredAt: n.authoredAt, provenance: n.provenance }));
}
