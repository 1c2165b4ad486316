/**
 * @module `steward ehr add|list|check|dead-letters`: EHR connections through the server's API. The
 * private key file is read here and sent to the server, which seals it; the server decides who
 * may register or check a connection.
 */
import { readFileSync } from 'node:fs';
import { importPKCS8, exportJWK } from 'jose';
import { ValidationError } from '@steward/core';
import { vendorIds, type CheckReport, type MllpSettings, type PrivateJwk } from '@steward/ehr';
import { connect, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export interface EhrAddFlags {
  readonly site: string;
  readonly vendor: string;
  readonly timeZone: string;
  readonly fhirBaseUrl?: string;
  readonly clientId?: string;
  readonly privateKey?: string;
  readonly alg?: string;
  readonly kid?: string;
  readonly scopes?: string;
  readonly mllpPort?: string;
  readonly mllpAllow?: string;
  readonly mllpSendingApp?: string;
  readonly mllpSendingFacility?: string;
  readonly mllpRoute?: string;
  readonly mllpIgnore?: string;
  readonly mllpTls?: boolean;
  readonly requestsPerSecond?: string;
  readonly pollInterval?: string;
  readonly zonelessTimes?: string;
  readonly channel?: string;
}

export async function ehrAdd(g: GlobalOptions, name: string, o: EhrAddFlags): Promise<void> {
  if (!(vendorIds as readonly string[]).includes(o.vendor))
    throw new ValidationError('unknown vendor', [{ path: '--vendor', message: `one of ${vendorIds.join(', ')}` }]);
  const privateKey = o.privateKey !== undefined ? await readPrivateKey(o.privateKey, o.alg, o.kid) : undefined;
  const mllpPort = o.mllpPort !== undefined ? integer(o.mllpPort, '--mllp-port') : undefined;
  const rps = o.requestsPerSecond !== undefined ? integer(o.requestsPerSecond, '--requests-per-second') : undefined;
  const poll = o.pollInterval !== undefined ? integer(o.pollInterval, '--poll-interval') : undefined;
  const list = (v: string | undefined): string[] | undefined =>
    v === undefined ? undefined : v.split(/[\s,]+/).filter((s) => s !== '');
  const mllp: MllpSettings = {
    ...(o.mllpAllow !== undefined ? { allowedSources: list(o.mllpAllow) ?? [] } : {}),
    ...(o.mllpSendingApp !== undefined ? { sendingApplications: list(o.mllpSendingApp) ?? [] } : {}),
    ...(o.mllpSendingFacility !== undefined ? { sendingFacilities: list(o.mllpSendingFacility) ?? [] } : {}),
    ...(o.mllpRoute !== undefined ? { routeTypes: list(o.mllpRoute) ?? [] } : {}),
    ...(o.mllpIgnore !== undefined ? { ignoreTypes: list(o.mllpIgnore) ?? [] } : {}),
    ...(o.mllpTls === true ? { tls: true } : {}),
  };
  const zoneless = o.zonelessTimes;
  if (zoneless !== undefined && zoneless !== 'infer' && zoneless !== 'refuse')
    throw new ValidationError('unknown rule', [{ path: '--zoneless-times', message: 'infer or refuse' }]);
  if (o.channel !== undefined && o.channel !== 'fhir-r4' && o.channel !== 'screens')
    throw new ValidationError('unknown channel', [{ path: '--channel', message: 'fhir-r4 or screens' }]);
  const c = await connect(g).request<{ name: string; site: string; vendor: string; fhirBaseUrl: string | null }>(
    'POST',
    '/ehr/connections',
    {
      name,
      site: o.site,
      vendor: o.vendor,
      facilityTimeZone: o.timeZone,
      ...(o.fhirBaseUrl !== undefined ? { fhirBaseUrl: o.fhirBaseUrl } : {}),
      ...(o.clientId !== undefined ? { clientId: o.clientId } : {}),
      ...(privateKey !== undefined ? { privateKey } : {}),
      ...(o.scopes !== undefined ? { scopes: o.scopes.split(/[\s,]+/).filter((s) => s !== '') } : {}),
      ...(mllpPort !== undefined ? { mllpPort } : {}),
      ...(Object.keys(mllp).length > 0 ? { mllp } : {}),
      ...(rps !== undefined ? { budget: { requestsPerSecond: rps } } : {}),
      ...(poll !== undefined ? { pollIntervalSeconds: poll } : {}),
      ...(zoneless !== undefined ? { zonelessTimes: zoneless } : {}),
      ...(o.channel !== undefined ? { channel: o.channel } : {}),
    },
  );
  g.io.stdout.write(
    `EHR connection ${c.name} added for site ${c.site} (${c.vendor}); it acts as service account ehr-${c.name}.\n` +
      (c.fhirBaseUrl !== null
        ? `Register its FHIR server as an egress destination with a BAA if not done yet, then run \`steward ehr check ${c.name}\`.\n`
        : '') +
      (o.channel === 'screens'
        ? `Register the EHR's web origin as an egress destination with a BAA, set the automation account's credentials (steward automation credentials set) and have a screen map approved (steward automation record, maps propose, maps review).\n`
        : ''),
  );
}

interface ConnectionRow {
  name: string;
  site: string;
  vendor: string;
  fhirBaseUrl: string | null;
  facilityTimeZone?: string;
  mllpPort?: number | null;
  requestsPerSecond?: number;
  /** The node (host:pid) that runs it, when several share one PostgreSQL. */
  owner?: { node: string; live: boolean } | null;
}

export async function ehrList(g: GlobalOptions, o: { json?: boolean } = {}): Promise<void> {
  const { items } = await connect(g).request<{ items: ConnectionRow[] }>('GET', '/ehr/connections');
  if (o.json === true) {
    printJson(g.io.stdout, items);
    return;
  }
  const rows = items.map((c) => ({
    name: c.name,
    site: c.site,
    vendor: c.vendor,
    fhirBaseUrl: c.fhirBaseUrl ?? '',
    mllpPort: c.mllpPort ?? '',
    timeZone: c.facilityTimeZone ?? '',
    budget: c.requestsPerSecond !== undefined ? `${c.requestsPerSecond}/s` : '',
    owner: c.owner == null ? '' : `${c.owner.node}${c.owner.live ? '' : ' (gone)'}`,
  }));
  printTable(g.io.stdout, rows, ['name', 'site', 'vendor', 'fhirBaseUrl', 'mllpPort', 'timeZone', 'budget', 'owner']);
}

/** The attention list (dead letters, reused control ids, ignored types, with counts) is listed by an operator acting as the connection (who may file its messages), never with content. */
export async function ehrDeadLetters(g: GlobalOptions, name: string, o: { json?: boolean } = {}): Promise<void> {
  const list = await connect(g).request<{
    items: {
      receivedAt: string;
      kind: string;
      channel: string;
      messageType: string;
      messageKey: string;
      reason: string;
    }[];
    counts: { deadLetter: number; controlIdReused: number; patientNotFound: number; ignored: number };
  }>('GET', `/ehr/connections/${encodeURIComponent(name)}/dead-letters`);
  if (o.json === true) {
    printJson(g.io.stdout, list);
    return;
  }
  const rows = list.items.map((d) => ({
    received: d.receivedAt,
    kind: d.kind,
    channel: d.channel,
    type: d.messageType,
    key: d.messageKey,
    reason: d.reason,
  }));
  printTable(g.io.stdout, rows, ['received', 'kind', 'channel', 'type', 'key', 'reason']);
  const n = list.counts;
  g.io.stdout.write(
    `dead letters: ${n.deadLetter}, control id reused (filed, check them): ${n.controlIdReused}, ` +
      `patient not found in the EHR (nothing drafted): ${n.patientNotFound}, ignored (not routed): ${n.ignored}\n`,
  );
}

/** A private key file: a JWK (JSON) or a PKCS#8 PEM (then `--alg` and `--kid` say how it is used). */
async function readPrivateKey(file: string, alg?: string, kid?: string): Promise<PrivateJwk> {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('{')) {
    const jwk = JSON.parse(text) as PrivateJwk;
    return { ...jwk, ...(alg !== undefined ? { alg } : {}), ...(kid !== undefined ? { kid } : {}) };
  }
  if (alg !== 'RS384' && alg !== 'ES384')
    throw new ValidationError('a PEM key needs its algorithm', [{ path: '--alg', message: 'RS384 or ES384' }]);
  if (kid === undefined)
    throw new ValidationError('a PEM key needs its key id', [{ path: '--kid', message: 'required' }]);
  const key = await importPKCS8(text, alg, { extractable: true });
  return { ...(await exportJWK(key)), alg, kid } as PrivateJwk;
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new ValidationError('not a whole number', [{ path: flag, message: 'must be an integer' }]);
  return n;
}

/** `steward ehr check <name>`: discovery, token, a read — each step's result; exit 1 when one fails. */
export async function ehrCheck(g: GlobalOptions, name: string, o: { json?: boolean } = {}): Promise<number> {
  const report = await connect(g).request<CheckReport>('POST', `/ehr/connections/${encodeURIComponent(name)}/check`);
  if (o.json === true) {
    printJson(g.io.stdout, report);
    return report.ok ? 0 : 1;
  }
  printTable(
    g.io.stdout,
    report.steps.map((s) => ({ step: s.step, result: s.ok ? 'ok' : 'FAILED', ms: s.ms, detail: s.detail })),
    ['step', 'result', 'ms', 'detail'],
  );
  const missing = 3 - report.steps.length;
  if (missing > 0) g.io.stdout.write(`(${missing} later step${missing > 1 ? 's' : ''} not tried)\n`);
  g.io.stdout.write(report.ok ? `EHR connection ${name} works.\n` : `EHR connection ${name} does not work yet.\n`);
  return report.ok ? 0 : 1;
}
