/**
 * @module The three clinics whose screens the sandbox serves. They show the same FHIR data and
 * write the same resources, but differ the way real clinics' configured EHR screens do: labels,
 * field order, layout (labelled rows, a table in fieldsets, aria-label without visible labels),
 * date formats, option texts and character limits. All of it is data, so a test (or
 * `POST /$sandbox/web/relabel`) can rename a field the way a clinic's next release would.
 */

export type DateFormat = 'MM/dd/yyyy' | 'dd.MM.yyyy' | 'yyyy-MM-dd';
/** `label`: `<label for>` rows; `table`: fieldsets with a table of labelled rows; `aria-label`: no visible labels. */
export type Layout = 'label' | 'table' | 'aria-label';
export type TaskField = 'description' | 'priority' | 'due' | 'note' | 'reference';
export type TaskPriority = 'routine' | 'urgent' | 'asap' | 'stat';
export type Specialty = 'general' | 'cardiology' | 'dermatology';
export type VisitLength = 'short' | 'long';

export const taskPriorities: readonly TaskPriority[] = ['routine', 'urgent', 'asap', 'stat'];
export const specialties: readonly Specialty[] = ['general', 'cardiology', 'dermatology'];
export const visitLengths: readonly VisitLength[] = ['short', 'long'];

/** Every text a variant shows for a control, heading or column, by a stable key. */
export interface VariantLabels {
  readonly clinic: string;
  readonly 'login.heading': string;
  readonly 'login.username': string;
  readonly 'login.password': string;
  readonly 'login.code': string;
  readonly 'login.submit': string;
  readonly 'nav.name': string;
  readonly 'nav.patients': string;
  readonly 'nav.schedule': string;
  readonly 'nav.tasks': string;
  readonly 'nav.signOut': string;
  readonly 'search.heading': string;
  readonly 'search.mrn': string;
  readonly 'search.name': string;
  readonly 'search.submit': string;
  readonly 'search.results': string;
  readonly 'banner.region': string;
  readonly 'banner.mrn': string;
  readonly 'banner.person': string;
  readonly 'banner.birthDate': string;
  readonly 'banner.gender': string;
  readonly 'chart.newTask': string;
  readonly 'chart.newNote': string;
  readonly 'chart.tasks': string;
  readonly 'chart.notes': string;
  readonly 'task.form': string;
  readonly 'task.description': string;
  readonly 'task.priority': string;
  readonly 'task.due': string;
  readonly 'task.note': string;
  readonly 'task.reference': string;
  readonly 'task.submit': string;
  readonly 'task.saved': string;
  readonly 'task.view': string;
  readonly 'note.form': string;
  readonly 'note.specialty': string;
  readonly 'note.length': string;
  readonly 'note.bloodPressure': string;
  readonly 'note.lesionSite': string;
  readonly 'note.vitals': string;
  readonly 'note.assessment': string;
  readonly 'note.plan': string;
  readonly 'note.notes': string;
  readonly 'note.reference': string;
  readonly 'note.date': string;
  readonly 'note.submit': string;
  readonly 'note.saved': string;
  readonly 'note.view': string;
  readonly 'tasks.heading': string;
  readonly 'tasks.table': string;
  readonly 'col.patient': string;
  readonly 'col.description': string;
  readonly 'col.priority': string;
  readonly 'col.due': string;
  readonly 'col.status': string;
  readonly 'schedule.heading': string;
  readonly 'schedule.date': string;
  readonly 'schedule.submit': string;
  readonly 'schedule.table': string;
  readonly 'col.time': string;
  readonly 'col.type': string;
  readonly 'col.appointment': string;
  readonly 'expired.heading': string;
  readonly 'expired.link': string;
}

export type LabelKey = keyof VariantLabels;

export interface Variant {
  readonly id: string;
  readonly layout: Layout;
  readonly dateFormat: DateFormat;
  /** The task form's fields, in the order the screen shows them. */
  readonly taskOrder: readonly TaskField[];
  /** `maxlength` of each limited field (the server refuses longer text, never truncates). */
  readonly limits: {
    readonly description: number;
    readonly note: number;
    readonly reference: number;
    readonly notes: number;
    readonly noteReference: number;
    readonly assessment: number;
    readonly plan: number;
    readonly vitals: number;
    readonly bloodPressure: number;
    readonly lesionSite: number;
  };
  readonly priorityText: Readonly<Record<TaskPriority, string>>;
  /** How the schedule shows an appointment's status (FHIR code → the clinic's word; others as the code). */
  readonly appointmentStatusText: Readonly<Record<string, string>>;
  readonly specialtyText: Readonly<Record<Specialty, string>>;
  readonly lengthText: Readonly<Record<VisitLength, string>>;
  /** One search field for MRN or name (`single`), or one field for each (`split`). */
  readonly search: 'single' | 'split';
  readonly labels: VariantLabels;
}

const north: Variant = {
  id: 'north',
  layout: 'label',
  dateFormat: 'MM/dd/yyyy',
  taskOrder: ['description', 'priority', 'due', 'note', 'reference'],
  limits: {
    description: 200,
    note: 500,
    reference: 64,
    notes: 1000,
    noteReference: 64,
    assessment: 4000,
    plan: 4000,
    vitals: 2000,
    bloodPressure: 20,
    lesionSite: 100,
  },
  priorityText: { routine: 'Routine', urgent: 'Urgent', asap: 'ASAP', stat: 'STAT' },
  appointmentStatusText: {
    booked: 'Booked',
    arrived: 'Arrived',
    'checked-in': 'Checked in',
    fulfilled: 'Completed',
    cancelled: 'Cancelled',
    noshow: 'No show',
  },
  specialtyText: { general: 'General practice', cardiology: 'Cardiology', dermatology: 'Dermatology' },
  lengthText: { short: 'Short visit', long: 'Long visit' },
  search: 'split',
  labels: {
    clinic: 'North Clinic',
    'login.heading': 'Sign in to North Clinic',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.code': 'Verification code',
    'login.submit': 'Sign in',
    'nav.name': 'Main',
    'nav.patients': 'Patients',
    'nav.schedule': 'Schedule',
    'nav.tasks': 'My tasks',
    'nav.signOut': 'Sign out',
    'search.heading': 'Find a patient',
    'search.mrn': 'MRN',
    'search.name': 'Last name',
    'search.submit': 'Search',
    'search.results': 'Search results',
    'banner.region': 'Patient banner',
    'banner.mrn': 'MRN',
    'banner.person': 'Person ID',
    'banner.birthDate': 'DOB',
    'banner.gender': 'Sex',
    'chart.newTask': 'New task',
    'chart.newNote': 'New encounter note',
    'chart.tasks': 'Tasks',
    'chart.notes': 'Encounter notes',
    'task.form': 'New task',
    'task.description': 'Description',
    'task.priority': 'Priority',
    'task.due': 'Due date',
    'task.note': 'Note',
    'task.reference': 'External reference',
    'task.submit': 'Save task',
    'task.saved': 'Task saved',
    'task.view': 'Task details',
    'note.form': 'Encounter note',
    'note.specialty': 'Specialty',
    'note.length': 'Encounter length',
    'note.bloodPressure': 'Blood pressure',
    'note.lesionSite': 'Lesion site',
    'note.vitals': 'Structured vitals (JSON)',
    'note.assessment': 'Assessment',
    'note.plan': 'Plan details',
    'note.notes': 'Notes',
    'note.reference': 'External reference',
    'note.date': 'Date',
    'note.submit': 'Save note',
    'note.saved': 'Encounter note saved',
    'note.view': 'Encounter note details',
    'tasks.heading': 'My tasks',
    'tasks.table': 'Tasks',
    'col.patient': 'Patient',
    'col.description': 'Description',
    'col.priority': 'Priority',
    'col.due': 'Due',
    'col.status': 'Status',
    'schedule.heading': 'Schedule',
    'schedule.date': 'Date',
    'schedule.submit': 'Show',
    'schedule.table': 'Appointments',
    'col.time': 'Time',
    'col.type': 'Type',
    'col.appointment': 'Appt no.',
    'expired.heading': 'Session expired',
    'expired.link': 'Sign in again',
  },
};

const lakeside: Variant = {
  id: 'lakeside',
  layout: 'table',
  dateFormat: 'dd.MM.yyyy',
  taskOrder: ['priority', 'description', 'due', 'reference', 'note'],
  limits: {
    description: 120,
    note: 280,
    reference: 64,
    notes: 600,
    noteReference: 64,
    assessment: 3000,
    plan: 3000,
    vitals: 1500,
    bloodPressure: 15,
    lesionSite: 80,
  },
  priorityText: { routine: 'Normal', urgent: 'Urgent', asap: 'ASAP', stat: 'STAT' },
  appointmentStatusText: {
    booked: 'Scheduled',
    arrived: 'Checked in',
    'checked-in': 'Ready for clinician',
    fulfilled: 'Seen',
    cancelled: 'Cancelled',
    noshow: 'DNA',
  },
  specialtyText: { general: 'Family medicine', cardiology: 'Cardiology', dermatology: 'Dermatology' },
  lengthText: { short: 'Brief visit', long: 'Extended visit' },
  search: 'single',
  labels: {
    clinic: 'Lakeside Family Health',
    'login.heading': 'Lakeside Family Health — log in',
    'login.username': 'User ID',
    'login.password': 'Password',
    'login.code': 'One-time code',
    'login.submit': 'Log in',
    'nav.name': 'Clinic menu',
    'nav.patients': 'Patient lookup',
    'nav.schedule': 'Day sheet',
    'nav.tasks': 'Work list',
    'nav.signOut': 'Log out',
    'search.heading': 'Patient lookup',
    'search.mrn': 'Name or medical record no.',
    'search.name': 'Name or medical record no.',
    'search.submit': 'Find',
    'search.results': 'Matching patients',
    'banner.region': 'Patient header',
    'banner.mrn': 'Medical record no.',
    'banner.person': 'Enterprise ID',
    'banner.birthDate': 'Born',
    'banner.gender': 'Gender',
    'chart.newTask': 'Add task',
    'chart.newNote': 'Write visit note',
    'chart.tasks': 'Open tasks',
    'chart.notes': 'Visit notes',
    'task.form': 'Add task',
    'task.description': 'Task',
    'task.priority': 'Urgency',
    'task.due': 'Complete by',
    'task.note': 'Comments',
    'task.reference': 'Source ID',
    'task.submit': 'Add',
    'task.saved': 'Task added',
    'task.view': 'Task record',
    'note.form': 'Visit note',
    'note.specialty': 'Service',
    'note.length': 'Visit type',
    'note.bloodPressure': 'BP (mmHg)',
    'note.lesionSite': 'Site of lesion',
    'note.vitals': 'Vitals (JSON)',
    'note.assessment': 'Clinical assessment',
    'note.plan': 'Care plan',
    'note.notes': 'Additional notes',
    'note.reference': 'Source ID',
    'note.date': 'Filed',
    'note.submit': 'File note',
    'note.saved': 'Visit note filed',
    'note.view': 'Visit note',
    'tasks.heading': 'Work list',
    'tasks.table': 'Work list',
    'col.patient': 'Patient name',
    'col.description': 'Task',
    'col.priority': 'Urgency',
    'col.due': 'Complete by',
    'col.status': 'State',
    'schedule.heading': 'Day sheet',
    'schedule.date': 'Day',
    'schedule.submit': 'Go',
    'schedule.table': 'Day sheet',
    'col.time': 'Start',
    'col.type': 'Visit type',
    'col.appointment': 'Booking ref',
    'expired.heading': 'Your session has timed out',
    'expired.link': 'Log in again',
  },
};

const summit: Variant = {
  id: 'summit',
  layout: 'aria-label',
  dateFormat: 'yyyy-MM-dd',
  taskOrder: ['due', 'description', 'note', 'priority', 'reference'],
  limits: {
    description: 250,
    note: 1000,
    reference: 80,
    notes: 2000,
    noteReference: 64,
    assessment: 5000,
    plan: 5000,
    vitals: 3000,
    bloodPressure: 20,
    lesionSite: 120,
  },
  priorityText: { routine: 'Routine', urgent: 'High', asap: 'Very high', stat: 'Immediate (STAT)' },
  appointmentStatusText: {
    booked: 'Confirmed',
    arrived: 'Here',
    'checked-in': 'Roomed',
    fulfilled: 'Done',
    cancelled: 'Canceled',
    noshow: 'No-show',
  },
  specialtyText: { general: 'Primary care', cardiology: 'Heart & vascular', dermatology: 'Skin clinic' },
  lengthText: { short: 'Standard (20 min)', long: 'Extended (40 min)' },
  search: 'split',
  labels: {
    clinic: 'Summit Health Partners',
    'login.heading': 'Summit Health Partners',
    'login.username': 'Login name',
    'login.password': 'Password',
    'login.code': 'Authenticator code',
    'login.submit': 'Sign on',
    'nav.name': 'Navigation',
    'nav.patients': 'Patient search',
    'nav.schedule': 'Appointments',
    'nav.tasks': 'Inbox tasks',
    'nav.signOut': 'Sign off',
    'search.heading': 'Patient search',
    'search.mrn': 'Medical record number',
    'search.name': 'Patient name',
    'search.submit': 'Search patients',
    'search.results': 'Patients found',
    'banner.region': 'Patient summary',
    'banner.mrn': 'Chart #',
    'banner.person': 'EMPI',
    'banner.birthDate': 'Date of birth',
    'banner.gender': 'Sex',
    'chart.newTask': 'Create task',
    'chart.newNote': 'Document encounter',
    'chart.tasks': 'Tasks for this patient',
    'chart.notes': 'Encounter documentation',
    'task.form': 'Create task',
    'task.description': 'What needs doing',
    'task.priority': 'Priority level',
    'task.due': 'Needed by',
    'task.note': 'Details',
    'task.reference': 'Reference number',
    'task.submit': 'Create',
    'task.saved': 'Task created',
    'task.view': 'Task summary',
    'note.form': 'Encounter documentation',
    'note.specialty': 'Department',
    'note.length': 'Appointment length',
    'note.bloodPressure': 'Blood pressure reading',
    'note.lesionSite': 'Lesion location',
    'note.vitals': 'Vital signs JSON',
    'note.assessment': 'Assessment (markdown)',
    'note.plan': 'Plan details (markdown)',
    'note.notes': 'Progress notes',
    'note.reference': 'Reference number',
    'note.date': 'Documented on',
    'note.submit': 'Sign and save',
    'note.saved': 'Encounter documented',
    'note.view': 'Encounter documentation record',
    'tasks.heading': 'Inbox tasks',
    'tasks.table': 'Inbox tasks',
    'col.patient': 'Patient',
    'col.description': 'What needs doing',
    'col.priority': 'Priority level',
    'col.due': 'Needed by',
    'col.status': 'Status',
    'schedule.heading': 'Appointments',
    'schedule.date': 'Appointment date',
    'schedule.submit': 'Load',
    'schedule.table': 'Appointments for the day',
    'col.time': 'Time',
    'col.type': 'Appointment type',
    'col.appointment': 'Confirmation no.',
    'expired.heading': 'Session expired — sign in again',
    'expired.link': 'Return to sign on',
  },
};

export const variants: readonly Variant[] = [north, lakeside, summit];
