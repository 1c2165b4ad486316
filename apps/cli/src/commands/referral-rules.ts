/**
 * @module `steward ehr referral-rules <name> [--set file.json | --reset | --explain sr.json]`: a
 * connection's referral rules, through the server's API.
 */
import { readFileSync } from 'node:fs';
import { ValidationError } from '@steward/core';
import type { ReferralRulesView, ReferralDecision } from '@steward/ehr';
import { connect, type GlobalOptions } from '../client/http.js';
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
  const c = connect(g);
  const path = `/ehr/connections/${encodeURIComponent(name)}/referral-rules`;
  if (o.explain !== undefined) {
    const decision = await c.request<ReferralDecision>('POST', `${path}/explain`, readJson(o.explain, '--explain'));
    if (o.json === true) printJson(g.io.stdout, decision);
    else
      g.io.stdout.write(
        `${decision.referral ? 'referral' : 'not a referral'}: rule ${decision.rule} (${decision.origin}) — ${decision.description}\n`,
      );
    return;
  }
  const view =
    o.set !== undefined
      ? await c.request<View>('PUT', path, readJson(o.set, '--set'))
      : o.reset === true
        ? await c.request<View>('PUT', path, {})
        : await c.request<View>('GET', path);
  if (o.json === true) printJson(g.io.stdout, view);
  else printRules(g, view);
}

/** The view as JSON carries its time as a string. */
type View = Omit<ReferralRulesView, 'updatedAt'> & { updatedAt: string | null };

function printRules(g: GlobalOptions, view: View): void {
  g.io.stdout.write(
    `${view.connection} (${view.vendor}), site override version ${view.version}` +
      (view.updatedAt !== null ? ` of ${view.updatedAt}` : ' (defaults only)') +
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
  printTable(g.io.stdout, rows, ['order', 'id', 'from', 'decides', 'when']);
}

function readJson(path: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    throw new ValidationError('unreadable file', [{ path: flag, message: 'must name a readable JSON file' }]);
  }
}
