/**
 * @module /patients: Steward's patient records, through the governed record store. Versioned
 * updates use If-Match, so a concurrent change is a conflict, never a silent overwrite.
 */
import type { FastifyInstance } from 'fastify';
import { identifierKey, ValidationError, type PatientDemographics } from '@steward/core';
import type { StoredRecord } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { errors, idParams, siteCode } from '../schemas.js';
import { contextOf } from '../authenticate.js';

const demographics = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'birthDate', 'identifiers'],
  properties: {
    name: {
      type: 'object',
      additionalProperties: false,
      required: ['family', 'given'],
      properties: {
        family: { type: 'string', minLength: 1, maxLength: 200 },
        given: { type: 'array', maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 200 } },
      },
    },
    birthDate: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' },
    gender: { type: 'string', enum: ['female', 'male', 'other', 'unknown'] },
    identifiers: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['system', 'value'],
        properties: {
          system: { type: 'string', minLength: 1, maxLength: 500 },
          value: { type: 'string', minLength: 1, maxLength: 200 },
        },
      },
    },
  },
} as const;

const patientResponse = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    site: { type: 'string' },
    ...demographics.properties,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

type CreateBody = PatientDemographics & { site: string };

export function patientRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.post<{ Body: CreateBody }>(
    '/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Create a patient record',
        body: {
          ...demographics,
          required: [...demographics.required, 'site'],
          properties: { ...demographics.properties, site: siteCode },
        },
        response: { 201: patientResponse, ...errors },
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

  app.get<{ Params: { id: string } }>(
    '/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Read a patient record',
        params: idParams,
        response: { 200: patientResponse, ...errors },
      },
    },
    async (request, reply) => {
      const record = await kernel.records.read<PatientDemographics>(contextOf(request), 'Patient', request.params.id);
      void reply.header('etag', etag(record.version));
      return toBody(record);
    },
  );

  app.put<{ Params: { id: string }; Body: PatientDemographics; Headers: { 'if-match'?: string } }>(
    '/patients/:id',
    {
      schema: {
        tags: ['patients'],
        summary: 'Replace a patient record at a known version (If-Match required)',
        params: idParams,
        headers: {
          type: 'object',
          required: ['if-match'],
          properties: { 'if-match': { type: 'string', pattern: '^(W/)?"\\d{1,9}"$' } },
        },
        body: demographics,
        response: { 200: patientResponse, ...errors },
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

  app.get<{ Querystring: { identifier: string } }>(
    '/patients',
    {
      schema: {
        tags: ['patients'],
        summary: 'Find patients by exact identifier (system|value)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['identifier'],
          properties: { identifier: { type: 'string', minLength: 3, maxLength: 701, pattern: '^[^|]+\\|.+$' } },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: patientResponse } } },
          ...errors,
        },
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

function toBody(r: StoredRecord<PatientDemographics>): Record<string, unknown> {
  return {
    id: r.id,
    version: r.version,
    site: r.site,
    ...r.data,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
