/**
 * @module An action is what a proposal does, declared once: the shape of its payload, how it is
 * committed (written to the EHR through the one writer, or handed to a channel committer such as
 * messaging), how a reviewer sees it, whether it can be undone and how (compensation). The desk
 * checks drafts against it, the applier commits and rolls back by it, and a deployment adds its own
 * with `defineAction` and an `ActionRegistry` (docs/extending.md) instead of editing a closed list.
 */
import { UserError, ValidationError, type ErrorDetail, type Schema } from '@steward/core';

/** An EHR action: written through the EHR writer, as a create or an update of one resource type. */
export interface EhrCommit {
  readonly via: 'ehr';
  readonly resourceType: string;
  readonly write: 'create' | 'update';
}

/** A channel action: handed to the committer registered for its type (messaging); touches no EHR. */
export interface ChannelCommitSpec {
  readonly via: 'channel';
}

/** How a reviewer sees a proposal of this action: a title and a few lines (from the payload). */
export interface ActionRendering {
  readonly title: string;
  readonly lines: readonly string[];
}

export type PayloadOf = Readonly<Record<string, unknown>>;

/**
 * One field a reviewer may edit in a form, by its path in the payload (`status`,
 * `note/0/text`): what the console builds the edit form from, so an edit is not raw JSON. Fields
 * an edit must keep (the patient, the target) are never listed; the desk refuses changing them.
 */
export interface ActionField {
  /** Slash-separated path in the payload; numbers index arrays (`note/0/text`). */
  readonly path: string;
  readonly label: string;
  /** `text` one line, `long-text` several, `choice` one of `options`, `date-time` an ISO instant with offset. */
  readonly kind: 'text' | 'long-text' | 'choice' | 'date-time';
  readonly options?: readonly string[];
  /** A short help line shown under the field. */
  readonly help?: string;
}

export interface ActionDefinition<P extends PayloadOf = PayloadOf> {
  /** `noun.verb`, lower case (`task.create`, `reminder.send`): stored on the proposal and in policies. */
  readonly type: string;
  readonly commit: EhrCommit | ChannelCommitSpec;
  /** What the payload must hold beyond the generic rules (resource type, id): checked at draft and edit. */
  readonly payload: Schema<P>;
  /** How a reviewer reads it (a title and a few lines): sent with the opened proposal, shown by the console and CLI. */
  render(payload: P): ActionRendering;
  /** Whether the applier can undo a committed one. False for what cannot be recalled (a sent message). */
  readonly reversible: boolean;
  /** Shown before approval when the action cannot be undone (the draft may give its own). */
  readonly irreversibleReason?: string;
  /**
   * For an EHR create: the fields that withdraw what was created (a Task `cancelled`), written as an
   * update when it is rolled back. An update is undone by restoring the version it replaced, so it
   * needs none. A create without one cannot be rolled back (refused with the reason).
   */
  readonly compensation?: Readonly<Record<string, unknown>>;
  /** The fields a reviewer edits in a form (the rest of the payload is kept as drafted). None: JSON only. */
  readonly fields?: readonly ActionField[];
}

const actionType = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const fieldPath = /^[A-Za-z][A-Za-z0-9]*(\/([A-Za-z][A-Za-z0-9]*|\d{1,3}))*$/;

/** Declares an action; the definition is checked now, so a mistake fails at start-up, not at commit. */
export function defineAction<P extends PayloadOf>(definition: ActionDefinition<P>): ActionDefinition<P> {
  const problems: ErrorDetail[] = [];
  if (!actionType.test(definition.type) || definition.type.length > 64)
    problems.push({ path: 'type', message: '`noun.verb` in lower case, at most 64 characters' });
  if (definition.commit.via === 'ehr' && !/^[A-Z][A-Za-z]{1,63}$/.test(definition.commit.resourceType))
    problems.push({ path: 'commit.resourceType', message: 'a FHIR resource type' });
  if (!definition.reversible && (definition.irreversibleReason ?? '').trim() === '')
    problems.push({ path: 'irreversibleReason', message: 'required when the action cannot be undone' });
  if (
    definition.compensation !== undefined &&
    (definition.commit.via !== 'ehr' || definition.commit.write !== 'create')
  )
    problems.push({ path: 'compensation', message: 'only an EHR create is withdrawn by a compensating update' });
  for (const [i, f] of (definition.fields ?? []).entries()) {
    if (!fieldPath.test(f.path)) problems.push({ path: `fields/${i}/path`, message: 'segments separated by /' });
    if (f.kind === 'choice' && (f.options ?? []).length === 0)
      problems.push({ path: `fields/${i}/options`, message: 'a choice needs options' });
  }
  if (problems.length > 0) throw new ValidationError(`the action ${definition.type} is not valid`, problems);
  return definition;
}

/** The actions one Steward knows: the built-in ones and a deployment's own. */
export class ActionRegistry {
  readonly #actions = new Map<string, ActionDefinition>();

  constructor(definitions: readonly ActionDefinition[]) {
    for (const d of definitions) {
      if (this.#actions.has(d.type))
        throw new ValidationError('an action type is registered twice', [
          { path: d.type, message: 'registered twice' },
        ]);
      this.#actions.set(d.type, d);
    }
  }

  /** A registry with these actions added (a deployment's extensions on top of the built-in ones). */
  with(definitions: readonly ActionDefinition[]): ActionRegistry {
    return new ActionRegistry([...this.#actions.values(), ...definitions]);
  }

  has(type: string): boolean {
    return this.#actions.has(type);
  }

  /** The definition of `type`; ACTION_UNKNOWN, naming the type, when nothing registered it. */
  get(type: string): ActionDefinition {
    const d = this.#actions.get(type);
    if (d === undefined)
      throw new UserError('ACTION_UNKNOWN', `no action is registered as ${JSON.stringify(type.slice(0, 64))}`, [
        { path: 'action', message: `one of ${this.types().join(', ')}` },
      ]);
    return d;
  }

  /** Every registered type, in registration order. */
  types(): readonly string[] {
    return [...this.#actions.keys()];
  }

  /** The types committed through a channel committer (not the EHR): verified by delivery, not read back. */
  channelTypes(): readonly string[] {
    return [...this.#actions.values()].filter((d) => d.commit.via === 'channel').map((d) => d.type);
  }

  isChannel(type: string): boolean {
    return this.get(type).commit.via === 'channel';
  }

  /** The form fields of `type` (none for an unknown type or one declaring none). */
  fields(type: string): readonly ActionField[] {
    return this.#actions.get(type)?.fields ?? [];
  }

  /** How a proposal of `type` with `payload` reads for a reviewer. */
  render(type: string, payload: PayloadOf): ActionRendering {
    const d = this.get(type);
    return d.payload.is(payload) ? d.render(payload) : { title: type, lines: [] };
  }
}
