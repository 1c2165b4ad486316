/**
 * @module The new-task form (a FHIR Task for the patient), the saved task's page and the task lists.
 * Mapping: description → Task.description, priority → Task.priority, due date → Task.restriction.period.end
 * (when fulfilment is sought; executionPeriod is when it was actually done), note → Task.note[0].text,
 * external reference → Task.identifier (system `urn:sandbox-ehr:web:external-reference`). Text over a
 * field's limit and a date not in the clinic's format are refused on the form, never truncated or guessed.
 */
import type { Patient, Task } from '@medplum/fhirtypes';
import type { HttpReply } from '../fhir-server/index.js';
import { formatDate, parseDate } from './dates.js';
import { controls, esc, page, table } from './html.js';
import type { Control } from './html.js';
import {
  banner,
  errorSummary,
  externalReferenceSystem,
  htmlReply,
  patientNames,
  readOrNone,
  redirect,
  search,
  tooLong,
} from './screen-kit.js';
import type { ScreenContext } from './screen-kit.js';
import { taskPriorities } from './variants.js';
import type { TaskField, TaskPriority, Variant } from './variants.js';

type TaskValues = Partial<Record<TaskField, string>>;

function taskControls(variant: Variant, values: TaskValues, errors: Partial<Record<TaskField, string>>): Control[] {
  const l = variant.labels;
  const byField: Record<TaskField, Control> = {
    description: {
      name: 'description',
      label: l['task.description'],
      kind: 'text',
      maxLength: variant.limits.description,
      required: true,
    },
    priority: {
      name: 'priority',
      label: l['task.priority'],
      kind: 'select',
      required: true,
      options: taskPriorities.map((p) => [p, variant.priorityText[p]] as const),
    },
    due: { name: 'due', label: l['task.due'], kind: 'text', hint: variant.dateFormat.toUpperCase(), maxLength: 10 },
    note: { name: 'note', label: l['task.note'], kind: 'textarea', maxLength: variant.limits.note },
    reference: { name: 'reference', label: l['task.reference'], kind: 'text', maxLength: variant.limits.reference },
  };
  return variant.taskOrder.map((f) => ({
    ...byField[f],
    ...(values[f] !== undefined ? { value: values[f] } : {}),
    ...(errors[f] !== undefined ? { error: errors[f] } : {}),
  }));
}

function taskFormPage(
  ctx: ScreenContext,
  patient: Patient,
  values: TaskValues,
  errors: Partial<Record<TaskField, string>>,
): string {
  const l = ctx.variant.labels;
  const messages = ctx.variant.taskOrder.flatMap((f) => (errors[f] !== undefined ? [errors[f]] : []));
  return page(ctx.variant, {
    title: l['task.form'],
    user: ctx.user.displayName ?? ctx.user.username,
    body: `${banner(ctx.variant, patient)}
<h1>${esc(l['task.form'])}</h1>${errorSummary(messages)}
<form method="post" aria-label="${esc(l['task.form'])}" action="${ctx.base}/patients/${esc(patient.id)}/tasks/new">
${controls(ctx.variant.layout, taskControls(ctx.variant, values, errors), l['task.form'])}
<div class="row"><button type="submit">${esc(l['task.submit'])}</button></div>
</form>`,
  });
}

export async function showTaskForm(ctx: ScreenContext, patientId: string): Promise<HttpReply> {
  const patient = await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  if (!patient) return notFound(ctx);
  return htmlReply(200, taskFormPage(ctx, patient, {}, {}));
}

export async function submitTaskForm(ctx: ScreenContext, patientId: string, form: URLSearchParams): Promise<HttpReply> {
  const patient = await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  if (!patient) return notFound(ctx);
  const { variant } = ctx;
  const l = variant.labels;
  const values: TaskValues = {};
  for (const f of variant.taskOrder) values[f] = form.get(f) ?? '';
  const errors: Partial<Record<TaskField, string>> = {};
  const description = (values.description ?? '').trim();
  if (description === '') errors.description = `${l['task.description']} is required.`;
  else {
    const long = tooLong(l['task.description'], values.description ?? '', variant.limits.description);
    if (long) errors.description = long;
  }
  const priority = values.priority as TaskPriority;
  if (!taskPriorities.includes(priority)) errors.priority = `${l['task.priority']}: choose one of the options.`;
  let due: string | undefined;
  if ((values.due ?? '').trim() !== '') {
    due = parseDate(values.due ?? '', variant.dateFormat);
    if (due === undefined) errors.due = `${l['task.due']} must be a date written ${variant.dateFormat.toUpperCase()}.`;
  }
  const noteTooLong = tooLong(l['task.note'], values.note ?? '', variant.limits.note);
  if (noteTooLong) errors.note = noteTooLong;
  const refTooLong = tooLong(l['task.reference'], values.reference ?? '', variant.limits.reference);
  if (refTooLong) errors.reference = refTooLong;
  if (Object.keys(errors).length > 0) return htmlReply(422, taskFormPage(ctx, patient, values, errors));

  const note = values.note ?? '';
  const reference = (values.reference ?? '').trim();
  const task: Task = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority,
    description: values.description ?? '',
    for: { reference: `Patient/${patientId}` },
    authoredOn: ctx.now().toISOString(),
    requester: { display: ctx.user.displayName ?? ctx.user.username },
    ...(due !== undefined ? { restriction: { period: { end: due } } } : {}),
    ...(note !== '' ? { note: [{ text: note }] } : {}),
    ...(reference !== '' ? { identifier: [{ system: externalReferenceSystem, value: reference }] } : {}),
  };
  const saved = await ctx.repository.createResource(task);
  return redirect(`${ctx.base}/tasks/${saved.id}?saved=1`);
}

/** The saved task, every value as the form took it (for reading back what was written). */
export async function showTask(ctx: ScreenContext, taskId: string, justSaved: boolean): Promise<HttpReply> {
  const task = await readOrNone<Task>(ctx.repository, 'Task', taskId);
  if (!task) return notFound(ctx);
  const { variant } = ctx;
  const l = variant.labels;
  const patientId = task.for?.reference?.startsWith('Patient/') ? task.for.reference.slice(8) : undefined;
  const patient = patientId === undefined ? undefined : await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  const values: [string, string][] = [
    [l['task.description'], task.description ?? ''],
    [l['task.priority'], task.priority ? variant.priorityText[task.priority] : ''],
    [l['task.due'], formatDate(task.restriction?.period?.end, variant.dateFormat)],
    [l['task.note'], task.note?.[0]?.text ?? ''],
    [l['task.reference'], task.identifier?.find((i) => i.system === externalReferenceSystem)?.value ?? ''],
    [l['col.status'], task.status],
  ];
  return htmlReply(
    200,
    page(variant, {
      title: l['task.form'],
      user: ctx.user.displayName ?? ctx.user.username,
      body: `${patient ? banner(variant, patient) : ''}
${justSaved ? `<p role="status">${esc(l['task.saved'])}</p>` : ''}
<h1>${esc(l['task.view'])}</h1>
<dl class="task-values" aria-label="Task details">${values
        .map(([label, value]) => `<dt>${esc(label)}</dt><dd style="white-space:pre-wrap">${esc(value)}</dd>`)
        .join('')}</dl>
${patient ? `<p><a href="${ctx.base}/patients/${esc(patient.id)}">Back to chart</a></p>` : ''}`,
    }),
  );
}

/** Tasks as a table: patient (linked to the chart), description (linked to the task), priority, due, status. */
export async function taskTable(ctx: ScreenContext, tasks: readonly Task[], caption: string): Promise<string> {
  const { variant } = ctx;
  const l = variant.labels;
  const names = await patientNames(
    ctx.repository,
    tasks.map((t) => t.for?.reference ?? ''),
  );
  const rows = tasks.map((t) => {
    const ref = t.for?.reference ?? '';
    return [
      ref.startsWith('Patient/')
        ? `<a href="${ctx.base}/patients/${esc(ref.slice(8))}">${esc(names.get(ref))}</a>`
        : '',
      `<a href="${ctx.base}/tasks/${esc(t.id)}">${esc(t.description ?? '(no description)')}</a>`,
      esc(t.priority ? variant.priorityText[t.priority] : ''),
      esc(formatDate(t.restriction?.period?.end ?? t.executionPeriod?.end, variant.dateFormat)),
      esc(t.status),
    ];
  });
  return table(
    caption,
    [l['col.patient'], l['col.description'], l['col.priority'], l['col.due'], l['col.status']],
    rows,
  );
}

/** The clinic's open tasks, newest first (at most 100). */
export async function showTaskList(ctx: ScreenContext): Promise<HttpReply> {
  const l = ctx.variant.labels;
  const tasks = await search<Task>(ctx.repository, 'Task', {
    status: 'draft,requested,received,accepted,ready,in-progress,on-hold',
    _sort: '-_lastUpdated',
    _count: '100',
  });
  return htmlReply(
    200,
    page(ctx.variant, {
      title: l['tasks.heading'],
      user: ctx.user.displayName ?? ctx.user.username,
      body: `<h1>${esc(l['tasks.heading'])}</h1>${await taskTable(ctx, tasks, l['tasks.table'])}${
        tasks.length === 0 ? '<p>No open tasks.</p>' : ''
      }`,
    }),
  );
}

export function notFound(ctx: ScreenContext): HttpReply {
  return htmlReply(
    404,
    page(ctx.variant, {
      title: 'Not found',
      user: ctx.user.displayName ?? ctx.user.username,
      body: '<h1>Not found</h1><p>The record does not exist or was removed.</p>',
    }),
  );
}
