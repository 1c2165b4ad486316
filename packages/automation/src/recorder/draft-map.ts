/**
 * @module A recording turned into a draft screen map: one screen contract per URL pattern shown
 * (its landmarks and level-1 headings, present every time it was shown), the sign-in screen from the
 * page that asked for a password, the patient search from the first field filled and sent after
 * signing in, the chart from the first page with a patient banner after it, and one form per
 * screen where fields were filled and sent (the links followed from the chart to open it, its
 * fields in the order filled, its submit and the screen after it).
 *
 * What a demonstration cannot show is left blank ('') for the person to fill in — field keys,
 * resource types, identifier systems — and listed in `todo` with the place of each, the same
 * problems `propose` would refuse the draft with, so nothing unfinished reaches review unnoticed.
 */
import type { ElementSpec, FieldSpec, FormSpec, ScreenContract, ScreenMap } from '../model/screen-map.js';
import { screenMapProblems } from '../maps/map-schema.js';
import type { Clicked, FieldFilled, PageShown, RecordedField, Recording, Submitted } from './recording.js';

export interface DraftMap {
  readonly map: ScreenMap;
  /** What to fill in or check before proposing, each with its place in the map. */
  readonly todo: readonly string[];
  /** What the demonstration showed that the map keeps no place for (limits, choices), for the person. */
  readonly notes: readonly string[];
}

interface Visit {
  readonly pattern: string;
  readonly page: PageShown | undefined;
  readonly fills: RecordedField[];
  readonly clicks: Clicked[];
  readonly submits: Submitted[];
}

const blank = '';
const landmarkRoles = new Set([
  'main',
  'navigation',
  'form',
  'region',
  'search',
  'banner',
  'complementary',
  'contentinfo',
]);

export function draftScreenMap(recording: Recording): DraftMap {
  const visits = visitsOf(recording);
  const ids = screenIds(visits);
  const idOf = (pattern: string): string => ids.get(pattern) ?? blank;
  const notes: string[] = [];

  const loginAt = visits.findIndex((v) => v.page?.hasPassword === true || v.fills.some((f) => f.secret));
  const login = loginAt >= 0 ? visits[loginAt] : undefined;
  const after = visits.filter((v, i) => i > loginAt && v.pattern !== login?.pattern);
  const searchAt = after.findIndex(
    (v) => v.fills.some((f) => !f.secret) && (v.clicks.length > 0 || v.submits.length > 0),
  );
  const search = searchAt >= 0 ? after[searchAt] : undefined;
  const chartAt = chartIndex(after, searchAt);
  const chart = chartAt >= 0 ? after[chartAt] : undefined;

  const screens: ScreenContract[] = [];
  for (const [pattern, id] of ids) {
    const shown = visits.filter((v) => v.pattern === pattern && v.page !== undefined).map((v) => v.page!);
    screens.push({
      id,
      kind: pattern === login?.pattern ? 'login' : 'work',
      path: pattern,
      landmarks: common(
        shown.map((p) =>
          p.landmarks.filter(
            (l) => landmarkRoles.has(l.role) && (l.name !== '' || l.role === 'main' || l.role === 'navigation'),
          ),
        ),
      ),
      required: common(shown.map((p) => p.headings.map((name) => ({ role: 'heading', name })))),
    });
  }

  const loginSpec = loginOf(login, visits[loginAt + 1]);

  const searchField = search?.fills.find((f) => !f.secret);
  const forms: FormSpec[] = [];
  const formStart = chartAt >= 0 ? chartAt + 1 : searchAt + 1;
  for (let i = Math.max(formStart, 0); i < after.length; i++) {
    const v = after[i]!;
    const fields = v.fills.filter((f) => !f.secret);
    if (fields.length === 0 || v === search) continue;
    const next = after.slice(i + 1).find((n) => n.pattern !== v.pattern);
    const open: ElementSpec[] = [];
    for (let j = i - 1; j >= 0 && after[j]!.pattern !== chart?.pattern; j--) open.unshift(...clicksOf(after[j]!));
    if (chart !== undefined && i > chartAt) {
      const fromChart = [...after.slice(0, i)].reverse().find((x) => x.pattern === chart.pattern);
      if (fromChart !== undefined) open.unshift(...clicksOf(fromChart));
    }
    const existing = forms.find((f) => f.screen === idOf(v.pattern));
    const template = {
      id: existing === undefined ? 'default' : `variant-${existing.templates.length + 1}`,
      ...(existing === undefined ? {} : { when: { specialty: blank } }),
      fields: fields.map((f) => fieldSpecOf(f, notes, idOf(v.pattern))),
    };
    if (existing !== undefined) {
      forms[forms.indexOf(existing)] = { ...existing, templates: [...existing.templates, template] };
      continue;
    }
    forms.push({
      id: idOf(v.pattern),
      resourceType: blank,
      open: dedupe(open),
      screen: idOf(v.pattern),
      submit: submitOf(v) ?? { role: 'button', name: blank },
      after: next !== undefined ? idOf(next.pattern) : blank,
      templates: [template],
    });
  }

  const firstWork = after[0];
  const map: ScreenMap = {
    connectionId: recording.connectionId,
    site: recording.site,
    version: 0,
    origin: recording.origin,
    home: firstWork !== undefined && !firstWork.pattern.includes(':') ? firstWork.pattern : '/',
    screens,
    login: loginSpec,
    patientSearch: {
      screen: search !== undefined ? idOf(search.pattern) : blank,
      field: searchField !== undefined ? elementOf(searchField) : { role: 'searchbox', name: blank },
      system: blank,
      submit: (search !== undefined ? submitOf(search) : undefined) ?? { role: 'button', name: blank },
      chart: chart !== undefined ? idOf(chart.pattern) : blank,
    },
    banner: {
      region:
        chart?.page?.banner != null
          ? { role: chart.page.banner.role, name: chart.page.banner.name }
          : { role: 'region', name: blank },
      identifiers: (chart?.page?.banner?.labels ?? []).slice(0, 4).map((label) => ({ system: blank, label })),
    },
    forms,
  };
  if ((chart?.page?.banner?.labels.length ?? 0) > 2)
    notes.push(
      `/banner/identifiers: the banner shows ${chart!.page!.banner!.labels.join(', ')}; keep the identifiers (at least two) and name each one's system`,
    );
  const todo = screenMapProblems(map).map((p) => `${p.path ?? '/'}: ${p.message}`);
  return { map, todo, notes };
}

function visitsOf(recording: Recording): Visit[] {
  const visits: Visit[] = [];
  const visitFor = (pattern: string): Visit => {
    const last = visits.at(-1);
    if (last !== undefined && last.pattern === pattern) return last;
    const earlier = [...visits].reverse().find((v) => v.pattern === pattern);
    if (earlier !== undefined) return earlier;
    const v: Visit = { pattern, page: undefined, fills: [], clicks: [], submits: [] };
    visits.push(v);
    return v;
  };
  for (const e of recording.events) {
    if (e.type === 'page') {
      const last = visits.at(-1);
      // The same page reported twice without anything done on it (a load, then a history update): one visit.
      if (
        last !== undefined &&
        last.pattern === e.pattern &&
        last.fills.length + last.clicks.length + last.submits.length === 0
      ) {
        visits[visits.length - 1] = { ...last, page: e };
      } else visits.push({ pattern: e.pattern, page: e, fills: [], clicks: [], submits: [] });
      continue;
    }
    const v = visitFor(e.pattern);
    if (e.type === 'fill') addFill(v, e);
    else if (e.type === 'click') v.clicks.push(e);
    else v.submits.push(e);
  }
  return visits;
}

function addFill(v: Visit, e: FieldFilled): void {
  const same = v.fills.findIndex((f) => f.role === e.field.role && f.name === e.field.name);
  if (same >= 0) v.fills[same] = e.field;
  else v.fills.push(e.field);
}

/** Screen ids from the patterns: the words of the path after what every pattern shares. */
function screenIds(visits: readonly Visit[]): Map<string, string> {
  const patterns = [...new Set(visits.map((v) => v.pattern))];
  const split = patterns.map((p) => p.split('/').filter((s) => s !== ''));
  let shared = 0;
  while (
    split.length > 1 &&
    split.every((s) => s.length > shared + 1 && s[shared] === split[0]![shared] && !s[shared]!.startsWith(':'))
  )
    shared++;
  const ids = new Map<string, string>();
  const used = new Set<string>();
  patterns.forEach((p, i) => {
    const words = split[i]!.slice(shared);
    let id = words
      .map((w) => (w.startsWith(':') ? '' : w.toLowerCase().replace(/[^a-z0-9]+/g, '-')))
      .filter((w) => w !== '')
      .join('-');
    if (words.at(-1)?.startsWith(':') === true) id = id === '' ? 'item' : `${id}-item`;
    if (visits.some((v) => v.pattern === p && v.page?.hasPassword === true)) id = 'login';
    id = id.replace(/^-+|-+$/g, '').slice(0, 60) || 'home';
    let unique = id;
    for (let n = 2; used.has(unique); n++) unique = `${id}-${n}`;
    used.add(unique);
    ids.set(p, unique);
  });
  return ids;
}

function chartIndex(after: readonly Visit[], searchAt: number): number {
  if (searchAt < 0) return after.findIndex((v) => v.page?.banner != null);
  const search = after[searchAt]!;
  const withBanner = after.findIndex((v, i) => i > searchAt && v.pattern !== search.pattern && v.page?.banner != null);
  if (withBanner >= 0) return withBanner;
  return after.findIndex((v, i) => i > searchAt && v.pattern !== search.pattern);
}

function loginOf(login: Visit | undefined, next: Visit | undefined): ScreenMap['login'] {
  const fields = login?.fills ?? [];
  const password = fields.find((f) => f.secret);
  const code = [...fields, ...(next?.fills ?? [])].find(
    (f) => !f.secret && /code|one.time|otp|token|verification|2fa|mfa/i.test(f.name),
  );
  const username = fields.find((f) => !f.secret && f !== code);
  return {
    screen: login !== undefined ? 'login' : blank,
    username: username !== undefined ? elementOf(username) : { role: 'textbox', name: blank },
    password: password !== undefined ? elementOf(password) : { role: 'textbox', name: blank },
    ...(code !== undefined ? { code: elementOf(code) } : {}),
    submit: (login !== undefined ? submitOf(login) : undefined) ?? { role: 'button', name: blank },
  };
}

function elementOf(f: RecordedField): ElementSpec {
  return { role: f.role ?? 'textbox', name: f.name };
}

function submitOf(v: Visit): ElementSpec | undefined {
  const by = v.submits.find((s) => s.submitter !== null)?.submitter;
  if (by != null) return { role: by.role ?? 'button', name: by.name };
  const c = [...v.clicks].reverse().find((x) => x.submits) ?? v.clicks.at(-1);
  return c !== undefined ? { role: c.role ?? 'button', name: c.name } : undefined;
}

function clicksOf(v: Visit): ElementSpec[] {
  return v.clicks.filter((c) => !c.submits).map((c) => ({ role: c.role ?? 'link', name: c.name }));
}

function dedupe(list: readonly ElementSpec[]): ElementSpec[] {
  return list.filter((e, i) => list.findIndex((x) => x.role === e.role && x.name === e.name) === i);
}

function fieldSpecOf(f: RecordedField, notes: string[], screen: string): FieldSpec {
  if (f.maxLength !== null)
    notes.push(
      `${screen}: ${f.name} takes at most ${f.maxLength} characters (the executor reads the limit from the page)`,
    );
  if (f.kind === 'dropdown' && f.choices.length > 0)
    notes.push(
      `${screen}: ${f.name} offers ${f.choices.filter((c) => c !== '').join(' | ')} (add options where Steward's values differ)`,
    );
  if (f.role === 'checkbox' || f.role === 'radio')
    notes.push(`${screen}: ${f.name} is a ${f.role}, which a map cannot fill yet`);
  return {
    key: blank,
    label: f.name,
    kind: f.kind,
    ...(f.kind === 'date' ? { dateFormat: f.dateFormat ?? blank } : {}),
    ...(f.required ? { required: true } : {}),
  };
}

/** The elements present every time (by role and name), in the first list's order. */
function common(lists: readonly (readonly ElementSpec[])[]): ElementSpec[] {
  const first = lists[0];
  if (first === undefined) return [];
  return dedupe(first.filter((e) => lists.every((l) => l.some((x) => x.role === e.role && x.name === e.name))));
}
