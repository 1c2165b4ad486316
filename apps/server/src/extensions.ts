/**
 * @module What a deployment adds to Steward without forking it: its own proposal actions (with the
 * committers of its channel actions) and its own workflow packages. The server and the CLI take a
 * list of extensions (`openKernel(..., { extensions })`, `startServer(..., { extensions })`); the
 * kernel adds their actions to the built-in registry and the workflow runtime registers their
 * workflows in the same catalog as Steward's own. docs/extending.md walks through an example.
 */
import type { Clock } from '@steward/core';
import type { PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';
import type { ActionDefinition, ProposalCommitter } from '@steward/proposals';
import type { WorkflowPackage } from '@steward/workflows';

/** The governed parts an extension's committer is built with: it decides and audits like Steward's own. */
export interface ExtensionParts {
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock: Clock;
}

export interface StewardExtension {
  /** Names the extension in errors and logs. */
  readonly name: string;
  /** Actions its workflows (or people) may propose, next to the built-in ones. */
  readonly actions?: readonly ActionDefinition[];
  /** The committer of each of its channel actions (an EHR action is written by Steward's one EHR writer). */
  committers?(parts: ExtensionParts): Readonly<Record<string, ProposalCommitter>>;
  /** Its workflows, their routes and effects, registered in the server's workflow catalog. */
  readonly workflows?: readonly WorkflowPackage[];
}
