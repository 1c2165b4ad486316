/**
 * @module A connection's referral rules: its vendor profile's defaults and the site's override,
 * read by the referral route for every inbound request (so a change applies to the next message,
 * without a restart), shown and changed by whoever may manage configuration (audited), and
 * `explain`ed for one ServiceRequest so a person can see which rule decides it and why.
 */
import type { ServiceRequest } from '@medplum/fhirtypes';
import { systemClock, UserError, type Clock, type RequestContext } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink, PolicyDecisionPoint } from '@steward/governance';
import type { ConnectionRegistry, EhrConnection } from '../connections/index.js';
import { mapServiceRequest } from '../fhir-model/index.js';
import { isObject } from '../fhir-model/read-elements.js';
import { profileFor } from '../vendors/index.js';
import {
  decideReferral,
  effectiveRules,
  emptyOverride,
  referralCandidate,
  validateOverride,
  type EffectiveReferralRules,
  type ReferralDecision,
  type ReferralRuleOverride,
  type ReferralRuleSet,
} from './referral-rules.js';

export interface ReferralRulesView {
  readonly connection: string;
  readonly vendor: EhrConnection['vendor'];
  readonly defaults: ReferralRuleSet;
  readonly override: ReferralRuleOverride;
  /** 0 while the site has never changed the defaults. */
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
  readonly effective: EffectiveReferralRules;
}

interface Row {
  rules: ReferralRuleOverride;
  version: number;
  updated_by: string;
  updated_at: Date;
}

export class ReferralRuleStore {
  constructor(
    private readonly db: Database,
    private readonly connections: ConnectionRegistry,
    private readonly policy: PolicyDecisionPoint,
    private readonly audit: AuditSink,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The rules in force for a connection, for the router (runs as the workflow service; no PHI). */
  async effectiveFor(connectionId: string): Promise<EffectiveReferralRules> {
    const c = await this.connections.get(connectionId);
    const row = await this.row(c.id);
    return effectiveRules(profileFor(c.vendor).referralRules, row?.rules ?? emptyOverride);
  }

  async show(ctx: RequestContext, connection: string): Promise<ReferralRulesView> {
    await this.policy.enforce(ctx, 'config.manage', {});
    return this.view(await this.connections.get(connection));
  }

  /** Replaces the site's override (an empty one restores the defaults). Audited. */
  async set(ctx: RequestContext, connection: string, input: unknown): Promise<ReferralRulesView> {
    await this.policy.enforce(ctx, 'config.manage', {});
    const c = await this.connections.get(connection);
    const defaults = profileFor(c.vendor).referralRules;
    const override = validateOverride(
      input,
      defaults.rules.map((r) => r.id),
    );
    const now = this.clock.now();
    await this.db.query(
      `insert into ehr_referral_rules (connection_id, rules, version, updated_by, updated_at)
       values ($1, $2, 1, $3, $4)
       on conflict (connection_id) do update set rules = excluded.rules,
         version = ehr_referral_rules.version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [c.id, JSON.stringify(override), ctx.actor.id, now],
    );
    await this.audit.append({
      actor: ctx.actor,
      event: 'ehr.connection_changed',
      action: 'U',
      outcome: 'success',
      entity: { kind: 'EhrConnection', id: c.id },
      site: c.site,
      reason:
        `referral rules of ${c.name} set: ${override.rules.length} site rule(s)` +
        ` [${override.rules.map((r) => r.id).join(', ')}], defaults off [${override.disabled.join(', ')}]` +
        (override.otherwise !== undefined ? `, otherwise ${override.otherwise}` : ''),
    });
    return this.view(c);
  }

  /**
   * Which rule decides a ServiceRequest on this connection, without filing anything. The
   * resource is read for its codes only and not kept; an invalid one is FHIR_INVALID.
   */
  async explain(ctx: RequestContext, connection: string, resource: unknown): Promise<ReferralDecision> {
    await this.policy.enforce(ctx, 'config.manage', {});
    if (!isObject(resource) || resource['resourceType'] !== 'ServiceRequest')
      throw new UserError('FHIR_INVALID', 'explain takes a ServiceRequest resource', [
        { path: 'resourceType', message: 'must be ServiceRequest' },
      ]);
    const c = await this.connections.get(connection);
    const facts = mapServiceRequest(resource as unknown as ServiceRequest);
    return decideReferral(await this.effectiveFor(c.id), referralCandidate(facts, 'ServiceRequest'));
  }

  private async view(c: EhrConnection): Promise<ReferralRulesView> {
    const row = await this.row(c.id);
    const defaults = profileFor(c.vendor).referralRules;
    const override = row?.rules ?? emptyOverride;
    return {
      connection: c.name,
      vendor: c.vendor,
      defaults,
      override,
      version: row?.version ?? 0,
      updatedBy: row?.updated_by ?? null,
      updatedAt: row?.updated_at ?? null,
      effective: effectiveRules(defaults, override),
    };
  }

  private async row(connectionId: string): Promise<Row | undefined> {
    const { rows } = await this.db.query<Row>(
      'select rules, version, updated_by, updated_at from ehr_referral_rules where connection_id = $1',
      [connectionId],
    );
    return rows[0];
  }
}
