/**
 * @module Workflows register themselves: each package declares its workflow definitions, the routes
 * that feed them from EHR events and the effects they need (`defineWorkflowPackage`), and the server
 * builds one `WorkflowCatalog` from the built-in packages and a deployment's own (docs/extending.md),
 * instead of wiring each one by hand. The catalog refuses two packages claiming one workflow type or
 * one effect kind, with every problem listed at once.
 */
import { ConfigError, type ErrorDetail, type ParticipantRef } from '@steward/core';
import type { SiteClock } from '@steward/clinic';
import type { EffectiveReferralRules } from '@steward/ehr';
import type { EffectHandler, WorkflowDefinition } from '../engine/index.js';
import type { Route } from '../routing/index.js';
import type { HandoffEscalations } from '../handoffs/handoff-package.js';

/** What the host (the server) gives a workflow package to build its routes and effects. */
export interface WorkflowHost {
  /** The site of a connection (kept in workflow state for lists and reports); undefined if unknown. */
  siteOf(connectionId: string): Promise<string | undefined>;
  /** The referral rules in force on a connection (vendor defaults and the site's override). */
  referralRulesOf(connectionId: string): Promise<EffectiveReferralRules>;
  /**
   * The clock of a site with a record (zone, business hours, holidays, quiet hours); undefined for a
   * site without one, whose workflows keep the defaults (America/New_York, calendar days).
   */
  siteClockOf?(site: string): Promise<SiteClock | undefined>;
  /** The clinic directory's word on participants: in or out of the clinic's network (null: it cannot say). */
  networkOf?(connectionId: string, participants: readonly ParticipantRef[]): Promise<readonly ('in' | 'out' | null)[]>;
  /** The patient index's ids of one person: the live patient an id means and those merged into it, live first. */
  patientIdsOf?(patientId: string): Promise<readonly string[]>;
  /** The connections registered at a connection's site, itself included. */
  siteConnectionsOf?(connectionId: string): Promise<readonly string[]>;
  /** The handoff service's system path, for the escalation effects and workflows' raise and close (issue 19). */
  handoffs?: HandoffEscalations;
  /** Whether a site mirrors workflows' handoffs to the EHR as FHIR Tasks (default: no). */
  mirrorTasksOf?(site: string | null): Promise<boolean>;
}

export interface WorkflowPackage {
  /** Names the package in errors and logs (`referrals`, `example-intake`). */
  readonly name: string;
  readonly definitions: readonly WorkflowDefinition[];
  /** The routes that start and signal its workflows from EHR events. */
  routes?(host: WorkflowHost): readonly Route[];
  /** Effects its workflows ask for beyond the shared ones (`proposal.draft`), by kind. */
  effects?(host: WorkflowHost): Readonly<Record<string, EffectHandler>>;
}

/** Declares a workflow package (a name, definitions, routes, effects): checked when the catalog is built. */
export function defineWorkflowPackage(pkg: WorkflowPackage): WorkflowPackage {
  return pkg;
}

/** The workflows one Steward runs: definitions, routes and effects, read by the engine and the router. */
export class WorkflowCatalog {
  readonly definitions: readonly WorkflowDefinition[];
  readonly routes: readonly Route[];
  readonly effects: Readonly<Record<string, EffectHandler>>;
  readonly packages: readonly string[];

  constructor(packages: readonly WorkflowPackage[], host: WorkflowHost) {
    const problems: ErrorDetail[] = [];
    const owner = new Map<string, string>();
    const claim = (what: string, by: string): void => {
      const first = owner.get(what);
      if (first !== undefined && first !== by) problems.push({ path: what, message: `claimed by ${first} and ${by}` });
      else owner.set(what, by);
    };
    // The one effect every workflow shares is the host's: no package may replace it.
    owner.set('effect proposal.draft', 'steward');
    const definitions: WorkflowDefinition[] = [];
    const routes: Route[] = [];
    const effects: Record<string, EffectHandler> = {};
    for (const p of packages) {
      if (owner.has(`package ${p.name}`)) problems.push({ path: `package ${p.name}`, message: 'registered twice' });
      owner.set(`package ${p.name}`, p.name);
      for (const d of p.definitions) {
        claim(`workflow ${d.type}`, p.name);
        definitions.push(d);
      }
      routes.push(...(p.routes?.(host) ?? []));
      for (const [kind, handler] of Object.entries(p.effects?.(host) ?? {})) {
        claim(`effect ${kind}`, p.name);
        effects[kind] = handler;
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    this.definitions = definitions;
    this.routes = routes;
    this.effects = effects;
    this.packages = packages.map((p) => p.name);
  }
}
