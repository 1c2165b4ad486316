/** @module `steward audit verify|query|export`: integrity, "who accessed this patient", FHIR export. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { ValidationError } from '@steward/core';
import { exportFhirAuditEvents, queryAudit, verifyAuditLog, type AuditFilter } from '@steward/governance';
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
  return withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'audit.verify');
    await kernel.audit.flush();
    const bar = progress('verifying');
    const result = await verifyAuditLog(kernel.db, {
      witnesses: kernel.audit.witnesses,
      onProgress: (p) => bar.update(p.entries, p.total),
    });
    bar.stop();
    await kernel.audit.append({
      actor,
      event: 'audit.verified',
      action: 'E',
      outcome: result.ok ? 'success' : 'failure',
    });
    if (o.json === true) printJson(result);
    else if (result.ok) {
      process.stdout.write(
        `audit chain intact: ${result.entries} entries, ${result.checkpoints} signed checkpoints, head #${result.headSeq} ${result.headHash.slice(0, 16)}…` +
          (result.unsealedEntries > 0 ? ` (${result.unsealedEntries} entries after the last checkpoint)` : '') +
          (result.witnessed !== undefined
            ? `; reaches the checkpoint at #${result.witnessed.seq} witnessed in ${result.witnessed.witness}`
            : '; no witness holds a checkpoint yet') +
          '\n',
      );
    } else {
      process.stderr.write(
        `audit chain BROKEN at entry #${result.firstBadSeq} (${result.problem}): ${result.message}\n`,
      );
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

export async function auditQuery(g: GlobalOptions, o: FilterFlags & { json?: boolean; limit?: string }): Promise<void> {
  const filter = filterOf(o);
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'audit.read');
    const page = await queryAudit(kernel.db, kernel.cipher, { ...filter, limit: Number(o.limit ?? 1000) });
    await kernel.audit.append({
      actor,
      event: 'audit.queried',
      action: 'R',
      outcome: 'success',
      ...(o.patient !== undefined ? { patientIds: [o.patient] } : {}),
      query: Object.fromEntries(
        Object.entries(o).filter(([k, v]) => v !== undefined && ['patient', 'actor', 'from', 'to'].includes(k)),
      ),
    });
    if (o.json === true) {
      printJson(page.entries);
      return;
    }
    printTable(
      page.entries.map((e) => ({
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
    if (page.next !== undefined) process.stdout.write(`(more: raise --limit)\n`);
  });
}

export async function auditExport(g: GlobalOptions, o: FilterFlags & { format: string; out?: string }): Promise<void> {
  if (o.format !== 'fhir')
    throw new ValidationError('unknown export format', [{ path: '--format', message: 'fhir (AuditEvent NDJSON)' }]);
  const filter: AuditFilter =
    o.patient === undefined && o.actor === undefined && o.from === undefined ? {} : filterOf(o);
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'audit.export');
    await kernel.audit.flush();
    const out: WriteStream | NodeJS.WriteStream =
      o.out !== undefined ? createWriteStream(o.out, { mode: 0o600 }) : process.stdout;
    const bar = progress('exporting');
    const result = await exportFhirAuditEvents(
      kernel.db,
      kernel.cipher,
      filter,
      async (line) => {
        if (!out.write(`${line}\n`)) await once(out, 'drain');
      },
      { onProgress: (p) => bar.update(p.entries) },
    );
    bar.stop();
    if (out !== process.stdout) {
      (out as WriteStream).end();
      await once(out, 'finish');
    }
    await kernel.audit.append({
      actor,
      event: 'audit.exported',
      action: 'E',
      outcome: 'success',
      reason: `fhir ndjson: ${result.events} events`,
    });
    process.stderr.write(
      `exported ${result.events} AuditEvent resources from ${result.entries} entries${o.out !== undefined ? ` to ${o.out}` : ''}\n`,
    );
  });
}
