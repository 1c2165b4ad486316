/**
 * @module The sandbox's browser EHR: server-rendered screens under `/web/<variant>/` over the same
 * repository the FHIR API serves (a task saved on a screen is a Task the FHIR API finds), in three clinic
 * variants (`variants.ts`), behind a sign-in with password and TOTP and cookie sessions with an idle
 * time-out. Its control endpoints (`/$sandbox/web/...`) list the variants, register users, expire every
 * session and rename a label, for tests. Known limits: no CSRF tokens or lock-out (a test double on
 * 127.0.0.1); sessions are in memory.
 */
import type { Clock } from '@steward/core';
import type { HttpReply, SandboxRepository, SandboxRequest } from '../fhir-server/index.js';
import { jsonReply } from '../fhir-server/index.js';
import { showChart, showPatientSearch, showSchedule } from './chart-screens.js';
import { controls, esc, page } from './html.js';
import { showNote, showNoteForm, submitNoteForm } from './note-screens.js';
import { formBody, htmlReply, redirect } from './screen-kit.js';
import type { ScreenContext } from './screen-kit.js';
import { showTask, showTaskForm, showTaskList, submitTaskForm } from './task-screens.js';
import { variants } from './variants.js';
import type { LabelKey, Variant } from './variants.js';
import { WebSessions } from './web-sessions.js';
import type { WebUser } from './web-sessions.js';

export interface WebScreensOptions {
  readonly repository: SandboxRepository;
  readonly clock: Clock;
  /** Idle time after which a session shows "Session expired" (default 15 min). */
  readonly idleTimeoutMs?: number;
  readonly users?: readonly WebUser[];
}

const cookieName = 'ehr_session';

function cookieOf(req: SandboxRequest): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

export class WebScreens {
  readonly sessions: WebSessions;
  readonly #repository: SandboxRepository;
  /** The variants as shown now (a relabel replaces one). */
  readonly #variants = new Map<string, Variant>(variants.map((v) => [v.id, v]));

  constructor(options: WebScreensOptions) {
    this.#repository = options.repository;
    this.sessions = new WebSessions({
      clock: options.clock,
      idleMs: options.idleTimeoutMs ?? 15 * 60_000,
      users: options.users ?? [],
    });
  }

  variant(id: string): Variant | undefined {
    return this.#variants.get(id);
  }

  /** Renames one label of a variant (a clinic's next release); `reset` restores every variant. */
  relabel(variantId: string, key: LabelKey, label: string): void {
    const current = this.#variants.get(variantId);
    if (!current) throw new Error(`no web variant ${variantId}`);
    if (!(key in current.labels)) throw new Error(`no label ${key}`);
    this.#variants.set(variantId, { ...current, labels: { ...current.labels, [key]: label } });
  }

  resetLabels(): void {
    for (const v of variants) this.#variants.set(v.id, v);
  }

  /** `/web/...` requests. */
  async handle(req: SandboxRequest): Promise<HttpReply> {
    const parts = req.path.split('/').filter((p) => p !== '');
    if (parts.length === 1) return htmlReply(200, this.#index());
    const variant = this.#variants.get(parts[1] ?? '');
    if (!variant) return htmlReply(404, '<!doctype html><title>Not found</title><h1>Not found</h1>');
    const base = `/web/${variant.id}`;
    const rest = parts.slice(2);
    const route = rest.join('/');
    const cookie = cookieOf(req);
    const setCookie = (value: string, maxAge?: number): Record<string, string> => ({
      'set-cookie': `${cookieName}=${value}; Path=${base}/; HttpOnly; SameSite=Strict${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}`,
    });

    if (route === 'login') {
      if (req.method === 'POST') {
        const form = formBody(req.body);
        const result = this.sessions.signIn(
          form.get('username') ?? '',
          form.get('password') ?? '',
          form.get('code') ?? '',
          variant.id,
        );
        if ('error' in result) return htmlReply(401, this.#login(variant, form.get('username') ?? '', result.error));
        const next = form.get('next') ?? '';
        return redirect(next.startsWith(`${base}/`) ? next : `${base}/patients`, setCookie(result.id));
      }
      return htmlReply(200, this.#login(variant, '', undefined, req.search.get('next') ?? ''));
    }
    if (route === 'session-expired') return htmlReply(200, this.#expired(variant, req.search.get('next') ?? ''));
    if (route === 'logout' && req.method === 'POST') {
      this.sessions.signOut(cookie);
      return redirect(`${base}/login`, setCookie('', 0));
    }

    const state = this.sessions.touch(cookie);
    // Only a page request (GET) is worth coming back to after signing in again; a POST is never replayed.
    const next =
      req.method === 'GET'
        ? `?next=${encodeURIComponent(`${req.path}${req.search.size ? `?${req.search.toString()}` : ''}`)}`
        : '';
    // The first request after the time-out shows "Session expired" (and ends the session); any later one the
    // sign-in screen, as EHRs do once the notice was shown.
    if (state.kind === 'expired') {
      this.sessions.signOut(cookie);
      return redirect(`${base}/session-expired${next}`, setCookie('', 0));
    }
    if (state.kind === 'none' || state.variant !== variant.id) return redirect(`${base}/login${next}`);
    const ctx: ScreenContext = {
      variant,
      repository: this.#repository,
      user: state.user,
      // Records and "today" follow the EHR's clock (a demo clinic's own); sessions and codes the real one.
      now: () => new Date(this.#repository.now()),
      base,
    };
    const [first, id, third, fourth] = rest;
    const post = req.method === 'POST';
    if (rest.length === 0) return redirect(`${base}/patients`);
    if (first === 'patients' && rest.length === 1) return showPatientSearch(ctx, req.search);
    if (first === 'patients' && id !== undefined && rest.length === 2) return showChart(ctx, id);
    if (first === 'patients' && id !== undefined && third === 'tasks' && fourth === 'new' && rest.length === 4) {
      return post ? submitTaskForm(ctx, id, formBody(req.body)) : showTaskForm(ctx, id);
    }
    if (first === 'patients' && id !== undefined && third === 'notes' && fourth === 'new' && rest.length === 4) {
      return post ? submitNoteForm(ctx, id, formBody(req.body)) : showNoteForm(ctx, id, req.search);
    }
    if (first === 'tasks' && rest.length === 1) return showTaskList(ctx);
    if (first === 'tasks' && id !== undefined && rest.length === 2) return showTask(ctx, id, req.search.has('saved'));
    if (first === 'notes' && id !== undefined && rest.length === 2) return showNote(ctx, id, req.search.has('saved'));
    if (first === 'schedule' && rest.length === 1) return showSchedule(ctx, req.search);
    return htmlReply(404, page(variant, { title: 'Not found', user: state.user.username, body: '<h1>Not found</h1>' }));
  }

  /** `/$sandbox/web/...` control requests (unauthenticated, like the fault control: bind to 127.0.0.1). */
  control(req: SandboxRequest): HttpReply {
    const what = req.path.slice('/$sandbox/web/'.length);
    const json = (status: number, body: unknown): HttpReply => jsonReply(status, body, {}, 'application/json');
    const input = (): Record<string, unknown> => {
      const parsed: unknown = JSON.parse(req.body.toString('utf8') || '{}');
      if (parsed === null || typeof parsed !== 'object') throw new Error('a JSON object is expected');
      return parsed as Record<string, unknown>;
    };
    try {
      if (what === 'variants' && req.method === 'GET') {
        return json(200, {
          idleTimeoutMs: this.sessions.idleMs,
          variants: [...this.#variants.values()].map((v) => ({
            id: v.id,
            clinic: v.labels.clinic,
            layout: v.layout,
            dateFormat: v.dateFormat,
            limits: v.limits,
            priorityText: v.priorityText,
            login: `/web/${v.id}/login`,
            home: `/web/${v.id}/patients`,
          })),
        });
      }
      if (what === 'expire' && req.method === 'POST') return json(200, { expired: this.sessions.expireAll() });
      if (what === 'users' && req.method === 'POST') {
        const body = input();
        const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
        this.sessions.register({
          username: text('username'),
          password: text('password'),
          totpSecret: text('totpSecret'),
          ...(text('displayName') !== '' ? { displayName: text('displayName') } : {}),
        });
        return json(201, { username: text('username') });
      }
      if (what === 'users' && req.method === 'GET') return json(200, { usernames: this.sessions.usernames });
      if (what === 'relabel' && req.method === 'POST') {
        const body = input();
        const [variant, key, label] = [body['variant'], body['key'], body['label']];
        if (typeof variant !== 'string' || typeof key !== 'string' || typeof label !== 'string' || label === '') {
          throw new Error('variant, key and label (strings) are required');
        }
        this.relabel(variant, key as LabelKey, label);
        return json(200, { variant, key, label });
      }
      if (what === 'relabel' && req.method === 'DELETE') {
        this.resetLabels();
        return json(200, { reset: true });
      }
    } catch (e) {
      return json(400, { error: e instanceof Error ? e.message : 'invalid request' });
    }
    return json(404, { error: 'not found' });
  }

  #index(): string {
    const items = [...this.#variants.values()]
      .map((v) => `<li><a href="/web/${v.id}/login">${esc(v.labels.clinic)}</a></li>`)
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox EHR clinics</title></head><body><main><h1>Sandbox EHR clinics</h1><ul>${items}</ul></main></body></html>`;
  }

  #login(variant: Variant, username: string, error?: string, next = ''): string {
    const l = variant.labels;
    return page(variant, {
      title: l['login.heading'],
      body: `<h1>${esc(l['login.heading'])}</h1>
${error === undefined ? '' : `<p role="alert" class="error">${esc(error)}</p>`}
<form method="post" aria-label="${esc(l['login.submit'])}" action="/web/${variant.id}/login">
<input type="hidden" name="next" value="${esc(next)}">
${controls(
  variant.layout,
  [
    {
      name: 'username',
      label: l['login.username'],
      kind: 'text',
      value: username,
      required: true,
      autocomplete: 'username',
    },
    {
      name: 'password',
      label: l['login.password'],
      kind: 'password',
      required: true,
      autocomplete: 'current-password',
    },
    { name: 'code', label: l['login.code'], kind: 'text', required: true, autocomplete: 'one-time-code', maxLength: 6 },
  ],
  l['login.heading'],
)}
<div class="row"><button type="submit">${esc(l['login.submit'])}</button></div></form>`,
    });
  }

  #expired(variant: Variant, next: string): string {
    const l = variant.labels;
    const target = `/web/${variant.id}/login${next === '' ? '' : `?next=${encodeURIComponent(next)}`}`;
    return page(variant, {
      title: l['expired.heading'],
      body: `<h1>${esc(l['expired.heading'])}</h1>
<p>You were signed out after ${Math.round(this.sessions.idleMs / 60_000)} minutes without activity. Nothing you had not saved was kept.</p>
<p><a href="${esc(target)}">${esc(l['expired.link'])}</a></p>`,
    });
  }
}
