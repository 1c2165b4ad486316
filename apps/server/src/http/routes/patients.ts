/**
 * @module /patients: Steward's patient records, through the governed record store. Versioned
 * updates use If-Match, so a concurrent change is a conflict, never a silent overwrite.
 */
import type { FastifyInstance } from 'fastify';
import { identifierKey, ValidationError, type PatientDemographics } from '@steward/core';
import type { StoredRecord } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { errors, IdParams } from '../contract/common.js';
import {
  Demographics,
  IfMatchHeaders,
  NewPatient,
  Patient,
  PatientList,
  PatientSearchQuery,
} from '../contract/patients.js';
import { typed } from '../typed.js';
import { contextOf } from '../authenticate.js';

export function patientRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.post(
    '/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Create a patient record',
        body: NewPatient,
        response: { 201: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const { site, ...data } = request.body;
      checkBirthDate(data.birthDate);
      const record = await kernel.records.create<PatientDemographics>(contextOf(request), {
        kind: 'Patient',
        site,
        data,
        lookup: { identifier: data.identifiers.map(identifierKey) },
      });
      void reply.header('etag', etag(record.version)).status(201);
      return toBody(record);
    },
  );

  api.get(
    '/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Read a patient record',
        params: IdParams,
        response: { 200: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const record = await kernel.records.read<PatientDemographics>(contextOf(request), 'Patient', request.params.id);
      void reply.header('etag', etag(record.version));
      return toBody(record);
    },
  );

  api.put(
    '/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Replace a patient record at a known version (If-Match required)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: Demographics,
        response: { 200: Patient, ...errors },
      },
    },
    async (request, reply) => {
      checkBirthDate(request.body.birthDate);
      const version = Number(/"(\d+)"/.exec(request.headers['if-match'] ?? '')?.[1]);
      const record = await kernel.records.update<PatientDemographics>(
        contextOf(request),
        'Patient',
        request.params.id,
        version,
        request.body,
        { identifier: request.body.identifiers.map(identifierKey) },
      );
      void reply.header('etag', etag(record.version));
      return toBody(record);
    },
  );

  api.get(
    '/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Find patients by exact identifier (system|value)',
        querystring: PatientSearchQuery,
        response: { 200: PatientList, ...errors },
      },
    },
    async (request) => {
      const found = await kernel.records.find<PatientDemographics>(
        contextOf(request),
        'Patient',
        'identifier',
        request.query.identifier,
      );
      return { items: found.map(toBody) };
    },
  );
}

function checkBirthDate(date: string): void {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date || d.getTime() > Date.now()) {
    throw new ValidationError('invalid birth date', [
      { path: 'body/birthDate', message: 'must be a real date, not in the future' },
    ]);
  }
}

function etag(version: number): string {
  return `W/"${version}"`;
}

function toBody(r: StoredRecord<PatientDemographics>): Patient {
  return {
    id: r.id,
    version: r.version,
    site: r.site,
    ...r.data,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
