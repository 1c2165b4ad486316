/** @module Test-only: a small, valid screen map (a clinic's sign-in, patient search, chart and task form). */
import type { ScreenMap } from '../model/screen-map.js';

export function exampleMap(connectionId: string, site = 'north'): ScreenMap {
  return {
    connectionId,
    site,
    version: 0,
    origin: 'https://ehr.example.org',
    home: '/web/home',
    screens: [
      {
        id: 'login',
        kind: 'login',
        path: '/web/login',
        landmarks: [{ role: 'main', name: 'Sign in' }],
        required: [{ role: 'textbox', name: 'Username' }],
      },
      {
        id: 'patient-search',
        kind: 'work',
        path: '/web/patients',
        landmarks: [{ role: 'main', name: 'Patients' }],
        required: [],
      },
      {
        id: 'chart',
        kind: 'work',
        path: '/web/patients/:id',
        landmarks: [{ role: 'region', name: 'Patient banner' }],
        required: [{ role: 'heading', name: 'Chart' }],
      },
      {
        id: 'task-form',
        kind: 'work',
        path: '/web/patients/:id/tasks/new',
        landmarks: [{ role: 'form', name: 'New task' }],
        required: [{ role: 'button', name: 'Save task' }],
      },
    ],
    login: {
      screen: 'login',
      username: { role: 'textbox', name: 'Username' },
      password: { role: 'textbox', name: 'Password' },
      code: { role: 'textbox', name: 'One-time code' },
      submit: { role: 'button', name: 'Sign in' },
    },
    patientSearch: {
      screen: 'patient-search',
      field: { role: 'searchbox', name: 'MRN' },
      system: 'urn:oid:1.2.3.4.mrn',
      submit: { role: 'button', name: 'Search' },
      chart: 'chart',
    },
    banner: {
      region: { role: 'region', name: 'Patient banner' },
      identifiers: [
        { system: 'urn:oid:1.2.3.4.mrn', label: 'MRN' },
        { system: 'birthDate', label: 'DOB' },
      ],
    },
    forms: [
      {
        id: 'task',
        resourceType: 'Task',
        open: [{ role: 'link', name: 'New task' }],
        screen: 'task-form',
        submit: { role: 'button', name: 'Save task' },
        after: 'chart',
        templates: [
          {
            id: 'default',
            fields: [
              { key: 'description', label: 'Reason for task', kind: 'text', required: true },
              { key: 'executionPeriod/end', label: 'Due date', kind: 'date', dateFormat: 'MM/dd/yyyy' },
              {
                key: 'priority',
                label: 'Priority',
                kind: 'dropdown',
                options: { routine: 'Normal', urgent: 'Urgent' },
              },
              { key: 'note/0/text', label: 'Notes', kind: 'markdown' },
            ],
          },
        ],
      },
    ],
  };
}
