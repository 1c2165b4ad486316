/**
 * @module Calling a model provider through Steward (`POST /ai/calls`): the provider is an egress
 * destination an administrator registered; without a BAA on record Steward removes the named
 * patient's identifiers, names and birth date and the usual PHI patterns first; every call is
 * audited (who, which patient, which destination — never the prompt or the answer). Your service
 * never holds the provider's key and never sends PHI to a destination Steward would refuse.
 */
import { answer, type StewardTransport } from './client.js';
import type { paths } from './schema.js';

export type AiCallRequest = paths['/ai/calls']['post']['requestBody']['content']['application/json'];
export type AiCallAnswer = paths['/ai/calls']['post']['responses'][200]['content']['application/json'];

export class AiCalls {
  constructor(private readonly transport: StewardTransport) {}

  /** One chat completion; `deidentified` and `removed` in the answer say what Steward took out. */
  async call(request: AiCallRequest): Promise<AiCallAnswer> {
    return answer(this.transport.http.POST('/ai/calls', { body: request }));
  }
}
