/**
 * @module A field's character limit, read from the page as a person would find it: the `maxlength`
 * attribute, a `data-` hint, or a visible "max 400 characters" in the field's description or its
 * own container. Text over the limit is never typed (the browser would cut it silently).
 */
import type { Locator } from 'playwright-core';

/** The limit of the field, or undefined when the page states none. */
export async function characterLimit(field: Locator): Promise<number | undefined> {
  const limit = await field.evaluate((el: Element): number | null => {
    const number = (s: string | null | undefined): number | null => {
      const n = s === null || s === undefined ? NaN : Number(s.replace(/[,\s]/g, ''));
      return Number.isInteger(n) && n > 0 ? n : null;
    };
    for (const a of [
      'maxlength',
      'data-maxlength',
      'data-max-length',
      'data-max-chars',
      'data-limit',
      'aria-valuemax',
    ]) {
      const n = number(el.getAttribute(a));
      if (n !== null) return n;
    }
    const texts: string[] = [];
    for (const id of (el.getAttribute('aria-describedby') ?? '').split(/\s+/)) {
      if (id !== '') texts.push(el.ownerDocument.getElementById(id)?.textContent ?? '');
    }
    // The field's own container: climb while it holds no other form control.
    let box = el.parentElement;
    for (let i = 0; i < 3 && box !== null; i++) {
      if (box.querySelectorAll('input, textarea, select, [contenteditable]').length > 1) break;
      texts.push(box.textContent ?? '');
      box = box.parentElement;
    }
    const patterns = [
      /(?:max(?:imum)?\.?|up to|at most|limit(?:ed)?(?: to| of)?)\s*:?\s*(\d[\d,]*)\s*(?:characters|chars?)\b/i,
      /(\d[\d,]*)\s*(?:characters|chars?)\s*(?:max(?:imum)?|limit|or (?:fewer|less))\b/i,
    ];
    for (const t of texts) {
      for (const p of patterns) {
        const n = number(p.exec(t)?.[1]);
        if (n !== null) return n;
      }
    }
    return null;
  });
  return limit ?? undefined;
}
