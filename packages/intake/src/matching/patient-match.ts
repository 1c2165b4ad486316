/**
 * @module Finds the patient a document is about from the identifiers read on its page, through
 * the clinic's patient index (found, never created), and only when it is certain: an MRN that finds
 * exactly one patient whose name or birth date agrees with the page (and none disagrees), or, with
 * no MRN on the page, a name and birth date that find exactly one patient — or, when the name as read
 * finds nobody, exactly one patient born that day whose name is one letter off (OCR misreads a letter
 * of a faxed name; two such patients go to a person). A member id that finds a
 * different patient is a conflict. Anything else (nobody, several, a disagreement, an MRN nobody
 * has) goes to a person: never a guess.
 */
import type { RequestContext } from '@steward/core';
import type { ReadFields } from '../model/intake-model.js';

/** A patient as the index shows it: the Steward id and the minimum demographics. */
export interface CandidatePatient {
  readonly id: string;
  readonly family?: string;
  readonly given?: readonly string[];
  readonly birthDate?: string;
}

/** The patient index, as intake searches it (audited by the index as a search by `ctx`). */
export interface PatientCandidates {
  /** Live patients with an identifier of this value (an MRN or a member id as written). */
  byValue(ctx: RequestContext, value: string): Promise<readonly CandidatePatient[]>;
  /** Live patients with this family name, given name and birth date. */
  byNameAndBirthDate(
    ctx: RequestContext,
    family: string,
    given: string,
    birthDate: string,
  ): Promise<readonly CandidatePatient[]>;
  /**
   * Live patients with this birth date whose family or given name is one letter off the one read
   * (not the name itself): asked only when the name as read finds nobody.
   */
  byNearNameAndBirthDate?(
    ctx: RequestContext,
    family: string,
    given: string,
    birthDate: string,
  ): Promise<readonly CandidatePatient[]>;
}

export type MatchOutcome =
  | {
      readonly kind: 'matched';
      readonly patientId: string;
      readonly reason: 'mrn-and-demographics' | 'name-and-birth-date' | 'near-name-and-birth-date';
    }
  | {
      readonly kind: 'needs-match';
      readonly reason:
        | 'no-identifiers'
        | 'mrn-without-name-or-birth-date'
        | 'mrn-unknown'
        | 'mrn-several'
        | 'mrn-disagrees'
        | 'none'
        | 'several'
        | 'near-several'
        | 'member-id-conflict';
      /** How many patients the identifiers found (none, several): for the person who decides. */
      readonly candidates: number;
    };

/** An index search term's parts as written on a page, trimmed; `|` and `,` would change the term's meaning. */
const clean = (v: string | undefined): string | undefined => {
  const t = v?.replace(/[|,]/g, ' ').trim();
  return t === undefined || t === '' ? undefined : t;
};

export async function matchPatient(
  index: PatientCandidates,
  ctx: RequestContext,
  fields: ReadFields,
): Promise<MatchOutcome> {
  const mrn = clean(fields.mrn);
  const family = clean(fields.patientFamily);
  const given = clean(fields.patientGiven) ?? '';
  const birthDate =
    fields.birthDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(fields.birthDate) ? fields.birthDate : undefined;
  const memberId = clean(fields.memberId);
  const members = memberId !== undefined ? await index.byValue(ctx, memberId) : [];
  const memberConflict = (id: string): boolean => members.length > 0 && !members.some((m) => m.id === id);

  if (mrn !== undefined) {
    const hits = await index.byValue(ctx, mrn);
    if (hits.length === 0) return { kind: 'needs-match', reason: 'mrn-unknown', candidates: 0 };
    if (hits.length > 1) return { kind: 'needs-match', reason: 'mrn-several', candidates: hits.length };
    const hit = hits[0] as CandidatePatient;
    if (family === undefined && birthDate === undefined)
      return { kind: 'needs-match', reason: 'mrn-without-name-or-birth-date', candidates: 1 };
    const agrees =
      (family === undefined || sameName(family, hit.family)) &&
      (birthDate === undefined || birthDate === hit.birthDate) &&
      (given === '' || hit.given === undefined || hit.given.length === 0 || hit.given.some((g) => sameGiven(given, g)));
    if (!agrees) return { kind: 'needs-match', reason: 'mrn-disagrees', candidates: 1 };
    if (memberConflict(hit.id)) return { kind: 'needs-match', reason: 'member-id-conflict', candidates: 2 };
    return { kind: 'matched', patientId: hit.id, reason: 'mrn-and-demographics' };
  }
  if (family === undefined || birthDate === undefined)
    return { kind: 'needs-match', reason: 'no-identifiers', candidates: 0 };
  const hits = await index.byNameAndBirthDate(ctx, family, given, birthDate);
  if (hits.length === 0) {
    // A fax's OCR misreads a letter of a name: a single patient born that day whose name is one letter
    // off is the one (two or more go to a person, as always). A member id naming another still conflicts.
    const near = (await index.byNearNameAndBirthDate?.(ctx, family, given, birthDate)) ?? [];
    if (near.length > 1) return { kind: 'needs-match', reason: 'near-several', candidates: near.length };
    const only = near[0];
    if (only === undefined) return { kind: 'needs-match', reason: 'none', candidates: 0 };
    if (memberConflict(only.id)) return { kind: 'needs-match', reason: 'member-id-conflict', candidates: 2 };
    return { kind: 'matched', patientId: only.id, reason: 'near-name-and-birth-date' };
  }
  if (hits.length > 1) return { kind: 'needs-match', reason: 'several', candidates: hits.length };
  const hit = hits[0] as CandidatePatient;
  if (memberConflict(hit.id)) return { kind: 'needs-match', reason: 'member-id-conflict', candidates: 2 };
  return { kind: 'matched', patientId: hit.id, reason: 'name-and-birth-date' };
}

/** Names compared without case, accents, spaces or punctuation (`O'Brien` = `OBRIEN`). */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}]/gu, '');
}

function sameName(read: string, known: string | undefined): boolean {
  return known !== undefined && foldName(read) === foldName(known);
}

/** A given name agrees when equal, or when one is the other's initial (`J` for `Jane`). */
function sameGiven(read: string, known: string): boolean {
  const a = foldName(read);
  const b = foldName(known);
  if (a === b) return true;
  return (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
}

/** `PatientCandidates` over anything with the patient index's `find` (term search, audited there). */
export function patientIndexCandidates(index: {
  find(
    ctx: RequestContext,
    query: { term: string; near?: boolean },
  ): Promise<
    readonly {
      id: string;
      name?: { readonly family: string; readonly given: readonly string[] };
      birthDate?: string;
    }[]
  >;
}): PatientCandidates {
  const view = (p: {
    id: string;
    name?: { readonly family: string; readonly given: readonly string[] };
    birthDate?: string;
  }): CandidatePatient => ({
    id: p.id,
    ...(p.name !== undefined ? { family: p.name.family, given: p.name.given } : {}),
    ...(p.birthDate !== undefined ? { birthDate: p.birthDate } : {}),
  });
  return {
    byValue: async (ctx, value) => (await index.find(ctx, { term: value })).map(view),
    byNameAndBirthDate: async (ctx, family, given, birthDate) =>
      (await index.find(ctx, { term: `${family}, ${given} ${birthDate}` })).map(view),
    byNearNameAndBirthDate: async (ctx, family, given, birthDate) =>
      (await index.find(ctx, { term: `${family}, ${given} ${birthDate}`, near: true })).map(view),
  };
}
