/**
 * Message templates by language, and replies read back into intents. Templates carry no clinical
 * content: the clinic's name is not even in them (a recheck's reason is never said), only the
 * appointment's date and time and how to answer. English and Spanish; other languages fall back
 * to English (a known limit).
 */
import { DateTime } from 'luxon';
import { ValidationError } from '@steward/core';

export const templateLanguages = ['en', 'es'] as const;
export type TemplateLanguage = (typeof templateLanguages)[number];

export interface TemplateVars {
  /** The appointment's start (ISO 8601). */
  readonly start: string;
  /** The clinic's zone, to say the time as the patient's clock shows it. */
  readonly zone: string;
}

type Render = (when: { date: string; time: string }) => { subject: string; body: string };

const templates: Readonly<Record<string, Readonly<Record<TemplateLanguage, Render>>>> = {
  'appointment-reminder': {
    en: ({ date, time }) => ({
      subject: 'Appointment reminder',
      body: `Reminder: you have an appointment on ${date} at ${time}. Reply C to confirm, X to cancel, R to reschedule. Reply STOP to opt out.`,
    }),
    es: ({ date, time }) => ({
      subject: 'Recordatorio de cita',
      body: `Recordatorio: tiene una cita el ${date} a las ${time}. Responda C para confirmar, X para cancelar, R para cambiar la fecha. Responda STOP para no recibir mensajes.`,
    }),
  },
  'recheck-booking': {
    en: () => ({
      subject: 'Please book your follow-up visit',
      body: 'Your care team asked for a follow-up visit. Please call the clinic to book it. Reply STOP to opt out.',
    }),
    es: () => ({
      subject: 'Por favor programe su cita de seguimiento',
      body: 'Su equipo de atención pidió una cita de seguimiento. Llame a la clínica para programarla. Responda STOP para no recibir mensajes.',
    }),
  },
};

export const templateNames: readonly string[] = Object.keys(templates);

export function languageOf(preferred: string | undefined): TemplateLanguage {
  const base = (preferred ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return (templateLanguages as readonly string[]).includes(base) ? (base as TemplateLanguage) : 'en';
}

export function renderMessage(
  template: string,
  preferred: string | undefined,
  vars: TemplateVars | undefined,
): { language: TemplateLanguage; subject: string; body: string } {
  const byLanguage = templates[template];
  if (byLanguage === undefined)
    throw new ValidationError('unknown message template', [{ path: 'payload.template', message: 'not a template' }]);
  const language = languageOf(preferred);
  let when = { date: '', time: '' };
  if (vars !== undefined) {
    const at = DateTime.fromISO(vars.start, { zone: vars.zone }).setLocale(language);
    if (!at.isValid)
      throw new ValidationError('appointment start is not a date', [{ path: 'payload.start', message: 'bad date' }]);
    when = { date: at.toLocaleString(DateTime.DATE_FULL), time: at.toLocaleString(DateTime.TIME_SIMPLE) };
  }
  return { language, ...byLanguage[language](when) };
}

export type ReplyIntent = 'confirm' | 'cancel' | 'reschedule' | 'stop';

const intents: ReadonlyArray<readonly [ReplyIntent, readonly string[]]> = [
  ['stop', ['stop', 'unsubscribe', 'alto', 'baja']],
  ['confirm', ['c', 'yes', 'y', 'confirm', 'si', 'sí', 'confirmo']],
  ['cancel', ['x', 'cancel', 'cancelar', 'no']],
  ['reschedule', ['r', 'reschedule', 'cambiar', 'change']],
];

/** A reply's first word, read as an intent (English or Spanish); undefined when unclear. */
export function replyIntent(text: string): ReplyIntent | undefined {
  const word =
    text
      .trim()
      .toLowerCase()
      .split(/\s+/)[0]
      ?.replace(/[.!,]+$/, '') ?? '';
  return intents.find(([, words]) => words.includes(word))?.[0];
}
