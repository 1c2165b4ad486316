/**
 * @module The FHIR facade's edge of error handling (everything under /fhir/R4/): every failure is an
 * OperationOutcome with the FHIR issue type and HTTP status a FHIR client expects. Steward's code
 * rides along in `details.coding`; the diagnostics are Steward's own message, which names fields
 * and rules, never values. An EHR failure is answered 502/503 without what the EHR said (its
 * OperationOutcome, its URL): the caller learns that the EHR failed, not how it is reached.
 */
import { errorCodes, isStewardError, type ErrorCode } from '@steward/core';
import type { ErrorBody } from './error-handler.js';

/** The path prefix every FHIR facade route lives under. */
export const fhirFacadePrefix = '/fhir/R4/';

export function isFhirFacadeUrl(url: string): boolean {
  return url.startsWith(fhirFacadePrefix) || url === '/fhir/R4';
}

type IssueType =
  | 'invalid'
  | 'required'
  | 'login'
  | 'unknown'
  | 'expired'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'throttled'
  | 'transient'
  | 'exception'
  | 'too-costly'
  | 'processing';

/** Per Steward code: the FHIR issue type, and the status when it differs from the code's own. */
const fhirMapping: Partial<Record<ErrorCode, { readonly issue: IssueType; readonly status?: number }>> = {
  VALIDATION_FAILED: { issue: 'invalid' },
  MALFORMED_JSON: { issue: 'invalid' },
  FHIR_INVALID: { issue: 'invalid' },
  BODY_TOO_LARGE: { issue: 'too-costly' },
  UNSUPPORTED_MEDIA_TYPE: { issue: 'not-supported' },
  FHIR_NOT_SERVED: { issue: 'not-supported' },
  FHIR_PATIENT_REQUIRED: { issue: 'required' },
  EHR_NOT_SUPPORTED: { issue: 'not-supported', status: 400 },
  AUTH_REQUIRED: { issue: 'login' },
  AUTH_INVALID: { issue: 'unknown' },
  AUTH_MFA_REQUIRED: { issue: 'login' },
  AUTH_SESSION_EXPIRED: { issue: 'expired' },
  AUTH_REAUTH_REQUIRED: { issue: 'login' },
  FORBIDDEN: { issue: 'forbidden' },
  CSRF_REFUSED: { issue: 'forbidden' },
  NOT_FOUND: { issue: 'not-found' },
  ROUTE_NOT_FOUND: { issue: 'not-found' },
  RATE_LIMITED: { issue: 'throttled' },
  // The EHR failed, not the caller: a gateway's answers, whatever the code's status elsewhere.
  EHR_UNAVAILABLE: { issue: 'transient', status: 502 },
  EHR_OUTCOME_UNKNOWN: { issue: 'transient', status: 502 },
  EHR_RATE_LIMITED: { issue: 'throttled', status: 503 },
  EHR_BUDGET_EXHAUSTED: { issue: 'throttled', status: 503 },
  EHR_AUTH_FAILED: { issue: 'exception', status: 502 },
  EHR_SCOPE_NOT_GRANTED: { issue: 'exception', status: 502 },
  EHR_REJECTED: { issue: 'exception', status: 502 },
  EHR_CONFLICT: { issue: 'exception', status: 502 },
  SCREEN_UNAVAILABLE: { issue: 'transient', status: 503 },
  // Steward could not reach the EHR at all (its egress registration): the caller can do nothing.
  EGRESS_NOT_REGISTERED: { issue: 'exception', status: 502 },
  EGRESS_NO_BAA: { issue: 'exception', status: 502 },
  EGRESS_ADDRESS_BLOCKED: { issue: 'exception', status: 502 },
  AUDIT_UNAVAILABLE: { issue: 'transient' },
  STORE_UNAVAILABLE: { issue: 'transient' },
  KEY_UNAVAILABLE: { issue: 'transient' },
};

/** The OperationOutcome and status for an error answered under /fhir/R4/. */
export function toFhirOutcome(error: unknown, body: ErrorBody, status: number): { status: number; outcome: object } {
  const code = body.code;
  const mapped = fhirMapping[code];
  const ehr = /^(EHR|SCREEN|EGRESS)_/.test(code);
  const httpStatus = mapped?.status ?? (isStewardError(error) ? errorCodes[code].status : status);
  // What the EHR said stays here (its issue codes and paths describe Steward's request, and no
  // message may name its address): a fixed sentence per status instead.
  const details = ehr ? [] : body.details;
  const message = !ehr
    ? body.message
    : httpStatus === 503
      ? 'the EHR behind this endpoint is busy: retry later'
      : 'the EHR behind this endpoint did not answer this request';
  const issue = (details.length > 0 ? details : [undefined]).map((d) => ({
    severity: 'error',
    code: mapped?.issue ?? (httpStatus >= 500 ? 'exception' : 'processing'),
    details: { coding: [{ system: 'https://steward.dev/errors', code }], text: message },
    diagnostics: d !== undefined ? `${message}: ${d.path}: ${d.message}` : message,
    ...(d !== undefined ? { expression: [d.path] } : {}),
  }));
  return { status: httpStatus, outcome: { resourceType: 'OperationOutcome', id: body.requestId, issue } };
}
