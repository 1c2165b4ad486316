/**
 * @module Errors by cause, with stable codes. Each edge (HTTP, CLI, workflow retry) maps them once.
 *
 * - UserError: the caller can fix it (bad input, missing permission, unknown record). Not retryable.
 * - OperationalError: transient (database down, audit unavailable, rate limited). Retry may succeed.
 * - UnexpectedError: a bug. Report it.
 *
 * Messages never carry PHI: name the field or the rule, never the value.
 */

/**
 * Every stable code, in ONE table: its cause (who can fix it), whether the same call may succeed
 * when tried again, and the HTTP status and CLI exit code it maps to. docs/errors.md documents each
 * row; a test keeps the page and the table in step. Each error class accepts only the codes of its
 * cause (checked by the compiler), so a thrown error's class and its table row always agree.
 */
export const errorCodes = {
  VALIDATION_FAILED: { cause: 'user', retryable: false, status: 400, exit: 2 },
  MALFORMED_JSON: { cause: 'user', retryable: false, status: 400, exit: 2 },
  BODY_TOO_LARGE: { cause: 'user', retryable: false, status: 413, exit: 2 },
  UNSUPPORTED_MEDIA_TYPE: { cause: 'user', retryable: false, status: 415, exit: 2 },
  AUTH_REQUIRED: { cause: 'user', retryable: false, status: 401, exit: 3 },
  AUTH_INVALID: { cause: 'user', retryable: false, status: 401, exit: 3 },
  AUTH_MFA_REQUIRED: { cause: 'user', retryable: false, status: 401, exit: 3 },
  AUTH_SESSION_EXPIRED: { cause: 'user', retryable: false, status: 401, exit: 3 },
  AUTH_REAUTH_REQUIRED: { cause: 'user', retryable: false, status: 401, exit: 3 },
  FORBIDDEN: { cause: 'user', retryable: false, status: 403, exit: 4 },
  CSRF_REFUSED: { cause: 'user', retryable: false, status: 403, exit: 4 },
  BREAK_GLASS_NOT_ELIGIBLE: { cause: 'user', retryable: false, status: 403, exit: 4 },
  NOT_FOUND: { cause: 'user', retryable: false, status: 404, exit: 5 },
  ROUTE_NOT_FOUND: { cause: 'user', retryable: false, status: 404, exit: 5 },
  ALREADY_EXISTS: { cause: 'user', retryable: false, status: 409, exit: 6 },
  VERSION_CONFLICT: { cause: 'user', retryable: false, status: 412, exit: 6 },
  EGRESS_NOT_REGISTERED: { cause: 'user', retryable: false, status: 403, exit: 4 },
  EGRESS_NO_BAA: { cause: 'user', retryable: false, status: 403, exit: 4 },
  EGRESS_ADDRESS_BLOCKED: { cause: 'user', retryable: false, status: 403, exit: 4 },
  RATE_LIMITED: { cause: 'operational', retryable: true, status: 429, exit: 7 },
  AUDIT_UNAVAILABLE: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  STORE_UNAVAILABLE: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  KEY_UNAVAILABLE: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  CONFIG_INVALID: { cause: 'user', retryable: false, status: 500, exit: 9 },
  AUDIT_CHAIN_BROKEN: { cause: 'unexpected', retryable: false, status: 500, exit: 1 },
  INTERNAL: { cause: 'unexpected', retryable: false, status: 500, exit: 10 },
  EHR_UNAVAILABLE: { cause: 'operational', retryable: true, status: 502, exit: 8 },
  EHR_RATE_LIMITED: { cause: 'operational', retryable: true, status: 503, exit: 7 },
  EHR_BUDGET_EXHAUSTED: { cause: 'operational', retryable: true, status: 503, exit: 7 },
  EHR_AUTH_FAILED: { cause: 'user', retryable: false, status: 502, exit: 3 },
  EHR_SCOPE_NOT_GRANTED: { cause: 'user', retryable: false, status: 403, exit: 4 },
  EHR_REJECTED: { cause: 'user', retryable: false, status: 422, exit: 2 },
  EHR_CONFLICT: { cause: 'user', retryable: false, status: 409, exit: 6 },
  EHR_OUTCOME_UNKNOWN: { cause: 'operational', retryable: true, status: 502, exit: 8 },
  EHR_WRONG_PATIENT: { cause: 'user', retryable: false, status: 409, exit: 6 },
  EHR_NOT_SUPPORTED: { cause: 'user', retryable: false, status: 422, exit: 2 },
  SCREEN_HALTED: { cause: 'user', retryable: false, status: 409, exit: 6 },
  SCREEN_MAP_MISSING: { cause: 'user', retryable: false, status: 409, exit: 6 },
  SCREEN_FIELDS_MISSING: { cause: 'user', retryable: false, status: 422, exit: 2 },
  SCREEN_UNAVAILABLE: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  HL7_INVALID: { cause: 'user', retryable: false, status: 400, exit: 2 },
  FHIR_INVALID: { cause: 'user', retryable: false, status: 400, exit: 2 },
  FHIR_UNSUPPORTED: { cause: 'user', retryable: false, status: 422, exit: 2 },
  ACTION_UNKNOWN: { cause: 'user', retryable: false, status: 422, exit: 2 },
  SERVER_UNAVAILABLE: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  SITE_UNKNOWN: { cause: 'user', retryable: false, status: 422, exit: 2 },
  POOL_UNKNOWN: { cause: 'user', retryable: false, status: 422, exit: 2 },
  STAFF_UNKNOWN: { cause: 'user', retryable: false, status: 422, exit: 2 },
  HANDOFF_STATE: { cause: 'user', retryable: false, status: 409, exit: 6 },
  HANDOFF_NOT_YOURS: { cause: 'user', retryable: false, status: 403, exit: 4 },
  HANDOFF_PENDING: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  FHIR_NOT_SERVED: { cause: 'user', retryable: false, status: 400, exit: 2 },
  FHIR_PATIENT_REQUIRED: { cause: 'user', retryable: false, status: 400, exit: 2 },
  AI_PROVIDER_UNAVAILABLE: { cause: 'operational', retryable: true, status: 502, exit: 8 },
  AI_PROVIDER_REFUSED: { cause: 'user', retryable: false, status: 502, exit: 2 },
  WEBHOOK_SIGNATURE_INVALID: { cause: 'user', retryable: false, status: 401, exit: 3 },
  INTAKE_PURGED: { cause: 'user', retryable: false, status: 410, exit: 5 },
  INTAKE_TOOL_MISSING: { cause: 'user', retryable: false, status: 500, exit: 9 },
  INTAKE_TOOL_FAILED: { cause: 'operational', retryable: true, status: 503, exit: 8 },
  DOCUMENT_UNREADABLE: { cause: 'user', retryable: false, status: 422, exit: 2 },
  INTAKE_REFERRAL_MISMATCH: { cause: 'user', retryable: false, status: 422, exit: 2 },
} as const satisfies Record<string, { cause: ErrorCause; retryable: boolean; status: number; exit: number }>;

export type ErrorCode = keyof typeof errorCodes;

export type ErrorCause = 'user' | 'operational' | 'unexpected';

/** The codes of one cause: what each error class may carry. */
export type CodeOf<C extends ErrorCause> = {
  [K in ErrorCode]: (typeof errorCodes)[K]['cause'] extends C ? K : never;
}[ErrorCode];

/** The table row of a code: its cause, retryability, HTTP status and exit code. */
export function errorInfo(code: ErrorCode): (typeof errorCodes)[ErrorCode] {
  return errorCodes[code];
}

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

  /** Whether trying the same call again may succeed (the code's row in the table). */
  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }

  toJSON(): { code: ErrorCode; message: string; details: readonly ErrorDetail[] } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The caller can fix this: bad input, no permission, unknown record. */
export class UserError extends StewardError {
  readonly category = 'user' as const;
  constructor(code: CodeOf<'user'>, message: string, details: readonly ErrorDetail[] = [], options?: ErrorOptions) {
    super(code, message, details, options);
  }
}

/** Transient: a dependency is unavailable. Retrying may succeed. */
export class OperationalError extends StewardError {
  readonly category = 'operational' as const;
  constructor(
    code: CodeOf<'operational'>,
    message: string,
    details: readonly ErrorDetail[] = [],
    options?: ErrorOptions,
  ) {
    super(code, message, details, options);
  }
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
