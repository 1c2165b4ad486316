/**
 * @module `steward retention policies|set|purge|holds|hold|release`: retention from a terminal,
 * through the server's API (compliance officer, decided and audited there).
 */
import type { Command } from 'commander';
import { ValidationError } from '@steward/core';
import type { HeldPatient, LegalHold, LegalHoldInput, PurgeReport, RetentionPolicy } from '@steward/governance';
import { connect, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export async function retentionPolicies(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  {
    const { items } = await connect(g).request<{ items: RetentionPolicy[] }>('GET', '/retention/policies');
    if (o.json === true) printJson(g.io.stdout, items);
    else
      printTable(
        g.io.stdout,
        items.map((p) => ({
          kind: p.kind,
          days: p.periodDays ?? 'kept',
          version: p.version,
          setBy: p.setBy ?? '',
          setAt: p.setAt ?? '',
        })),
        ['kind', 'days', 'version', 'setBy', 'setAt'],
      );
  }
}

export async function retentionSet(
  g: GlobalOptions,
  kind: string,
  o: { days: string; expectedVersion?: string },
): Promise<void> {
  const days = whole(o.days, '--days');
  const expected = o.expectedVersion !== undefined ? whole(o.expectedVersion, '--expected-version') : undefined;
  const p = await connect(g).request<RetentionPolicy>('PUT', `/retention/policies/${encodeURIComponent(kind)}`, {
    periodDays: days,
    ...(expected !== undefined ? { expectedVersion: expected } : {}),
  });
  g.io.stdout.write(`${p.kind}: kept ${String(p.periodDays)} days (version ${p.version})\n`);
}

export async function retentionPurge(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  {
    const report = await connect(g).request<PurgeReport>('POST', '/retention/purge');
    if (o.json === true) {
      printJson(g.io.stdout, report);
      return;
    }
    printTable(
      g.io.stdout,
      report.kinds.map((k) => ({
        kind: k.kind,
        outcome: k.outcome,
        before: k.before ?? '',
        deleted: k.deleted,
        kept: k.kept,
        more: k.more ? 'yes' : '',
      })),
      ['kind', 'outcome', 'before', 'deleted', 'kept', 'more'],
    );
    if (report.caseHolds > 0) g.io.stdout.write(`purge suspended: ${report.caseHolds} case hold(s) active\n`);
  }
}

export async function retentionHolds(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  {
    const { items } = await connect(g).request<{ items: LegalHold[] }>('GET', '/retention/holds');
    if (o.json === true) printJson(g.io.stdout, items);
    else
      printTable(
        g.io.stdout,
        items.map((h) => ({
          id: h.id,
          scope: h.scope,
          placed: h.placedAt,
          released: h.releasedAt ?? '',
        })),
        ['id', 'scope', 'placed', 'released'],
      );
  }
}

export interface HoldFlags {
  readonly patient?: string;
  readonly ehrPatient?: string;
  readonly identifier?: string[];
  readonly case?: string;
  readonly reason: string;
}

export function holdOf(o: HoldFlags): LegalHoldInput {
  const identifiers = (o.identifier ?? []).map((raw) => {
    const i = raw.indexOf('|');
    if (i <= 0 || i === raw.length - 1)
      throw new ValidationError('invalid identifier', [{ path: '--identifier', message: 'system|value' }]);
    return { system: raw.slice(0, i), value: raw.slice(i + 1) };
  });
  const patient: HeldPatient = {
    ...(o.patient !== undefined ? { stewardId: o.patient } : {}),
    ...(o.ehrPatient !== undefined ? { ehrId: o.ehrPatient } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
  };
  const forPatient = Object.keys(patient).length > 0;
  if (forPatient === (o.case !== undefined))
    throw new ValidationError('say what the hold keeps', [
      {
        path: '--case/--patient',
        message: 'either --case <ref>, or a patient (--patient, --ehr-patient, --identifier)',
      },
    ]);
  return o.case !== undefined
    ? { scope: 'case', caseRef: o.case, reason: o.reason }
    : { scope: 'patient', patient, reason: o.reason };
}

export async function retentionHold(g: GlobalOptions, o: HoldFlags): Promise<void> {
  const input = holdOf(o);
  const hold = await connect(g).request<LegalHold>('POST', '/retention/holds', input);
  g.io.stdout.write(`legal hold ${hold.id} placed (${hold.scope})\n`);
}

export async function retentionRelease(g: GlobalOptions, id: string): Promise<void> {
  await connect(g).request('POST', `/retention/holds/${encodeURIComponent(id)}/release`);
  g.io.stdout.write(`legal hold ${id} released\n`);
}

function whole(v: string, flag: string): number {
  if (!/^\d{1,6}$/.test(v))
    throw new ValidationError('not a whole number', [{ path: flag, message: 'a whole number' }]);
  return Number(v);
}

/** Adds `steward retention …` to the program. */
export function retentionCommands(p: Command, g: () => GlobalOptions): void {
  const retention = p.command('retention').description('retention periods, legal holds and the purge (ADR 0011)');
  retention
    .command('policies')
    .description('the retention period in force per kind of stored data')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => retentionPolicies(g(), o));
  retention
    .command('set <kind>')
    .description('set how long a kind is kept (compliance officer; the audit log: at least 2192 days)')
    .requiredOption('--days <n>', 'days kept')
    .option('--expected-version <n>', 'the version you saw (refused if it changed since)')
    .action(async (kind: string, o: { days: string; expectedVersion?: string }) => retentionSet(g(), kind, o));
  retention
    .command('purge')
    .description('delete what expired now (the server also does it every STEWARD_RETENTION_PURGE_HOURS)')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => retentionPurge(g(), o));
  retention
    .command('holds')
    .description('legal holds, active ones first')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => retentionHolds(g(), o));
  retention
    .command('hold')
    .description("place a legal hold: a patient's data is kept, or (--case) every purge is suspended")
    .option('--patient <id>', 'a Steward patient id')
    .option('--ehr-patient <id>', "the EHR's Patient id")
    .option('--identifier <system|value>', 'a patient identifier (repeatable)', (v: string, all: string[] = []) => [
      ...all,
      v,
    ])
    .option('--case <ref>', 'a case reference: suspends every purge')
    .requiredOption('--reason <text>', 'why (kept sealed)')
    .action(async (o: HoldFlags) => retentionHold(g(), o));
  retention
    .command('release <id>')
    .description('release a legal hold')
    .action(async (id: string) => retentionRelease(g(), id));
}
