/**
 * @module The steps of one write: the chart (opened, or back to it after a re-login), the banner
 * check, a look for the record under Steward's reference (before the first write, and before any
 * resubmit), the form opened by its links, every field checked against the page before the first
 * key press, filled and read back, the submit, and the confirmation read back.
 */
import type { RunPatient } from '../model/run.js';
import type { FieldSpec, FormSpec, FormTemplate } from '../model/screen-map.js';
import { enterEntry, expectedText, findField, prepareEntry, sameOnScreen, type Entry } from '../fields/adapters.js';
import { checkBanner, lookupRows, one, openPatient } from './patient.js';
import { locate } from './names.js';
import { readLabelled } from './screen-read.js';
import { RunHalt, type RunSession } from './session.js';

export interface WriteJob {
  /** The map's form (`FormSpec.id`). */
  readonly formId: string;
  /** Chooses the template (`FormTemplate.when`). */
  readonly when?: { readonly specialty?: string; readonly encounterType?: string };
  /** Field key → the value as Steward holds it (text, ISO date, JSON, a Steward code). */
  readonly values: Readonly<Record<string, string>>;
  readonly patient: RunPatient;
  /** The field that carries Steward's write reference, and its value: how a write is found again. */
  readonly reference?: { readonly key: string; readonly value: string };
}

export interface WrittenRecord {
  /** The EHR's id of the record (the confirmation screen's `:id` path group), when its address has one. */
  readonly id: string | undefined;
  /** False when the record was already there under Steward's reference before this run wrote. */
  readonly created: boolean;
  /** Field key → the value the screen shows for it. */
  readonly values: Readonly<Record<string, string>>;
}

/** What survives a re-login within one run: the chart's address and whether the lookup was done. */
export interface WriteState {
  chartUrl: string | undefined;
  lookedUp: boolean;
}

export async function writeForm(s: RunSession, job: WriteJob, state: WriteState): Promise<WrittenRecord> {
  const form = s.map.forms.find((f) => f.id === job.formId);
  if (form === undefined) throw new RunHalt('missing-element', `the map has no form ${job.formId}`);
  const template = chooseTemplate(form, job.when);
  const fields = template.fields.filter((f) => job.values[f.key] !== undefined);
  const lacking = template.fields.find((f) => f.required === true && job.values[f.key] === undefined);
  if (lacking !== undefined) throw new RunHalt('missing-element', `no value for a required field: ${lacking.label}`);
  const chart = s.map.patientSearch.chart;

  if (state.chartUrl === undefined) state.chartUrl = await openPatient(s, job.patient);
  else await backTo(s, state.chartUrl, chart);
  await checkBanner(s, job.patient);

  const lookup = form.lookup;
  const reference = job.reference;
  if (s.submitted && (lookup === undefined || reference === undefined))
    throw new RunHalt(
      'unexpected-screen',
      'the session ended after the submit and the map gives no way to find what was written',
    );
  if (lookup !== undefined && reference !== undefined && (!state.lookedUp || s.submitted)) {
    state.lookedUp = true;
    const found = await s.step('read', lookup.read, async () => {
      const rows = await lookupRows(s, lookup.read, lookup.column, reference.value);
      return { result: rows, detail: `${rows.length} found under the write reference` };
    });
    if (found.length > 1)
      throw new RunHalt('read-back-mismatch', `${found.length} records carry this write's reference`);
    const href = found[0];
    if (href !== undefined) return readBack(s, form, fields, job, undefined, href, s.submitted);
    await backTo(s, state.chartUrl, chart);
  }

  const workScreens = s.map.screens.filter((x) => x.kind === 'work').map((x) => x.id);
  for (const [i, link] of form.open.entries()) {
    await s.step('navigate', link.name, async () => {
      // The chart was identified at the end of the last step (reused while the page is unchanged).
      await s.expect(i === 0 ? [chart] : workScreens, { reuse: i === 0 });
      await s.click(await one(s, link));
      if (i === form.open.length - 1) await s.expect([form.screen]);
      return { result: undefined };
    });
  }
  // Forms that show the banner are checked again right where the write happens.
  if ((await (await locate(s.page, s.map.banner.region)).count()) > 0) await checkBanner(s, job.patient);

  // Every field is found and its value checked before the first key press.
  const entries = await s.step('identify', form.id, async () => {
    await s.expect([form.screen], { reuse: true });
    const ready: Entry[] = [];
    for (const f of fields) ready.push(await prepareEntry(await findField(s.page, f), f, job.values[f.key] ?? ''));
    return { result: ready, detail: `${ready.length} fields ready (template ${template.id})` };
  });
  const entered: Record<string, string> = {};
  for (const e of entries) {
    entered[e.field.key] = await s.step('fill', e.field.key, async () => {
      // Between fields of one form the last identification stands while the page provably has not
      // changed (no navigation, no DOM change: `RunSession.expect`); a field that changes the form
      // (a dropdown showing other sections) makes the next one identify the screen afresh.
      await s.expect([form.screen], { reuse: true });
      const read = await enterEntry(s, e);
      return { result: read, value: read, detail: 'read back equal' };
    });
  }
  await s.step('submit', form.submit.name, async () => {
    await s.expect([form.screen]);
    const button = await one(s, form.submit);
    s.submitted = true;
    await s.click(button);
    return { result: undefined };
  });
  return readBack(s, form, fields, job, entered, undefined, true);
}

/** The confirmation (or the found record's) screen, read back field by field against what was meant. */
async function readBack(
  s: RunSession,
  form: FormSpec,
  fields: readonly FieldSpec[],
  job: WriteJob,
  entered: Readonly<Record<string, string>> | undefined,
  href: string | undefined,
  created: boolean,
): Promise<WrittenRecord> {
  return s.step('read-back', form.after, async () => {
    if (href !== undefined) await s.page.goto(href);
    await s.expect([form.after]);
    const main = s.page.getByRole('main');
    const scope = (await main.count()) === 1 ? main : s.page.locator('body');
    const shown = await readLabelled(
      scope,
      fields.map((f) => [f.label, ...(f.synonyms ?? [])]),
    );
    const values: Record<string, string> = {};
    fields.forEach((f, i) => {
      const meant = entered?.[f.key] ?? expectedText(f, job.values[f.key] ?? '');
      const on = shown[i];
      if (on !== undefined && !sameOnScreen(f, meant, on))
        throw new RunHalt('read-back-mismatch', `${f.label} on the ${form.after} screen differs from what was entered`);
      values[f.key] = on ?? meant;
    });
    const groups = Object.entries(s.groups);
    const id = s.groups['id'] ?? groups.at(-1)?.[1];
    return {
      result: { id, created, values },
      value: JSON.stringify(values),
      detail: `${shown.filter((v) => v !== undefined).length} of ${fields.length} fields shown and equal`,
    };
  });
}

async function backTo(s: RunSession, url: string, screen: string): Promise<void> {
  await s.step('navigate', screen, async () => {
    await s.page.goto(url);
    await s.expect([screen]);
    return { result: undefined };
  });
}

/** The template whose `when` matches most specifically, else the default (the one without `when`). */
export function chooseTemplate(form: FormSpec, when: WriteJob['when']): FormTemplate {
  let best: { t: FormTemplate; score: number } | undefined;
  for (const t of form.templates) {
    const w = t.when ?? {};
    const keys = (['specialty', 'encounterType'] as const).filter((k) => w[k] !== undefined);
    if (!keys.every((k) => w[k]?.toLowerCase() === when?.[k]?.toLowerCase())) continue;
    if (best === undefined || keys.length > best.score) best = { t, score: keys.length };
  }
  if (best === undefined) throw new RunHalt('missing-element', `no template of form ${form.id} fits this write`);
  return best.t;
}
