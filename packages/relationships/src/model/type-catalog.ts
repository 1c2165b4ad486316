/**
 * @module The per-practice relationship type list, read from `rel_relationship_types`: a site's
 * own rows, then the practice-wide rows (site `*`), then the shipped defaults, the first found
 * winning per code. Listing it needs `phi.read` at the site; changing it needs `config.manage` and
 * is audited (`config.changed`).
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import type { PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import {
  defaultRelationshipTypes,
  validateRelationshipTypes,
  type RelationshipTypeDefinition,
} from './relationship-types.js';

export class RelationshipTypeCatalog {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: TransactionalAudit,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * The types in force at `site`, as a governed read: `phi.read` at the site (a denial is audited
   * and answered FORBIDDEN), the same permission as showing a contact there.
   */
  async list(ctx: RequestContext, site: string): Promise<RelationshipTypeDefinition[]> {
    await this.policy.enforce(ctx, 'phi.read', { site });
    return [...(await this.forSite(site)).values()];
  }

  /** The types in force at `site`, by code (ungoverned: for the graph's own reads and writes). */
  async forSite(site: string): Promise<ReadonlyMap<string, RelationshipTypeDefinition>> {
    const { rows } = await this.db.query<{ site: string; definition: RelationshipTypeDefinition }>(
      `select site, definition from rel_relationship_types where site = $1 or site = '*'`,
      [site],
    );
    const out = new Map<string, RelationshipTypeDefinition>(defaultRelationshipTypes.map((d) => [d.code, d]));
    for (const r of rows.filter((x) => x.site === '*')) out.set(r.definition.code, r.definition);
    for (const r of rows.filter((x) => x.site !== '*')) out.set(r.definition.code, r.definition);
    return out;
  }

  /** Adds or replaces types for `site` (or `*`): validated all at once, then stored and audited together. */
  async define(ctx: RequestContext, site: string, definitions: unknown): Promise<void> {
    const defs = validateRelationshipTypes(definitions);
    const decision = await this.policy.enforce(ctx, 'config.manage', site === '*' ? {} : { site });
    const now = this.clock.now();
    await this.audit.transact(
      async (tx) => {
        for (const d of defs)
          await tx.query(
            `insert into rel_relationship_types (site, code, definition, updated_at) values ($1, $2, $3, $4)
             on conflict (site, code) do update set definition = excluded.definition, updated_at = excluded.updated_at`,
            [site, d.code, JSON.stringify(d), now],
          );
        return defs.length;
      },
      (n) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: 'U',
          outcome: 'success',
          entity: { kind: 'RelationshipType', id: site },
          fields: defs.map((d) => d.code),
          ...(site !== '*' ? { site } : {}),
          purposeOfUse: decision.purposeOfUse,
          reason: `relationship_types:${n}`,
        },
      ],
    );
  }
}
