/**
 * @module `steward incidents open|list|show|report|approve|reject|close`: incident response from a
 * terminal, through the server's API (governed, audited there). A compliance officer opens, reads
 * and reports; a reviewer at the site approves or rejects each proposed rollback.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ValidationError } from '@steward/core';
import type { Incident, IncidentOrigin } from '@steward/proposals';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { printJson, printTable } from '../output.js';

export interface OpenFlags {
  readonly proposal?: string;
  readonly write?: string;
  readonly patient?: string;
  readonly from?: string;
  readonly to?: string;
  readonly summary: string;
  readonly discovered?: string;
  readonly json?: boolean;
}

/** Exactly one origin: --proposal, --write, --patient (with an optional --from/--to), or --from with --to. */
export function originOf(o: OpenFlags): IncidentOrigin {
  const given = [o.proposal, o.write, o.patient].filter((v) => v !== undefined).length;
  const refuse = (): never => {
    throw new ValidationError('say where the incident starts', [
      {
        path: '--proposal/--write/--patient/--from',
        message: 'one of --proposal <id>, --write <audit seq>, --patient <id>, or --from <time> --to <time>',
      },
    ]);
  };
  if (given > 1) refuse();
  if (o.proposal !== undefined) return { kind: 'proposal', proposalId: o.proposal };
  if (o.write !== undefined) {
    if (!/^\d{1,15}$/.test(o.write))
      throw new ValidationError('invalid audit entry', [{ path: '--write', message: 'the seq of an audit entry' }]);
    return { kind: 'write', auditSeq: Number(o.write) };
  }
  if (o.patient !== undefined)
    return {
      kind: 'patient',
      patientId: o.patient,
      ...(o.from !== undefined ? { from: o.from } : {}),
      ...(o.to !== undefined ? { to: o.to } : {}),
    };
  if (o.from !== undefined && o.to !== undefined) return { kind: 'range', from: o.from, to: o.to };
  return refuse();
}

function print(g: GlobalOptions, incident: Incident, json: boolean | undefined): void {
  if (json === true) {
    printJson(g.io.stdout, incident);
    return;
  }
  g.io.stdout.write(
    `incident ${incident.id}: ${incident.status}, opened ${incident.openedAt}, discovered ${incident.discoveredAt}\n`,
  );
  printTable(
    g.io.stdout,
    incident.containment.map((c) => ({
      rollback: c.proposalId,
      site: c.site,
      status: c.status,
      decidedBy: c.decidedBy ?? '',
      outcome: c.outcome ?? '',
    })),
    ['rollback', 'site', 'status', 'decidedBy', 'outcome'],
  );
}

export async function incidentsOpen(g: GlobalOptions, o: OpenFlags): Promise<void> {
  const origin = originOf(o);
  const incident = await connect(g).request<Incident>('POST', '/incidents', {
    origin,
    summary: o.summary,
    ...(o.discovered !== undefined ? { discoveredAt: o.discovered } : {}),
  });
  print(g, incident, o.json);
}

export async function incidentsList(g: GlobalOptions, o: { json?: boolean }): Promise<void> {
  const { items } = await connect(g).request<{ items: Incident[] }>('GET', '/incidents');
  if (o.json === true) printJson(g.io.stdout, items);
  else
    printTable(
      g.io.stdout,
      items.map((i) => ({
        id: i.id,
        status: i.status,
        origin: i.origin.kind,
        opened: i.openedAt,
        rollbacks: i.containment.length,
      })),
      ['id', 'status', 'origin', 'opened', 'rollbacks'],
    );
}

const path = (id: string): string => `/incidents/${encodeURIComponent(id)}`;

export async function incidentsShow(g: GlobalOptions, id: string, o: { json?: boolean }): Promise<void> {
  print(g, await connect(g).request<Incident>('GET', path(id)), o.json);
}

/** The report as Markdown (default) or JSON, to stdout or to `--out`. */
export async function incidentsReport(
  g: GlobalOptions,
  id: string,
  o: { format?: string; out?: string },
): Promise<void> {
  const format = o.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json')
    throw new ValidationError('unknown format', [{ path: '--format', message: 'markdown or json' }]);
  const res = await connect(g).stream(`${path(id)}/report${query({ format })}`);
  const body = await res.text();
  const text = format === 'json' ? `${JSON.stringify(JSON.parse(body), null, 2)}\n` : body;
  if (o.out !== undefined) {
    writeFileSync(o.out, text, { mode: 0o600 }); // it names patients: readable by its owner only
    g.io.stdout.write(`report written to ${o.out}\n`);
  } else g.io.stdout.write(text);
}

export async function incidentsDecide(
  g: GlobalOptions,
  verb: 'approve' | 'reject',
  id: string,
  proposalId: string,
): Promise<void> {
  const incident = await connect(g).request<Incident>(
    'POST',
    `${path(id)}/containment/${encodeURIComponent(proposalId)}/${verb}`,
  );
  print(g, incident, false);
}

export async function incidentsClose(g: GlobalOptions, id: string): Promise<void> {
  print(g, await connect(g).request<Incident>('POST', `${path(id)}/close`), false);
}

/** Adds `steward incidents …` to the program. */
export function incidentCommands(p: Command, g: () => GlobalOptions): void {
  const incidents = p.command('incidents').description('incident response: data in the wrong place (ADR 0011)');
  incidents
    .command('open')
    .description('open an incident (compliance officer); its scope is read from the audit trail, rollbacks proposed')
    .option('--proposal <id>', 'from a proposal that wrote to the wrong chart')
    .option('--write <seq>', 'from an audited write (the seq `steward audit query` prints)')
    .option('--patient <id>', 'everything about one Steward patient (with --from/--to to narrow it)')
    .option('--from <time>', 'start of the window (ISO 8601)')
    .option('--to <time>', 'end of the window (ISO 8601)')
    .requiredOption('--summary <text>', 'what happened (kept sealed: it may name the patient)')
    .option('--discovered <time>', 'when it was discovered (the 60-day clock starts here; default now)')
    .option('--json', 'print it as JSON')
    .action(async (o: OpenFlags) => incidentsOpen(g(), o));
  incidents
    .command('list')
    .description('incidents, newest first')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => incidentsList(g(), o));
  incidents
    .command('show <id>')
    .description('an incident and its proposed, applied and rejected rollbacks')
    .option('--json', 'print it as JSON')
    .action(async (id: string, o: { json?: boolean }) => incidentsShow(g(), id, o));
  incidents
    .command('report <id>')
    .description('the report: notification clock, patients, PHI accesses and writes, containment')
    .option('--format <format>', 'markdown or json', 'markdown')
    .option('--out <file>', 'write it to this file (mode 0600) instead of stdout')
    .action(async (id: string, o: { format?: string; out?: string }) => incidentsReport(g(), id, o));
  for (const verb of ['approve', 'reject'] as const)
    incidents
      .command(`${verb} <id> <proposalId>`)
      .description(`${verb} a proposed rollback (a reviewer at the site, not who proposed it)`)
      .action(async (id: string, proposalId: string) => incidentsDecide(g(), verb, id, proposalId));
  incidents
    .command('close <id>')
    .description('close an incident')
    .action(async (id: string) => incidentsClose(g(), id));
}
