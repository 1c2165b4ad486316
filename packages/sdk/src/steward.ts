/**
 * @module `new Steward({ baseUrl, auth })`: one object per server and identity, with the platform's
 * four doors — `fhir` (governed reads), `events` (the stream; webhooks are verified with
 * `@steward/sdk/webhooks`), `proposals` (draft, follow, await the outcome) and `ai` (model calls
 * through a governed destination) — and `http`, the whole API typed from Steward's OpenAPI document.
 */
import { AiCalls } from './ai.js';
import { createTransport, type StewardClientOptions } from './client.js';
import { EventStream } from './events.js';
import { FhirReads } from './fhir.js';
import { Proposals } from './proposals.js';

export class Steward {
  readonly fhir: FhirReads;
  readonly events: EventStream;
  readonly proposals: Proposals;
  readonly ai: AiCalls;
  /** Any route of the API, typed: `steward.http.GET('/me')`. */
  readonly http: ReturnType<typeof createTransport>['http'];

  constructor(options: StewardClientOptions) {
    const transport = createTransport(options);
    this.http = transport.http;
    this.fhir = new FhirReads(transport);
    this.events = new EventStream(transport);
    this.proposals = new Proposals(transport);
    this.ai = new AiCalls(transport);
  }
}
