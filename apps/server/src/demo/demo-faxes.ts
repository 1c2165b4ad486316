/**
 * @module Maria's fax scenario on the demo clinic (docs/scenarios, SCENARIOS.md): once the sandbox
 * clinic has a referral waiting for its report (accepted, scheduled or attended), two faxes from the
 * practice it went to arrive in intake — its consult note, complete, and a second consult note whose
 * signature page did not come through. They are generated for that referral's patient and practice
 * (synthetic data, `@steward/intake/generator`), deterministically, and read like any fax (the local
 * reader): the first is matched, linked to the referral and proposed for filing with the referral's
 * completion; the second lands on the referral coordinators' list naming what is missing.
 *
 * Only on the embedded sandbox, once per data directory (`demo-faxes.json` records the referral they
 * answered; the content hash would find a second drop of the same faxes anyway). The clinic's events
 * reach the workflows a little after start, so it looks every few seconds for a while, in the
 * background, and gives up quietly (said in the log) when no referral waits for a report.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '@steward/core';
import type { Logger } from '@steward/governance';
import { awaitingReport } from '@steward/intake';
import { consultNoteFax } from '@steward/intake/generator';
import type { ReferralItem } from '@steward/workflows';
import type { Kernel } from '../kernel.js';

export function demoFaxesFile(dataDir: string): string {
  return join(dataDir, 'demo-faxes.json');
}

type Name = { given: string; family: string };

/** "Dr Ada Heart" → given Ada, family Heart (a prefix dropped); undefined for an empty name. */
function nameOf(text: string | null | undefined): Name | undefined {
  const words = (text ?? '')
    .replace(/^(dr\.?|doctor)\s+/i, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return undefined;
  return { given: words.length > 1 ? words.slice(0, -1).join(' ') : words[0]!, family: words.at(-1)! };
}

/**
 * The referral at the site the faxes answer: one waiting for its report, the furthest along first
 * (attended, then scheduled, then accepted), then the oldest (the same one on every look).
 */
async function waitingReferral(kernel: Kernel, ctx: RequestContext, site: string): Promise<ReferralItem | undefined> {
  const { items } = await kernel.referrals.list(ctx, { site, limit: 200 });
  return items
    .filter((r) => r.status === 'running' && r.ending === null && awaitingReport.includes(r.stage))
    .filter((r) => r.serviceRequest !== null && r.connectionId !== null)
    .sort(
      (a, b) =>
        awaitingReport.indexOf(b.stage) - awaitingReport.indexOf(a.stage) ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.workflowId.localeCompare(b.workflowId),
    )[0];
}

/** Drops the two faxes for one waiting referral; undefined when none waits yet. */
export async function dropDemoFaxes(
  kernel: Kernel,
  options: { readonly site: string; readonly dataDir: string },
): Promise<{ readonly referral: string; readonly documents: readonly string[] } | undefined> {
  const ctx = await kernel.intakeContext();
  const referral = await waitingReferral(kernel, ctx, options.site);
  if (referral === undefined) return undefined;
  const connectionId = referral.connectionId!;
  const id = referral.serviceRequest!.slice('ServiceRequest/'.length);
  const request = (await kernel.ehr.read(ctx, connectionId, { resourceType: 'ServiceRequest', id })).resource;
  const subject = (request['subject'] as { reference?: string } | undefined)?.reference ?? '';
  const patient = (
    await kernel.ehr.read(ctx, connectionId, { resourceType: 'Patient', id: subject.replace(/^Patient\//, '') })
  ).resource as {
    name?: { given?: string[]; family?: string }[];
    birthDate?: string;
    identifier?: { value?: string; type?: { coding?: { code?: string }[] } }[];
  };
  const mrn =
    patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ??
    patient.identifier?.[0]?.value;
  const given = patient.name?.[0]?.given?.[0];
  const family = patient.name?.[0]?.family;
  if (mrn === undefined || given === undefined || family === undefined || patient.birthDate === undefined)
    return undefined;
  const to = referral.destination;
  const from = nameOf(to?.name) ?? { given: 'Alana', family: 'Hartley' };
  const clinic = to?.organization ?? `${to?.service ?? 'Specialty'} Associates`;
  const input = {
    seed: 19,
    patient: { given, family, birthDate: patient.birthDate, mrn },
    from: { ...from, clinic, specialty: to?.service ?? referral.service ?? 'Specialty' },
    to: nameOf(referral.requester?.name) ?? { given: 'Jordan', family: 'Lee' },
    // The visit the note reports: the day the referral entered its stage (attended, scheduled…).
    date: (referral.stageEnteredAt ?? referral.createdAt).slice(0, 10),
  };
  const documents: string[] = [];
  for (const withoutSignaturePage of [false, true]) {
    const bytes = await consultNoteFax({ ...input, withoutSignaturePage });
    const arrival = await kernel.intake.receive(ctx, {
      site: options.site,
      source: 'folder',
      file: {
        bytes,
        mediaType: 'application/pdf',
        reference: withoutSignaturePage ? 'consult-note-partial.pdf' : 'consult-note.pdf',
      },
      by: { kind: 'service', id: 'demo-fax-line', name: 'Demo fax line' },
    });
    documents.push(...arrival.documents.map((d) => d.id));
  }
  return { referral: referral.workflowId, documents };
}

/**
 * Looks for a waiting referral every `everyMs` until one is found (then drops the faxes once) or
 * `attempts` run out. Returns the stop function.
 */
export function startDemoFaxes(
  kernel: Kernel,
  logger: Logger,
  options: {
    readonly site: string;
    readonly dataDir: string;
    /**
     * Whether the clinic is ready for them: it has played its past up to now (a fax for a referral
     * the replay is about to answer itself would be no scenario at all).
     */
    readonly ready?: () => boolean;
    readonly everyMs?: number;
    readonly attempts?: number;
  },
): () => Promise<void> {
  const file = demoFaxesFile(options.dataDir);
  if (existsSync(file)) return () => Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let left = options.attempts ?? 120;
  const tick = async (): Promise<void> => {
    if (stopped) return;
    try {
      const dropped = options.ready?.() === false ? undefined : await dropDemoFaxes(kernel, options);
      if (dropped !== undefined) {
        mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
        writeFileSync(file, JSON.stringify({ ...dropped, at: kernel.clock.now().toISOString() }, null, 2) + '\n', {
          mode: 0o600,
        });
        logger.info(
          { documents: dropped.documents.length },
          "demo faxes received: a referral's consult note and one missing its signature page (intake queue)",
        );
        return;
      }
    } catch (e) {
      logger.warn({ code: (e as { code?: string }).code ?? 'INTERNAL' }, 'demo faxes not dropped this time');
    }
    if (--left <= 0) {
      logger.info('demo faxes skipped: no referral of the demo clinic waits for its report');
      return;
    }
    if (!stopped) timer = setTimeout(next, options.everyMs ?? 5_000);
  };
  const next = (): void => {
    running = tick();
  };
  timer = setTimeout(next, 0);
  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await running;
  };
}
