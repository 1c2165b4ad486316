/**
 * @module Export of a site's whole graph, so a practice's data is never locked in: JSON (lossless:
 * every party, relationship and note with its provenance), CSV (contacts, relationships, notes)
 * and a FHIR R4 Bundle. Needs `phi.export` at the site, and is audited as `contacts.exported`
 * with every party exported. Known limit: the export is built in memory.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import { stringify } from 'csv-stringify/sync';
import { GraphRows } from '../graph/index.js';
import type { RelationshipTypeCatalog } from '../model/type-catalog.js';
import type { Note, Party, Relationship } from '../model/types.js';
import { toFhirBundle } from './fhir-bundle.js';

export const exportFormats = ['json', 'csv', 'fhir'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportFile {
  readonly name: string;
  readonly contentType: string;
  readonly content: string;
}

export interface GraphExportResult {
  readonly format: ExportFormat;
  readonly files: readonly ExportFile[];
  readonly counts: { readonly parties: number; readonly relationships: number; readonly notes: number };
}

const PAGE = 2_000;

export class GraphExport {
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

  async export(ctx: RequestContext, site: string, format: ExportFormat): Promise<GraphExportResult> {
    const decision = await this.policy.enforce(ctx, 'phi.export', { site, entity: { kind: 'ContactGraph', id: site } });
    const parties: Party[] = [];
    for (let page = await this.rows.partiesOfSite(this.db, site, undefined, PAGE); page.length > 0;) {
      parties.push(...page);
      page = page.length < PAGE ? [] : await this.rows.partiesOfSite(this.db, site, page.at(-1)?.id, PAGE);
    }
    const relationships = await this.rows.relationshipsOfSite(this.db, site);
    const notes: Note[] = [];
    for (let page = await this.rows.notesOfSite(this.db, site, undefined, PAGE); page.length > 0;) {
      notes.push(...page);
      page = page.length < PAGE ? [] : await this.rows.notesOfSite(this.db, site, page.at(-1)?.id, PAGE);
    }
    const now = this.clock.now();
    const files = await this.render(format, site, parties, relationships, notes, now);
    const counts = { parties: parties.length, relationships: relationships.length, notes: notes.length };
    // Audited before anything leaves: an export whose audit fails is not returned.
    await this.audit.append({
      actor: ctx.actor,
      event: 'contacts.exported',
      action: 'E',
      outcome: 'success',
      patientIds: parties.filter((p) => p.kind === 'person').map((p) => p.id),
      entity: { kind: 'ContactGraph', id: site },
      fields: ['parties', 'relationships', 'notes'],
      site,
      purposeOfUse: decision.purposeOfUse,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      reason: `format:${format} parties:${counts.parties} relationships:${counts.relationships} notes:${counts.notes}`,
    });
    return { format, files, counts };
  }

  private async render(
    format: ExportFormat,
    site: string,
    parties: readonly Party[],
    relationships: readonly Relationship[],
    notes: readonly Note[],
    now: Date,
  ): Promise<ExportFile[]> {
    switch (format) {
      case 'json':
        return [
          {
            name: 'contacts.json',
            contentType: 'application/json',
            content: JSON.stringify({ site, exportedAt: now.toISOString(), parties, relationships, notes }, null, 2),
          },
        ];
      case 'fhir':
        return [
          {
            name: 'contacts.fhir.json',
            contentType: 'application/fhir+json',
            content: JSON.stringify(toFhirBundle(parties, relationships, notes, await this.types.forSite(site), now)),
          },
        ];
      case 'csv':
        return [
          csv(
            'contacts.csv',
            parties.map((p) => ({
              id: p.id,
              kind: p.kind,
              family: p.data.family ?? '',
              given: (p.data.given ?? []).join(' '),
              organization_name: p.data.organizationName ?? '',
              birth_date: p.data.birthDate ?? '',
              phone: p.data.telecom
                .filter((t) => t.system === 'phone')
                .map((t) => t.value)
                .join(';'),
              email: p.data.telecom
                .filter((t) => t.system === 'email')
                .map((t) => t.value)
                .join(';'),
              address: p.data.address ?? '',
              provenance: JSON.stringify(p.data.provenance),
            })),
          ),
          csv(
            'relationships.csv',
            relationships.map((r) => ({
              id: r.id,
              type: r.type,
              from_id: r.fromPartyId,
              to_id: r.toPartyId,
              start_date: r.validFrom ?? '',
              end_date: r.validTo ?? '',
              permissions: r.permissions.join(';'),
              provenance: JSON.stringify(r.provenance ?? null),
            })),
          ),
          csv(
            'notes.csv',
            notes.map((n) => ({
              id: n.id,
              contact_id: n.partyId ?? '',
              relationship_id: n.relationshipId ?? '',
              author: n.author,
              written_at: n.authoredAt,
              text: n.text,
              provenance: JSON.stringify(n.provenance),
            })),
          ),
        ];
    }
  }
}

function csv(name: string, rows: ReadonlyArray<Record<string, string>>): ExportFile {
  return { name, contentType: 'text/csv', content: stringify(rows as Array<Record<string, string>>, { header: true }) };
}
