/** @module The workflow definitions and effect handlers one engine knows, by type and version. */
import { ConfigError } from '@steward/core';
import type { EffectHandler, Json, WorkflowDefinition } from './types.js';

export class Registry {
  readonly #definitions = new Map<string, WorkflowDefinition>();
  readonly #latest = new Map<string, WorkflowDefinition>();
  readonly #effects: ReadonlyMap<string, EffectHandler>;

  constructor(definitions: readonly WorkflowDefinition[], effects: Readonly<Record<string, EffectHandler>>) {
    const problems: { path: string; message: string }[] = [];
    for (const d of definitions) {
      const k = key(d.type, d.version);
      if (!Number.isInteger(d.version) || d.version < 1) problems.push({ path: k, message: 'version must be ≥ 1' });
      if (this.#definitions.has(k)) problems.push({ path: k, message: 'registered twice' });
      this.#definitions.set(k, d);
      const latest = this.#latest.get(d.type);
      if (latest === undefined || latest.version < d.version) this.#latest.set(d.type, d);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    this.#effects = new Map(Object.entries(effects));
  }

  get(type: string, version: number): WorkflowDefinition | undefined {
    return this.#definitions.get(key(type, version));
  }

  latest(type: string): WorkflowDefinition | undefined {
    return this.#latest.get(type);
  }

  /** `type@version` of every definition: a worker claims only workflows it can run. */
  definitionKeys(): Json {
    return [...this.#definitions.keys()];
  }

  effect(kind: string): EffectHandler | undefined {
    return this.#effects.get(kind);
  }

  effectKinds(): Json {
    return [...this.#effects.keys()];
  }

  effectKindSet(): ReadonlySet<string> {
    return new Set(this.#effects.keys());
  }
}

function key(type: string, version: number): string {
  return `${type}@${version}`;
}
