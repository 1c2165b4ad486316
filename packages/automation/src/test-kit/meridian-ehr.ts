/**
 * @module "Meridian", an imaginary browser EHR for the executor's tests: a tiny node:http server of
 * plain server-rendered pages (sign-in with a one-time code, patient search, a chart with a patient
 * banner, a task form with a character limit, a dd.MM.yyyy date, a select, a markdown notes field
 * and a JSON field, a task list, a day's clinic list). Its markup is deliberately its own (not the sandbox EHR's), so
 * the executor is tested on screens it was not written against. Test controls simulate what goes
 * wrong in production: a session that expires on a given request (before or after a write lands),
 * an interstitial notice in place of the chart, a renamed field, a page that loads from another
 * origin. Fictional patients only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { totpCode } from '@steward/governance';

export interface MeridianPatient {
  readonly id: string;
  readonly name: string;
  readonly mrn: string;
  readonly nhs: string;
  readonly birthDate: string;
}

/** A booking on a clinic list (`date` YYYY-MM-DD, `time` as the list shows it, `attendance` its word). */
export interface MeridianBooking {
  readonly ref: string;
  readonly patientId: string;
  readonly date: string;
  readonly time: string;
  attendance: string;
}

export interface MeridianTask {
  readonly id: string;
  readonly patientId: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** The next request matching `path` (and `method`) ends the session: before handling it, or after (`land`). */
export interface ExpiryTrap {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly land: boolean;
}

export const meridianPatients: readonly MeridianPatient[] = [
  { id: 'm-1001', name: 'Quill, Ada', mrn: 'MRN-1001', nhs: '943 476 5919', birthDate: '12.03.1961' },
  { id: 'm-1002', name: 'Quill, Ben', mrn: 'MRN-1002', nhs: '943 476 5920', birthDate: '02.11.1990' },
];

export const meridianAccount = {
  username: 'steward-bot',
  password: 'correct horse battery',
  totpSecret: 'JBSWY3DPEHPK3PXP',
};

export class MeridianEhr {
  private server: Server | undefined;
  private readonly sessions = new Set<string>();
  readonly tasks: MeridianTask[] = [];
  /** The clinic list's bookings (a day's, by its date field in dd/MM/yyyy). */
  readonly bookings: MeridianBooking[] = [];
  /** Requests seen, by method and path (to assert what reached the EHR). */
  readonly requests: string[] = [];
  /**
   * `renamed`: the task form calls Description "Summary" (a release the map does not know).
   * `compact`: the banner is one line ("MRN: … · NHS no.: …") and search results a list.
   */
  variant: 'standard' | 'renamed' | 'compact' = 'standard';
  expiry: ExpiryTrap | undefined;
  /** Shows an interstitial notice instead of the chart (an unexpected screen). */
  notice = false;
  /** An origin the chart loads an image from and links to (refused by the executor). */
  foreignOrigin: string | undefined;
  logins = 0;
  /** Answers requests to matching paths this much later (a hung EHR). */
  delay: { readonly path: RegExp; readonly ms: number } | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Ends every session now (an idle time-out). */
  expireAll(): void {
    this.sessions.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://meridian');
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    const delay = this.delay;
    if (delay !== undefined && delay.path.test(url.pathname)) await new Promise((r) => setTimeout(r, delay.ms));
    const body = method === 'POST' ? new URLSearchParams(await text(req)) : new URLSearchParams();
    if (url.pathname === '/login') return this.login(method, url, body, res);
    const sid = /(?:^|;\s*)msid=([a-f0-9]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (sid === undefined || !this.sessions.has(sid))
      return redirect(res, `/login?next=${encodeURIComponent(url.pathname)}`);
    const trap = this.expiry;
    const trapped = trap !== undefined && trap.method === method && trap.path.test(url.pathname);
    if (trapped) {
      this.expiry = undefined;
      if (!trap.land) {
        this.sessions.delete(sid);
        return redirect(res, `/login?next=${encodeURIComponent(url.pathname)}`);
      }
    }
    this.route(method, url, body, res);
    if (trapped) this.sessions.delete(sid);
  }

  private login(method: string, url: URL, body: URLSearchParams, res: ServerResponse): void {
    const next = (method === 'POST' ? body.get('next') : url.searchParams.get('next')) ?? '/home';
    if (method === 'POST') {
      const a = meridianAccount;
      const codes = [-30_000, 0, 30_000].map((d) => totpCode(a.totpSecret, new Date(Date.now() + d)));
      if (
        body.get('username') === a.username &&
        body.get('password') === a.password &&
        codes.includes(body.get('code') ?? '')
      ) {
        const sid = randomBytes(16).toString('hex');
        this.sessions.add(sid);
        this.logins++;
        res.setHeader('set-cookie', `msid=${sid}; Path=/; HttpOnly; SameSite=Lax`);
        return redirect(res, next.startsWith('/') ? next : '/home');
      }
    }
    const failed = method === 'POST' ? '<p role="alert">Those details were not recognised.</p>' : '';
    page(
      res,
      'Sign in',
      `<main><h1>Sign in to Meridian</h1>${failed}
      <form aria-label="Sign in" method="post" action="/login">
        <input type="hidden" name="next" value="${esc(next)}">
        <p><label>Username <input name="username" autocomplete="off"></label></p>
        <p><label>Password <input name="password" type="password"></label></p>
        <p><label>One-time code <input name="code" inputmode="numeric"></label></p>
        <button type="submit">Sign in</button></form></main>`,
      false,
    );
  }

  private route(method: string, url: URL, body: URLSearchParams, res: ServerResponse): void {
    const p = url.pathname;
    if (p === '/home') return page(res, 'Today', `<main><h1>Today</h1><p>3 clinics, 41 appointments.</p></main>`);
    if (p === '/patients/search') return this.search(url, res);
    if (p === '/clinic') return this.clinic(url, res);
    const m = /^\/patients\/([a-z0-9-]+)(\/tasks(?:\/(new|[a-z0-9-]+))?)?$/.exec(p);
    const patient = meridianPatients.find((x) => x.id === m?.[1]);
    if (m === null || patient === undefined) return notFound(res);
    if (m[2] === undefined) return this.chart(patient, res);
    if (m[3] === undefined && method === 'POST') return this.createTask(patient, body, res);
    if (m[3] === undefined) return this.taskList(patient, res);
    if (m[3] === 'new') return this.taskForm(patient, res);
    const task = this.tasks.find((t) => t.id === m[3] && t.patientId === patient.id);
    return task === undefined ? notFound(res) : this.taskSaved(patient, task, res);
  }

  private search(url: URL, res: ServerResponse): void {
    const q = (url.searchParams.get('q') ?? '').trim();
    const found =
      q === ''
        ? []
        : meridianPatients.filter((x) => x.mrn === q || x.nhs.replaceAll(' ', '') === q.replaceAll(' ', ''));
    const rows = found.map(
      (x) =>
        `<tr><td><a href="/patients/${x.id}">${esc(x.name)}</a></td><td>${esc(x.mrn)}</td><td>${esc(x.birthDate)}</td></tr>`,
    );
    const items = found.map(
      (x) => `<li><a href="/patients/${x.id}">${esc(x.name)}</a> <span>MRN: ${esc(x.mrn)}</span></li>`,
    );
    const results =
      this.variant === 'compact'
        ? `<ul aria-label="Results">${items.join('')}</ul>`
        : `<table aria-label="Results"><thead><tr><th>Name</th><th>MRN</th><th>Born</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    page(
      res,
      'Find a patient',
      `<main><h1>Find a patient</h1>
      <form aria-label="Patient search" method="get" action="/patients/search">
        <label for="q">Patient identifier</label> <input id="q" name="q" value="${esc(q)}"> <button type="submit">Search</button></form>
      ${q === '' ? '' : results}</main>`,
    );
  }

  /** A day's clinic list: its own words and formats (the NHS number shown, times as 9:30 AM). */
  private clinic(url: URL, res: ServerResponse): void {
    const asked = (url.searchParams.get('d') ?? '').trim();
    const m = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(asked);
    const day = m === null ? undefined : `${m[3]}-${m[2]}-${m[1]}`;
    const rows = this.bookings
      .filter((b) => b.date === day)
      .map((b) => {
        const x = meridianPatients.find((p) => p.id === b.patientId);
        return `<tr><td>${esc(b.time)}</td><td><a href="/patients/${b.patientId}">${esc(x?.name ?? '')}</a></td><td>${esc(x?.nhs ?? '')}</td><td><span class="pill">${esc(b.attendance)}</span></td><td>${esc(b.ref)}</td></tr>`;
      });
    page(
      res,
      'Clinic list',
      `<main><h1>Clinic list</h1>
      <form aria-label="Choose clinic" method="get" action="/clinic">
        <label>Clinic date <input name="d" value="${esc(asked)}" placeholder="dd/mm/yyyy"></label> <button type="submit">Show clinic</button></form>
      ${day === undefined ? '' : `<table aria-label="Clinic list"><thead><tr><th>Due at</th><th>Patient</th><th>NHS no.</th><th>Attendance</th><th>Ref</th></tr></thead><tbody>${rows.join('')}</tbody></table>`}</main>`,
    );
  }

  private chart(x: MeridianPatient, res: ServerResponse): void {
    if (this.notice)
      return page(
        res,
        'Notice',
        `<main><h1>Important notice</h1><p>Please acknowledge the updated policy.</p>
        <form method="post" action="/ack"><label>Comment <input name="c"></label> <button>Acknowledge</button></form></main>`,
      );
    const foreign =
      this.foreignOrigin === undefined
        ? ''
        : `<img alt="" src="${this.foreignOrigin}/pixel.png"> <a href="${this.foreignOrigin}/labs">Lab portal</a>`;
    page(
      res,
      'Chart',
      `${banner(x, this.variant)}<main><h1>Chart</h1><ul><li><a href="/patients/${x.id}/tasks/new">New task</a></li>
      <li><a href="/patients/${x.id}/tasks">Tasks</a></li></ul>${foreign}</main>`,
    );
  }

  private taskForm(x: MeridianPatient, res: ServerResponse): void {
    const summary = this.variant === 'renamed' ? 'Summary' : 'Description';
    page(
      res,
      'New task',
      `${banner(x, this.variant)}<main><h1>New task</h1>
      <form aria-label="New task" method="post" action="/patients/${x.id}/tasks">
        <div><label for="f-desc">${summary}</label> <input id="f-desc" name="description" maxlength="80"></div>
        <div><label for="f-details">Details</label> <textarea id="f-details" name="details" aria-describedby="f-details-hint"></textarea>
          <small id="f-details-hint">Markdown. Max 400 characters.</small></div>
        <div><label for="f-due">Due date</label> <input id="f-due" name="due" placeholder="dd.mm.yyyy"></div>
        <div><label for="f-prio">Priority</label> <select id="f-prio" name="priority"><option value="">Choose…</option>
          <option>Routine follow-up</option><option>Urgent</option><option>Same day</option></select></div>
        <div><label for="f-data">Structured data</label> <textarea id="f-data" name="data" data-max-length="300"></textarea></div>
        <div><label for="f-ref">External reference</label> <input id="f-ref" name="ref"></div>
        <button type="submit">Save task</button></form></main>`,
    );
  }

  private createTask(x: MeridianPatient, body: URLSearchParams, res: ServerResponse): void {
    const fields: Record<string, string> = {};
    for (const k of ['description', 'details', 'due', 'priority', 'data', 'ref']) fields[k] = body.get(k) ?? '';
    const id = `t-${this.tasks.length + 1}`;
    this.tasks.push({ id, patientId: x.id, fields });
    redirect(res, `/patients/${x.id}/tasks/${id}`);
  }

  private taskSaved(x: MeridianPatient, t: MeridianTask, res: ServerResponse): void {
    const f = t.fields;
    // The EHR shows JSON its own way (re-indented): a read-back must compare it parsed.
    let data = f['data'] ?? '';
    try {
      data = JSON.stringify(JSON.parse(data), null, 2);
    } catch {
      /* shown as entered */
    }
    page(
      res,
      'Task saved',
      `${banner(x, this.variant)}<main><h1>Task saved</h1><dl aria-label="Task">
      <dt>Description</dt><dd>${esc(f['description'] ?? '')}</dd><dt>Details</dt><dd><pre>${esc(f['details'] ?? '')}</pre></dd>
      <dt>Due date</dt><dd>${esc(f['due'] ?? '')}</dd><dt>Priority</dt><dd>${esc(f['priority'] ?? '')}</dd>
      <dt>Structured data</dt><dd><pre>${esc(data)}</pre></dd><dt>External reference</dt><dd>${esc(f['ref'] ?? '')}</dd></dl>
      <p><a href="/patients/${x.id}/tasks">Tasks</a></p></main>`,
    );
  }

  private taskList(x: MeridianPatient, res: ServerResponse): void {
    const rows = this.tasks
      .filter((t) => t.patientId === x.id)
      .map(
        (t) =>
          `<tr><td><a href="/patients/${x.id}/tasks/${t.id}">${esc(t.fields['description'] ?? '')}</a></td><td>${esc(t.fields['due'] ?? '')}</td><td>${esc(t.fields['ref'] ?? '')}</td></tr>`,
      );
    page(
      res,
      'Tasks',
      `${banner(x, this.variant)}<main><h1>Tasks</h1><table aria-label="Tasks"><thead><tr><th>Task</th><th>Due</th><th>External reference</th></tr></thead>
      <tbody>${rows.join('')}</tbody></table></main>`,
    );
  }
}

function banner(x: MeridianPatient, variant: MeridianEhr['variant']): string {
  if (variant === 'compact')
    return `<section aria-label="Patient banner"><p><strong>${esc(x.name)}</strong> · MRN: ${esc(x.mrn)} · NHS no.: ${esc(x.nhs)} · Born: ${esc(x.birthDate)}</p></section>`;
  return `<section aria-label="Patient banner"><strong>${esc(x.name)}</strong>
    <dl><dt>MRN</dt><dd>${esc(x.mrn)}</dd><dt>NHS no.</dt><dd>${esc(x.nhs)}</dd><dt>Born</dt><dd>${esc(x.birthDate)}</dd></dl></section>`;
}

function page(res: ServerResponse, title: string, content: string, nav = true): void {
  const links = nav
    ? `<nav aria-label="Main"><a href="/home">Home</a> <a href="/patients/search">Find patient</a> <a href="/clinic">Clinic list</a></nav>`
    : '';
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Meridian</title></head><body>${links}${content}</body></html>`,
  );
}

function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader('location', location);
  res.end();
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  page(res, 'Not found', '<main><h1>Not found</h1></main>');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
