/**
 * @module `steward ehr check`: proves a connection works, one step at a time — discovery (the
 * CapabilityStatement, compared with the vendor profile), a SMART token (and the scopes granted),
 * and a read — and says which step failed and why. Reports counts and codes, never content.
 */
import { isStewardError, systemClock, type Clock } from '@steward/core';
import type { ResourceType } from '@medplum/fhirtypes';
import { compareToProfile, parseCapabilityStatement, profileFor } from '../vendors/index.js';
import type { EhrConnection } from '../connections/index.js';
import type { ConnectionClient } from './connection-client.js';

export interface CheckStep {
  readonly step: 'discovery' | 'token' | 'read';
  readonly ok: boolean;
  /** What was found, or why it failed (an error code and message without PHI). */
  readonly detail: string;
  readonly ms: number;
}

export interface CheckReport {
  readonly connection: string;
  readonly ok: boolean;
  readonly steps: readonly CheckStep[];
}

export async function checkConnection(
  connection: EhrConnection,
  { client, auth }: ConnectionClient,
  clock: Clock = systemClock,
): Promise<CheckReport> {
  const steps: CheckStep[] = [];
  const run = async (step: CheckStep['step'], fn: () => Promise<string>): Promise<boolean> => {
    const started = clock.now().getTime();
    try {
      const detail = await fn();
      steps.push({ step, ok: true, detail, ms: clock.now().getTime() - started });
      return true;
    } catch (e) {
      const detail = isStewardError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.name : 'failed';
      steps.push({ step, ok: false, detail, ms: clock.now().getTime() - started });
      return false;
    }
  };
  const profile = profileFor(connection.vendor);
  const discovered = await run('discovery', async () => {
    const support = parseCapabilityStatement(await client.capabilities());
    const gaps = compareToProfile(profile, support);
    const version = support.fhirVersion ?? 'unknown FHIR version';
    return (
      `${Object.keys(support.resources).length} resource types, FHIR ${version}` +
      (support.topicSubscriptions ? ', topic subscriptions' : '') +
      (gaps.length > 0 ? `; ${gaps.length} differences from the ${profile.name} profile` : '')
    );
  });
  const tokened =
    discovered &&
    (await run('token', async () => {
      if (auth === undefined) return 'open server: no SMART client registered';
      await auth.accessToken();
      return `granted ${(auth.grantedScopes ?? connection.scopes).join(' ')} (${auth.alg})`;
    }));
  if (tokened) {
    await run('read', async () => {
      const type = readableType(profile.resources);
      const bundle = await client.search(type, { _count: 1 });
      return `${type} search answered (${bundle.total ?? bundle.entry?.length ?? 0} ${bundle.total !== undefined ? 'in total' : 'on the first page'})`;
    });
  }
  return { connection: connection.name, ok: steps.length === 3 && steps.every((s) => s.ok), steps };
}

/** The first operational type the vendor can search: what Steward reads most. */
function readableType(
  resources: Readonly<Partial<Record<string, { readonly search: readonly string[] }>>>,
): ResourceType {
  for (const t of ['Appointment', 'Encounter', 'ServiceRequest', 'Task', 'Patient'] as const) {
    if ((resources[t]?.search.length ?? 0) > 0) return t;
  }
  return 'Patient';
}
