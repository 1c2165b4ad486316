/**
 * @module How the directory is kept current by the EHR's own event flow. The router hands it each
 * batch of journal events before routing them: every practitioner, role, organization, location and
 * service an event names (HL7 PV1-7/8/9/17, AIL/AIP, PRD, ROL; FHIR references with their display)
 * is recorded; a FHIR resource a referral names by id is read through the EHR's governed read-only
 * reader (as the workflows' account, audited there) with the entries it points at (one level: a
 * role's practitioner, organization, locations and services), unless it was read before. A read that
 * fails leaves the entry as the reference knew it, `unresolved` when nothing named it, with the
 * error's code; the next event naming it tries again. Failures to store propagate, so the router's
 * round fails and repeats (recording is idempotent).
 */
import type { EhrEvent, ParticipantRef, RequestContext } from '@steward/core';
import { isDirectoryKind, participantFacts, type DirectoryFacts, type DirectoryKind } from './directory-model.js';
import type { DirectoryService } from './directory-service.js';
import { directoryFactsFromFhir, linkedReferences } from './map-fhir.js';

/** Reads one resource from the EHR (the governed, read-only reader); rejects with a coded error. */
export type DirectoryResourceReader = (
  ctx: RequestContext,
  connectionId: string,
  ref: { readonly resourceType: DirectoryKind; readonly id: string },
) => Promise<unknown>;

export interface DirectoryLearnerOptions {
  readonly directory: DirectoryService;
  /** The account that learns (directory.learn) and reads the EHR (phi.read at the connection's site). */
  readonly ctx: RequestContext;
  /** Absent: nothing is read from the EHR (an HL7-only deployment); references are still recorded. */
  readonly read?: DirectoryResourceReader;
}

export interface LearnRound {
  readonly recorded: number;
  readonly read: number;
  readonly failed: number;
}

export class DirectoryLearner {
  readonly #o: DirectoryLearnerOptions;

  constructor(options: DirectoryLearnerOptions) {
    this.#o = options;
  }

  /** Records what a batch of one connection's events names, and reads what referrals name by id. */
  async observe(connectionId: string, events: readonly EhrEvent[]): Promise<LearnRound> {
    const facts: DirectoryFacts[] = [];
    const toRead = new Map<string, { resourceType: DirectoryKind; id: string }>();
    for (const event of events) {
      const source = event.channel === 'hl7v2' ? 'hl7v2' : 'reference';
      const named = participantsOf(event);
      for (const p of named) facts.push(participantFacts(p, source));
      if (event.facts.kind === 'Referral' && event.channel !== 'hl7v2')
        for (const p of named)
          if (p.ehrId !== undefined) toRead.set(`${p.kind}/${p.ehrId}`, { resourceType: p.kind, id: p.ehrId });
    }
    // A batch names the same people and places again and again: each distinct fact once.
    const distinct = [...new Map(facts.map((f) => [JSON.stringify(f), f])).values()];
    await this.#o.directory.learn(this.#o.ctx, connectionId, distinct);
    let read = 0;
    let failed = 0;
    const seen = new Set<string>();
    let wave = [...toRead.values()];
    // The named resources, then (once) what they point at.
    for (let depth = 0; depth < 2 && wave.length > 0 && this.#o.read !== undefined; depth++) {
      const next: { resourceType: DirectoryKind; id: string }[] = [];
      for (const ref of wave) {
        const key = `${ref.resourceType}/${ref.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // Read before (maybe by another router this very moment): what it points at may not be yet,
        // and this batch's referrals are routed only after this returns, so follow its links too.
        const known = await this.#o.directory.readBefore(this.#o.ctx, connectionId, ref.resourceType, ref.id);
        let outcome: Pick<DirectoryFacts, 'links'> | undefined = known !== undefined ? { links: known } : undefined;
        if (outcome === undefined) {
          outcome = await this.#readOne(connectionId, ref);
          if (outcome === undefined) {
            failed++;
            continue;
          }
          read++;
        }
        for (const linked of linkedReferences(outcome)) {
          const [kind, id] = linked.split('/');
          if (kind !== undefined && id !== undefined && isDirectoryKind(kind)) next.push({ resourceType: kind, id });
        }
      }
      wave = next;
    }
    return { recorded: facts.length, read, failed };
  }

  async #readOne(
    connectionId: string,
    ref: { resourceType: DirectoryKind; id: string },
  ): Promise<DirectoryFacts | undefined> {
    const { directory, ctx } = this.#o;
    let facts: DirectoryFacts | undefined;
    try {
      facts = directoryFactsFromFhir(await this.#o.read!(ctx, connectionId, ref));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // Keep it visible: the reference is recorded (unresolved if nameless) with why it could not be read.
      await directory.learn(ctx, connectionId, [
        { kind: ref.resourceType, ehrId: ref.id, identifiers: [], source: 'reference' },
      ]);
      await directory.noteReadFailure(
        ctx,
        connectionId,
        ref.resourceType,
        ref.id,
        typeof code === 'string' ? code : 'INTERNAL',
      );
      return undefined;
    }
    if (facts === undefined || facts.kind !== ref.resourceType) {
      await directory.learn(ctx, connectionId, [
        { kind: ref.resourceType, ehrId: ref.id, identifiers: [], source: 'reference' },
      ]);
      await directory.noteReadFailure(ctx, connectionId, ref.resourceType, ref.id, 'FHIR_INVALID');
      return undefined;
    }
    // The EHR answered with its id: the entry is the one the reference named.
    await directory.learn(ctx, connectionId, [{ ...facts, ehrId: ref.id }]);
    return facts;
  }
}

/** Every directory participant an event names. */
export function participantsOf(event: Pick<EhrEvent, 'facts'>): ParticipantRef[] {
  const f = event.facts;
  const out: (ParticipantRef | undefined)[] = [];
  switch (f.kind) {
    case 'Appointment':
      out.push(...f.participants);
      break;
    case 'Referral':
      out.push(f.requester, ...f.performers);
      break;
    case 'Task':
      out.push(f.owner);
      break;
    case 'Encounter':
      out.push(f.location, f.serviceProvider, ...(f.participants ?? []));
      break;
    case 'Document':
      out.push(f.author);
      break;
    case 'Order':
    case 'Result':
    case 'Patient':
    case 'Merge':
      break;
  }
  return out.filter((p): p is ParticipantRef => p !== undefined && isDirectoryKind(p.kind));
}
