/**
 * The EHR as the applier sees it: read the current version (and an older one, for a conflict's
 * diff), and write through the one EHR writer. `EhrWriterPort` is the real one; it writes as the
 * connection's own interface actor (which holds `ehr.write`), not as the reviewer or workflow
 * that asked, whose request id and workflow still travel with the write's audit.
 */
import type { RequestContext } from '@steward/core';
import type { EhrWriter, WriteOutcome, WriteRequest, WriteTarget } from '@steward/ehr';

type ResourceType = Parameters<WriteTarget['client']['read']>[0];

export interface EhrResource {
  readonly resource: Readonly<Record<string, unknown>>;
  readonly versionId: string | undefined;
}

export interface EhrPort {
  read(connectionId: string, resourceType: string, id: string): Promise<EhrResource>;
  /** An older version, or undefined when the EHR keeps no history for it. */
  readVersion(
    connectionId: string,
    resourceType: string,
    id: string,
    versionId: string,
  ): Promise<Readonly<Record<string, unknown>> | undefined>;
  write(connectionId: string, request: WriteRequest, requestedBy: RequestContext): Promise<WriteOutcome>;
}

/** How to reach one connection: its FHIR client and site, and the actor that writes to it. */
export interface ConnectionAccess {
  readonly target: WriteTarget;
  readonly actor: RequestContext['actor'];
}

export class EhrWriterPort implements EhrPort {
  constructor(
    private readonly writer: EhrWriter,
    private readonly connections: (connectionId: string) => Promise<ConnectionAccess>,
  ) {}

  async read(connectionId: string, resourceType: string, id: string): Promise<EhrResource> {
    const { target } = await this.connections(connectionId);
    const r = await target.client.read(resourceType as ResourceType, id);
    return { resource: r.resource as unknown as Record<string, unknown>, versionId: r.versionId };
  }

  async readVersion(
    connectionId: string,
    resourceType: string,
    id: string,
    versionId: string,
  ): Promise<Readonly<Record<string, unknown>> | undefined> {
    const { target } = await this.connections(connectionId);
    try {
      const r = await target.client.vread(resourceType as ResourceType, id, versionId);
      return r.resource as unknown as Record<string, unknown>;
    } catch {
      // No history at this EHR (or not this version): the diff falls back to the proposal's payload.
      return undefined;
    }
  }

  async write(connectionId: string, request: WriteRequest, requestedBy: RequestContext): Promise<WriteOutcome> {
    const { target, actor } = await this.connections(connectionId);
    const ctx: RequestContext = {
      actor,
      ...(requestedBy.workflow !== undefined ? { workflow: requestedBy.workflow } : {}),
      ...(requestedBy.requestId !== undefined ? { requestId: requestedBy.requestId } : {}),
    };
    return this.writer.write(ctx, target, request);
  }
}
