/**
 * @module The relationships room as the composition root builds it: one object per job, all on
 * the kernel's store, cipher, policy and audit log (passed in, never created here).
 */
import { systemClock, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import { Authority } from '../authority/index.js';
import { GraphExport } from '../export/index.js';
import { ContactGraph } from '../graph/index.js';
import { ContactMigration } from '../migration/index.js';
import { RelationshipTypeCatalog } from '../model/index.js';
import { PatientLinks } from '../patient-links/index.js';

export interface RelationshipsDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
}

export class Relationships {
  /** The per-practice relationship type list. */
  readonly types: RelationshipTypeCatalog;
  /** `show(ctx, id)`: a person with every relationship and note (GET /contacts/:id). */
  readonly graph: ContactGraph;
  /** `allows(ctx, query)`: authority a relationship carries; messaging must call it. */
  readonly authority: Authority;
  /** `run(ctx, source, { site })`: the import with its reconciliation report. */
  readonly migration: ContactMigration;
  /** `export(ctx, site, format)`: JSON, CSV or a FHIR Bundle. */
  readonly exporter: GraphExport;
  /** `contactsOf(ctx, patient)`, `link`, `unlink`: a Steward patient's confirmed party (the patient page). */
  readonly patientLinks: PatientLinks;

  constructor(deps: RelationshipsDeps) {
    const clock = deps.clock ?? systemClock;
    this.types = new RelationshipTypeCatalog(deps.db, deps.policy, deps.audit, clock);
    this.graph = new ContactGraph(deps.db, deps.cipher, deps.policy, deps.audit, this.types, clock);
    this.authority = new Authority(deps.db, deps.cipher, deps.policy, deps.audit, clock);
    this.migration = new ContactMigration(deps.db, deps.cipher, deps.policy, deps.audit, this.types, clock);
    this.exporter = new GraphExport(deps.db, deps.cipher, deps.policy, deps.audit, this.types, clock);
    this.patientLinks = new PatientLinks(deps.db, deps.cipher, deps.policy, deps.audit, this.graph, this.types, clock);
  }
}
