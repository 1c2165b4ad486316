/**
 * @module Bench-only: the sandbox EHR for the automation benchmark, in its own process, so the
 * benchmark's CPU figures (node's own `process.cpuUsage()` and the browser's processes) do not
 * include the EHR's work. Starts the sandbox with the Synthea seed and one web user on the port
 * given, then prints one JSON line: its URL, a FHIR token (`tokenFor`) and the seeded patients'
 * ids and identifiers. Ends when its stdin closes (the benchmark's end, or its crash).
 */
import { startSandboxEhr, syntheaSeedSource } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';

const port = Number(process.env['BENCH_EHR_PORT'] ?? 0);
const maxPatients = Number(process.env['BENCH_EHR_PATIENTS'] ?? 8);
const user = JSON.parse(process.env['BENCH_EHR_USER'] ?? '{}') as {
  username: string;
  password: string;
  totpSecret: string;
};

const ehr = await startSandboxEhr({
  port,
  host: '127.0.0.1',
  seed: { fixturesDir: syntheaSeedSource(process.env).dir, maxPatients },
  webUsers: [user],
  accessTokenTtlSeconds: 3_600,
});
const token = await tokenFor(ehr, ['system/*.rs']);
const found = await fhirFetch(ehr, token, 'GET', `Patient?_count=${maxPatients}`);
const patients = ((found.json as { entry?: { resource: { id: string; identifier?: unknown[] } }[] }).entry ?? []).map(
  (e) => ({ id: e.resource.id, identifier: e.resource.identifier ?? [] }),
);
process.stdout.write(`${JSON.stringify({ url: ehr.url, fhirBaseUrl: ehr.fhirBaseUrl, token, patients })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void ehr.close().then(() => process.exit(0));
});
