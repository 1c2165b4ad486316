/**
 * @module The HTTP edge of error handling: every failure becomes a stable code and a status
 * (docs/errors.md). A validation error names the field, never its value; an unexpected error
 * is logged by class and code and answered as INTERNAL without detail.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorCodes, isStewardError, type ErrorCode, type ErrorDetail } from '@steward/core';
import { isFhirFacadeUrl, toFhirOutcome } from './fhir-outcome.js';

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: readonly ErrorDetail[];
  readonly requestId: string;
}

const fastifyCodes: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', message: 'the request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'VALIDATION_FAILED', message: 'a path parameter is too long' },
  FST_ERR_BAD_URL: { code: 'VALIDATION_FAILED', message: 'the URL is malformed' },
};

export function toErrorBody(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (isStewardError(error)) {
    return {
      status: error.status,
      body: { code: error.code, message: error.message, details: error.details, requestId },
    };
  }
  const fe = error as Partial<FastifyError> & {
    validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
    validationContext?: string;
  };
  if (Array.isArray(fe.validation)) {
    const details = fe.validation.map((v) => ({
      path: `${fe.validationContext ?? 'body'}${v.instancePath ?? ''}${
        typeof v.params?.['additionalProperty'] === 'string' ? `/${v.params['additionalProperty']}` : ''
      }`,
      message: v.params?.['additionalProperty'] !== undefined ? 'unknown field' : (v.message ?? 'invalid'),
    }));
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'the request does not match the schema', details, requestId },
    };
  }
  if (fe.code !== undefined && fastifyCodes[fe.code] !== undefined) {
    const { code, message } = fastifyCodes[fe.code] as { code: ErrorCode; message: string };
    return { status: errorCodes[code].status, body: { code, message, details: [], requestId } };
  }
  if (fe.statusCode === 429) {
    return {
      status: 429,
      body: { code: 'RATE_LIMITED', message: 'too many requests: slow down and retry later', details: [], requestId },
    };
  }
  if (fe.statusCode !== undefined && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'the request is malformed', details: [], requestId },
    };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'internal error: reported, with this request id', details: [], requestId },
  };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(error, request.id);
  if (status >= 500) request.log.error({ err: error, code: body.code }, 'request failed');
  else request.log.info({ code: body.code }, 'request refused');
  // The FHIR facade: FHIR's issue types and statuses, EHR failures as a gateway's (fhir-outcome.ts).
  if (isFhirFacadeUrl(request.url)) {
    const fhir = toFhirOutcome(error, body, status);
    if (fhir.status === 401) void reply.header('www-authenticate', 'Bearer');
    void reply.status(fhir.status).type('application/fhir+json').send(fhir.outcome);
    return;
  }
  if (request.routeOptions.config?.fhir === true) {
    void reply.status(status).type('application/fhir+json').send(toOperationOutcome(body));
    return;
  }
  void reply.status(status).send(body);
}

/** The same error for a FHIR client: severity, an issue type, Steward's code, and the field paths. */
export function toOperationOutcome(body: ErrorBody): Record<string, unknown> {
  const type =
    body.code === 'AUTH_INVALID' || body.code === 'AUTH_REQUIRED'
      ? 'security'
      : body.code === 'INTERNAL'
        ? 'exception'
        : body.code === 'FHIR_INVALID' || body.code === 'VALIDATION_FAILED' || body.code === 'MALFORMED_JSON'
          ? 'invalid'
          : 'processing';
  const issue = (body.details.length > 0 ? body.details : [undefined]).map((d) => ({
    severity: 'error',
    code: type,
    details: { coding: [{ system: 'https://steward.dev/errors', code: body.code }], text: body.message },
    ...(d !== undefined ? { expression: [d.path], diagnostics: d.message } : {}),
  }));
  return { resourceType: 'OperationOutcome', id: body.requestId, issue };
}
