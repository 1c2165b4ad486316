/**
 * @module Test support (not exported): a workflow that meets every kind of input, an outside
 * system for its effects (a table written idempotently by key, and a log of every invocation),
 * and helpers shared by the unit, integration and crash tests.
 */
import type { Sql } from '@steward/store';
import { complete, effect, setTimer } from './types.js';
import type { Command, EffectHandler, Json, WorkflowDefinition } from './types.js';

export type VisitState = {
  seen: { start: number; a: number; b: number; timer: number; go: number };
  ids: string[];
  startedAt: string | null;
  order: string[];
};

/**
 * start → effect a + timer t; timer t → effect b; signal go; done once a, b, t and go were each
 * seen. Counts every input, so an input applied twice shows in the final state.
 */
export const visitWorkflow: WorkflowDefinition<VisitState> = {
  type: 'test-visit',
  version: 1,
  initialState: { seen: { start: 0, a: 0, b: 0, timer: 0, go: 0 }, ids: [], startedAt: null, order: [] },
  decide(state, input, ctx) {
    const s: VisitState = { ...state, seen: { ...state.seen }, order: [...state.order] };
    const commands: Command[] = [];
    switch (input.kind) {
      case 'start': {
        s.seen.start++;
        s.ids = [ctx.newId(), ctx.newId()];
        s.startedAt = ctx.now.toISOString();
        const p = input.payload as { timerMs?: number } | null;
        commands.push(effect('outside.write', { label: 'a' }, 'a'));
        commands.push(setTimer('t', { after: { milliseconds: p?.timerMs ?? 1000 } }));
        break;
      }
      case 'effect':
        if (input.payload.tag === 'a') s.seen.a++;
        if (input.payload.tag === 'b') s.seen.b++;
        break;
      case 'timer':
        s.seen.timer++;
        commands.push(effect('outside.write', { label: 'b' }, 'b'));
        break;
      case 'signal':
        if (input.name === 'go') s.seen.go++;
        s.order.push(input.name);
        break;
    }
    const { a, b, timer, go } = s.seen;
    if (a > 0 && b > 0 && timer > 0 && go > 0) commands.push(complete({ step: ctx.step }));
    return { state: s, commands };
  },
};

export const OUTSIDE_TABLES = `
create table if not exists test_outside (key text primary key, workflow_id uuid not null, label text not null);
create table if not exists test_invocations (id bigserial primary key, key text not null);`;

/**
 * The outside system: every call is logged (committed at once), the write is idempotent by the
 * engine's key. `between` runs after the log and before the write (crash tests kill there),
 * `after` after the write.
 */
export function outsideWriter(
  sql: Sql,
  hooks: { between?: (key: string) => void; after?: (key: string) => void } = {},
): EffectHandler {
  return async (req) => {
    await sql.query('insert into test_invocations (key) values ($1)', [req.key]);
    hooks.between?.(req.key);
    const label = (req.input as { label?: string } | null)?.label ?? '';
    await sql.query(
      'insert into test_outside (key, workflow_id, label) values ($1, $2, $3) on conflict (key) do nothing',
      [req.key, req.workflowId, label],
    );
    hooks.after?.(req.key);
    return { written: req.key } satisfies Json;
  };
}
