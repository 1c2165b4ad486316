/**
 * @module `steward sandbox`: the sandbox EHR on its own, in the foreground — a real FHIR R4 server
 * (Medplum's router, in memory, or kept in `--data-dir` across restarts) seeded from Synthea, with SMART Backend Services and topic
 * subscriptions — optionally with the clinic simulator playing on it and sending its HL7 v2 feed
 * to an MLLP listener (Steward's, or any interface engine's). For development and demos against
 * a Steward started elsewhere; `npm start` runs its own sandbox in-process.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '@steward/core';
import { nextClinicDay } from '@steward/server';
import { startLiveClinic, startSandboxEhr, syntheaSeedSource, type LiveClinic } from '@steward/sandbox-ehr';
import type { CliIo } from '../io.js';

export interface SandboxFlags {
  readonly port: string;
  readonly host: string;
  readonly seedDir?: string;
  /** Where the EHR and its clinic persist across restarts; none keeps everything in memory. */
  readonly dataDir?: string;
  /** `<client-id>=<jwks.json>`, repeatable: SMART clients to register (their public keys). */
  readonly client?: readonly string[];
  readonly scopes: string;
  readonly clinic?: boolean;
  readonly speed: string;
  readonly seed: string;
  /** host:port of the MLLP listener the clinic's HL7 v2 feed goes to. */
  readonly hl7To?: string;
}

/** Runs until `io.untilStopped()` resolves (Ctrl-C for the bin), then closes the EHR and its clinic. */
export async function sandbox(io: CliIo, o: SandboxFlags): Promise<void> {
  const port = whole(o.port, '--port', 0, 65535);
  const speed = whole(o.speed, '--speed', 0, 3_600_000);
  const hl7 = o.hl7To !== undefined ? hostPort(o.hl7To) : undefined;
  const clients = (o.client ?? []).map(parseClient);
  const seed = o.seedDir !== undefined ? { dir: o.seedDir, kind: 'configured' } : syntheaSeedSource(io.env);
  const ehr = await startSandboxEhr({
    port,
    host: o.host,
    seed: { fixturesDir: seed.dir },
    ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
  });
  const scopes = o.scopes.split(/[\s,]+/).filter((s) => s !== '');
  for (const c of clients) ehr.registerClient({ clientId: c.clientId, jwks: c.jwks, allowedScopes: scopes });
  let clinic: LiveClinic | undefined;
  if (o.clinic === true) {
    clinic = await startLiveClinic(ehr, {
      seed: o.seed,
      startDate: nextClinicDay(new Date()),
      ...(hl7 !== undefined ? { hl7 } : {}),
      onError: (e) => io.stderr.write(`clinic step failed: ${(e as { code?: string }).code ?? 'error'}\n`),
    });
    if (speed > 0) clinic.play(speed);
  }
  io.stdout.write(
    [
      ehr.restored
        ? `Sandbox EHR (synthetic data only) continuing with its data in ${o.dataDir ?? ''}`
        : `Sandbox EHR (synthetic data only) seeded with ${ehr.seedReport?.patients ?? 0} patients from ${seed.kind === 'built-in' ? 'the built-in seed' : seed.dir}${o.dataDir !== undefined ? `, kept in ${o.dataDir}` : ''}`,
      `  FHIR R4 base:   ${ehr.fhirBaseUrl}`,
      `  SMART token:    ${ehr.tokenUrl}`,
      `  clients:        ${clients.map((c) => c.clientId).join(', ') || '(none: pass --client <id>=<jwks.json>)'}`,
      `  clinic:         ${clinic === undefined ? 'off (--clinic)' : `playing, ${speed} ms per clinic hour${hl7 !== undefined ? `, HL7 v2 to ${hl7.host}:${hl7.port}` : ''}`}`,
      'Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  await io.untilStopped();
  await clinic?.stop();
  await ehr.close();
}

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError('not a valid number', [{ path: flag, message: `a whole number from ${min} to ${max}` }]);
  return n;
}

function hostPort(value: string): { host: string; port: number } {
  const m = /^([^:]+):(\d+)$/.exec(value);
  if (m === null) throw new ValidationError('not host:port', [{ path: '--hl7-to', message: 'e.g. 127.0.0.1:8472' }]);
  return { host: m[1] ?? '', port: whole(m[2] ?? '', '--hl7-to', 1, 65535) };
}

function parseClient(value: string): { clientId: string; jwks: { keys: { kty: string }[] } } {
  const at = value.indexOf('=');
  if (at <= 0)
    throw new ValidationError('a client needs an id and a key set', [
      { path: '--client', message: '<client-id>=<jwks.json>' },
    ]);
  const file = value.slice(at + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ValidationError('the key set file is not readable JSON', [{ path: '--client', message: file }]);
  }
  const keys = (parsed as { keys?: unknown }).keys ?? [parsed];
  if (!Array.isArray(keys) || !keys.every((k) => typeof (k as { kty?: unknown }).kty === 'string'))
    throw new ValidationError('the key set has no keys', [{ path: '--client', message: 'a JWKS or one public JWK' }]);
  if (keys.some((k) => (k as { d?: unknown }).d !== undefined))
    throw new ValidationError('that is a private key', [{ path: '--client', message: 'give the public JWK only' }]);
  return { clientId: value.slice(0, at), jwks: { keys: keys as { kty: string }[] } };
}
