/**
 * @module Structured JSON logs (pino) that carry no PHI. Steward logs events and identifiers it
 * generates (request ids, record ids, route patterns, error codes), never request bodies, query
 * strings or record contents. Redaction is the second line of defence: fields that could hold PHI
 * or secrets are censored wherever they appear.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths censored in every log line, at the top level and one or two levels down. */
const sensitiveKeys = [
  'body',
  'query',
  'params',
  'data',
  'name',
  'given',
  'family',
  'birthDate',
  'identifier',
  'identifiers',
  'mrn',
  'ssn',
  'address',
  'telecom',
  'phone',
  'email',
  'note',
  'reason',
  'password',
  'totp',
  'totpCode',
  'token',
  'secret',
  'authorization',
  'cookie',
  'url',
];

export const redactPaths = sensitiveKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

export interface LoggerConfig {
  readonly level: string;
  /** Defaults to standard output. Tests pass a stream to read every line back. */
  readonly destination?: DestinationStream;
}

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level,
    base: { service: 'steward' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
  return config.destination !== undefined ? pino(options, config.destination) : pino(options);
}

/**
 * Errors are logged by class and code only. A message may quote input (a driver's error can echo
 * a value), so messages of errors that are not Steward's own are dropped.
 */
export function serializeError(e: unknown, depth = 0): Record<string, unknown> {
  // A cause chain is followed a few links deep: enough to name the root, safe against a cycle.
  if (depth > 4) return { type: 'cause chain truncated' };
  if (e instanceof Error) {
    const own = typeof (e as { code?: unknown }).code === 'string' && 'category' in e;
    return {
      type: e.name,
      code: (e as { code?: unknown }).code,
      ...(own ? { message: e.message } : {}),
      stack: stackWithoutMessage(e),
      ...(e.cause !== undefined ? { cause: serializeError(e.cause, depth + 1) } : {}),
    };
  }
  return { type: typeof e };
}

function stackWithoutMessage(e: Error): string | undefined {
  return e.stack
    ?.split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .slice(0, 12)
    .join('\n');
}
