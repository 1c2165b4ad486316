/**
 * @module Errors by cause, with stable codes. Each edge (HTTP, CLI, workflow retry) maps them once.
 *
 * - UserError: the caller can fix it (bad input, missing permission, unknown record). Not retryable.
 * - OperationalError: transient (database down, audit unavailable, rate limited). Retry may succeed.
 * - UnexpectedError: a bug. Report it.
 *
 * Messages never carry PHI: name the field or the rule, never the value.
 */

/** Every stable code, with the HTTP status and CLI exit code it maps to. Documented in docs/errors.md. */
export const errorCodes = {
  VALIDATION_FAILED: { status: 400, exit: 2 },
  MALFORMED_JSON: { status: 400, exit: 2 },
  BODY_TOO_LARGE: { status: 413, exit: 2 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, exit: 2 },
  AUTH_REQUIRED: { status: 401, exit: 3 },
  AUTH_INVALID: { status: 401, exit: 3 },
  AUTH_MFA_REQUIRED: { status: 401, exit: 3 },
  AUTH_SESSION_EXPIRED: { status: 401, exit: 3 },
  AUTH_REAUTH_REQUIRED: { status: 401, exit: 3 },
  FORBIDDEN: { status: 403, exit: 4 },
  BREAK_GLASS_NOT_ELIGIBLE: { status: 403, exit: 4 },
  NOT_FOUND: { status: 404, exit: 5 },
  ROUTE_NOT_FOUND: { status: 404, exit: 5 },
  ALREADY_EXISTS: { status: 409, exit: 6 },
  VERSION_CONFLICT: { status: 412, exit: 6 },
  EGRESS_NOT_REGISTERED: { status: 403, exit: 4 },
  EGRESS_NO_BAA: { status: 403, exit: 4 },
  EGRESS_ADDRESS_BLOCKED: { status: 403, exit: 4 },
  RATE_LIMITED: { status: 429, exit: 7 },
  AUDIT_UNAVAILABLE: { status: 503, exit: 8 },
  STORE_UNAVAILABLE: { status: 503, exit: 8 },
  KEY_UNAVAILABLE: { status: 503, exit: 8 },
  CONFIG_INVALID: { status: 500, exit: 9 },
  AUDIT_CHAIN_BROKEN: { status: 500, exit: 1 },
  INTERNAL: { status: 500, exit: 10 },
  EHR_UNAVAILABLE: { status: 502, exit: 8 },
  EHR_RATE_LIMITED: { status: 503, exit: 7 },
  EHR_BUDGET_EXHAUSTED: { status: 503, exit: 7 },
  EHR_AUTH_FAILED: { status: 502, exit: 3 },
  EHR_SCOPE_NOT_GRANTED: { status: 403, exit: 4 },
  EHR_REJECTED: { status: 422, exit: 2 },
  EHR_CONFLICT: { status: 409, exit: 6 },
  EHR_OUTCOME_UNKNOWN: { status: 502, exit: 8 },
  EHR_WRONG_PATIENT: { status: 409, exit: 6 },
  EHR_NOT_SUPPORTED: { status: 422, exit: 2 },
  HL7_INVALID: { status: 400, exit: 2 },
  FHIR_INVALID: { status: 400, exit: 2 },
  FHIR_UNSUPPORTED: { status: 422, exit: 2 },
  SERVER_UNAVAILABLE: { status: 503, exit: 8 },
} as const satisfies Record<string, { status: number; exit: number }>;

export type ErrorCode = keyof typeof errorCodes;

export type ErrorCause = 'user' | 'operational' | 'unexpected';

export interface ErrorDetail {
  /** Where the problem is: a JSON pointer, a parameter or a flag name. Never a value. */
  readonly path?: string;
  readonly message: string;
}

export abstract class StewardError extends Error {
  abstract readonly category: ErrorCause;
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get exitCode(): number {
    return errorCodes[this.code].exit;
  }

  /** Whether trying the same call again may succeed. */
  get retryable(): boolean {
    return this.category === 'operational';
  }

  toJSON(): { code: ErrorCode; message: string; details: readonly ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The caller can fix this: bad input, no permission, unknown record. */
export class UserError extends StewardError {
  readonly category = 'user' as const;
}

/** Transient: a dependency is unavailable. Retrying may succeed. */
export class OperationalError extends StewardError {
  readonly category = 'operational' as const;
}

/** A bug: an invariant did not hold. */
export class UnexpectedError extends StewardError {
  readonly category = 'unexpected' as const;
  constructor(message: string, options?: ErrorOptions) {
    super('INTERNAL', message, [], options);
  }
}

export class ValidationError extends UserError {
  constructor(message: string, details: readonly ErrorDetail[] = []) {
    super('VALIDATION_FAILED', message, details);
  }
}

/**
 * A record that does not exist, or one the caller may not see: the two are indistinguishable
 * on purpose, so that scope cannot be probed.
 */
export class NotFoundError extends UserError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class ForbiddenError extends UserError {
  constructor(message = 'not permitted') {
    super('FORBIDDEN', message);
  }
}

export class AuthenticationError extends UserError {
  constructor(
    code: 'AUTH_REQUIRED' | 'AUTH_INVALID' | 'AUTH_MFA_REQUIRED' | 'AUTH_SESSION_EXPIRED' | 'AUTH_REAUTH_REQUIRED',
    message: string,
  ) {
    super(code, message);
  }
}

export class ConflictError extends UserError {
  constructor(code: 'ALREADY_EXISTS' | 'VERSION_CONFLICT', message: string) {
    super(code, message);
  }
}

export class ConfigError extends UserError {
  constructor(details: readonly ErrorDetail[]) {
    super(
      'CONFIG_INVALID',
      `configuration is invalid:\n${details.map((d) => `  - ${d.path ?? ''}: ${d.message}`).join('\n')}`,
      details,
    );
  }
}

export function isStewardError(e: unknown): e is StewardError {
  return e instanceof StewardError;
}

/** Wraps anything thrown into a StewardError, keeping the original as `cause` (never in the message). */
export function toStewardError(e: unknown): StewardError {
  if (isStewardError(e)) return e;
  return new UnexpectedError('unexpected error', { cause: e });
}
