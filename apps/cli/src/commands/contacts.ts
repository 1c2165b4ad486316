/**
 * @module `steward contacts import|show|export`: the relationships graph, through the server
 * (`phi.write`, `phi.read`, `phi.export`, decided and audited there). Import reads a practice's
 * files here (CSV or JSON, as the mapping says), sends their rows, and prints the server's
 * reconciliation report; the same files sent again resume an interrupted run. Output never
 * carries PHI except what `show` and `export` exist to show; errors name the file, row and field,
 * never a value. Known limit: no progress bar (one request; the server does the work).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@steward/core';
import {
  exportFormats,
  readContactSource,
  type ContactView,
  type GraphExportResult,
  type ReconciliationReport,
} from '@steward/relationships';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export interface ContactsImportFlags {
  readonly mapping: string;
  readonly site?: string;
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

/** Imports, then prints the reconciliation report; exit 1 when it does not reconcile or something was not imported. */
export async function contactsImport(g: GlobalOptions, file: string, o: ContactsImportFlags): Promise<number> {
  const source = await readContactSource(file, o.mapping);
  const report = await connect(g).request<ReconciliationReport>('POST', '/contacts/import', {
    site: o.site ?? 'main',
    ...(o.dryRun === true ? { dryRun: true } : {}),
    mapping: source.mapping,
    digest: source.digest,
    contacts: source.contacts,
    relationships: source.relationships,
    notes: source.notes,
  });
  if (o.json === true) printJson(g.io.stdout, report);
  else printReport(g, report);
  return report.reconciled && report.notImported.length === 0 ? 0 : 1;
}

function printReport(g: GlobalOptions, r: ReconciliationReport): void {
  g.io.stdout.write(
    r.preview
      ? `Dry run (site ${r.site}, source ${r.sourceSystem}): what importing these files would do; nothing was written\n\n`
      : `Import run ${r.runId} (site ${r.site}, source ${r.sourceSystem})${r.resumed ? ', resumed after an interruption' : ''}\n\n`,
  );
  printTable(
    g.io.stdout,
    (['contacts', 'relationships', 'notes'] as const).map((k) => ({ kind: k, ...r[k] })),
    ['kind', 'in', 'created', 'merged', 'updated', 'unchanged', 'notImported'],
  );
  g.io.stdout.write(
    `\nContent hash check: ${r.hashCheck.checked} records, ${r.hashCheck.mismatched.length} mismatched\n`,
  );
  for (const m of r.hashCheck.mismatched) g.io.stdout.write(`  MISMATCH ${m.kind} ${m.location} → ${m.targetId}\n`);
  if (r.notImported.length > 0) {
    g.io.stdout.write(`\nNot imported (${r.notImported.length}):\n`);
    printTable(
      g.io.stdout,
      r.notImported.map((l) => ({ kind: l.kind, file: l.file, row: l.row, field: l.field ?? '', reason: l.reason })),
      ['kind', 'file', 'row', 'field', 'reason'],
    );
  }
  if (r.reviews.length > 0) {
    g.io.stdout.write(`\nPossible duplicates kept apart for review (${r.reviews.length}):\n`);
    printTable(
      g.io.stdout,
      r.reviews.map((v) => ({ contact: v.partyId, candidate: v.candidateId, reason: v.reason })),
      ['contact', 'candidate', 'reason'],
    );
  }
  g.io.stdout.write(
    `\n${r.reconciled ? 'Reconciled: every source row is accounted for.' : 'NOT reconciled: see above.'}\n`,
  );
}

export async function contactsShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  {
    const v = await connect(g).request<ContactView>('GET', `/contacts/${encodeURIComponent(id)}`);
    if (o.json === true) return printJson(g.io.stdout, v);
    const d = v.party.data;
    g.io.stdout.write(`${v.party.name} (${v.party.kind}, ${v.party.id}, site ${v.party.site})\n`);
    if (d.birthDate !== undefined) g.io.stdout.write(`  born ${d.birthDate}\n`);
    for (const t of d.telecom) g.io.stdout.write(`  ${t.system} ${t.value}\n`);
    if (d.address !== undefined) g.io.stdout.write(`  ${d.address}\n`);
    g.io.stdout.write(`\nRelationships (${v.relationships.length}):\n`);
    printTable(
      g.io.stdout,
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
    g.io.stdout.write(`\nNotes (${v.notes.length}):\n`);
    for (const n of v.notes)
      g.io.stdout.write(
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
    g.io.stdout.write(
      `Exported ${c.parties} contacts, ${c.relationships} relationships and ${c.notes} notes (${o.format}) to ${paths.join(', ')}\n`,
    );
  }
}
