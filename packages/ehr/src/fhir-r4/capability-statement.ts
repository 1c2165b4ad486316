/** @module Questions asked of a server's CapabilityStatement: does it support this interaction, this search parameter? */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

/** FHIR R4 restful interaction codes (CapabilityStatement.rest.resource.interaction.code). */
export type FhirInteraction =
  'read' | 'vread' | 'update' | 'patch' | 'delete' | 'history-instance' | 'history-type' | 'create' | 'search-type';

function serverResource(statement: CapabilityStatement, type: string): CapabilityStatementRestResource | undefined {
  const rest = statement.rest?.find((r) => r.mode === 'server');
  return rest?.resource?.find((r) => r.type === type);
}

export function supportsInteraction(
  statement: CapabilityStatement,
  type: string,
  interaction: FhirInteraction,
): boolean {
  return serverResource(statement, type)?.interaction?.some((i) => i.code === interaction) ?? false;
}

/** Looks in the resource's own search parameters, then in those the server declares for all types. */
export function supportsSearchParam(statement: CapabilityStatement, type: string, name: string): boolean {
  if (serverResource(statement, type)?.searchParam?.some((p) => p.name === name) === true) return true;
  const rest = statement.rest?.find((r) => r.mode === 'server');
  return rest?.searchParam?.some((p) => p.name === name) ?? false;
}
