/**
 * @module What Steward knows of one EHR's screens, per connection and site: a versioned screen map.
 * It is configuration, not code: recorded from a person's demonstration (`steward automation
 * record`), changed only through review, and the executor acts on nothing it does not describe.
 * Elements are named the way a person (and assistive technology) reads the page: an ARIA role and
 * its accessible name (a field's label), with synonyms for the clinics that word it differently —
 * never CSS selectors or ids, which differ per clinic and change with every release.
 */

/** An element by its accessible role and name (`{ role: 'textbox', name: 'Reason for visit' }`). */
export interface ElementSpec {
  /** An ARIA role: `textbox`, `combobox`, `button`, `heading`, `region`, `form`, `main`, `navigation`, … */
  readonly role: string;
  /** The accessible name as the screen shows it (case and spacing are normalised when matched). */
  readonly name: string;
  /** Other names the same element goes by at other clinics or releases. */
  readonly synonyms?: readonly string[];
}

/**
 * A screen contract: how the executor knows which screen it is on before every action. All of
 * `url`, `landmarks` and `required` must hold; a screen matching no contract of the map, or the
 * wrong one, halts the run before any input event.
 */
export interface ScreenContract {
  /** `login`, `patient-search`, `chart`, `task-form`, `encounter-form`, `schedule`, `task-list`, … */
  readonly id: string;
  /** `login` and `session-expired` screens are never typed into except by an explicit re-login step. */
  readonly kind: 'login' | 'session-expired' | 'work';
  /** A URLPattern pathname (`/web/north/patients/:id/tasks/new`) on the connection's origin. */
  readonly path: string;
  /** ARIA landmarks that must be present (`main`, `navigation`, `banner`, `form` with its name). */
  readonly landmarks: readonly ElementSpec[];
  /** Elements that must be present. */
  readonly required: readonly ElementSpec[];
}

/** How a value is entered into a field and compared when read back. */
export type FieldKind = 'text' | 'markdown' | 'json' | 'date' | 'dropdown';

export interface FieldSpec {
  /**
   * Where the value comes from: a slash path in the FHIR resource being written (`description`,
   * `note/0/text`, `executionPeriod/end`), or `identifier:<system>` for an identifier's value.
   */
  readonly key: string;
  /** The field's label on screen, and the other labels it goes by. */
  readonly label: string;
  readonly synonyms?: readonly string[];
  readonly kind: FieldKind;
  /** For `date`: the form's own format in Luxon tokens (`MM/dd/yyyy`, `dd.MM.yyyy`, `yyyy-MM-dd`). */
  readonly dateFormat?: string;
  /** For `dropdown`: the Steward value → the option's text, where they differ (`routine` → `Normal`). */
  readonly options?: Readonly<Record<string, string>>;
  /** A field the form needs: a missing value halts before the first input event. */
  readonly required?: boolean;
}

/** A variant of a form: which fields, in which order, for a specialty or encounter type. */
export interface FormTemplate {
  readonly id: string;
  /** When this template applies (all given must match); the one without `when` is the default. */
  readonly when?: { readonly specialty?: string; readonly encounterType?: string };
  /** In the order a person fills them. */
  readonly fields: readonly FieldSpec[];
}

/** The patient banner: where it is and which identifiers it shows, by label. */
export interface BannerSpec {
  readonly region: ElementSpec;
  /** At least two: the banner must match the proposal's patient on two of them before any write. */
  readonly identifiers: readonly { readonly system: string; readonly label: string }[];
}

/** A form that writes one FHIR resource type. */
export interface FormSpec {
  /** `task`, `encounter-note`, … */
  readonly id: string;
  readonly resourceType: string;
  /** How to get there from the patient's chart: the links or buttons to follow, by name, in order. */
  readonly open: readonly ElementSpec[];
  /** The screen contract the form lives on. */
  readonly screen: string;
  readonly submit: ElementSpec;
  /** The screen after a successful submit (a contract id). */
  readonly after: string;
  readonly templates: readonly FormTemplate[];
  /**
   * How to find a record this form wrote, so a write is never repeated: the screen read (a
   * `ReadSpec` id, opened from the patient's chart) listing the patient's records, and the column
   * holding the value of the field Steward puts its write reference in. Without it, a write whose
   * outcome is unknown (the session expired after the submit) halts instead of being sent again.
   */
  readonly lookup?: { readonly read: string; readonly column: string };
  /**
   * Elements the form sets by itself, with the value it sets (a new task is always `status:
   * requested`, `intent: order`). A resource to write may carry them only with these values; any
   * other element must have a field, or the write is refused before the run starts: nothing a
   * reviewer approved is dropped on the way to the screen.
   */
  readonly implied?: Readonly<Record<string, unknown>>;
}

/** How to find a patient's chart: the search screen, its field and the result link. */
export interface PatientSearchSpec {
  readonly screen: string;
  /** The search field (searched by the identifier of `system`). */
  readonly field: ElementSpec;
  readonly system: string;
  readonly submit: ElementSpec;
  /** The chart screen a result opens. */
  readonly chart: string;
}

/** A screen read: a table turned into rows of named cells (a schedule, a task list). */
export interface ReadSpec {
  readonly id: string;
  readonly screen: string;
  /** How to reach it from the home screen. */
  readonly open: readonly ElementSpec[];
  readonly table: ElementSpec;
  /** Column header (and synonyms) → the key in each row read. */
  readonly columns: readonly { readonly key: string; readonly header: string; readonly synonyms?: readonly string[] }[];
  /**
   * For a read of one day (a schedule): the field the day is typed into, in the screen's own date
   * format (Luxon tokens), and the button that shows it.
   */
  readonly day?: { readonly field: ElementSpec; readonly format: string; readonly submit: ElementSpec };
  /**
   * What each row is, when the read's rows become inbound events (`ScreenReads`): `appointment`
   * (columns `id`, `time`, `patient`, `status`) or `task` (columns `patient`, `status`, optionally
   * `due`; the task named by an `id` column or a cell's link to the Task form's `after` screen).
   * The patient is the EHR id in the `patient` cell's link to the chart, and/or `identifier:<system>`
   * columns. Without it the read only looks things up (a form's `lookup`).
   */
  readonly rows?: 'appointment' | 'task';
  /**
   * Per column key: the text a clinic's screen shows → Steward's code (`status`: `Checked in` →
   * `arrived`, a FHIR Appointment status). Texts match normalised (case, spacing); a text not listed
   * is never guessed: its row goes to the inbound attention list naming the column.
   */
  readonly values?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Per column key: the format a time or date is shown in, in Luxon tokens (default `time`: `HH:mm`). */
  readonly formats?: Readonly<Record<string, string>>;
}

export interface ScreenMap {
  readonly connectionId: string;
  readonly site: string;
  /** Increases by one with every approved change. */
  readonly version: number;
  /** The EHR's origin (`https://ehr.example.org`): the only origin a run's browser may reach. */
  readonly origin: string;
  /** Where a run starts (a path on the origin). */
  readonly home: string;
  readonly screens: readonly ScreenContract[];
  readonly login: {
    readonly screen: string;
    readonly username: ElementSpec;
    readonly password: ElementSpec;
    /** The one-time code field, when the EHR asks for one. */
    readonly code?: ElementSpec;
    readonly submit: ElementSpec;
  };
  readonly patientSearch: PatientSearchSpec;
  readonly banner: BannerSpec;
  readonly forms: readonly FormSpec[];
  readonly reads?: readonly ReadSpec[];
}
