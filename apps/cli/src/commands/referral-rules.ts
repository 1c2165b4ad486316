/** @module `steward ehr referral-rules <name> [--set file.json | --reset | --explain sr.json]`: a connection's referral rules. */
import { readFileSync } from 'node:fs';
import { ValidationError } from '@steward/core';
import type { ReferralRulesView } from '@steward/ehr';
import { withSession, type GlobalOptions } from '../session.js';
import { printJson, printTable } from '../output.js';

export interface ReferralRuleFlags {
  readonly set?: string;
  readonly reset?: boolean;
  readonly explain?: string;
  readonly json?: boolean;
}

export async function ehrReferralRules(g: GlobalOptions, name: string, o: ReferralRuleFlags): Promise<void> {
  const chosen = [o.set !== undefined, o.reset === true, o.explain !== undefined].filter(Boolean).length;
  if (chosen > 1)
    throw new ValidationError('choose one', [{ path: '--set/--reset/--explain', message: 'at most one of them' }]);
  await withSession(g, async ({ kernel, ctx }) => {
    if (o.explain !== undefined) {
      const decision = await kernel.referralRules.explain(ctx, name, readJson(o.explain, '--explain'));
      if (o.json === true) printJson(decision);
      else
        process.stdout.write(
          `${decision.referral ? 'referral' : 'not a referral'}: rule ${decision.rule} (${decision.origin}) — ${decision.description}\n`,
        );
      return;
    }
    const view =
      o.set !== undefined
        ? await kernel.referralRules.set(ctx, name, readJson(o.set, '--set'))
        : o.reset === true
          ? await kernel.referralRules.set(ctx, name, {})
          : await kernel.referralRules.show(ctx, name);
    if (o.json === true) printJson(view);
    else printRules(view);
  });
}

function printRules(view: ReferralRulesView): void {
  process.stdout.write(
    `${view.connection} (${view.vendor}), site override version ${view.version}` +
      (view.updatedAt !== null ? ` of ${view.updatedAt.toISOString()}` : ' (defaults only)') +
      `\n`,
  );
  const disabled = new Set(view.override.disabled);
  const rows = [
    ...view.effective.rules.map((r, i) => ({
      order: i + 1,
      id: r.id,
      from: r.origin,
      decides: r.decision,
      when: JSON.stringify(r.when),
    })),
    ...view.defaults.rules
      .filter((r) => disabled.has(r.id))
      .map((r) => ({ order: 'off', id: r.id, from: 'vendor', decides: r.decision, when: JSON.stringify(r.when) })),
    {
      order: 'else',
      id: 'otherwise',
      from: view.effective.otherwiseOrigin,
      decides: view.effective.otherwise,
      when: '',
    },
  ];
  printTable(rows, ['order', 'id', 'from', 'decides', 'when']);
}

function readJson(path: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new ValidationError('unreadable file', [{ path: flag, message: 'must name a readable JSON file' }]);
  }
}
