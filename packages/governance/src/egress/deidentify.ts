/**
 * @module De-identification of a prompt before it leaves for a destination with no BAA on record:
 * what Steward knows of the patient the prompt is about (their identifiers, found by the patient
 * index's keyed blind indexes; their names and birth date) and generic patterns of the HIPAA Safe
 * Harbor identifiers (dates but the year, phone and fax numbers, e-mail addresses, URLs, IP
 * addresses, SSN-like numbers, labelled record, account and member numbers, any other number of 5
 * digits or more, street addresses and ZIP codes, ages over 89) are replaced with placeholders
 * such as `[NAME]` and `[DATE]`.
 *
 * What it does NOT catch, and why a BAA is still the safe path for clinical text: free-text
 * clinical detail that identifies by itself (a rare diagnosis, an occupation, an event in the
 * news, a relative's name, a town without a street address), names of anyone but the patient
 * (the clinician, family), identifiers of other people, numbers of fewer than 5 digits, dates
 * written in words the patterns do not know ("the Tuesday after Easter"), and misspelled names.
 * Over-redaction is the chosen error: a dose of 50000 units becomes `[NUMBER]`.
 */

/** The kinds of what is replaced, each with its placeholder `[KIND]` (upper case). */
export const removedKinds = [
  'identifier',
  'name',
  'birthdate',
  'email',
  'url',
  'ip',
  'ssn',
  'phone',
  'date',
  'address',
  'zip',
  'age',
  'number',
] as const;
export type RemovedKind = (typeof removedKinds)[number];

/** What Steward knows of the patient a prompt is about. */
export interface KnownPatient {
  /** Family and given names (each replaced wherever it stands as a word). */
  readonly names: readonly string[];
  /** YYYY-MM-DD. */
  readonly birthDate?: string;
}

export interface DeidentifyOptions {
  readonly patient?: KnownPatient;
  /** Whether a token of the prompt is one of the patient's identifiers (MRN, EHR id …). */
  readonly isIdentifier?: (candidate: string) => Promise<boolean>;
  /** Most distinct tokens asked of `isIdentifier`. Default 200. */
  readonly maxIdentifierChecks?: number;
}

export interface Deidentified {
  readonly texts: readonly string[];
  /** How many of each kind were replaced (kinds with none left out). */
  readonly removed: Readonly<Partial<Record<RemovedKind, number>>>;
}

const months =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const streetSuffix =
  '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl)\\.?';

/** Generic patterns, in the order they are applied (an earlier one's placeholder has no digits for a later one to see). */
const patterns: readonly (readonly [RemovedKind, RegExp])[] = [
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  ['url', /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+/gi],
  ['ip', /\b(?:\d{1,3}\.){3}\d{1,3}\b/g],
  ['ssn', /\b\d{3}[- ]\d{2}[- ]\d{4}\b/g],
  // ISO dates and times, US and European numeric dates, and dates with a month's name.
  ['date', /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g],
  ['date', /\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b/g],
  ['date', new RegExp(`\\b${months}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`, 'gi')],
  ['date', new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${months}(?:,?\\s+\\d{4})?\\b`, 'gi')],
  ['phone', /(?:\+?1[-.\s]?)?\(?\b\d{3}\)?[-.\s]?\d{3}[-.\s]?\d{4}\b/g],
  ['phone', /\+\d{1,3}(?:[-.\s]?\d{2,4}){2,5}\b/g],
  ['address', new RegExp(`\\b\\d{1,6}\\s+(?:[A-Z][A-Za-z'.-]*\\s+){1,4}${streetSuffix}(?=\\W|$)`, 'g')],
  ['address', /\b(?:P\.?\s?O\.?\s+Box|Apt\.?|Suite|Unit)\s*#?\s*[A-Za-z0-9-]+\b/gi],
  ['zip', /\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b/g],
  ['zip', /\b\d{5}-\d{4}\b/g],
  // A labelled record, account, member, policy, licence or similar number, whatever its form.
  [
    'identifier',
    /(?<=\b(?:MRN|MR#|medical record(?: number| no\.?)?|record(?: number| no\.?)|account(?: number| no\.?)?|acct\.?|member(?: id| number)?|policy(?: number| no\.?)?|insurance id|licen[cs]e(?: number| no\.?)?|NPI|DEA|patient id|ID)\s*(?:#|:|is|number)?\s*[:#]?\s*)(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}/gi,
  ],
  ['age', /\b(?:9\d|1[0-4]\d)(?:[- ]years?[- ]old|[- ]y\/?o\b|\s+yrs?\b)/gi],
  ['age', /\b(?:aged?|age of)\s+(?:9\d|1[0-4]\d)\b/gi],
  // Any other run of 5 digits or more, or a token mixing letters with 5 digits or more (MRN-like).
  ['number', /\b(?=(?:[A-Za-z-]*\d){5})[A-Za-z0-9][A-Za-z0-9-]*\b/g],
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const placeholder = (kind: RemovedKind): string => `[${kind.toUpperCase()}]`;

/** The ways a birth date (YYYY-MM-DD) is commonly written. */
function birthDateForms(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return [];
  const [, y = '', mo = '', d = ''] = m;
  const mNum = String(Number(mo));
  const dNum = String(Number(d));
  const names = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  const month = names[Number(mo) - 1] ?? '';
  const short = month.slice(0, 3);
  return [
    iso,
    `${mo}/${d}/${y}`,
    `${mNum}/${dNum}/${y}`,
    `${mo}/${d}/${y.slice(2)}`,
    `${mNum}/${dNum}/${y.slice(2)}`,
    `${d}.${mo}.${y}`,
    `${d}/${mo}/${y}`,
    `${month} ${dNum}, ${y}`,
    `${month} ${dNum} ${y}`,
    `${short} ${dNum}, ${y}`,
    `${short} ${dNum} ${y}`,
    `${dNum} ${month} ${y}`,
    `${dNum} ${short} ${y}`,
    `${y}${mo}${d}`,
  ];
}

/**
 * Replaces what it recognises in each text; the texts keep their order. Asynchronous only for
 * the identifier check (a keyed lookup per distinct digit-bearing token).
 */
export async function deidentify(texts: readonly string[], options: DeidentifyOptions = {}): Promise<Deidentified> {
  const removed: Partial<Record<RemovedKind, number>> = {};
  const replace = (text: string, kind: RemovedKind, re: RegExp): string =>
    text.replace(re, () => {
      removed[kind] = (removed[kind] ?? 0) + 1;
      return placeholder(kind);
    });

  let out = [...texts];
  // 1. The patient's own identifiers, as the index knows them (asked of each token with a digit).
  if (options.isIdentifier !== undefined) {
    const candidates = new Set<string>();
    for (const t of out)
      for (const m of t.matchAll(/[A-Za-z0-9][A-Za-z0-9._-]*/g)) {
        const token = m[0].replace(/[._-]+$/, '');
        if (token.length >= 3 && token.length <= 64 && /\d/.test(token)) candidates.add(token);
      }
    const found: string[] = [];
    for (const c of [...candidates].slice(0, options.maxIdentifierChecks ?? 200)) {
      if (await options.isIdentifier(c)) found.push(c);
    }
    for (const id of found.sort((a, b) => b.length - a.length)) {
      const re = new RegExp(`(?<![A-Za-z0-9])${escape(id)}(?![A-Za-z0-9])`, 'g');
      out = out.map((t) => replace(t, 'identifier', re));
    }
  }
  // 2. Their birth date in the usual spellings, then their names as words (longest first).
  const patient = options.patient;
  if (patient?.birthDate !== undefined) {
    for (const form of birthDateForms(patient.birthDate).sort((a, b) => b.length - a.length)) {
      const re = new RegExp(`(?<![A-Za-z0-9])${escape(form)}(?![A-Za-z0-9])`, 'gi');
      out = out.map((t) => replace(t, 'birthdate', re));
    }
  }
  const names = [
    ...new Set((patient?.names ?? []).flatMap((n) => [n.trim(), ...n.split(/[\s-]+/)]).filter((n) => n.length >= 2)),
  ];
  for (const name of names.sort((a, b) => b.length - a.length)) {
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escape(name)}(?![\\p{L}\\p{N}])`, 'giu');
    out = out.map((t) => replace(t, 'name', re));
  }
  // 3. The generic patterns.
  for (const [kind, re] of patterns) out = out.map((t) => replace(t, kind, re));
  return { texts: out, removed };
}
