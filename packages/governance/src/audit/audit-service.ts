/**
 * @module `AuditService`: reading the audit trail as a governed act. Each method takes the request
 * context first and does the whole act: the policy decision (a denial audited and answered
 * FORBIDDEN by the policy), the read, and the audit entry of the access itself — searching,
 * verifying and exporting the trail are each on the trail.
 *
 * The policy is a port (`AuditAccessPolicy`): the decision point lives above the audit log and
 * imports it, so the audit folder names only what it needs of it.
 */
import { systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Sql } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { auditEvents, sourceOf, type AuditEntryInput, type AuditEvent } from './audit-entry.js';
import type { VerifyResult } from './chain-verifier.js';
import { toFhirAuditEvents } from './fhir-export.js';
import { iterateAudit, queryAudit, type AuditFilter, type AuditRecord } from './query.js';
import { verifyAuditLog } from './verify.js';
import type { AuditWitness } from './witness.js';

/** What the service needs of the policy decision point: enforce one permission, or throw FORBIDDEN. */
export interface AuditAccessPolicy {
  enforce(ctx: RequestContext, action: 'audit.read' | 'audit.verify' | 'audit.export'): Promise<unknown>;
}

/**
 * Every Steward patient id a patient search term stands for (an MRN as `system|value` or bare
 * value, an EHR id, a Steward id, or `Family, Given YYYY-MM-DD`), with the ids merged into them:
 * the patient index above governance implements it. Called after `audit.read` was decided; ids only.
 */
export interface AuditPatientLookup {
  patientIdsFor(ctx: RequestContext, term: string): Promise<readonly string[]>;
}

/** What the service needs of the audit log: append, flush, and the witnesses verification checks. */
export interface AuditTrailWriter {
  append(entry: AuditEntryInput): Promise<{ readonly seq: number }>;
  flush(): Promise<void>;
  readonly witnesses: readonly AuditWitness[];
}

/**
 * A search of the trail as asked (the API's query parameters). The audit entry of the search
 * records these as given; `event` is a comma-separated list of event codes.
 */
export interface AuditSearch {
  readonly patient?: string;
  readonly actor?: string;
  readonly event?: string;
  /** ISO date or date-time, inclusive. */
  readonly from?: string;
  /** ISO date or date-time, exclusive. */
  readonly to?: string;
  /** A break-glass episode's id: the entries of what was done under it. */
  readonly breakGlass?: string;
}

export interface AuditSearchPage extends AuditSearch {
  /** Most entries returned (decimal). */
  readonly limit?: string;
  /** Keyset paging: only entries with seq greater than this (decimal). */
  readonly after?: string;
}

export interface AuditAnswerPage {
  readonly items: readonly AuditRecord[];
  /** Pass as `after` for the next page; undefined on the last. */
  readonly next: number | undefined;
  /**
   * With a `patient` term: how many Steward patients it stands for (0: the term names nobody the
   * index knows, so "no entries" is not "nobody accessed them").
   */
  readonly patientsMatched?: number;
}

export type AuditVerification = VerifyResult & {
  /** ISO-8601, when the verification started. */
  readonly checkedAt: string;
  /** The last entry known good (seq 0, time null: nothing verified). */
  readonly verifiedTo: { readonly seq: number; readonly at: string | null };
};

/** The NDJSON lines of an export (each ends in a newline); its return value counts what was sent. */
export type AuditExportLines = AsyncGenerator<string, { entries: number; events: number }, undefined>;

export interface AuditServiceDeps {
  readonly db: Sql;
  readonly cipher: FieldCipher;
  readonly audit: AuditTrailWriter;
  readonly policy: AuditAccessPolicy;
  readonly clock?: Clock;
  /** Resolves `patient` search terms; without it a term is taken as a Steward id, as given. */
  readonly patients?: AuditPatientLookup;
}

export class AuditService {
  readonly #db: Sql;
  readonly #cipher: FieldCipher;
  readonly #audit: AuditTrailWriter;
  readonly #policy: AuditAccessPolicy;
  readonly #clock: Clock;
  readonly #patients: AuditPatientLookup | undefined;

  constructor(deps: AuditServiceDeps) {
    this.#db = deps.db;
    this.#cipher = deps.cipher;
    this.#audit = deps.audit;
    this.#policy = deps.policy;
    this.#clock = deps.clock ?? systemClock;
    this.#patients = deps.patients;
  }

  /** The event codes a search and an export filter by (needs `audit.read`; not itself audited). */
  async eventCodes(ctx: RequestContext): Promise<{ codes: readonly AuditEvent[] }> {
    await this.#policy.enforce(ctx, 'audit.read');
    return { codes: auditEvents };
  }

  /** One page of the entries a search finds, by seq; the search is audited (`audit.queried`). */
  async query(ctx: RequestContext, search: AuditSearchPage): Promise<AuditAnswerPage> {
    await this.#policy.enforce(ctx, 'audit.read');
    const patientIds = await this.#patientIdsOf(ctx, search);
    const page = await queryAudit(this.#db, this.#cipher, {
      ...filterOf(search, patientIds),
      ...(search.limit !== undefined ? { limit: Number(search.limit) } : {}),
      ...(search.after !== undefined ? { after: Number(search.after) } : {}),
    });
    await this.#audit.append({
      actor: ctx.actor,
      event: 'audit.queried',
      action: 'R',
      outcome: 'success',
      ...(patientIds !== undefined && patientIds.length > 0 ? { patientIds } : {}),
      query: definedOnly(search),
    });
    return {
      items: page.entries,
      next: page.next,
      ...(patientIds !== undefined ? { patientsMatched: patientIds.length } : {}),
    };
  }

  /**
   * Verifies the chain and checkpoints from genesis (after flushing what is queued) and says up to
   * which entry it holds; the verification is audited (`audit.verified`, failure when it broke).
   */
  async verify(ctx: RequestContext): Promise<AuditVerification> {
    await this.#policy.enforce(ctx, 'audit.verify');
    await this.#audit.flush();
    const checkedAt = this.#clock.now().toISOString();
    const result = await verifyAuditLog(this.#db, { witnesses: this.#audit.witnesses });
    // The last entry known good: the head when the chain holds, the one before the first bad one otherwise.
    const goodSeq = result.ok ? result.headSeq : result.firstBadSeq - 1;
    const at =
      goodSeq > 0
        ? ((await this.#db.query<{ at: Date | string }>('select at from audit_log where seq = $1', [goodSeq])).rows[0]
            ?.at ?? null)
        : null;
    await this.#audit.append({
      actor: ctx.actor,
      event: 'audit.verified',
      action: 'E',
      outcome: result.ok ? 'success' : 'failure',
      reason: result.ok ? `verified-to:${goodSeq}` : `${result.problem}:${result.firstBadSeq}`,
    });
    return {
      ...result,
      checkedAt,
      verifiedTo: { seq: goodSeq, at: at === null ? null : new Date(at).toISOString() },
    };
  }

  /**
   * The entries a search finds as FHIR R4 AuditEvent (IHE BALP) NDJSON lines, in seq order. The
   * export is audited (`audit.exported`) and flushed before this returns, so before the first line
   * leaves: an export that breaks off midway is still on record. BALP gives each patient of an
   * entry its own AuditEvent; exporting one patient's trail keeps only that patient's (an entry
   * that also touched others is still exported, for this patient).
   */
  async export(ctx: RequestContext, search: AuditSearch): Promise<AuditExportLines> {
    await this.#policy.enforce(ctx, 'audit.export');
    const patientIds = await this.#patientIdsOf(ctx, search);
    await this.#audit.append({
      actor: ctx.actor,
      event: 'audit.exported',
      action: 'E',
      outcome: 'success',
      ...(patientIds !== undefined && patientIds.length > 0 ? { patientIds } : {}),
      query: definedOnly(search),
      source: sourceOf(ctx),
      reason: 'fhir-ndjson',
    });
    await this.#audit.flush();
    return this.#lines(filterOf(search, patientIds), patientIds);
  }

  /**
   * The Steward ids a search's `patient` term stands for: through the patient index when there is
   * one (an MRN finds the patient's id and the ids merged into it), else the term itself.
   */
  async #patientIdsOf(ctx: RequestContext, search: AuditSearch): Promise<readonly string[] | undefined> {
    if (search.patient === undefined) return undefined;
    if (this.#patients === undefined) return [search.patient];
    return this.#patients.patientIdsFor(ctx, search.patient);
  }

  async *#lines(filter: AuditFilter, patients: readonly string[] | undefined): AuditExportLines {
    let entries = 0;
    let events = 0;
    for await (const record of iterateAudit(this.#db, this.#cipher, filter)) {
      entries++;
      for (const event of toFhirAuditEvents(record)) {
        if (
          patients !== undefined &&
          !event.entity?.some((e) => patients.some((p) => e.what?.reference === `Patient/${p}`))
        )
          continue;
        yield `${JSON.stringify(event)}\n`;
        events++;
      }
    }
    return { entries, events };
  }
}

function filterOf(q: AuditSearch, patientIds: readonly string[] | undefined): AuditFilter {
  return {
    // A term that names no patient matches no entry (an empty list), not every entry.
    ...(patientIds !== undefined ? { patientIds } : {}),
    ...(q.actor !== undefined ? { actorId: q.actor } : {}),
    ...(q.event !== undefined ? { events: [...new Set(q.event.split(','))] as AuditEvent[] } : {}),
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: q.to } : {}),
    ...(q.breakGlass !== undefined ? { breakGlassId: q.breakGlass } : {}),
  };
}

const definedOnly = (q: object): Record<string, string> =>
  Object.fromEntries(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string'));
