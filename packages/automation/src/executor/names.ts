/**
 * @module Finding elements the way a person reads the page: by ARIA role and accessible name (a
 * field's label), with the map's synonyms. Names match "normalised": case, spacing, a trailing
 * colon or required-marker asterisk aside — never fuzzily (a near name is another element).
 */
import type { Locator, Page } from 'playwright-core';
import type { ElementSpec } from '../model/screen-map.js';

/** Lower case, single spaces, no surrounding punctuation that labels vary in (`Due date:` `Due date *`). */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(required\)/g, ' ')
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/^[\s*:]+|[\s*:]+$/g, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression matching any of `names` normalised, and nothing longer. */
export function namePattern(names: readonly string[]): RegExp {
  const alternatives = names.map((n) => normaliseName(n).split(' ').map(escape).join('\\s+'));
  return new RegExp(`^[\\s*:]*(?:${alternatives.join('|')})[\\s*:]*(?:\\(required\\))?[\\s*:]*$`, 'iu');
}

export function namesOf(spec: { readonly name: string; readonly synonyms?: readonly string[] }): string[] {
  return [spec.name, ...(spec.synonyms ?? [])];
}

/** Roles whose elements are form controls, found by their label when the role lookup finds none. */
export const controlRoles: ReadonlySet<string> = new Set(['textbox', 'combobox', 'listbox', 'searchbox', 'spinbutton']);

/**
 * The element(s) an `ElementSpec` names. An empty name means "any element of the role" (a page's
 * one `main`). Form controls fall back to their label (password and date inputs have no textbox role).
 */
export async function locate(page: Page | Locator, spec: ElementSpec): Promise<Locator> {
  const role = spec.role as Parameters<Page['getByRole']>[0];
  if (spec.name === '') return page.getByRole(role);
  const name = namePattern(namesOf(spec));
  const byRole = page.getByRole(role, { name });
  if (!controlRoles.has(spec.role) || (await byRole.count()) > 0) return byRole;
  return page.getByLabel(name);
}

/** How a spec is named in a halt's detail (its label: never a value). */
export function describe(spec: ElementSpec): string {
  return spec.name === '' ? spec.role : `${spec.role} "${spec.name}"`;
}
