/**
 * @module What is read from a document's text: the patient's name, birth date, MRN and member ID, the
 * document's date, the sender and NPI, the reason, and an electronic signature statement. Only
 * labelled values are taken ("DOB:", "Member ID:", "Date of service:"…): an unlabelled date is never
 * guessed to be a birth date, so a field the page lacks stays absent and the checklist names it.
 * NPIs must pass their check digit, so an OCR misread is dropped rather than filed.
 */
import type { ReadFields } from '../model/intake-model.js';

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/**
 * A date as clinics write it: 03/14/2026, 03-14-2026, 03.14.2026 (US order, month first), March 14,
 * 2026 (the comma optional, as OCR drops it or reads it as ";"), 14 March 2026, 2026-03-14. Two-digit
 * years are not taken: a birth date's century would be a guess.
 */
const DATE = String.raw`(\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}\s*,?\s*\d{4}|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{4}-\d{1,2}-\d{1,2})`;

function monthOf(name: string): number | undefined {
  const index = months.findIndex((mo) => name.toLowerCase().startsWith(mo));
  return index < 0 ? undefined : index + 1;
}

/**
 * OCR's commonest confusions inside numbers, undone: O, o, Q and D read for 0; l, I, | and ! for 1;
 * S for 5, B for 8 — only in a token (between spaces, commas and semicolons) made of nothing but
 * digits, those letters and date separators, with at least one real digit ("l0/lO/2O26",
 * "1O"), so words such as "Oct", "July" or "ID" are left alone.
 */
export function ocrDigits(value: string): string {
  const map: Record<string, string> = {
    O: '0',
    o: '0',
    Q: '0',
    D: '0',
    l: '1',
    I: '1',
    '|': '1',
    '!': '1',
    S: '5',
    B: '8',
  };
  return value.replace(/[^\s,;]+/g, (token) =>
    /^[0-9OoQDlI|!SB/.-]+$/.test(token) && /\d/.test(token)
      ? token.replace(/[OoQDlI|!SB]/g, (c) => map[c] ?? c)
      : token,
  );
}

/** `YYYY-MM-DD` from a written date, or undefined when it is not a real date. */
export function parseDate(written: string): string | undefined {
  let y: number;
  let m: number;
  let d: number;
  const s = written.replace(/\s+/g, ' ').trim();
  let match: RegExpExecArray | null;
  if ((match = /^(\d{1,2}) ?([/.-]) ?(\d{1,2}) ?\2 ?(\d{4})$/.exec(s)) !== null) {
    [m, d, y] = [Number(match[1]), Number(match[3]), Number(match[4])];
  } else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)) !== null) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^([A-Za-z]{3,9})\.? (\d{1,2}) ?,? ?(\d{4})$/.exec(s)) !== null) {
    const month = monthOf(match[1] ?? '');
    if (month === undefined) return undefined;
    [y, m, d] = [Number(match[3]), month, Number(match[2])];
  } else if ((match = /^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})$/.exec(s)) !== null) {
    const month = monthOf(match[2] ?? '');
    if (month === undefined) return undefined;
    [y, m, d] = [Number(match[3]), month, Number(match[1])];
  } else return undefined;
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/** CMS's NPI check: Luhn over `80840` + the ten digits. */
export function validNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits[i] ?? 0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The rest of the line after the first label that matches, for each line of the text. Labels are
 * matched with OCR's stray punctuation allowed between their words ("Date of. Birth:.").
 */
function afterLabel(text: string, label: string): string[] {
  const re = new RegExp(String.raw`^[\W_]*(?:${label})[\s.:;,>'’‘“”"|*_-]*(.*)$`, 'im');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m !== null) out.push(m[1] ?? '');
  }
  return out;
}
/** A labelled value anywhere on a line (not only at its start), for labels that follow other text. */
function afterInlineLabel(text: string, label: string): string[] {
  const re = new RegExp(String.raw`(?:${label})[\s.:;,>'’‘“”"|*_-]*(.*)$`, 'gim');
  return [...text.matchAll(re)].map((m) => m[1] ?? '');
}
/**
 * A date at the start of a value, OCR debris between its parts forgiven ("March 25, .1974",
 * "June 4; 2026", "Octoker:9,..2026", "O3/l4/2026", "April-13, 2026", "December 1,-1994",
 * "1946-05+16", "05/1 1/2026"): digit confusions undone, a ";" taken for a comma, other punctuation
 * between a month's name and its day taken for a space. Found on the calibration seed's OCR text.
 */
function leadingDate(value: string): string | undefined {
  const cleaned = ocrDigits(value.replace(/^[\s\W_]+(?=[\dA-Za-z])/, ''))
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/;/g, ',')
    // "1946-05+16": a plus read for a hyphen between digits.
    .replace(/(?<=\d)\+(?=\d)/g, '-')
    // "05/1 1/2026": a space OCR put inside a day or month.
    .replace(/(?<=[/.-]\d)\s(?=\d[/.-])/g, '')
    // "March'13, 2004", "May:9": punctuation OCR put between a month and its day.
    .replace(/(?<=[A-Za-z])[:.,'’‘-]+(?=\s*\d)/g, ' ')
    // "D.O.B.i 05/18/2004": a colon OCR read as a lone i, l or ! before the date.
    .replace(/^[il!|]\s+(?=\d)/, '')
    .replace(/\s[.]+(?=\d)/g, ' ')
    .replace(/[^A-Za-z0-9/., -]/g, '')
    .replace(/,[.,\s/-]*/g, ', ')
    .replace(/\s+/g, ' ')
    .trim();
  const m = new RegExp(`^${DATE}`).exec(cleaned);
  return m === null ? undefined : parseDate((m[1] ?? '').replace(/\s*,\s*/, ', ').replace(/ ?([/]) ?/g, '$1'));
}
const W = String.raw`[\s\W]*`;
const nameLabels = [
  // "Patient Name" as OCR misreads it ("Patient Natie", "Patient Narne", "Nama"), "Name of patient",
  // "Pt. name", "Meinbar Nama" for "Member Name", "Ra:" for "Re:".
  `pati[ae]nt${W}n(?:a[a-z]{1,2}|[a-z]?(?:m|rn))[ea]`,
  `name${W}of${W}patient`,
  `pt${W}name`,
  'pati[ae]nt',
  `(?:m[a-z]{1,3}b[ae]r|subscriber)(?:${W}n[ao](?:m|rn)[ea])?`,
  'n[ao](?:m|rn)[ea]',
  'r[ea]',
  // A colon OCR read as "?" ("Patient? Drummond, Harper").
].map((l) => String.raw`${l}(?=[\s.]*[:;?])`);
const NAME_WORD = /^[A-Z][A-Za-z'-]+$/;

/** "Family, Given" or "Given Family" from a labelled name, or undefined when it does not look like one. */
export function parseName(value: string): { given: string; family: string } | undefined {
  const v = value
    // OCR of a fax sprinkles accents ("Celéste", "Pembérton"): compared and filed without them.
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\(.*$/, '')
    // "Coldwell; Esme": OCR reads the comma of "Family, Given" as a semicolon.
    .replace(/;/g, ',')
    .replace(/[^A-Za-z,' -]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*,[\s,'-]*/g, ', ')
    .trim()
    .replace(/^[,' -]+|[,' -]+$/g, '');
  const comma = /^([A-Za-z'-]+), ([A-Za-z'-]+)$/.exec(v);
  if (comma !== null && NAME_WORD.test(comma[1] ?? '') && NAME_WORD.test(comma[2] ?? '')) {
    return { family: comma[1] ?? '', given: comma[2] ?? '' };
  }
  const parts = v.split(' ');
  if (parts.length === 2 && parts.every((p) => NAME_WORD.test(p)))
    return { given: parts[0] ?? '', family: parts[1] ?? '' };
  return undefined;
}

export function extractFields(written: string): ReadFields {
  // A fax's OCR sprinkles accents over labels as over names ("Daté:"): read without them.
  const text = written.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const fields: { -readonly [K in keyof ReadFields]: ReadFields[K] } = {};
  names: for (const label of nameLabels) {
    for (const value of afterLabel(text, label)) {
      const name = parseName(value);
      if (name !== undefined) {
        fields.patientFamily = name.family;
        fields.patientGiven = name.given;
        break names;
      }
    }
  }
  // "Birth Data" is OCR's "Birth Date"; "D.0.B.", "D:0.B." and "1.0.B." its "D.O.B." (found on the calibration seed).
  for (const value of afterInlineLabel(
    text,
    String.raw`\bD[O0]B|\bD${W}[O0]${W}B\b|(?<![\w.])[1I|]\.[O0]\.B\.|date${W}of${W}birth|birth${W}dat[ae]`,
  )) {
    const d = leadingDate(value);
    if (d !== undefined) {
      fields.birthDate = d;
      break;
    }
  }
  const dateLabels = String.raw`date${W}of${W}(?:service|visit|request|exam)|order${W}date|notice${W}date|visit${W}date|exam${W}date|date${W}completed|collected|reported|dated|dat[ea](?=[\s.]*[:;!?])`;
  dates: for (const line of text.split('\n')) {
    if (/birth/i.test(line)) continue;
    for (const value of afterInlineLabel(line, String.raw`\b(?:${dateLabels})`)) {
      const d = leadingDate(value);
      if (d !== undefined) {
        fields.documentDate = d;
        break dates;
      }
    }
  }
  const mrn =
    /(?:\bMRN|\bMR\s*#|med(?:ical)?\.?\s*rec(?:ord)?\.?\s*(?:#|no\.?|number)|chart\s*(?:no\.?|#))[\s\W]*([A-Z0-9][A-Z0-9-]{4,})/i.exec(
      text,
    );
  if (mrn !== null) fields.mrn = /^[0-9OolI]+$/.test(mrn[1] ?? '') ? ocrDigits(mrn[1] ?? '') : (mrn[1] ?? '');
  // "Member ID", "Member 1D" (OCR), "Subscriber ID", "ID #", a bare "ID": letters then 6–12 digits, a
  // space OCR put inside the digits dropped, one speck of punctuation OCR put between the letters and
  // the digits ("CDV.687887340", "NRE&853739632") dropped, and its letter-for-digit confusions undone.
  // Found on the calibration seed too: a prefix OCR read partly in lower case ("Dwv568504611"), a yen
  // sign for a Y ("¥PD837269328"), a space after the first digit ("LRW8 14144124"), the label as
  // "Subscriber. 11):", "Subseriber IN:" or "Member !D:".
  const member =
    /(?:(?:m[e€]mb[ae]r|s[uv]bs[a-z]{3,6})\W{0,3}(?:[iIl1|!]{1,2}[D)]|IN)|\bid\s*#|^\W*id)[^\w¥]*([A-Z¥][A-Z2]{1,4}[.,&'*]?[0-9OIl]{1,12}(?: ?[0-9OIl]{2,12})?)\b/im.exec(
      text,
    );
  if (member !== null) {
    const raw = (member[1] ?? '')
      .replace(/[ .,&'*]/g, '')
      .replace(/¥/g, 'Y')
      // A Z OCR read twice, once as a 2 ("Z2GE…", "P2ZA…"): the 2 beside a Z inside the letters dropped.
      .replace(/^([A-Za-z]*)(?:Z2|2Z)(?=[A-Za-z])/i, '$1Z');
    const prefix = /^[A-Za-z]{2,4}?(?=[0-9OIl]+$)/.exec(raw)?.[0] ?? '';
    const digits = raw.slice(prefix.length).replace(/O/g, '0').replace(/[Il]/g, '1');
    if (/^\d{6,12}$/.test(digits)) fields.memberId = prefix.toUpperCase() + digits;
  }
  for (const m of text.matchAll(/\bNPI[\s\W]*(\d{10})\b/gi)) {
    if (validNpi(m[1] ?? '')) {
      fields.fromNpi = m[1] ?? '';
      break;
    }
  }
  const from =
    /^\W*(?:from|provider|ordering\s+provider|prescriber)\s*[:;]\s*(Dr\.?\s+[A-Z][A-Za-z'-]+\s+[A-Z][A-Za-z'-]+)/im.exec(
      text,
    );
  if (from !== null) fields.fromName = from[1] ?? '';
  const organization = senderOrganization(text);
  if (organization !== undefined) fields.fromOrganization = organization;
  const to = /^\W*to\s*[:;]\s*(.{3,80})$/im.exec(text);
  if (to !== null) fields.toName = (to[1] ?? '').trim();
  const subject = afterLabel(
    text,
    String.raw`(?:reason(?:${W}for${W}(?:referral|visit))?|diagnosis${W}/${W}reason|presenting${W}problem)(?=[\s.]*[:;])`,
  ).find((v) => /[a-z]{3}/i.test(v));
  if (subject !== undefined) fields.subject = subject.trim();
  // "Electronically signed by …" as OCR reads it off a fax ("ElecLronically signed “by").
  if (/\bsigned\s*\W{0,2}\s*by\s+\S/i.test(text) || /(^|\s)\/s\/\s+\S/.test(text)) fields.signed = true;
  return fields;
}

/** Words that end a practice's name ("Lakeshore Primary Care", "Summit Valley Health"). */
const ORGANIZATION =
  /\b(?:clinic|medicine|health|group|associates|care|center|centre|practice|hospital|partners|pediatrics|cardiology|dermatology|gastroenterology|neurology|orthopedics|endocrinology|pulmonology|rheumatology|urology|ophthalmology|specialists|physicians)$/i;

/**
 * The sender's practice: a labelled "From:", "Practice:", "Clinic:", "Organization:" or "Ordering
 * clinic:" value that is not a person ("Dr. …"), else the letterhead, one of the first three lines
 * of text that reads as a practice's name (capitalised words ending in a word such as Clinic,
 * Health, Group, Cardiology). Absent when neither is on the page.
 */
function senderOrganization(text: string): string | undefined {
  const tidy = (v: string): string =>
    v
      .replace(/\s+(?:phone|fax|tel)\b.*$/i, '')
      .replace(/[^A-Za-z0-9&' .-]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  for (const value of afterLabel(
    text,
    String.raw`(?:from|practice|clinic|organi[sz]ation|ordering${W}clinic)(?=[\s.]*[:;])`,
  )) {
    const v = tidy(value);
    if (v.length >= 3 && v.length <= 80 && !/^dr\b/i.test(v)) return v;
  }
  const lines = text
    .split('\n')
    .map((l) => tidy(l))
    .filter((l) => l !== '')
    .slice(0, 3);
  return lines.find(
    (l) => l.length <= 80 && ORGANIZATION.test(l) && l.split(' ').every((w) => /^[A-Z&]/.test(w) || w.length <= 3),
  );
}
