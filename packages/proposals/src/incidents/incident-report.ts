/**
 * @module The incident report as a person reads it (Markdown): the clock first, then who was
 * affected, what happened in order, and what was done to contain it. Ids only, never chart
 * content: the report goes to privacy and legal staff, and may be filed with a notification.
 */
import type { IncidentReport } from './incident-model.js';

export function renderIncidentReport(r: IncidentReport): string {
  const { incident: i, clock } = r;
  const lines: string[] = [
    `# Incident ${i.id}`,
    '',
    `- Status: ${i.status}`,
    `- Opened: ${i.openedAt} by ${i.openedBy}, from ${originText(r)}`,
    `- Discovered: ${clock.discoveredAt}`,
    `- Individuals affected: ${clock.individuals}${clock.largeBreach ? ' (500 or more: notify HHS and the media as well)' : ''}`,
    `- Notify individuals by: ${clock.notifyBy} (${clock.overdue ? `OVERDUE by ${-clock.daysLeft} days` : `${clock.daysLeft} days left`})`,
    `- Window searched: ${r.window.from} to ${r.window.to}`,
    `- Generated: ${r.generatedAt}`,
    '',
    '## Summary',
    '',
    i.summary,
    '',
    '## Patients affected',
    '',
    ...(r.patients.length === 0
      ? ['None identified in the audit trail.']
      : r.patients.map(
          (p) =>
            `- ${p.stewardId !== undefined ? `Steward patient ${p.stewardId}` : ''}${p.stewardId !== undefined && p.ehrRef !== undefined ? ', ' : ''}${p.ehrRef !== undefined ? `EHR ${p.ehrRef}` : ''}`,
        )),
    '',
    '## PHI accesses and writes in scope',
    '',
    '| seq | when | what | kind | who | record | patients | outcome |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.entries.map(
      (e) =>
        `| ${e.seq} | ${e.at} | ${e.event} | ${e.kind} | ${cell(e.actor.name)} (${e.actor.id}) | ${e.entity !== undefined ? cell(`${e.entity.kind}/${e.entity.id}`) : ''} | ${e.patientIds.join(' ')} | ${e.outcome} |`,
    ),
    ...(r.truncated ? ['', '**The audit scan stopped at its limit: narrow the window for a complete list.**'] : []),
    '',
    '## Proposals in scope',
    '',
    ...(r.proposals.length === 0
      ? ['None.']
      : r.proposals.map((p) => `- ${p.id}: ${p.action} on ${cell(p.target)} at ${p.site}, now ${p.status}`)),
    '',
    '## Containment (compensating writes)',
    '',
    ...(i.containment.length === 0
      ? ['None proposed.']
      : i.containment.map(
          (c) =>
            `- Roll back ${c.proposalId}: ${c.status}${c.decidedBy !== undefined ? ` by ${c.decidedBy} at ${c.decidedAt ?? ''}` : ''}${c.outcome !== undefined ? ` (${c.outcome})` : ''}`,
        )),
    '',
  ];
  return lines.join('\n');
}

function originText(r: IncidentReport): string {
  const o = r.incident.origin;
  switch (o.kind) {
    case 'proposal':
      return `proposal ${o.proposalId}`;
    case 'write':
      return `audited write #${o.auditSeq}`;
    case 'patient':
      return `patient ${o.patientId}`;
    case 'range':
      return `time range ${o.from} to ${o.to}`;
  }
}

/** Keeps a table cell one cell: names come from accounts, which may hold a pipe. */
function cell(s: string): string {
  return s.replace(/[|\n\r]/g, ' ');
}
