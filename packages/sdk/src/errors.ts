/**
 * @module What went wrong, as Steward said it: the stable code (docs/errors.md), the HTTP status,
 * the request id to quote to an operator, and for FHIR answers the OperationOutcome itself.
 */

/** One problem Steward names (a field path and what is wrong with it), never a value it refused. */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
}

/** A FHIR OperationOutcome, as the facade answers errors (only the parts the SDK reads). */
export interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: readonly {
    readonly severity: string;
    readonly code: string;
    readonly diagnostics?: string;
    readonly details?: { readonly text?: string };
  }[];
}

/** A request Steward refused or could not serve. `retryable` says whether trying again later can help. */
export class StewardApiError extends Error {
  override readonly name = 'StewardApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly requestId?: string,
    readonly outcome?: OperationOutcome,
  ) {
    super(message);
  }

  /** Rate limits, an unavailable EHR or Steward itself: worth retrying with back-off; anything else is not. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The error a response carries: Steward's JSON error body, a FHIR OperationOutcome, or only its status. */
export async function errorOf(response: Response): Promise<StewardApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return errorFromBody(response, body);
}

/** The error of an answer whose body was already read (openapi-fetch reads it into `error`). */
export function errorFromBody(response: Response, body: unknown): StewardApiError {
  const status = response.status;
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (isRecord(body) && body['resourceType'] === 'OperationOutcome') {
    const outcome = body as unknown as OperationOutcome;
    const first = outcome.issue[0];
    const message = first?.diagnostics ?? first?.details?.text ?? `the FHIR request failed (${status})`;
    return new StewardApiError(status, first?.code ?? 'exception', message, [], requestId, outcome);
  }
  if (isRecord(body) && typeof body['code'] === 'string' && typeof body['message'] === 'string') {
    const details = Array.isArray(body['details']) ? (body['details'] as ErrorDetail[]) : [];
    const id = typeof body['requestId'] === 'string' ? body['requestId'] : requestId;
    return new StewardApiError(status, body['code'], body['message'], details, id);
  }
  if (isRecord(body) && typeof body['error'] === 'string') {
    // OAuth 2.0 token endpoint errors (RFC 6749 §5.2).
    const description = typeof body['error_description'] === 'string' ? body['error_description'] : body['error'];
    return new StewardApiError(status, body['error'], description, [], requestId);
  }
  return new StewardApiError(status, `HTTP_${status}`, `Steward answered ${status} ${response.statusText}`.trim());
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
