/**
 * @module The script the recorder adds to every page of a demonstration (`page.addInitScript`). It
 * watches what the person does and reports it through the exposed binding, in order:
 *
 * - `page`: each page shown (on load and after a same-page navigation): its ARIA landmarks, its
 *   level-1 headings, whether it asks for a password, and a patient banner's labels if it has one;
 * - `fill`: each field the person changes: its role and accessible name, its kind guessed from the
 *   element (select → dropdown, date input or a date-like placeholder → date with the format,
 *   textarea → text or markdown), its maxlength and whether it is required;
 * - `click`: each button or link clicked, by role and accessible name; `submit`: a form sent.
 *
 * Never a value: a date field reports the format its value was typed in, not the date; a password
 * field only that it is one; a link in a table or a result list (named by a patient's name) is
 * reported without its name; the page's title (which often names the patient) is not read. Roles and names follow the ARIA and accname rules a browser uses
 * (aria-labelledby, aria-label, the associated `<label>`s, title, placeholder; a button's or link's
 * content); the recorder's test checks each against Playwright's own accessible-name resolution.
 * Plain JavaScript in a string: it runs in the page, which has no module system and no types.
 */

/** The binding the script reports through. */
export const recorderBinding = '__stewardRecord';

export const captureScript = String.raw`(() => {
  if (window.__stewardRecorderInstalled) return;
  window.__stewardRecorderInstalled = true;
  const send = (e) => { try { window.${recorderBinding}(e); } catch (err) { /* the page may be closing */ } };
  const norm = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
  const textWithout = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('input, select, textarea, script, style, [aria-hidden="true"]').forEach((n) => n.remove());
    return norm(copy.textContent);
  };
  const byIds = (ids) => norm(ids.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(textWithout).join(' '));
  const inputRole = (el) => {
    const t = (el.getAttribute('type') || 'text').toLowerCase();
    if (['button', 'submit', 'reset', 'image'].includes(t)) return 'button';
    if (t === 'checkbox' || t === 'radio') return t;
    if (t === 'number') return 'spinbutton';
    if (t === 'range') return 'slider';
    if (t === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
    if (t === 'hidden') return null;
    return el.hasAttribute('list') ? 'combobox' : 'textbox';
  };
  const sectioning = (el) => !!el.parentElement && !!el.parentElement.closest('article, aside, main, nav, section');
  const roleOf = (el) => {
    const explicit = norm(el.getAttribute('role')).split(' ')[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'input') return inputRole(el);
    if (tag === 'textarea') return 'textbox';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'button') return 'button';
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : null;
    if (tag === 'main') return 'main';
    if (tag === 'nav') return 'navigation';
    if (tag === 'aside') return 'complementary';
    if (tag === 'header') return sectioning(el) ? null : 'banner';
    if (tag === 'footer') return sectioning(el) ? null : 'contentinfo';
    if (tag === 'form') return nameOf(el) ? 'form' : null;
    if (tag === 'section') return nameOf(el) ? 'region' : null;
    if (tag === 'search') return 'search';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'table') return 'table';
    return null;
  };
  const fromContent = new Set(['button', 'link', 'heading', 'tab', 'menuitem', 'option', 'cell', 'columnheader', 'checkbox', 'radio', 'switch']);
  function nameOf(el) {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) { const n = byIds(labelledby); if (n) return n; }
    const label = norm(el.getAttribute('aria-label'));
    if (label) return label;
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' && ['button', 'submit', 'reset'].includes((el.type || '').toLowerCase())) {
      const v = norm(el.value);
      if (v) return v;
      return el.type === 'reset' ? 'Reset' : el.type === 'submit' ? 'Submit' : '';
    }
    if (tag === 'input' && (el.type || '').toLowerCase() === 'image') return norm(el.alt) || 'Submit';
    if (['input', 'select', 'textarea', 'meter', 'progress', 'output'].includes(tag) && el.labels && el.labels.length > 0) {
      const n = norm(Array.from(el.labels).map(textWithout).join(' '));
      if (n) return n;
    }
    if (tag === 'fieldset') { const legend = el.querySelector(':scope > legend'); if (legend) return textWithout(legend); }
    if (tag === 'table') { const caption = el.querySelector(':scope > caption'); if (caption) return textWithout(caption); }
    if (tag === 'img' || tag === 'area') return norm(el.alt);
    const role = norm(el.getAttribute('role')) || (tag === 'button' ? 'button' : tag === 'a' ? 'link' : /^h[1-6]$/.test(tag) ? 'heading' : '');
    if (fromContent.has(role)) { const n = textWithout(el); if (n) return n; }
    const title = norm(el.getAttribute('title'));
    if (title) return title;
    if (['input', 'textarea'].includes(tag)) return norm(el.getAttribute('placeholder'));
    return '';
  }
  // A date typed as text: the format its value was typed in (MM/dd/yyyy), never the date itself.
  const formatOfPlaceholder = (p) => {
    const s = norm(p);
    if (!/^[dmy]{1,4}([./ -][dmy]{1,4}){2}$/i.test(s)) return undefined;
    return s.replace(/y+|m+|d+/gi, (t) => (/y/i.test(t) ? (t.length <= 2 ? 'yy' : 'yyyy') : /m/i.test(t) ? 'M'.repeat(Math.min(t.length, 2)) : 'd'.repeat(Math.min(t.length, 2))));
  };
  const formatOfValue = (v) => {
    const m = /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})$/.exec(norm(v));
    if (!m) return undefined;
    const [, a, sep, b, c] = m;
    if (a.length === 4) return 'yyyy' + sep + 'MM' + sep + 'dd';
    if (c.length !== 4) return undefined;
    const dayFirst = Number(a) > 12 || sep === '.';
    return (dayFirst ? 'dd' : 'MM') + sep + (dayFirst ? 'MM' : 'dd') + sep + 'yyyy';
  };
  const fieldOf = (el) => {
    const tag = el.tagName.toLowerCase();
    const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : tag;
    const name = nameOf(el);
    const placeholder = norm(el.getAttribute('placeholder'));
    const hint = (name + ' ' + placeholder + ' ' + byIds(el.getAttribute('aria-describedby') || '')).toLowerCase();
    let kind = 'text';
    let dateFormat;
    if (tag === 'select') kind = 'dropdown';
    else if (type === 'date') { kind = 'date'; dateFormat = 'yyyy-MM-dd'; }
    else if (tag === 'textarea') kind = /markdown/.test(hint) ? 'markdown' : /\bjson\b/.test(hint) ? 'json' : 'text';
    else {
      dateFormat = formatOfPlaceholder(placeholder);
      if (dateFormat === undefined && /\bdate\b|\bdob\b|birth/.test(hint)) dateFormat = formatOfValue(el.value) || '';
      if (dateFormat !== undefined) kind = 'date';
    }
    const form = el.form || el.closest('form, [role="form"]');
    return {
      role: roleOf(el), name, tag, type, kind,
      ...(dateFormat !== undefined ? { dateFormat } : {}),
      maxLength: typeof el.maxLength === 'number' && el.maxLength >= 0 ? el.maxLength : null,
      required: el.required === true || el.getAttribute('aria-required') === 'true',
      secret: type === 'password',
      choices: tag === 'select' ? Array.from(el.options).map((o) => norm(o.text)).slice(0, 50) : [],
      form: form ? nameOf(form) : '',
    };
  };
  const bannerOf = () => {
    const candidates = Array.from(document.querySelectorAll('[role="region"], section[aria-label], section[aria-labelledby], [role="banner"], header, aside'));
    const el = candidates.find((c) => /patient/i.test(nameOf(c)));
    if (!el) return null;
    const labels = Array.from(el.querySelectorAll('dt, th, [data-label], .label, label'))
      .map((l) => norm(l.textContent).replace(/:$/, ''))
      .filter((l) => l && l.length <= 40);
    return { role: roleOf(el) || 'region', name: nameOf(el), labels: Array.from(new Set(labels)) };
  };
  const snapshot = () => {
    const landmarks = [];
    document.querySelectorAll('main, nav, aside, header, footer, form, section, search, [role]').forEach((el) => {
      const role = roleOf(el);
      if (!['main', 'navigation', 'banner', 'contentinfo', 'complementary', 'form', 'region', 'search'].includes(role)) return;
      const name = nameOf(el);
      if (!landmarks.some((l) => l.role === role && l.name === name)) landmarks.push({ role, name });
    });
    const headings = Array.from(document.querySelectorAll('h1, [role="heading"][aria-level="1"]')).map(nameOf).filter(Boolean);
    send({
      type: 'page',
      path: location.pathname,
      landmarks,
      headings,
      hasPassword: !!document.querySelector('input[type="password"]'),
      banner: bannerOf(),
    });
  };
  const fieldSelector = 'input, select, textarea';
  document.addEventListener('change', (ev) => {
    const el = ev.target;
    if (!(el instanceof Element) || !el.matches(fieldSelector)) return;
    const role = roleOf(el);
    if (role === null || role === 'button') return;
    send({ type: 'fill', path: location.pathname, field: fieldOf(el) });
  }, true);
  document.addEventListener('click', (ev) => {
    const start = ev.target instanceof Element ? ev.target : null;
    const el = start && start.closest('button, a[href], input[type="submit"], input[type="button"], input[type="image"], [role="button"], [role="link"], [role="tab"], [role="menuitem"]');
    if (!el) return;
    // A link or button in a table or a list of results is named by the data it shows (a patient's
    // name): it is reported without its name.
    const list = el.closest('li');
    const data = !!el.closest('table, [role="grid"], [role="table"], [role="row"], [role="treegrid"], [role="listbox"]') ||
      (!!list && !el.closest('nav, header, footer, [role="navigation"], [role="menu"], [role="menubar"], [role="tablist"], [role="toolbar"]') &&
        !!list.parentElement && list.parentElement.querySelectorAll(':scope > li a, :scope > li button').length >= 1 &&
        /\d|,/.test(nameOf(el)));
    send({ type: 'click', path: location.pathname, role: roleOf(el), name: data ? '' : nameOf(el), data, submits: el.matches('button:not([type]), button[type="submit"], input[type="submit"], input[type="image"]') && !!(el.form) });
  }, true);
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    const by = ev.submitter;
    send({ type: 'submit', path: location.pathname, form: form instanceof Element ? nameOf(form) : '', submitter: by ? { role: roleOf(by), name: nameOf(by) } : null });
  }, true);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', snapshot, { once: true });
  else snapshot();
  // A page that changes its address without loading (a single-page app): a new page each time.
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method];
    history[method] = function (...args) { const r = original.apply(this, args); setTimeout(snapshot, 0); return r; };
  }
  window.addEventListener('popstate', () => setTimeout(snapshot, 0));
})();`;
