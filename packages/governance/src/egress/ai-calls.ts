/**
 * @module AI providers as governed destinations (issue 18): a model is called only through an egress
 * destination of kind `ai`, in the OpenAI-compatible chat-completions shape most providers and
 * local model servers accept. `AiCalls.call(ctx, request)` decides `ai.call` at the request's site
 * for its purpose of use; reads the patient the prompt is about as the caller may see them (the
 * patient index decides and audits that read); sends the prompt as it is when the destination has
 * a BAA on record (the registry audits PHI leaving), or de-identified first (deidentify.ts) when
 * it has none; and audits every call once, allowed or not (`ai.called`: who, which patient, which
 * destination, which purpose, whether de-identified, how many items removed, the provider's status
 * — never the prompt or the answer).
 *
 * The provider's API key, when it needs one, comes from the `credentialOf` port (the kernel reads
 * it from the environment): it is never stored in the registry, never logged, never audited.
 * Known limits: no streaming; the answer is returned as the provider wrote it (placeholders are not
 * put back); a call is not retried (the caller decides, `AI_PROVIDER_UNAVAILABLE` is retryable).
 */
import {
  OperationalError,
  UserError,
  ValidationError,
  newId,
  isStewardError,
  type PurposeOfUse,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditEntryInput, type AuditSink } from '../audit/audit-entry.js';
import { deidentify, type KnownPatient, type RemovedKind } from './deidentify.js';
import type { EgressDestination, EgressRegistry } from './egress-registry.js';

/** What this service asks of the policy decision point (which sits beside egress, not below it). */
export interface AiCallPolicy {
  enforce(
    ctx: RequestContext,
    action: 'ai.call',
    scope: { readonly site: string; readonly patientId?: string },
  ): Promise<{ readonly purposeOfUse: PurposeOfUse }>;
}

/** The patient a prompt is about, as the patient index knows them (the kernel wires it). */
export interface AiPatientFacts {
  /**
   * The patient's names and birth date as the caller may see them (the index decides `phi.search`
   * at the patient's site and audits the read); NOT_FOUND when unknown or out of scope.
   */
  facts(ctx: RequestContext, patientId: string): Promise<KnownPatient & { readonly id: string }>;
  /**
   * A check of whether a value is one of that patient's identifiers (keyed blind-index lookups of
   * the value; nothing is read back), for one call.
   */
  identifierCheck(ctx: RequestContext, patientId: string): Promise<(value: string) => Promise<boolean>>;
}

export interface AiMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface AiCallRequest {
  /** The egress destination's name (kind `ai`). */
  readonly destination: string;
  readonly site: string;
  readonly purposeOfUse: PurposeOfUse;
  /** The Steward patient the prompt is about, if any. */
  readonly patientId?: string;
  readonly model: string;
  readonly messages: readonly AiMessage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

export interface AiCallResult {
  /** This call's id, also in its audit entry's entity. */
  readonly callId: string;
  readonly destination: string;
  /** True when the prompt was de-identified before it left (no BAA on record). */
  readonly deidentified: boolean;
  /** What de-identification replaced, by kind (empty when nothing was, or the prompt went as it is). */
  readonly removed: Readonly<Partial<Record<RemovedKind, number>>>;
  readonly model: string;
  readonly message: { readonly role: 'assistant'; readonly content: string };
  readonly finishReason: string | null;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number; readonly totalTokens: number };
  readonly providerStatus: number;
}

export interface AiCallsDeps {
  readonly policy: AiCallPolicy;
  readonly egress: Pick<EgressRegistry, 'list' | 'fetch'>;
  readonly audit: AuditSink;
  readonly patients: AiPatientFacts;
  /** The bearer key for a destination, if it needs one. */
  readonly credentialOf?: (destination: EgressDestination) => string | undefined;
  /** Time-out of one provider call. Default 60 s. */
  readonly timeoutMs?: number;
}

const maxAnswerBytes = 1024 * 1024;

export class AiCalls {
  readonly #d: AiCallsDeps;

  constructor(deps: AiCallsDeps) {
    this.#d = deps;
  }

  async call(ctx: RequestContext, request: AiCallRequest): Promise<AiCallResult> {
    if (ctx.purposeOfUse !== undefined && ctx.purposeOfUse !== request.purposeOfUse) {
      throw new ValidationError('two purposes of use', [
        { path: 'header/x-purpose-of-use', message: 'differs from the body: send one, or the same' },
      ]);
    }
    const scoped: RequestContext = { ...ctx, purposeOfUse: request.purposeOfUse };
    const callId = newId();
    const entry = (
      outcome: AuditEntryInput['outcome'],
      reason: string,
      destination?: EgressDestination,
    ): AuditEntryInput => ({
      actor: ctx.actor,
      event: 'ai.called',
      action: 'E',
      outcome,
      ...(request.patientId !== undefined ? { patientIds: [request.patientId] } : {}),
      entity: { kind: 'AiCall', id: callId },
      site: request.site,
      purposeOfUse: request.purposeOfUse,
      ...(ctx.workflow !== undefined ? { workflow: ctx.workflow } : {}),
      source: sourceOf(ctx),
      reason: `destination:${destination?.name ?? request.destination} ${reason}`,
    });

    // The policy decision point audits its own denial (access.denied, with the patient).
    await this.#d.policy.enforce(scoped, 'ai.call', {
      site: request.site,
      ...(request.patientId !== undefined ? { patientId: request.patientId } : {}),
    });
    const destination = (await this.#d.egress.list()).find((d) => d.name === request.destination && d.kind === 'ai');
    if (destination === undefined) {
      await this.#d.audit.append(entry('denied', 'refused:EGRESS_NOT_REGISTERED'));
      throw new UserError('EGRESS_NOT_REGISTERED', 'no AI destination of that name is in the egress registry', [
        { path: 'destination', message: 'register it with kind ai (POST /egress)' },
      ]);
    }
    let patient: (KnownPatient & { readonly id: string }) | undefined;
    if (request.patientId !== undefined) {
      try {
        patient = await this.#d.patients.facts(scoped, request.patientId);
      } catch (e) {
        if (isStewardError(e) && e.code === 'NOT_FOUND')
          await this.#d.audit.append(entry('denied', 'refused:PATIENT_NOT_FOUND', destination));
        throw e;
      }
    }
    const phi = destination.baaOnRecord;
    let messages = request.messages;
    let removed: AiCallResult['removed'] = {};
    if (!phi) {
      const isIdentifier =
        patient !== undefined ? await this.#d.patients.identifierCheck(scoped, patient.id) : undefined;
      const cleaned = await deidentify(
        request.messages.map((m) => m.content),
        { ...(patient !== undefined ? { patient } : {}), ...(isIdentifier !== undefined ? { isIdentifier } : {}) },
      );
      messages = request.messages.map((m, i) => ({ role: m.role, content: cleaned.texts[i] ?? '' }));
      removed = cleaned.removed;
    }
    const count = Object.values(removed).reduce((a, b) => a + (b ?? 0), 0);
    const how = `deidentified:${String(!phi)} removed:${count}`;

    const key = this.#d.credentialOf?.(destination);
    let response: Response;
    try {
      response = await this.#d.egress.fetch(ctx.actor, new URL('chat/completions', destination.baseUrl).toString(), {
        method: 'POST',
        phi,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({
          model: request.model,
          messages,
          stream: false,
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        }),
        signal: AbortSignal.timeout(this.#d.timeoutMs ?? 60_000),
      });
    } catch (e) {
      if (isStewardError(e)) {
        // The registry refused (and audited) the address or the BAA: this call's own entry too.
        await this.#d.audit.append(entry('denied', `${how} refused:${e.code}`, destination));
        throw e;
      }
      await this.#d.audit.append(entry('failure', `${how} provider:unreachable`, destination));
      throw new OperationalError('AI_PROVIDER_UNAVAILABLE', 'the AI provider did not answer', [], { cause: e });
    }
    const status = response.status;
    const text = await readCapped(response).catch(() => undefined);
    if (status === 429 || status >= 500 || text === undefined) {
      await this.#d.audit.append(entry('failure', `${how} provider:${status}`, destination));
      throw new OperationalError('AI_PROVIDER_UNAVAILABLE', `the AI provider answered ${status}`, [
        { path: 'provider.status', message: String(status) },
      ]);
    }
    if (status < 200 || status >= 300) {
      await this.#d.audit.append(entry('failure', `${how} provider:${status}`, destination));
      throw new UserError('AI_PROVIDER_REFUSED', `the AI provider refused the call (${status})`, [
        { path: 'provider.status', message: String(status) },
        { path: 'provider.error', message: providerErrorCode(text) },
      ]);
    }
    const answer = parseCompletion(text);
    if (answer === undefined) {
      await this.#d.audit.append(entry('failure', `${how} provider:${status} unreadable`, destination));
      throw new OperationalError('AI_PROVIDER_UNAVAILABLE', 'the AI provider answered with no chat completion', [
        { path: 'provider.status', message: String(status) },
      ]);
    }
    await this.#d.audit.append(entry('success', `${how} provider:${status}`, destination));
    return {
      callId,
      destination: destination.name,
      deidentified: !phi,
      removed,
      model: answer.model ?? request.model,
      message: { role: 'assistant', content: answer.content },
      finishReason: answer.finishReason,
      ...(answer.usage !== undefined ? { usage: answer.usage } : {}),
      providerStatus: status,
    };
  }
}

async function readCapped(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxAnswerBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error('answer too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The provider's error code or type, when it says one in the usual shape; never its message (it may quote the prompt). */
function providerErrorCode(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; type?: unknown } };
    const code = body.error?.code ?? body.error?.type;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'unknown';
  } catch {
    return 'unknown';
  }
}

function parseCompletion(text: string):
  | {
      readonly model?: string;
      readonly content: string;
      readonly finishReason: string | null;
      readonly usage?: AiCallResult['usage'];
    }
  | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const choice = Array.isArray(b['choices']) ? (b['choices'][0] as Record<string, unknown> | undefined) : undefined;
  const message = choice?.['message'] as Record<string, unknown> | undefined;
  const content = message?.['content'];
  if (typeof content !== 'string') return undefined;
  const u = b['usage'] as Record<string, unknown> | undefined;
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    ...(typeof b['model'] === 'string' ? { model: b['model'] } : {}),
    content,
    finishReason: typeof choice?.['finish_reason'] === 'string' ? choice['finish_reason'] : null,
    ...(u !== undefined && typeof u === 'object'
      ? {
          usage: {
            promptTokens: n(u['prompt_tokens']),
            completionTokens: n(u['completion_tokens']),
            totalTokens: n(u['total_tokens']),
          },
        }
      : {}),
  };
}
