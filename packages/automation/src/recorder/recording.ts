/**
 * @module What a demonstration records, as the capture script reports it: the pages shown, the
 * fields changed and the buttons and links used, in order, each on the URL pattern it happened on.
 * No values: a recording holds roles, names, kinds and limits only, so it may be kept and shared
 * like the map it becomes.
 */
import type { ElementSpec, FieldKind } from '../model/screen-map.js';

export interface RecordedField {
  readonly role: string | null;
  readonly name: string;
  readonly tag: string;
  /** An input's type (`text`, `date`, `password`), else the tag. */
  readonly type: string;
  readonly kind: FieldKind;
  /** For a date: the format it was typed in, in Luxon tokens (`MM/dd/yyyy`); '' when not known. */
  readonly dateFormat?: string;
  /** The field's `maxlength`, or null without one. */
  readonly maxLength: number | null;
  readonly required: boolean;
  /** A password field (its value is never reported). */
  readonly secret: boolean;
  /** A dropdown's option texts (a form's wording, not a patient's data). */
  readonly choices: readonly string[];
  /** The accessible name of the form it belongs to, '' when it has none. */
  readonly form: string;
}

export interface PageShown {
  readonly type: 'page';
  /** The URLPattern pathname (ids generalised). */
  readonly pattern: string;
  readonly landmarks: readonly ElementSpec[];
  /** Level-1 headings; none on a record's page (its pattern has an id), where a heading may name the patient. */
  readonly headings: readonly string[];
  readonly hasPassword: boolean;
  /** A region named for the patient, with the labels shown in it (`MRN`, `DOB`). */
  readonly banner: { readonly role: string; readonly name: string; readonly labels: readonly string[] } | null;
}

export interface FieldFilled {
  readonly type: 'fill';
  readonly pattern: string;
  readonly field: RecordedField;
}

export interface Clicked {
  readonly type: 'click';
  readonly pattern: string;
  readonly role: string | null;
  /** '' for a link or button among data (a table, a list of results), whose name may be a patient's. */
  readonly name: string;
  /** Clicked among data (a table row, a result list). */
  readonly data: boolean;
  /** A submit button of a form. */
  readonly submits: boolean;
}

export interface Submitted {
  readonly type: 'submit';
  readonly pattern: string;
  readonly form: string;
  readonly submitter: { readonly role: string | null; readonly name: string } | null;
}

export type RecordedEvent = PageShown | FieldFilled | Clicked | Submitted;

export interface Recording {
  readonly connectionId: string;
  readonly site: string;
  /** The EHR's origin (scheme, host and port). */
  readonly origin: string;
  readonly events: readonly RecordedEvent[];
}
