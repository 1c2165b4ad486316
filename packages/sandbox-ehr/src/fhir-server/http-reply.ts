/** @module The request and reply shapes the sandbox's handlers share, and OperationOutcome replies. */
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationOutcome } from '@medplum/fhirtypes';

export interface SandboxRequest {
  readonly method: string;
  /** Path below the mount point, without leading slash (`Patient/123`), for FHIR requests; full path otherwise. */
  readonly path: string;
  readonly search: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const fhirJson = 'application/fhir+json; charset=utf-8';

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = fhirJson,
): HttpReply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: JSON.stringify(body) };
}

const issueCodes: Record<number, string> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

/** An error reply as an OperationOutcome; `diagnostics` names the rule, never a value from the request. */
export function outcomeReply(status: number, diagnostics: string, headers: Record<string, string> = {}): HttpReply {
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 400 ? 'error' : 'information',
        code: (issueCodes[status] ?? (status >= 500 ? 'transient' : 'processing')) as 'invalid',
        diagnostics,
      },
    ],
  };
  return jsonReply(status, outcome, headers);
}
