/**
 * @module `steward contacts import|show|export`: the relationships graph. Show and export ask the
 * server (`phi.read`, `phi.export`, decided and audited there). Import is a bulk migration of a
 * practice's files (larger than an API body, resumable, with progress): it opens the store itself,
 * governed by the same kernel (`phi.write` at the site), so on the embedded store it runs with the
 * server stopped. Output never carries PHI except what `show` and `export` exist to show; errors
 * name the file, row and field, never a value.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@steward/core';
import {
  exportFormats,
  readContactSource,
  type ContactView,
  type Relationships,
  type GraphExportResult,
  type ReconciliationReport,
} from '@steward/relationships';
import { connect, query } from '../client/http.js';
import { withSession, type CliSession, type GlobalOptions } from '../session.js';
import { printJson, printTable, progress } from '../output.js';

function relationshipsOf(s: CliSession): Relationships {
  return s.offline.relationships;
}

export interface ContactsImportFlags {
  readonly mapping: string;
  readonly site?: string;
  readonly json?: boolean;
}

/** Imports, then prints the reconciliation report; exit 1 when it does not reconcile or something was not imported. */
export async function contactsImport(g: GlobalOptions, file: string, o: ContactsImportFlags): Promise<number> {
  const source = await readContactSource(file, o.mapping);
  return withSession(g, async (s) => {
    const bars = {
      contacts: progress('contacts'),
      relationships: progress('relationships'),
      verify: progress('verify'),
    };
    let report: ReconciliationReport;
    try {
      report = await relationshipsOf(s).migration.run(s.ctx, source, {
        site: o.site ?? 'main',
        onProgress: (p) => bars[p.phase].update(p.done, p.total),
      });
    } finally {
      for (const b of Object.values(bars)) b.stop();
    }
    if (o.json === true) printJson(report);
    else printReport(report);
    return report.reconciled && report.notImported.length === 0 ? 0 : 1;
  });
}

function printReport(r: ReconciliationReport): void {
  process.stdout.write(
    `Import run ${r.runId} (site ${r.site}, source ${r.sourceSystem})${r.resumed ? ', resumed after an interruption' : ''}\n\n`,
  );
  printTable(
    (['contacts', 'relationships', 'notes'] as const).map((k) => ({ kind: k, ...r[k] })),
    ['kind', 'in', 'created', 'merged', 'unchanged', 'notImported'],
  );
  process.stdout.write(
    `\nContent hash check: ${r.hashCheck.checked} records, ${r.hashCheck.mismatched.length} mismatched\n`,
  );
  for (const m of r.hashCheck.mismatched) process.stdout.write(`  MISMATCH ${m.kind} ${m.location} → ${m.targetId}\n`);
  if (r.notImported.length > 0) {
    process.stdout.write(`\nNot imported (${r.notImported.length}):\n`);
    printTable(
      r.notImported.map((l) => ({ kind: l.kind, file: l.file, row: l.row, field: l.field ?? '', reason: l.reason })),
      ['kind', 'file', 'row', 'field', 'reason'],
    );
  }
  if (r.reviews.length > 0) {
    process.stdout.write(`\nPossible duplicates kept apart for review (${r.reviews.length}):\n`);
    printTable(
      r.reviews.map((v) => ({ contact: v.partyId, candidate: v.candidateId, reason: v.reason })),
      ['contact', 'candidate', 'reason'],
    );
  }
  process.stdout.write(
    `\n${r.reconciled ? 'Reconciled: every source row is accounted for.' : 'NOT reconciled: see above.'}\n`,
  );
}

export async function contactsShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  {
    const v = await connect(g).request<ContactView>('GET', `/contacts/${encodeURIComponent(id)}`);
    if (o.json === true) return printJson(v);
    const d = v.party.data;
    process.stdout.write(`${v.party.name} (${v.party.kind}, ${v.party.id}, site ${v.party.site})\n`);
    if (d.birthDate !== undefined) process.stdout.write(`  born ${d.birthDate}\n`);
    for (const t of d.telecom) process.stdout.write(`  ${t.system} ${t.value}\n`);
    if (d.address !== undefined) process.stdout.write(`  ${d.address}\n`);
    process.stdout.write(`\nRelationships (${v.relationships.length}):\n`);
    printTable(
      v.relationships.map((r) => ({
        relationship: r.label,
        other: `${r.other.name} (${r.other.id})`,
        from: r.validFrom ?? '',
        to: r.validTo ?? '',
        active: r.active ? 'yes' : 'ended',
        authority: r.permissions.join(','),
        notes: r.notes.length,
      })),
      ['relationship', 'other', 'from', 'to', 'active', 'authority', 'notes'],
    );
    process.stdout.write(`\nNotes (${v.notes.length}):\n`);
    for (const n of v.notes)
      process.stdout.write(
        `  ${n.authoredAt}  ${n.author}  [${n.provenance.system}]\n    ${n.text.replace(/\n/g, '\n    ')}\n`,
      );
  }
}

export async function contactsExport(
  g: GlobalOptions,
  o: { format: string; out: string; site?: string },
): Promise<void> {
  if (!(exportFormats as readonly string[]).includes(o.format))
    throw new ValidationError('unknown export format', [
      { path: '--format', message: `one of ${exportFormats.join(', ')}` },
    ]);
  {
    const result = await connect(g).request<GraphExportResult>(
      'GET',
      `/contacts/export${query({ site: o.site ?? 'main', format: o.format })}`,
    );
    // CSV is three files: --out names a directory. JSON and FHIR are one file: --out names it.
    const paths: string[] = [];
    if (result.files.length === 1 && result.files[0] !== undefined) {
      writeFileSync(o.out, result.files[0].content, { mode: 0o600 });
      paths.push(o.out);
    } else {
      mkdirSync(o.out, { recursive: true, mode: 0o700 });
      for (const f of result.files) {
        writeFileSync(join(o.out, f.name), f.content, { mode: 0o600 });
        paths.push(join(o.out, f.name));
      }
    }
    const c = result.counts;
    process.stdout.write(
      `Exported ${c.parties} contacts, ${c.relationships} relationships and ${c.notes} notes (${o.format}) to ${paths.join(', ')}\n`,
    );
  }
}
