/**
 * The real-world corpus: public HL7 v2 messages and FHIR R4 resources that nobody at Steward wrote
 * (`tests/corpus/<source>/`, each with its PROVENANCE), fed to a running Steward as an EHR would:
 * HL7 v2 byte for byte over MLLP to the connection's listener, FHIR resources written into the
 * sandbox EHR and picked up by Steward's own polling. Every input must end in one visible outcome —
 * filed (with or without events), flagged on the dead-letter list with a reason, refused with a
 * reason — and the test fails on a crash, a hang, a silent drop (AA with nothing recorded) or a
 * double ACK. It prints the counts per source that `docs/interop.md` reports.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from '@medplum/fhirtypes';
import { followedTypes } from '@steward/ehr';
import { listReferrals } from '@steward/workflows';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { sandboxConnectionName } from './demo/index.js';
import { sandboxServer, smallSeed } from './test-sandbox.js';

const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'corpus');
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

interface Hl7Input {
  readonly source: string;
  readonly file: string;
  readonly bytes: Buffer;
}
interface FhirInput {
  readonly source: string;
  readonly file: string;
  readonly resource: Resource;
}

function sources(): string[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function hl7Inputs(): Hl7Input[] {
  return sources().flatMap((source) =>
    readdirSync(join(corpusDir, source))
      .filter((f) => f.endsWith('.hl7'))
      .sort()
      .map((file) => ({ source, file, bytes: readFileSync(join(corpusDir, source, file)) })),
  );
}

/** Resources as an EHR would hold them: a searchset Bundle's entries are resources of their own. */
function fhirInputs(): FhirInput[] {
  return sources().flatMap((source) =>
    readdirSync(join(corpusDir, source))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((file) => {
        const r = JSON.parse(readFileSync(join(corpusDir, source, file), 'utf8')) as Resource & {
          entry?: { resource?: Resource }[];
        };
        if (r.resourceType !== 'Bundle') return [{ source, file, resource: r }];
        return (r.entry ?? []).flatMap((e, i) =>
          e.resource?.id !== undefined ? [{ source, file: `${file}#entry[${i}]`, resource: e.resource }] : [],
        );
      }),
  );
}

/** One ACK read off the socket: the frames that arrived, split on the MLLP end block. */
class AckReader {
  #buffer = Buffer.alloc(0);
  readonly #frames: string[] = [];
  #waiter: (() => void) | undefined;
  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (;;) {
        const end = this.#buffer.indexOf(FS);
        if (end < 0 || this.#buffer.length < end + 2) break;
        const start = this.#buffer.indexOf(VT);
        this.#frames.push(this.#buffer.subarray(start >= 0 && start < end ? start + 1 : 0, end).toString('utf8'));
        this.#buffer = this.#buffer.subarray(end + 2);
      }
      this.#waiter?.();
    });
  }
  async next(timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        setTimeout(resolve, Math.max(1, deadline - Date.now()));
      });
    }
    return this.#frames.shift();
  }
  get pending(): number {
    return this.#frames.length;
  }
}

interface Ack {
  readonly code: string;
  readonly controlId: string;
  readonly text: string;
}
function readAck(frame: string): Ack {
  const segments = frame.split(/\r\n|\r|\n/);
  const msa = segments.find((s) => s.startsWith('MSA'));
  const field = frame.charAt(3) || '|';
  const f = msa?.split(field) ?? [];
  const err = segments.filter((s) => s.startsWith('ERR')).join(' ');
  return { code: f[1] ?? '', controlId: f[2] ?? '', text: `${f[3] ?? ''} ${err}`.trim() };
}

/** MSH-10 of each message in a frame (a batch carries several). */
function controlIds(text: string): string[] {
  return messagesOf(text).map((m) => m.split(m.charAt(3))[9] ?? '');
}

/** The messages of a frame: from each MSH to the next MSH or batch segment (FHS/BHS/BTS/FTS). */
function messagesOf(text: string): string[] {
  const out: string[][] = [];
  for (const segment of text.split(/\r\n|\r|\n/)) {
    if (segment.startsWith('MSH')) out.push([segment]);
    else if (/^(FHS|BHS|BTS|FTS)/.test(segment)) out.push([]);
    else if (segment !== '') out.at(-1)?.push(segment);
  }
  return out.filter((m) => m.length > 0).map((m) => m.join('\r'));
}

type Outcome = 'filed' | 'flagged' | 'refused' | 'duplicate';
interface Row {
  source: string;
  accepted: number;
  flagged: number;
  refused: number;
  duplicates: number;
  events: number;
  notFollowed: number;
  refusedByEhr: number;
}

function table(rows: Map<string, Row>): string {
  const lines = [
    '| source | filed | flagged | refused (reason given) | true duplicates | events | EHR refused | not followed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows.values())
    lines.push(
      `| ${r.source} | ${r.accepted} | ${r.flagged} | ${r.refused} | ${r.duplicates} | ${r.events} | ${r.refusedByEhr} | ${r.notFollowed} |`,
    );
  return lines.join('\n');
}

// One store is enough to prove the corpus: the run's flow store (PostgreSQL when it has one).
const target = flowTargets()[0]!;

describe(`the real-world corpus against a running Steward (${target.name})`, { skip: !existsSync(corpusDir) }, () => {
  const seedDir = smallSeed();
  let db: TestDatabase;
  let server: RunningServer;
  const report = new Map<string, Row>();
  const reasons: string[] = [];
  const row = (source: string): Row => {
    let r = report.get(source);
    if (r === undefined) {
      r = { source, accepted: 0, flagged: 0, refused: 0, duplicates: 0, events: 0, notFollowed: 0, refusedByEhr: 0 };
      report.set(source, r);
    }
    return r;
  };

  before(async () => {
    db = await target.open();
    server = await sandboxServer(db, seedDir).start();
    await server.ehr!.get(sandboxConnectionName).pollNow(); // the first sync of the seed, out of the way
  });
  after(async () => {
    await server?.stop();
    rmSync(seedDir, { recursive: true, force: true });
    if (report.size > 0)
      console.log(`\nReal-world corpus (${target.name}):\n${table(report)}\n\n${reasons.sort().join('\n')}\n`);
  });

  // The HL7 channel only: the sandbox's own polling files FHIR changes at the same time.
  const inboundCount = async (): Promise<number> =>
    (await db.query<{ n: number }>(`select count(*)::int as n from ehr_inbound where channel = 'hl7v2'`)).rows[0]!.n;
  const eventCount = async (): Promise<number> =>
    (
      await db.query<{ n: number }>(
        `select count(*)::int as n from ehr_events e join ehr_inbound i on i.id = e.inbound_id where i.channel = 'hl7v2'`,
      )
    ).rows[0]!.n;

  it('HL7 v2 over MLLP: one ACK per frame, MSA-2 echoed, every message filed, flagged or refused with a reason', async () => {
    const inputs = hl7Inputs();
    assert.ok(new Set(inputs.map((i) => i.source)).size >= 3, 'at least three HL7 v2 sources');
    const mllp = server.ehr!.get(sandboxConnectionName).mllpAddress!;
    const socket = connect({ host: mllp.host, port: mllp.port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const acks = new AckReader(socket);
    const sent = new Set<string>();
    const problems: string[] = [];
    try {
      for (const input of inputs) {
        const r = row(input.source);
        const text = input.bytes.toString('utf8').replace(/^\uFEFF/, '');
        const digest = createHash('sha256').update(input.bytes).digest('hex');
        const [before, eventsBefore] = [await inboundCount(), await eventCount()];
        socket.write(Buffer.concat([Buffer.from([VT]), input.bytes, Buffer.from([FS, CR])]));
        const frame = await acks.next(15_000);
        const where = `${input.source}/${input.file}`;
        if (frame === undefined) {
          problems.push(`${where}: no ACK within 15 s (hang)`);
          break; // the connection's order is lost; the rest would only repeat this
        }
        const ack = readAck(frame);
        const ids = controlIds(text);
        const single = text.startsWith('MSH');
        // A lone message's ACK echoes its MSH-10; a batch is answered by a batch of ACKs (or refused
        // as a whole, naming the batch).
        if (single && ack.controlId !== ids[0])
          problems.push(`${where}: MSA-2 '${ack.controlId}' does not echo MSH-10 '${ids[0]}'`);
        const added = (await inboundCount()) - before;
        r.events += (await eventCount()) - eventsBefore;
        const digests = messagesOf(text).map((m) => createHash('sha256').update(m).digest('hex'));
        let outcome: Outcome;
        if (ack.code === 'AA' || ack.code === 'CA') {
          if (added > 0) outcome = 'filed';
          else if (sent.has(digest) || (digests.length > 0 && digests.every((d) => sent.has(d)))) outcome = 'duplicate';
          else {
            problems.push(`${where}: acknowledged ${ack.code} but nothing was recorded (silent drop)`);
            continue;
          }
        } else if (ack.code === 'AR' || ack.code === 'AE' || ack.code === 'CR' || ack.code === 'CE') {
          if (ack.text.length === 0) problems.push(`${where}: ${ack.code} without a reason`);
          outcome = added > 0 ? 'flagged' : 'refused';
          reasons.push(`- \`${where}\`: ${ack.code}, ${ack.text.slice(0, 160)}`);
        } else {
          problems.push(`${where}: unreadable ACK ${JSON.stringify(frame.slice(0, 80))}`);
          continue;
        }
        for (const d of digests) sent.add(d);
        sent.add(digest);
        if (outcome === 'filed') r.accepted++;
        else if (outcome === 'flagged') r.flagged++;
        else if (outcome === 'refused') r.refused++;
        else r.duplicates++;
      }
      // A double ACK shows up as a frame nobody asked for.
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (acks.pending > 0) problems.push(`${acks.pending} ACK frame(s) more than frames sent (double ACK)`);
    } finally {
      socket.destroy();
    }
    assert.deepEqual(problems, []);
  });

  it('FHIR R4: every resource the EHR holds is filed or flagged by polling, never dropped', async () => {
    const inputs = fhirInputs();
    assert.ok(new Set(inputs.map((i) => i.source)).size >= 3, 'at least three FHIR sources');
    const ehr = server.sandbox!.ehr;
    const token = await tokenFor(ehr, ['system/*.*']);
    const runtime = server.ehr!.get(sandboxConnectionName);
    const followed = new Set<string>(followedTypes);
    const stored: FhirInput[] = [];
    const problems: string[] = [];
    for (const input of inputs) {
      const { resourceType, id } = input.resource;
      const r = await fhirFetch(ehr, token, 'PUT', `${resourceType}/${id!}`, input.resource);
      if (r.status >= 400) {
        const outcome = r.json as { resourceType?: string; issue?: unknown[] } | undefined;
        if (outcome?.resourceType !== 'OperationOutcome' || (outcome.issue ?? []).length === 0)
          problems.push(`${input.file}: the EHR refused it (${r.status}) without an OperationOutcome`);
        row(input.source).refusedByEhr++;
        reasons.push(
          `- \`${input.source}/${input.file}\`: the EHR refused it, ${JSON.stringify(outcome?.issue?.[0] ?? '').slice(0, 160)}`,
        );
        continue;
      }
      if (!followed.has(resourceType)) row(input.source).notFollowed++;
      else stored.push(input);
    }
    await runtime.pollNow();
    for (const input of stored) {
      const { resourceType, id } = input.resource;
      // A change may arrive first by subscription notification, then again by the poll: the event
      // is filed once (by its change key) under whichever message came first.
      const found = await db.query<{ status: string; reason: string | null }>(
        `select status, reason from ehr_inbound where message_key like $1`,
        [`${resourceType}/${id!}/%`],
      );
      const events = await db.query<{ n: number }>(
        `select count(*)::int as n from ehr_events where dedup_key like $1`,
        [`fhir:${resourceType}/${id!}/%`],
      );
      const r = row(input.source);
      const flagged = found.rows.some((f) => f.status === 'dead-letter');
      if (found.rows.length === 0 && events.rows[0]!.n === 0) {
        problems.push(`${input.source}/${input.file}: the EHR holds it, Steward polled, nothing was recorded`);
        continue;
      }
      if (flagged) {
        r.flagged++;
        reasons.push(
          `- \`${input.source}/${input.file}\`: dead letter, ${found.rows.map((f) => f.reason ?? '').join(' ')}`,
        );
      } else r.accepted++;
      r.events += events.rows[0]!.n;
    }
    assert.deepEqual(problems, []);
  });

  it('referrals as the implementation guides code them start a referral; lab, imaging and directive orders do not', async () => {
    // Read from the standards, not from Steward's rules: the SDOH-CC, US Core SDOH and BSeR requests
    // are referrals (none says "referral" in a code); the US Core lab, imaging, EKG and DNR orders are not.
    const referrals = [
      'foodpantry-referral',
      'rehab',
      'SDOHCC-ServiceRequestActiveFoodPantryApplicationAssistExample',
      'servicerequest-referral-servicerequest',
    ];
    const orders = ['cbc', 'bmp', 'chest-xray', 'ekg', 'DNR'];
    await server.workflows!.settle();
    const tracked = new Map<string, string>();
    for (let cursor: string | undefined; ;) {
      const page = await listReferrals(db, { limit: 200, ...(cursor !== undefined ? { cursor } : {}) });
      for (const r of page.items)
        if (r.serviceRequest !== null) tracked.set(r.serviceRequest, r.recognisedBy?.rule ?? '?');
      if (page.next === undefined) break;
      cursor = page.next;
    }
    const missed = referrals.filter((id) => !tracked.has(`ServiceRequest/${id}`));
    const wrong = orders.filter((id) => tracked.has(`ServiceRequest/${id}`));
    assert.deepEqual({ missed, wrong }, { missed: [], wrong: [] });
  });
});
