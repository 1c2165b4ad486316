/**
 * @module Reading what a screen shows, by the labels a person reads: a labelled value (a banner's
 * "MRN", a confirmation's "Due date") in the common shapes EHRs use — a definition list, a table
 * header and its cell, a label and its control, or "Label: value" in one line — and a table's rows
 * by their column headers.
 */
import type { Locator } from 'playwright-core';
import { normaliseName } from './names.js';

/**
 * The values shown under each label in `scope` (the first found per label), by label. Labels are
 * matched normalised (case, spacing, a trailing colon).
 */
export async function readLabelled(
  scope: Locator,
  labels: readonly (readonly string[])[],
): Promise<(string | undefined)[]> {
  const wanted = labels.map((names) => names.map(normaliseName));
  return scope
    .evaluate((root: Element, wanted: string[][]): (string | null)[] => {
      const norm = (s: string): string =>
        s
          .normalize('NFKC')
          .toLowerCase()
          .replace(/\(required\)/g, ' ')
          .replace(/[\s\u00a0]+/g, ' ')
          .replace(/^[\s*:]+|[\s*:]+$/g, '');
      const text = (e: Element | null | undefined): string | null =>
        e === null || e === undefined ? null : ((e as HTMLElement).innerText ?? e.textContent ?? '').trim();
      const valueNear = (el: Element): string | null => {
        const tag = el.tagName;
        if (tag === 'DT') {
          let n = el.nextElementSibling;
          while (n !== null && n.tagName !== 'DD') n = n.nextElementSibling;
          return text(n);
        }
        if (tag === 'TH' && el.parentElement?.tagName === 'TR') {
          const cells = [...el.parentElement.children];
          return text(cells[cells.indexOf(el) + 1]);
        }
        if (tag === 'LABEL') {
          const control = (el as HTMLLabelElement).control;
          if (control !== null) return 'value' in control ? String(control.value) : null;
        }
        return text(el.nextElementSibling);
      };
      const all = [root, ...root.querySelectorAll('*')];
      const lines = ((root as HTMLElement).innerText ?? '').split('\n');
      return wanted.map((names) => {
        for (const el of all) {
          // An element whose own text is the label (not a container that also holds the value).
          const own = [...el.childNodes]
            .filter((c) => c.nodeType === 3)
            .map((c) => c.textContent ?? '')
            .join(' ');
          const label = norm(el.children.length === 0 ? (el.textContent ?? '') : own);
          if (label !== '' && names.includes(label)) {
            const v = valueNear(el);
            if (v !== null && v !== '') return v;
          }
        }
        // "Label: value" inside a line ("Quill, Ada · MRN: 1001 · NHS no.: 943 476 5919"): the value
        // runs to the next separator, run of spaces, or "Next label:".
        for (const line of lines) {
          for (const name of names) {
            const label = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
            const m = new RegExp(
              `(?:^|[\\s·|•,;(])${label}\\s*[:#]\\s*(.+?)\\s*(?=[·|•;,)]|\\s{2,}|\\s+[A-Za-z][\\w .]{0,30}:|$)`,
              'i',
            ).exec(line);
            const v = m?.[1]?.trim();
            if (v !== undefined && v !== '') return v;
          }
        }
        return null;
      });
    }, wanted)
    .then((values) => values.map((v) => v ?? undefined));
}

/**
 * A table's rows as cells keyed by the columns asked for, plus each row's first link (`@href`) and
 * each cell's first link (`@href:<key>`).
 */
export async function readTable(
  table: Locator,
  columns: readonly { readonly key: string; readonly headers: readonly string[] }[],
): Promise<{ readonly rows: Readonly<Record<string, string>>[]; readonly missing: readonly string[] }> {
  const wanted = columns.map((c) => ({ key: c.key, headers: c.headers.map(normaliseName) }));
  return table.evaluate((el: Element, wanted: { key: string; headers: string[] }[]) => {
    const norm = (s: string): string =>
      s
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[\s\u00a0]+/g, ' ')
        .replace(/^[\s*:]+|[\s*:]+$/g, '');
    const rows = [...el.querySelectorAll('tr')];
    const headerRow = rows.find((r) => r.querySelector('th') !== null);
    const headers = headerRow === undefined ? [] : [...headerRow.children].map((c) => norm(c.textContent ?? ''));
    const index = new Map<string, number>();
    const missing: string[] = [];
    for (const w of wanted) {
      const i = headers.findIndex((h) => w.headers.includes(h));
      if (i < 0) missing.push(w.key);
      else index.set(w.key, i);
    }
    const out: Record<string, string>[] = [];
    for (const r of rows) {
      if (r === headerRow) continue;
      const cells = [...r.children];
      const row: Record<string, string> = {};
      for (const [key, i] of index) {
        const cell = cells[i] as HTMLElement | undefined;
        row[key] = (cell?.innerText ?? '').trim();
        const a = cell?.querySelector('a[href]');
        if (a !== null && a !== undefined) row[`@href:${key}`] = (a as HTMLAnchorElement).href;
      }
      const link = r.querySelector('a[href]');
      if (link !== null) row['@href'] = (link as HTMLAnchorElement).href;
      out.push(row);
    }
    return { rows: out, missing };
  }, wanted);
}
