/**
 * @module A scripted demonstration: what a person would do, as a JSON list of steps, replayed on a
 * page so a recording can be made without a display (and so tests drive the recorder). Elements are
 * found the way the map will find them, by role and accessible name or by label:
 *
 *   [{ "goto": "/login" },
 *    { "fill": { "label": "Username" }, "value": "demo" },
 *    { "select": { "label": "Priority" }, "option": "Normal" },
 *    { "click": { "role": "button", "name": "Sign in" } }]
 *
 * A step that cannot be done stops the replay with its number and what it looked for.
 */
import type { Locator, Page } from 'playwright-core';
import { ValidationError, type ErrorDetail } from '@steward/core';

type Target = { readonly label: string } | { readonly role: string; readonly name: string };

export type DemonstrationStep =
  | { readonly goto: string }
  | { readonly fill: Target; readonly value: string }
  | { readonly select: Target; readonly option: string }
  | { readonly click: Target }
  | { readonly press: string; readonly in?: Target };

function isTarget(v: unknown): v is Target {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['label'] === 'string' || (typeof o['role'] === 'string' && typeof o['name'] === 'string');
}

/** The steps of a demonstration file, or a ValidationError naming each step that is not one. */
export function parseDemonstration(value: unknown): DemonstrationStep[] {
  if (!Array.isArray(value))
    throw new ValidationError('a demonstration is a JSON list of steps', [{ path: '/', message: 'an array' }]);
  const problems: ErrorDetail[] = [];
  value.forEach((s: unknown, i) => {
    const o = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const ok =
      typeof o['goto'] === 'string' ||
      (isTarget(o['fill']) && typeof o['value'] === 'string') ||
      (isTarget(o['select']) && typeof o['option'] === 'string') ||
      isTarget(o['click']) ||
      (typeof o['press'] === 'string' && (o['in'] === undefined || isTarget(o['in'])));
    if (!ok)
      problems.push({
        path: `/${i}`,
        message: 'one of {goto}, {fill, value}, {select, option}, {click}, {press} with {label} or {role, name}',
      });
  });
  if (problems.length > 0) throw new ValidationError('the demonstration has steps that are not steps', problems);
  return value as DemonstrationStep[];
}

function locate(page: Page, t: Target): Locator {
  if ('label' in t) return page.getByLabel(t.label, { exact: true });
  return page.getByRole(t.role as Parameters<Page['getByRole']>[0], { name: t.name, exact: true });
}

const describe = (t: Target): string => ('label' in t ? `the field labelled ${t.label}` : `${t.role} ${t.name}`);

/** Replays the steps on `page` (paths resolved against `origin`), in order, as a person would. */
export async function replayDemonstration(
  page: Page,
  origin: string,
  steps: readonly DemonstrationStep[],
  timeoutMs = 5_000,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    try {
      if ('goto' in step) await page.goto(new URL(step.goto, origin).toString(), { timeout: timeoutMs * 2 });
      else if ('fill' in step) await locate(page, step.fill).fill(step.value, { timeout: timeoutMs });
      else if ('select' in step)
        await locate(page, step.select).selectOption({ label: step.option }, { timeout: timeoutMs });
      else if ('click' in step) await locate(page, step.click).click({ timeout: timeoutMs });
      else if (step.in !== undefined) await locate(page, step.in).press(step.press, { timeout: timeoutMs });
      else await page.keyboard.press(step.press);
      await page.waitForLoadState('domcontentloaded');
    } catch (e) {
      const what =
        'goto' in step
          ? `going to ${step.goto}`
          : describe(
              'fill' in step
                ? step.fill
                : 'select' in step
                  ? step.select
                  : 'click' in step
                    ? step.click
                    : (step.in ?? { label: step.press }),
            );
      throw new ValidationError(`step ${i + 1} of the demonstration could not be done: ${what}`, [
        { path: `/${i}`, message: e instanceof Error ? e.message.split('\n')[0]!.slice(0, 200) : 'failed' },
      ]);
    }
  }
}
