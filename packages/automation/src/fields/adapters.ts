/**
 * @module Fields as they are: plain text, markdown, structured JSON, dates in the form's own format
 * and dropdowns. Each value is checked against what the page allows BEFORE the first key press
 * (a character limit, an exact option), entered, then read back from the page and compared.
 * Nothing is truncated, no option is guessed: the run halts and the change goes back to a person.
 */
import type { Locator, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import type { FieldSpec } from '../model/screen-map.js';
import { RunHalt } from '../executor/session.js';
import { characterLimit } from './limits.js';
import { chooseOption } from './options.js';
import { namePattern } from '../executor/names.js';

/** What a field's entry needs from the run: input events go through it, counted. */
export interface FieldInput {
  fill(target: Locator, value: string): Promise<void>;
  select(target: Locator, label: string): Promise<void>;
}

/** The form control a field names by its label (or a synonym): exactly one, or the run halts. */
export async function findField(page: Page, field: FieldSpec): Promise<Locator> {
  const name = namePattern([field.label, ...(field.synonyms ?? [])]);
  const role = field.kind === 'dropdown' ? 'combobox' : 'textbox';
  let found = page.getByRole(role, { name });
  let n = await found.count();
  if (n === 0) {
    found = page.getByLabel(name);
    n = await found.count();
  }
  if (n === 0) throw new RunHalt('missing-element', `field not on screen: ${field.label}`);
  if (n > 1) throw new RunHalt('missing-element', `field not unique on screen: ${field.label} (${n} match)`);
  return found;
}

/** A value ready to enter: checked against the page, nothing typed yet. */
export interface Entry {
  readonly field: FieldSpec;
  readonly target: Locator;
  /** The text typed, or the option chosen. */
  readonly text: string;
  /** For dates: the format typed in (Luxon tokens). */
  readonly format?: string;
}

/**
 * Checks `value` (as Steward holds it: ISO dates, Steward codes, JSON) against what the field
 * allows, before any input event: its character limit, its options, its format. Halts otherwise.
 */
export async function prepareEntry(target: Locator, field: FieldSpec, value: string): Promise<Entry> {
  switch (field.kind) {
    case 'text':
    case 'markdown':
      await checkLimit(target, field, value);
      return { field, target, text: value };
    case 'json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new RunHalt('read-back-mismatch', `the value for ${field.label} is not JSON`);
      }
      const text = JSON.stringify(parsed);
      await checkLimit(target, field, text);
      return { field, target, text };
    }
    case 'date': {
      const date = DateTime.fromISO(value, { setZone: true });
      if (!date.isValid) throw new RunHalt('read-back-mismatch', `the value for ${field.label} is not a date`);
      // A native date input takes ISO whatever it displays.
      const native = (await target.getAttribute('type')) === 'date';
      const format = native ? 'yyyy-MM-dd' : (field.dateFormat ?? 'yyyy-MM-dd');
      return { field, target, text: date.toFormat(format), format };
    }
    case 'dropdown': {
      const options = await target.evaluate((el: Element): string[] | null =>
        el instanceof HTMLSelectElement ? [...el.options].map((o) => o.text) : null,
      );
      if (options === null)
        throw new RunHalt('missing-element', `${field.label} is not a list of options the executor can read`);
      const wanted = field.options?.[value] ?? value;
      const choice = chooseOption(options, wanted);
      if (choice.kind === 'none') {
        const named = choice.candidates.length === 0 ? 'none close' : choice.candidates.map((c) => `"${c}"`).join(', ');
        throw new RunHalt('option-not-exact', `${field.label}: no option is "${wanted}" exactly; candidates: ${named}`);
      }
      return { field, target, text: choice.text };
    }
  }
}

async function checkLimit(target: Locator, field: FieldSpec, text: string): Promise<void> {
  const limit = await characterLimit(target);
  if (limit !== undefined && text.length > limit)
    throw new RunHalt(
      'value-too-long',
      `${field.label}: ${text.length} characters, the screen allows ${limit} (nothing typed; back to review)`,
    );
}

/** Enters a prepared value and reads it back from the page: what the page holds, or a halt. */
export async function enterEntry(input: FieldInput, entry: Entry): Promise<string> {
  const { field, target, text } = entry;
  if (field.kind === 'dropdown') {
    await input.select(target, text);
    const read = await target.evaluate((el: Element) =>
      el instanceof HTMLSelectElement ? (el.selectedOptions[0]?.text ?? '') : '',
    );
    if (read !== text) throw new RunHalt('read-back-mismatch', `${field.label} does not show the option chosen`);
    return read;
  }
  await input.fill(target, text);
  const read = await valueOf(target);
  const same =
    field.kind === 'json'
      ? sameJson(text, read)
      : field.kind === 'date'
        ? sameDate(text, read, entry.format ?? 'yyyy-MM-dd')
        : lines(text) === lines(read);
  if (!same) throw new RunHalt('read-back-mismatch', `${field.label} does not hold what was entered`);
  return read;
}

function sameDate(a: string, b: string, format: string): boolean {
  return sameDay(a, format, b, format);
}

const displayFormats = [
  'yyyy-MM-dd',
  'dd.MM.yyyy',
  'MM/dd/yyyy',
  'dd/MM/yyyy',
  'd LLL yyyy',
  'd LLLL yyyy',
  'LLL d, yyyy',
];

function sameDay(a: string, aFormat: string, b: string, bFormat: string): boolean {
  const x = DateTime.fromFormat(a.trim(), aFormat);
  const y = DateTime.fromFormat(b.trim(), bFormat);
  return x.isValid && y.isValid && x.toISODate() === y.toISODate();
}

/** The text a value is entered as, without the page (for comparing a record found already written). */
export function expectedText(field: FieldSpec, value: string): string {
  switch (field.kind) {
    case 'text':
    case 'markdown':
      return value;
    case 'json':
      try {
        return JSON.stringify(JSON.parse(value));
      } catch {
        return value;
      }
    case 'date': {
      const d = DateTime.fromISO(value, { setZone: true });
      return d.isValid ? d.toFormat(field.dateFormat ?? 'yyyy-MM-dd') : value;
    }
    case 'dropdown':
      return field.options?.[value] ?? value;
  }
}

/** The text a control holds now (a value, or the text of a rich editor). */
export async function valueOf(target: Locator): Promise<string> {
  return target.evaluate((el: Element) =>
    el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement
      ? el.value
      : ((el as HTMLElement).innerText ?? ''),
  );
}

/** Whether a value read elsewhere on screen (a confirmation) equals what was entered, by the field's kind. */
export function sameOnScreen(field: FieldSpec, entered: string, shown: string): boolean {
  switch (field.kind) {
    case 'json':
      return sameJson(entered, shown);
    case 'date':
      // A confirmation may display dates its own way: any common format reading the same day.
      return [field.dateFormat ?? 'yyyy-MM-dd', ...displayFormats].some((f) =>
        sameDay(entered, field.dateFormat ?? 'yyyy-MM-dd', shown, f),
      );
    case 'text':
    case 'dropdown':
      return entered.trim().replace(/\s+/g, ' ') === shown.trim().replace(/\s+/g, ' ');
    case 'markdown':
      return lines(entered).trim() === lines(shown).trim();
  }
}

function lines(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '');
}

function sameJson(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => p.localeCompare(q)))
      : x,
  );
}
