/**
 * @module Signals and effects declared once, with their payload schema, and imported by both sides:
 * the producer (a route, the applier's wiring, a workflow asking for an effect) and the consumer (a
 * workflow's `decide`, an effect handler). The payload is checked where it is produced and again
 * where it comes back from the database, so neither side casts. Temporal's `defineSignal` is the model.
 *
 * Schemas keep undeclared fields, so a history recorded before a field was added still replays.
 */
import type { JsonValue, Schema } from '@steward/core';
import {
  effect,
  type Command,
  type EffectHandler,
  type EffectRequest,
  type Json,
  type WorkflowInput,
} from './types.js';

/** A JSON value as the engine stores it (mutable `Json`), from any read-only JSON value. */
export function toJson(value: JsonValue): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

export interface SignalDefinition<T extends JsonValue, N extends string = string> {
  /** The signal's name, as a literal type: a consumer compares with `x.name`, never a retyped string. */
  readonly name: N;
  readonly payload: Schema<T>;
  /** The payload checked and typed, when `input` is this signal; undefined for any other input. */
  read(input: WorkflowInput): T | undefined;
  /** The payload checked, as the engine stores it. */
  encode(payload: T): Json;
}

/** A signal: a named message to a running workflow, with its payload schema. */
export function defineSignal<T extends JsonValue, const N extends string = string>(
  name: N,
  payload: Schema<T>,
): SignalDefinition<T, N> {
  return {
    name,
    payload,
    read(input) {
      if (input.kind !== 'signal' || input.name !== name) return undefined;
      return payload.parse(input.payload, `${name} signal`);
    },
    encode: (value) => toJson(payload.parse(value, `${name} signal`)),
  };
}

/** A workflow's start payload: checked when started, and when its step reads it back. */
export interface StartDefinition<T extends JsonValue> {
  readonly type: string;
  readonly payload: Schema<T>;
  read(input: WorkflowInput): T | undefined;
  encode(payload: T): Json;
}

export function defineStart<T extends JsonValue>(type: string, payload: Schema<T>): StartDefinition<T> {
  return {
    type,
    payload,
    read: (input) => (input.kind === 'start' ? payload.parse(input.payload, `${type} start`) : undefined),
    encode: (value) => toJson(payload.parse(value, `${type} start`)),
  };
}

/** What a workflow receives when its effect finished: the tag it gave, and the typed result or the error. */
export type EffectOutcome<O> =
  | { readonly tag: string | null; readonly ok: true; readonly value: O }
  | { readonly tag: string | null; readonly ok: false; readonly code: string; readonly message: string };

export interface EffectDefinition<I extends JsonValue, O extends JsonValue> {
  readonly kind: string;
  readonly input: Schema<I>;
  readonly output: Schema<O>;
  /** The command a workflow returns to run this effect (the input checked now, not at run time). */
  request(input: I, tag?: string): Command;
  /** The outcome, when `input` is this effect's result; undefined for any other input. */
  outcome(input: WorkflowInput): EffectOutcome<O> | undefined;
  /** A handler for the engine: the input read back from the outbox is checked before `run` sees it. */
  handler(run: (input: I, request: EffectRequest) => Promise<O>): EffectHandler;
}

/** An effect: an outside act a workflow asks for, with the shape of what it sends and gets back. */
export function defineEffect<I extends JsonValue, O extends JsonValue>(
  kind: string,
  schemas: { readonly input: Schema<I>; readonly output: Schema<O> },
): EffectDefinition<I, O> {
  const { input: inputSchema, output } = schemas;
  return {
    kind,
    input: inputSchema,
    output,
    request: (value, tag) => effect(kind, toJson(inputSchema.parse(value, `${kind} input`)), tag),
    outcome(input) {
      if (input.kind !== 'effect' || input.name !== kind) return undefined;
      const { tag, result } = input.payload;
      return result.ok
        ? { tag, ok: true, value: output.parse(result.value, `${kind} result`) }
        : { tag, ok: false, code: result.code, message: result.message };
    },
    handler: (run) => async (request) =>
      toJson(output.parse(await run(inputSchema.parse(request.input, `${kind} input`), request), `${kind} result`)),
  };
}
