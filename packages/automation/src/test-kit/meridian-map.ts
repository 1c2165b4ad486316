/**
 * @module The screen map of the Meridian test EHR, as a person would record it: roles and names
 * only, no selectors. The executor's tests run from this map alone.
 */
import type { ScreenMap } from '../model/screen-map.js';

export const meridianSystems = {
  mrn: 'urn:meridian:mrn',
  nhs: 'https://fhir.nhs.uk/Id/nhs-number',
} as const;

export function meridianMap(origin: string, connectionId = 'meridian'): ScreenMap {
  return {
    connectionId,
    site: 'north',
    version: 1,
    origin,
    home: '/home',
    screens: [
      {
        id: 'login',
        kind: 'login',
        path: '/login',
        landmarks: [{ role: 'form', name: 'Sign in' }],
        required: [{ role: 'textbox', name: 'Username' }],
      },
      {
        id: 'home',
        kind: 'work',
        path: '/home',
        landmarks: [
          { role: 'main', name: '' },
          { role: 'navigation', name: 'Main' },
        ],
        required: [{ role: 'heading', name: 'Today' }],
      },
      {
        id: 'patient-search',
        kind: 'work',
        path: '/patients/search',
        landmarks: [{ role: 'main', name: '' }],
        required: [{ role: 'form', name: 'Patient search' }],
      },
      {
        id: 'chart',
        kind: 'work',
        path: '/patients/:patient',
        landmarks: [
          { role: 'main', name: '' },
          { role: 'region', name: 'Patient banner' },
        ],
        required: [{ role: 'link', name: 'New task' }],
      },
      {
        id: 'task-form',
        kind: 'work',
        path: '/patients/:patient/tasks/new',
        landmarks: [
          { role: 'form', name: 'New task' },
          { role: 'region', name: 'Patient banner' },
        ],
        required: [{ role: 'button', name: 'Save task' }],
      },
      {
        id: 'task-saved',
        kind: 'work',
        path: '/patients/:patient/tasks/:id',
        landmarks: [{ role: 'region', name: 'Patient banner' }],
        required: [{ role: 'heading', name: 'Task saved', synonyms: ['Task'] }],
      },
      {
        id: 'clinic',
        kind: 'work',
        path: '/clinic',
        landmarks: [
          { role: 'main', name: '' },
          { role: 'form', name: 'Choose clinic' },
        ],
        required: [{ role: 'heading', name: 'Clinic list' }],
      },
      {
        id: 'task-list',
        kind: 'work',
        path: '/patients/:patient/tasks',
        landmarks: [{ role: 'region', name: 'Patient banner' }],
        required: [{ role: 'table', name: 'Tasks' }],
      },
    ],
    login: {
      screen: 'login',
      username: { role: 'textbox', name: 'Username', synonyms: ['User name'] },
      password: { role: 'textbox', name: 'Password' },
      code: { role: 'textbox', name: 'One-time code', synonyms: ['Verification code'] },
      submit: { role: 'button', name: 'Sign in', synonyms: ['Log in'] },
    },
    patientSearch: {
      screen: 'patient-search',
      field: { role: 'textbox', name: 'Patient identifier' },
      system: meridianSystems.mrn,
      submit: { role: 'button', name: 'Search' },
      chart: 'chart',
    },
    banner: {
      region: { role: 'region', name: 'Patient banner' },
      identifiers: [
        { system: meridianSystems.mrn, label: 'MRN' },
        { system: meridianSystems.nhs, label: 'NHS no.' },
      ],
    },
    forms: [
      {
        id: 'task',
        resourceType: 'Task',
        open: [{ role: 'link', name: 'New task' }],
        screen: 'task-form',
        submit: { role: 'button', name: 'Save task' },
        after: 'task-saved',
        lookup: { read: 'patient-tasks', column: 'reference' },
        implied: { status: 'requested', intent: 'order' },
        templates: [
          {
            id: 'default',
            fields: [
              { key: 'description', label: 'Description', kind: 'text', required: true },
              { key: 'note/0/text', label: 'Details', kind: 'markdown' },
              { key: 'executionPeriod/end', label: 'Due date', kind: 'date', dateFormat: 'dd.MM.yyyy' },
              {
                key: 'priority',
                label: 'Priority',
                kind: 'dropdown',
                options: { routine: 'Routine follow-up', urgent: 'Urgent', stat: 'Same day' },
              },
              { key: 'input/0/valueString', label: 'Structured data', kind: 'json' },
              { key: 'identifier:urn:steward:write', label: 'External reference', kind: 'text', required: true },
            ],
          },
        ],
      },
    ],
    reads: [
      {
        id: 'patient-tasks',
        screen: 'task-list',
        open: [{ role: 'link', name: 'Tasks' }],
        table: { role: 'table', name: 'Tasks' },
        columns: [
          { key: 'description', header: 'Task' },
          { key: 'due', header: 'Due' },
          { key: 'reference', header: 'External reference' },
        ],
      },
      {
        id: 'clinic-list',
        screen: 'clinic',
        open: [{ role: 'link', name: 'Clinic list' }],
        day: {
          field: { role: 'textbox', name: 'Clinic date' },
          format: 'dd/MM/yyyy',
          submit: { role: 'button', name: 'Show clinic' },
        },
        table: { role: 'table', name: 'Clinic list' },
        columns: [
          { key: 'time', header: 'Due at' },
          { key: 'patient', header: 'Patient' },
          { key: `identifier:${meridianSystems.nhs}`, header: 'NHS no.' },
          { key: 'status', header: 'Attendance' },
          { key: 'id', header: 'Ref' },
        ],
        rows: 'appointment',
        values: {
          status: {
            Booked: 'booked',
            Waiting: 'arrived',
            Attended: 'fulfilled',
            DNA: 'noshow',
            'Cancelled by patient': 'cancelled',
            'Cancelled by clinic': 'cancelled',
          },
        },
        formats: { time: 'h:mm a' },
      },
    ],
  };
}
