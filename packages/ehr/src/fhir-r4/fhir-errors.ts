/** @module Maps FHIR server responses to Steward's stable error codes, keeping only PHI-free parts of OperationOutcome. */
import { OperationalError, UserError } from '@steward/core';
import type { ErrorDetail, StewardError } from '@steward/core';

const maxIssues = 10;
const maxPathLength = 200;

/**
 * The issue `code` and its `expression`/`location` paths only: `diagnostics` and `details.text`
 * often echo the submitted values (names, identifiers), so they are dropped. Quoted literals inside
 * FHIRPath expressions (`identifier.where(value='…')`) are blanked for the same reason.
 */
export function outcomeDetails(body: unknown): ErrorDetail[] {
  if (typeof body !== 'object' || body === null) return [];
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return [];
  const details: ErrorDetail[] = [];
  for (const raw of (outcome.issue as unknown[]).slice(0, maxIssues)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const issue = raw as { code?: unknown; severity?: unknown; expression?: unknown; location?: unknown };
    const code = typeof issue.code === 'string' && /^[a-z-]{1,40}$/.test(issue.code) ? issue.code : 'unknown';
    const severity =
      typeof issue.severity === 'string' && /^(fatal|error|warning|information)$/.test(issue.severity)
        ? issue.severity
        : 'error';
    const path = firstString(issue.expression) ?? firstString(issue.location);
    details.push({ ...(path !== undefined ? { path: sanitizePath(path) } : {}), message: `${severity}:${code}` });
  }
  return details;
}

function firstString(v: unknown): string | undefined {
  if (!Array.isArray(v)) return undefined;
  const first: unknown = v[0];
  return typeof first === 'string' ? first : undefined;
}

function sanitizePath(path: string): string {
  const blanked = path.replace(/'(?:[^'\\]|\\.)*'/g, "'…'").replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  const clean = blanked.replace(/[\u0000-\u001f\u007f]/g, '');
  return clean.length > maxPathLength ? `${clean.slice(0, maxPathLength)}…` : clean;
}

export interface ResponseContext {
  readonly status: number;
  /** The parsed body, if it was JSON; used only for OperationOutcome issues. */
  readonly body: unknown;
  /** Whether the request was safe to resend (a 5xx on a write may hide a completed write). */
  readonly idempotent: boolean;
  /** For messages: "read Patient", "create Observation". No ids, no values. */
  readonly operation: string;
  /** The response's Retry-After header, if any: kept (in seconds) so a later retry can honour it. */
  readonly retryAfter?: string | null;
}

/** The error for a non-2xx response. Never carries the body, only sanitized issue codes and paths. */
export function errorForResponse(ctx: ResponseContext): StewardError {
  const { status, operation } = ctx;
  const retryAfter = retryAfterSeconds(ctx.retryAfter);
  const details = [
    { path: 'http.status', message: String(status) },
    ...(retryAfter !== undefined ? [{ path: 'http.retry-after', message: String(retryAfter) }] : []),
    ...outcomeDetails(ctx.body),
  ];
  if (status === 429) return new OperationalError('EHR_RATE_LIMITED', `EHR rate limited ${operation}`, details);
  if (status === 401) return new UserError('EHR_AUTH_FAILED', `EHR refused the credentials for ${operation}`, details);
  if (status === 403) return new UserError('EHR_SCOPE_NOT_GRANTED', `EHR forbade ${operation}`, details);
  if (status === 409 || status === 412) {
    return new UserError(
      'EHR_CONFLICT',
      `EHR version conflict on ${operation}: read the current version first`,
      details,
    );
  }
  if (status >= 500) {
    // A gateway error or a crash after a write began may hide a completed write; 503 means "not processed".
    if (!ctx.idempotent && status !== 503) {
      return new OperationalError(
        'EHR_OUTCOME_UNKNOWN',
        `EHR failed during ${operation}: read back before retrying`,
        details,
      );
    }
    return new OperationalError('EHR_UNAVAILABLE', `EHR unavailable for ${operation}`, details);
  }
  return new UserError('EHR_REJECTED', `EHR rejected ${operation}`, details);
}

/** Retry-After as whole seconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export function invalidResponse(message: string): UserError {
  return new UserError('FHIR_INVALID', message);
}
