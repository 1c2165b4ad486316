/**
 * @module `steward audit verify|query|export`: integrity, "who accessed this patient", FHIR export.
 * Query and export ask the server; verify reads the store itself, so it also works when the
 * server does not start (after a restore, or to check a copy) — with the server stopped on the
 * embedded store.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { EventEmitter, once } from 'node:events';
import { OperationalError, ValidationError } from '@steward/core';
import type { AuditFilter, AuditRecord } from '@steward/governance';
import { connect, query } from '../client/http.js';
import { withSession, type GlobalOptions } from '../session.js';
import { printJson, printTable, progress } from '../output.js';

export interface FilterFlags {
  readonly patient?: string;
  readonly actor?: string;
  readonly from?: string;
  readonly to?: string;
}

/** Exit 0 when the chain is intact, 1 naming the first bad entry otherwise. */
export async function auditVerify(g: GlobalOptions, o: { json?: boolean }): Promise<number> {
  return withSession(g, async ({ offline, ctx }) => {
    const bar = progress(g.io.stderr, 'verifying');
    const result = await offline
      .verifyAudit(ctx, { onProgress: (p) => bar.update(p.entries, p.total) })
      .finally(() => bar.stop());
    if (o.json === true) printJson(g.io.stdout, result);
    else if (result.ok) {
      g.io.stdout.write(
        `audit chain intact: ${result.entries} entries, ${result.checkpoints} signed checkpoints, head #${result.headSeq} ${result.headHash.slice(0, 16)}…` +
          (result.unsealedEntries > 0 ? ` (${result.unsealedEntries} entries after the last checkpoint)` : '') +
          (result.witnessed !== undefined
            ? `; reaches the checkpoint at #${result.witnessed.seq} witnessed in ${result.witnessed.witness}`
            : '; no witness holds a checkpoint yet') +
          '\n',
      );
    } else {
      g.io.stderr.write(`audit chain BROKEN at entry #${result.firstBadSeq} (${result.problem}): ${result.message}\n`);
    }
    return result.ok ? 0 : 1;
  });
}

export function filterOf(o: FilterFlags): AuditFilter {
  if (o.patient === undefined && o.actor === undefined && o.from === undefined) {
    throw new ValidationError('say what to look for', [
      { path: '--patient/--actor', message: 'give --patient <id>, or --actor <id> with --from/--to' },
    ]);
  }
  for (const [flag, v] of [
    ['--from', o.from],
    ['--to', o.to],
  ] as const) {
    if (v !== undefined && Number.isNaN(new Date(v).getTime())) {
      throw new ValidationError('invalid date', [
        { path: flag, message: 'an ISO date such as 2026-11-22 or 2026-11-22T09:00:00Z' },
      ]);
    }
  }
  // `--from D` alone means that day.
  const to = o.to ?? (o.from !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(o.from) ? nextDay(o.from) : undefined);
  return {
    ...(o.patient !== undefined ? { patientId: o.patient } : {}),
    ...(o.actor !== undefined ? { actorId: o.actor } : {}),
    ...(o.from !== undefined ? { from: o.from } : {}),
    ...(to !== undefined ? { to } : {}),
  };
}

function nextDay(day: string): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
}

export async function auditQuery(
  g: GlobalOptions,
  o: FilterFlags & { json?: boolean; limit?: string; cursor?: string },
): Promise<void> {
  const filter = filterOf(o);
  const page = await connect(g).request<{ items: AuditRecord[]; next?: number; patientsMatched?: number }>(
    'GET',
    `/audit/events${query({
      patient: filter.patientId,
      actor: filter.actorId,
      from: filter.from,
      to: filter.to,
      limit: o.limit ?? '1000',
      after: o.cursor,
    })}`,
  );
  // The page as every list prints it (`{items, next}`), so a script can follow `next` with --cursor.
  if (o.json === true) {
    printJson(g.io.stdout, page);
    return;
  }
  if (page.patientsMatched === 0) {
    // Not "(none)": nobody accessed a patient Steward does not know, and the term may be mistyped.
    g.io.stdout.write(
      'no patient matches that term: give an MRN (system|value or the bare value), an EHR id, a Steward id, or "Family, Given YYYY-MM-DD"\n',
    );
    return;
  }
  printTable(
    g.io.stdout,
    page.items.map((e) => ({
      seq: e.seq,
      at: e.at,
      actor: `${e.actor.name} (${e.actor.id})`,
      event: e.event,
      outcome: e.outcome,
      patients: (e.patientIds ?? []).join(' '),
      entity: e.entity !== undefined ? `${e.entity.kind}/${e.entity.id}` : '',
      purpose: e.purposeOfUse ?? '',
      breakGlass: e.breakGlassId !== undefined ? 'BREAK-GLASS' : '',
    })),
    ['seq', 'at', 'actor', 'event', 'outcome', 'patients', 'entity', 'purpose', 'breakGlass'],
  );
  if (page.next !== undefined && page.next !== null) g.io.stdout.write(`more: --cursor ${page.next}\n`);
}

export async function auditExport(g: GlobalOptions, o: FilterFlags & { format: string; out?: string }): Promise<void> {
  if (o.format !== 'fhir')
    throw new ValidationError('unknown export format', [{ path: '--format', message: 'fhir (AuditEvent NDJSON)' }]);
  const filter: AuditFilter =
    o.patient === undefined && o.actor === undefined && o.from === undefined ? {} : filterOf(o);
  const res = await connect(g).stream(
    `/audit/export${query({ patient: filter.patientId, actor: filter.actorId, from: filter.from, to: filter.to })}`,
  );
  const file: WriteStream | undefined = o.out !== undefined ? createWriteStream(o.out, { mode: 0o600 }) : undefined;
  const bar = progress(g.io.stderr, 'exporting');
  let events = 0;
  let rest = '';
  const decoder = new TextDecoder();
  if (res.body !== null) {
    for await (const chunk of res.body) {
      const text = decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      events += lines.length;
      bar.update(events);
      // A stream that asks to wait is waited for; a test's collector never asks.
      const out = file ?? g.io.stdout;
      if (out.write(text) === false && out instanceof EventEmitter) await once(out, 'drain');
    }
  }
  bar.stop();
  if (file !== undefined) {
    file.end();
    await once(file, 'finish');
  }
  // A cut-off stream ends mid-line: the server failed midway (its log says why).
  if (rest !== '')
    throw new OperationalError('SERVER_UNAVAILABLE', `the export broke off after ${events} events: retry it`);
  g.io.stderr.write(`exported ${events} AuditEvent resources${o.out !== undefined ? ` to ${o.out}` : ''}\n`);
}
