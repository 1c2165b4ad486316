/**
 * @module HTML building blocks of the web screens: escaping, the page frame (banner, navigation,
 * main landmarks) and form controls in each variant's layout. Everything is server-rendered; the
 * only script is the encounter form's reload when its specialty or length changes.
 */
import type { Layout, Variant } from './variants.js';

export function esc(value: string | number | undefined | null): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const styles = `
body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header.app{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;color:#fff}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:.5rem 1rem;background:#e3e8ee}
main{padding:1rem 1.5rem;max-width:70rem}
.row{display:flex;flex-direction:column;margin:.5rem 0;max-width:36rem}
input,select,textarea{font:inherit;padding:.3rem}
textarea{min-height:5rem}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #c9d1da;padding:.3rem .6rem;text-align:left;vertical-align:top}
.banner{display:flex;gap:1.5rem;flex-wrap:wrap;padding:.6rem 1rem;border:1px solid #b4c2d0;background:#fff;margin-bottom:1rem}
.banner dl{display:flex;gap:1rem;margin:0}.banner dt{font-weight:600}.banner dd{margin:0}
.error{color:#a40000;font-weight:600}
.hint{color:#56606b;font-size:.9em}
pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.5rem}
`;
const headerColour: Record<string, string> = { north: '#1f4e79', lakeside: '#2e6b4f', summit: '#5b2c6f' };

export interface PageParts {
  readonly title: string;
  readonly body: string;
  /** The signed-in user's name, for the header and the navigation; none on sign-in screens. */
  readonly user?: string;
  readonly script?: string;
}

export function page(variant: Variant, parts: PageParts): string {
  const l = variant.labels;
  const base = `/web/${variant.id}`;
  const nav =
    parts.user === undefined
      ? ''
      : `<nav aria-label="${esc(l['nav.name'])}"><ul>
<li><a href="${base}/patients">${esc(l['nav.patients'])}</a></li>
<li><a href="${base}/schedule">${esc(l['nav.schedule'])}</a></li>
<li><a href="${base}/tasks">${esc(l['nav.tasks'])}</a></li>
<li><form method="post" action="${base}/logout" style="display:inline"><button type="submit">${esc(l['nav.signOut'])}</button></form></li>
</ul></nav>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(parts.title)} — ${esc(l.clinic)}</title><style>${styles}</style></head>
<body><header class="app" style="background:${headerColour[variant.id] ?? '#333'}"><span>${esc(l.clinic)}</span>${
    parts.user === undefined ? '' : `<span>${esc(parts.user)}</span>`
  }</header>
${nav}
<main>${parts.body}</main>${parts.script === undefined ? '' : `<script>${parts.script}</script>`}</body></html>`;
}

export interface Control {
  /** The form field's name (what the server reads). */
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'password' | 'textarea' | 'select';
  readonly value?: string;
  readonly maxLength?: number;
  readonly required?: boolean;
  /** For selects: value → shown text (an empty first option is added for "choose one"). */
  readonly options?: readonly (readonly [string, string])[];
  readonly hint?: string;
  readonly error?: string;
  readonly autocomplete?: string;
}

function input(c: Control, id: string, named: boolean): string {
  const common = [
    `id="${id}"`,
    `name="${esc(c.name)}"`,
    named ? `aria-label="${esc(c.label)}"` : '',
    c.required ? 'required' : '',
    c.maxLength !== undefined ? `maxlength="${c.maxLength}"` : '',
    c.error !== undefined ? 'aria-invalid="true"' : '',
    c.error !== undefined || c.hint !== undefined
      ? `aria-describedby="${[c.hint !== undefined ? `${id}-hint` : '', c.error !== undefined ? `${id}-error` : ''].filter((x) => x !== '').join(' ')}"`
      : '',
    c.autocomplete !== undefined ? `autocomplete="${c.autocomplete}"` : '',
  ]
    .filter((a) => a !== '')
    .join(' ');
  switch (c.kind) {
    case 'textarea':
      return `<textarea ${common}${named ? ` placeholder="${esc(c.label)}"` : ''}>${esc(c.value)}</textarea>`;
    case 'select':
      return `<select ${common}><option value="">— Select —</option>${(c.options ?? [])
        .map(([v, t]) => `<option value="${esc(v)}"${v === c.value ? ' selected' : ''}>${esc(t)}</option>`)
        .join('')}</select>`;
    case 'text':
    case 'password':
      return `<input type="${c.kind}" ${common} value="${esc(c.value)}"${named ? ` placeholder="${esc(c.label)}"` : ''}>`;
  }
}

function extras(c: Control, id: string): string {
  return (
    (c.hint !== undefined ? `<span class="hint" id="${id}-hint">${esc(c.hint)}</span>` : '') +
    (c.error !== undefined ? `<span class="error" id="${id}-error">${esc(c.error)}</span>` : '')
  );
}

/** Form controls in the variant's layout: labelled rows, a table inside a fieldset, or aria-label only. */
export function controls(layout: Layout, list: readonly Control[], legend: string): string {
  const id = (c: Control): string => `f-${c.name}`;
  switch (layout) {
    case 'label':
      return list
        .map(
          (c) =>
            `<div class="row"><label for="${id(c)}">${esc(c.label)}</label>${input(c, id(c), false)}${extras(c, id(c))}</div>`,
        )
        .join('\n');
    case 'table':
      return `<fieldset><legend>${esc(legend)}</legend><table role="presentation"><tbody>${list
        .map(
          (c) =>
            `<tr><th scope="row"><label for="${id(c)}">${esc(c.label)}</label></th><td>${input(c, id(c), false)}${extras(c, id(c))}</td></tr>`,
        )
        .join('\n')}</tbody></table></fieldset>`;
    case 'aria-label':
      return list.map((c) => `<div class="row">${input(c, id(c), true)}${extras(c, id(c))}</div>`).join('\n');
  }
}

/** A data table with a caption (its accessible name) and column headers. */
export function table(caption: string, headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
