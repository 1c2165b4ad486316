/**
 * @module The encounter form and the saved note's page. The form's fields follow the specialty
 * (cardiology adds blood pressure, dermatology a lesion site) and the visit length (a long visit adds
 * plan details); changing either select reloads the form with its fields, as EHR forms do.
 *
 * Saved as a DocumentReference (status current, docStatus preliminary, LOINC 34109-9 "Note", text
 * "Encounter note"): notes → `description`; specialty → `context.practiceSetting` (system
 * `urn:sandbox-ehr:web:specialty`); length → `context.event[0]` (system `urn:sandbox-ehr:web:visit-length`);
 * `content[0]` the whole note as text/markdown, then one attachment per section titled with its key
 * (`assessment`, `vitals`, `blood-pressure`, `lesion-site`, `plan`), so each reads back exactly.
 */
import type { Attachment, DocumentReference, Patient } from '@medplum/fhirtypes';
import type { HttpReply } from '../fhir-server/index.js';
import { controls, esc, page } from './html.js';
import type { Control } from './html.js';
import { banner, errorSummary, htmlReply, readOrNone, redirect, tooLong } from './screen-kit.js';
import type { ScreenContext } from './screen-kit.js';
import { notFound } from './task-screens.js';
import { specialties, visitLengths } from './variants.js';
import type { Specialty, Variant, VisitLength } from './variants.js';

export const specialtySystem = 'urn:sandbox-ehr:web:specialty';
export const visitLengthSystem = 'urn:sandbox-ehr:web:visit-length';
const specialtyDisplay: Record<Specialty, string> = {
  general: 'General practice',
  cardiology: 'Cardiology',
  dermatology: 'Dermatology',
};

type Section = 'bloodPressure' | 'lesionSite' | 'vitals' | 'assessment' | 'plan' | 'notes';
/** A section's attachment title (the key a screen map names it by). */
const sectionTitle: Record<Exclude<Section, 'notes'>, string> = {
  bloodPressure: 'blood-pressure',
  lesionSite: 'lesion-site',
  vitals: 'vitals',
  assessment: 'assessment',
  plan: 'plan',
};
const sectionType: Record<Exclude<Section, 'notes'>, string> = {
  bloodPressure: 'text/plain',
  lesionSite: 'text/plain',
  vitals: 'application/json',
  assessment: 'text/markdown',
  plan: 'text/markdown',
};

/** The sections a specialty and length ask for, in the form's order. */
export function sectionsFor(specialty: Specialty, length: VisitLength): Section[] {
  return [
    ...(specialty === 'cardiology' ? (['bloodPressure'] as const) : []),
    ...(specialty === 'dermatology' ? (['lesionSite'] as const) : []),
    'vitals',
    'assessment',
    ...(length === 'long' ? (['plan'] as const) : []),
    'notes',
  ];
}

function labelOf(variant: Variant, s: Section): string {
  return variant.labels[`note.${s}`];
}

const reload = `for (const name of ['specialty', 'visitLength']) {
  document.querySelector('select[name=' + name + ']').addEventListener('change', (e) => {
    const form = e.target.form, url = new URL(location.href);
    url.searchParams.set('specialty', form.elements.namedItem('specialty').value);
    url.searchParams.set('length', form.elements.namedItem('visitLength').value);
    location.assign(url);
  });
}`;

function formPage(
  ctx: ScreenContext,
  patient: Patient,
  specialty: Specialty,
  length: VisitLength,
  values: Partial<Record<Section, string>>,
  errors: Partial<Record<Section, string>>,
): string {
  const { variant } = ctx;
  const l = variant.labels;
  const limits = variant.limits;
  const fields: Control[] = [
    {
      name: 'specialty',
      label: l['note.specialty'],
      kind: 'select',
      required: true,
      value: specialty,
      options: specialties.map((s) => [s, variant.specialtyText[s]] as const),
    },
    {
      name: 'visitLength',
      label: l['note.length'],
      kind: 'select',
      required: true,
      value: length,
      options: visitLengths.map((v) => [v, variant.lengthText[v]] as const),
    },
    ...sectionsFor(specialty, length).map((s): Control => ({
      name: s,
      label: labelOf(variant, s),
      kind: s === 'bloodPressure' || s === 'lesionSite' ? 'text' : 'textarea',
      maxLength: limits[s],
      required: s !== 'vitals' && s !== 'notes',
      ...(s === 'vitals' ? { hint: 'A JSON object, e.g. {"pulse": 72}' } : {}),
      ...(s === 'assessment' || s === 'plan' ? { hint: 'Markdown' } : {}),
      ...(values[s] !== undefined ? { value: values[s] } : {}),
      ...(errors[s] !== undefined ? { error: errors[s] } : {}),
    })),
  ];
  const messages = sectionsFor(specialty, length).flatMap((s) => (errors[s] !== undefined ? [errors[s]] : []));
  return page(variant, {
    title: l['note.form'],
    user: ctx.user.displayName ?? ctx.user.username,
    script: reload,
    body: `${banner(variant, patient)}
<h1>${esc(l['note.form'])}</h1>${errorSummary(messages)}
<form method="post" aria-label="${esc(l['note.form'])}" action="${ctx.base}/patients/${esc(patient.id)}/notes/new">
${controls(variant.layout, fields, l['note.form'])}
<div class="row"><button type="submit">${esc(l['note.submit'])}</button></div>
</form>`,
  });
}

const asSpecialty = (v: string | null): Specialty | undefined =>
  specialties.includes(v as Specialty) ? (v as Specialty) : undefined;
const asLength = (v: string | null): VisitLength | undefined =>
  visitLengths.includes(v as VisitLength) ? (v as VisitLength) : undefined;

export async function showNoteForm(ctx: ScreenContext, patientId: string, query: URLSearchParams): Promise<HttpReply> {
  const patient = await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  if (!patient) return notFound(ctx);
  const specialty = asSpecialty(query.get('specialty')) ?? 'general';
  const length = asLength(query.get('length')) ?? 'short';
  return htmlReply(200, formPage(ctx, patient, specialty, length, {}, {}));
}

export async function submitNoteForm(ctx: ScreenContext, patientId: string, form: URLSearchParams): Promise<HttpReply> {
  const patient = await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  if (!patient) return notFound(ctx);
  const { variant } = ctx;
  const specialty = asSpecialty(form.get('specialty')) ?? 'general';
  const length = asLength(form.get('visitLength')) ?? 'short';
  const sections = sectionsFor(specialty, length);
  const values: Partial<Record<Section, string>> = {};
  const errors: Partial<Record<Section, string>> = {};
  for (const s of sections) {
    const value = form.get(s) ?? '';
    values[s] = value;
    const label = labelOf(variant, s);
    const long = tooLong(label, value, variant.limits[s]);
    if (long) errors[s] = long;
    else if (value.trim() === '' && s !== 'vitals' && s !== 'notes') errors[s] = `${label} is required.`;
  }
  if (errors.bloodPressure === undefined && !/^\d{2,3}\/\d{2,3}$/.test((values.bloodPressure ?? '120/80').trim())) {
    errors.bloodPressure = `${labelOf(variant, 'bloodPressure')} must be written like 120/80.`;
  }
  if (errors.vitals === undefined && (values.vitals ?? '').trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.vitals ?? '');
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      errors.vitals = `${labelOf(variant, 'vitals')} must be a JSON object.`;
    }
  }
  if (!asSpecialty(form.get('specialty')) || !asLength(form.get('visitLength'))) {
    errors.notes = `${variant.labels['note.specialty']} and ${variant.labels['note.length']} must be chosen.`;
  }
  if (Object.keys(errors).length > 0) return htmlReply(422, formPage(ctx, patient, specialty, length, values, errors));

  const attachment = (contentType: string, title: string, text: string): Attachment => ({
    contentType,
    title,
    data: Buffer.from(text, 'utf8').toString('base64'),
  });
  const parts = sections.filter((s): s is Exclude<Section, 'notes'> => s !== 'notes' && (values[s] ?? '') !== '');
  const markdown = [
    `# Encounter note: ${specialtyDisplay[specialty]}, ${length} visit`,
    ...parts.map((s) =>
      s === 'vitals'
        ? `## ${variant.labels['note.vitals']}\n\n\`\`\`json\n${values[s] ?? ''}\n\`\`\``
        : `## ${labelOf(variant, s)}\n\n${values[s] ?? ''}`,
    ),
    ...((values.notes ?? '') !== '' ? [`## ${labelOf(variant, 'notes')}\n\n${values.notes ?? ''}`] : []),
  ].join('\n\n');
  const note: DocumentReference = {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'preliminary',
    type: { coding: [{ system: 'http://loinc.org', code: '34109-9', display: 'Note' }], text: 'Encounter note' },
    subject: { reference: `Patient/${patientId}` },
    date: ctx.now().toISOString(),
    author: [{ display: ctx.user.displayName ?? ctx.user.username }],
    ...((values.notes ?? '') !== '' ? { description: values.notes ?? '' } : {}),
    context: {
      practiceSetting: { coding: [{ system: specialtySystem, code: specialty, display: specialtyDisplay[specialty] }] },
      event: [{ coding: [{ system: visitLengthSystem, code: length }] }],
    },
    content: [
      { attachment: attachment('text/markdown', 'Encounter note', markdown) },
      ...parts.map((s) => ({ attachment: attachment(sectionType[s], sectionTitle[s], values[s] ?? '') })),
    ],
  };
  const saved = await ctx.repository.createResource(note);
  return redirect(`${ctx.base}/notes/${saved.id}?saved=1`);
}

export function noteTitle(variant: Variant, note: DocumentReference): string {
  const specialty = asSpecialty(note.context?.practiceSetting?.coding?.[0]?.code ?? null);
  const length = asLength(note.context?.event?.[0]?.coding?.[0]?.code ?? null);
  return `${variant.labels['note.form']}: ${specialty ? variant.specialtyText[specialty] : ''}${
    length ? `, ${variant.lengthText[length]}` : ''
  }`;
}

/** The saved note, each section exactly as written, under the form's labels. */
export async function showNote(ctx: ScreenContext, noteId: string, justSaved: boolean): Promise<HttpReply> {
  const note = await readOrNone<DocumentReference>(ctx.repository, 'DocumentReference', noteId);
  if (!note) return notFound(ctx);
  const { variant } = ctx;
  const l = variant.labels;
  const ref = note.subject?.reference ?? '';
  const patient = ref.startsWith('Patient/')
    ? await readOrNone<Patient>(ctx.repository, 'Patient', ref.slice(8))
    : undefined;
  const specialty = asSpecialty(note.context?.practiceSetting?.coding?.[0]?.code ?? null);
  const length = asLength(note.context?.event?.[0]?.coding?.[0]?.code ?? null);
  const section = (title: string): string | undefined => {
    const data = note.content.find((c) => c.attachment.title === title)?.attachment.data;
    return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
  };
  const entries: [string, string][] = [
    [l['note.specialty'], specialty ? variant.specialtyText[specialty] : ''],
    [l['note.length'], length ? variant.lengthText[length] : ''],
    ...(Object.keys(sectionTitle) as Exclude<Section, 'notes'>[]).flatMap((s): [string, string][] => {
      const text = section(sectionTitle[s]);
      return text === undefined ? [] : [[labelOf(variant, s), text]];
    }),
    [l['note.notes'], note.description ?? ''],
  ];
  return htmlReply(
    200,
    page(variant, {
      title: l['note.form'],
      user: ctx.user.displayName ?? ctx.user.username,
      body: `${patient ? banner(variant, patient) : ''}
${justSaved ? `<p role="status">${esc(l['note.saved'])}</p>` : ''}
<h1>${esc(l['note.view'])}</h1>
<h2>${esc(noteTitle(variant, note))}</h2>
<p>Status: ${esc(note.docStatus ?? note.status)}</p>
<dl aria-label="Note details">${entries
        .map(([label, value]) => `<dt>${esc(label)}</dt><dd><pre>${esc(value)}</pre></dd>`)
        .join('')}</dl>
${patient ? `<p><a href="${ctx.base}/patients/${esc(patient.id)}">Back to chart</a></p>` : ''}`,
    }),
  );
}
