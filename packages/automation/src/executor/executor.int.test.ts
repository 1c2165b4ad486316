import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import type { CredentialSource, RunPatient, RunRecorder, StepRecord } from '../model/run.js';
import type { ScreenMap } from '../model/screen-map.js';
import { MeridianEhr, meridianAccount } from '../test-kit/meridian-ehr.js';
import { meridianMap, meridianSystems } from '../test-kit/meridian-map.js';
import { ScreenExecutor, type ExecutorOptions } from './executor.js';
import { browserUnavailable, launchBrowser } from './launch.js';

const ada: RunPatient = {
  ehrId: 'm-1001',
  identifiers: [
    { system: meridianSystems.mrn, value: 'MRN-1001' },
    { system: meridianSystems.nhs, value: '943 476 5919' },
  ],
};

function values(reference: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    description: 'Call back about the results',
    'note/0/text': '**Fasting** bloods\n- before 9am',
    'executionPeriod/end': '2027-03-14',
    priority: 'routine',
    'input/0/valueString': '{"b":2,"a":[1,2]}',
    'identifier:urn:steward:write': reference,
    ...over,
  };
}

const credentials: CredentialSource = { forRun: () => Promise.resolve(meridianAccount) };

/**
 * A one-time code is good once, so a re-login within the same 30 seconds waits for the next step.
 * Tests skip the wait: after the first reading, this clock is 30 s ahead (the EHR takes codes of
 * the steps either side of its own).
 */
function skippingClock(): () => Date {
  let calls = 0;
  return () => new Date(Date.now() + (calls++ > 0 ? 30_000 : 0));
}

class Steps implements RunRecorder {
  readonly steps: StepRecord[] = [];
  step(s: StepRecord): Promise<void> {
    this.steps.push(s);
    return Promise.resolve();
  }
}

/** Input events as the PAGE saw them (not as the executor counts them), by path. */
class PageEvents {
  readonly seen: { type: string; path: string }[] = [];
  readonly hook = async (context: BrowserContext): Promise<void> => {
    await context.exposeBinding('__stewardInput', (_src, type: string, path: string) => {
      this.seen.push({ type, path });
    });
    await context.addInitScript(() => {
      const report = (window as unknown as { __stewardInput: (t: string, p: string) => void }).__stewardInput;
      for (const t of ['keydown', 'input', 'click', 'change'])
        addEventListener(t, (e) => report(e.type, location.pathname), true);
    });
  };
  on(path: string): number {
    return this.seen.filter((e) => e.path === path).length;
  }
}

describe('screen executor on the Meridian fixture EHR', { skip: browserUnavailable() }, () => {
  let browser: Browser;
  const ehr = new MeridianEhr();
  let origin: string;
  let map: ScreenMap;
  let foreign: Server;
  let foreignOrigin: string;
  let foreignHits = 0;

  before(async () => {
    [browser, origin] = await Promise.all([launchBrowser(), ehr.start()]);
    map = meridianMap(origin);
    foreign = createServer((_req, res) => {
      foreignHits++;
      res.end('ok');
    });
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r));
    // Another port is another origin.
    foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  });
  after(async () => {
    await browser.close();
    await ehr.stop();
    foreign.closeAllConnections();
    await new Promise((r) => foreign.close(r));
  });
  beforeEach(() => {
    ehr.tasks.length = 0;
    ehr.requests.length = 0;
    ehr.variant = 'standard';
    ehr.notice = false;
    ehr.expiry = undefined;
    ehr.foreignOrigin = undefined;
    ehr.logins = 0;
    ehr.delay = undefined;
    foreignHits = 0;
  });

  /**
   * A fresh executor. `events`: count the input events the page sees (an exposed binding and an init
   * script in every document, so only the tests that read them pay for them).
   */
  function executor(options: Partial<ExecutorOptions> = {}, events?: PageEvents): ScreenExecutor {
    return new ScreenExecutor(browser, {
      credentials,
      settleMs: 500,
      ...(events !== undefined ? { onContext: events.hook } : {}),
      now: skippingClock(),
      // Screenshots cost a third of a run's time: the first test checks them.
      screenshots: false,
      ...options,
    });
  }

  async function write(
    x: ScreenExecutor,
    reference: string,
    over: Record<string, string> = {},
    m = map,
    patient = ada,
  ) {
    const recorder = new Steps();
    const result = await x.write({
      runId: `run-${reference}`,
      map: m,
      recorder,
      formId: 'task',
      values: values(reference, over),
      patient,
      reference: { key: 'identifier:urn:steward:write', value: reference },
    });
    return { ...result, steps: recorder.steps };
  }

  it('writes a task, reads every field back, and finds it again instead of writing it twice', async () => {
    const events = new PageEvents();
    // Each accessibility snapshot the executor takes of the form (a full identification).
    let formLooks = 0;
    const x = executor({
      screenshots: true,
      onContext: async (context) => {
        await events.hook(context);
        const newPage = context.newPage.bind(context);
        context.newPage = async () => {
          const page = await newPage();
          const snapshot = page.ariaSnapshotJSON.bind(page);
          page.ariaSnapshotJSON = (...a: Parameters<typeof snapshot>) => {
            if (new URL(page.url()).pathname.endsWith('/tasks/new')) formLooks++;
            return snapshot(...a);
          };
          return page;
        };
      },
    });
    const first = await write(x, 'prop-0001');
    assert.deepEqual(first.outcome, { status: 'done', steps: first.steps.length });
    assert.equal(ehr.tasks.length, 1);
    assert.deepEqual(ehr.tasks[0]?.fields, {
      description: 'Call back about the results',
      // A browser submits a textarea's line breaks as CRLF (HTML's form encoding).
      details: '**Fasting** bloods\r\n- before 9am',
      due: '14.03.2027',
      priority: 'Routine follow-up',
      data: '{"b":2,"a":[1,2]}',
      ref: 'prop-0001',
    });
    assert.equal(first.record?.id, 't-1');
    assert.equal(first.record?.created, true);
    // The confirmation shows the JSON re-indented: compared parsed, and equal.
    assert.deepEqual(JSON.parse(first.record?.values['input/0/valueString'] ?? ''), { b: 2, a: [1, 2] });
    const fills = first.steps.filter((s) => s.action === 'fill');
    assert.equal(fills.length, 6);
    assert.ok(
      fills.every((s) => s.outcome === 'ok' && s.inputEvents === 1 && s.screen === 'task-form'),
      'every fill ok, one input event, on the form',
    );
    assert.equal(fills.find((s) => s.target === 'executionPeriod/end')?.value, '14.03.2027');
    assert.ok(
      first.steps.every((s, i) => s.index === i && s.screenshot !== undefined),
      `steps in order, each with its screenshot: ${first.steps.map((s) => `${s.index}:${s.action}:${s.screenshot !== undefined}`).join(' ')}`,
    );
    const jpeg = first.steps[0]?.screenshot ?? new Uint8Array();
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'a JPEG');
    assert.ok(first.steps.every((s) => s.screenshotType === 'image/jpeg'));
    // The form is identified on arrival, before the submit (afresh) and not again between its six
    // fields: nothing on it changed (a form that changes as it is filled is the next test's).
    assert.ok(formLooks >= 2 && formLooks <= 3, `form identified ${formLooks} times`);
    assert.ok(events.on('/patients/m-1001/tasks/new') > 0, 'the page saw input on the form');
    // Steps on the login screen other than the re-login step typed nothing.
    assert.ok(
      first.steps.filter((s) => s.screen === 'login' && s.action !== 'relogin').every((s) => s.inputEvents === 0),
    );

    const again = await write(x, 'prop-0001');
    assert.equal(again.outcome.status, 'done');
    assert.equal(again.record?.created, false);
    assert.equal(again.record?.id, 't-1');
    assert.equal(ehr.tasks.length, 1);
    // The second run carried the first one's session: no sign-in, nothing typed on a login screen.
    assert.equal(ehr.logins, 1);
    assert.ok(
      again.steps.every((s) => s.action !== 'relogin' && s.screen !== 'login'),
      `no sign-in: ${again.steps.map((s) => `${s.action}@${s.screen ?? '?'}`).join(' ')}`,
    );
    // Credentials changed: the session is signed out, and the next run signs in afresh.
    x.signOut(map.connectionId, map.site);
    const after = await write(x, 'prop-0001');
    assert.equal(after.outcome.status, 'done');
    assert.equal(ehr.logins, 2);
    assert.equal(after.steps.filter((s) => s.action === 'relogin').length, 1);
  });

  it('signs in once for runs that start together: the second takes the session the first signed in', async () => {
    let opened = 0;
    const counted: CredentialSource = {
      forRun: () => {
        opened++;
        return Promise.resolve(meridianAccount);
      },
    };
    // The real clock: two sign-ins within 30 seconds would have to wait for the next one-time code.
    const x = executor({ credentials: counted, now: () => new Date() });
    const [a, b] = await Promise.all(['prop-0021', 'prop-0022'].map((ref) => write(x, ref)));
    assert.deepEqual([a?.outcome.status, b?.outcome.status], ['done', 'done']);
    assert.equal(x.load(map.connectionId).peak, 2);
    assert.equal(ehr.logins, 1);
    assert.equal(opened, 1, 'only the run that signed in opened the credentials');
    const joined = [a, b]
      .flatMap((r) => r?.steps ?? [])
      .filter((s) => s.detail === 'in the session another run signed in');
    assert.equal(joined.length, 1);
    assert.equal(joined[0]?.inputEvents, 0);
    assert.equal(ehr.tasks.length, 2);

    const fresh = executor({ sessionReuseMs: 0 });
    for (const ref of ['prop-0023', 'prop-0024']) assert.equal((await write(fresh, ref)).outcome.status, 'done');
    assert.equal(ehr.logins, 3, 'without reuse, every run signs in');
  });

  it('identifies the form afresh after a field changed it, and halts before the next field when it is no longer the form', async () => {
    const x = executor({
      onContext: async (context) => {
        // The form renames its Save button once its first field is typed into (no navigation).
        await context.addInitScript(() => {
          addEventListener('input', () => {
            const save = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save task');
            if (save !== undefined) save.textContent = 'Save';
          });
        });
      },
    });
    const r = await write(x, 'prop-0002');
    assert.equal(r.outcome.status, 'halted');
    assert.equal(r.outcome.status === 'halted' ? r.outcome.reason : '', 'unexpected-screen');
    const fills = r.steps.filter((s) => s.action === 'fill');
    assert.deepEqual(
      fills.map((s) => [s.target, s.outcome, s.inputEvents]),
      [
        ['description', 'ok', 1],
        ['note/0/text', 'halted', 0],
      ],
    );
    assert.equal(ehr.tasks.length, 0);
  });

  it('halts on an unexpected screen with zero input events on it', async () => {
    ehr.notice = true;
    const events = new PageEvents();
    const r = await write(executor({}, events), 'prop-0002');
    assert.equal(r.outcome.status, 'halted');
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'unexpected-screen');
    assert.equal(events.on('/patients/m-1001'), 0);
    const last = r.steps.at(-1);
    assert.equal(last?.outcome, 'halted');
    assert.equal(last?.action, 'open-patient');
    assert.match(last?.detail ?? '', /a screen the map does not know \(expected chart/);
    assert.equal(ehr.tasks.length, 0);
  });

  it('signs in again when the session expires before the submit, and writes once', async () => {
    ehr.expiry = { method: 'POST', path: /\/tasks$/, land: false };
    const r = await write(executor(), 'prop-0003');
    assert.equal(r.outcome.status, 'done', JSON.stringify(r.outcome));
    assert.equal(ehr.logins, 2);
    assert.equal(ehr.tasks.length, 1);
    assert.equal(r.record?.created, true);
    assert.equal(r.steps.filter((s) => s.action === 'relogin').length, 2);
    // Before resubmitting, it looked for the record under its reference.
    const afterRelogin = r.steps.slice(r.steps.findLastIndex((s) => s.action === 'relogin'));
    assert.ok(
      afterRelogin.findIndex((s) => s.action === 'read') < afterRelogin.findIndex((s) => s.action === 'submit'),
    );
    assert.ok(r.steps.filter((s) => s.screen === 'login' && s.action !== 'relogin').every((s) => s.inputEvents === 0));
  });

  it('after a submit that landed before the session expired, reads back and does not write again', async () => {
    ehr.expiry = { method: 'POST', path: /\/tasks$/, land: true };
    const r = await write(executor(), 'prop-0004');
    assert.equal(r.outcome.status, 'done', JSON.stringify(r.outcome));
    assert.equal(ehr.tasks.length, 1);
    assert.equal(ehr.requests.filter((q) => q === 'POST /patients/m-1001/tasks').length, 1);
    assert.equal(r.record?.id, 't-1');
    assert.equal(r.steps.filter((s) => s.action === 'submit').length, 1);
  });

  it('halts wrong-patient before any write when the banner matches one identifier only', async () => {
    const stale: RunPatient = {
      ehrId: 'm-1001',
      identifiers: [
        { system: meridianSystems.mrn, value: 'MRN-1001' },
        { system: meridianSystems.nhs, value: '943 476 5920' },
      ],
    };
    const r = await write(executor(), 'prop-0005', {}, map, stale);
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'wrong-patient');
    assert.equal(r.outcome.status === 'halted' && r.outcome.submitted, false);
    assert.ok(!ehr.requests.some((q) => q.includes('/tasks')));
    assert.equal(r.steps.filter((s) => s.action === 'fill').length, 0);
  });

  it('halts value-too-long before typing anything into the form', async () => {
    const events = new PageEvents();
    const r = await write(executor({}, events), 'prop-0006', { description: 'x'.repeat(81) });
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'value-too-long');
    assert.equal(
      r.outcome.status === 'halted' && r.outcome.detail,
      'Description: 81 characters, the screen allows 80 (nothing typed; back to review)',
    );
    assert.equal(events.on('/patients/m-1001/tasks/new'), 0);
    // The visible "Max 400 characters" hint of the markdown field is a limit too.
    const r2 = await write(executor({}, events), 'prop-0007', { 'note/0/text': 'y'.repeat(401) });
    assert.equal(r2.outcome.status === 'halted' && r2.outcome.reason, 'value-too-long');
    assert.equal(ehr.tasks.length, 0);
  });

  it('never chooses a near-match option: halts naming the candidates', async () => {
    const near: ScreenMap = {
      ...map,
      forms: map.forms.map((f) => ({
        ...f,
        templates: f.templates.map((t) => ({
          ...t,
          fields: t.fields.map((fl) => (fl.kind === 'dropdown' ? { ...fl, options: { routine: 'Routine' } } : fl)),
        })),
      })),
    };
    const events = new PageEvents();
    const r = await write(executor({}, events), 'prop-0008', {}, near);
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'option-not-exact');
    assert.equal(
      r.outcome.status === 'halted' && r.outcome.detail,
      'Priority: no option is "Routine" exactly; candidates: "Routine follow-up"',
    );
    assert.equal(events.on('/patients/m-1001/tasks/new'), 0);
    // A normalised match (case and punctuation aside) is fine.
    const r2 = await write(executor({}, events), 'prop-0009', { priority: 'SAME-DAY' });
    assert.equal(r2.outcome.status, 'done', JSON.stringify(r2.outcome));
    assert.equal(ehr.tasks[0]?.fields['priority'], 'Same day');
  });

  it('halts naming the field when a release renamed it', async () => {
    ehr.variant = 'renamed';
    const events = new PageEvents();
    const r = await write(executor({}, events), 'prop-0010');
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'missing-element');
    assert.equal(r.outcome.status === 'halted' && r.outcome.detail, 'field not on screen: Description');
    assert.equal(events.on('/patients/m-1001/tasks/new'), 0);
  });

  it('refuses every request off the EHR origin, and halts a navigation to one', async () => {
    ehr.foreignOrigin = foreignOrigin;
    const ok = await write(executor(), 'prop-0011');
    assert.equal(ok.outcome.status, 'done');
    const away: ScreenMap = {
      ...map,
      forms: map.forms.map((f) => ({ ...f, open: [{ role: 'link', name: 'Lab portal' }] })),
    };
    const r = await write(executor(), 'prop-0012', {}, away);
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'origin-refused');
    assert.equal(
      r.outcome.status === 'halted' && r.outcome.detail,
      `navigation refused: ${foreignOrigin} is not the EHR's origin`,
    );
    assert.equal(foreignHits, 0);
  });

  it('runs at most the cap of concurrent runs per connection', async () => {
    const x = executor({ maxRunsPerConnection: 1, screenshots: false });
    const results = await Promise.all(['prop-0013', 'prop-0014'].map((ref) => write(x, ref)));
    assert.deepEqual(
      results.map((r) => r.outcome.status),
      ['done', 'done'],
    );
    assert.deepEqual(x.load(map.connectionId), { running: 0, peak: 1 });
    assert.equal(ehr.tasks.length, 2);
    assert.equal(ehr.logins, 1);
  });

  it('halts timed-out when a step or the whole run takes longer than its limit', async () => {
    ehr.delay = { path: /^\/patients\/m-1001$/, ms: 2_000 };
    const step = await write(executor({ stepTimeoutMs: 400 }), 'prop-0016');
    assert.equal(step.outcome.status === 'halted' && step.outcome.reason, 'timed-out');
    assert.equal(step.outcome.status === 'halted' && step.outcome.detail, 'a step took longer than its time limit');
    const run = await write(executor({ runTimeoutMs: 1_000 }), 'prop-0017');
    assert.equal(run.outcome.status === 'halted' && run.outcome.detail, 'the run took longer than its time limit');
    assert.equal(run.steps.at(-1)?.outcome, 'halted');
    assert.equal(ehr.tasks.length, 0);
  });

  it('halts login-failed when the EHR refuses the account, having typed only in the re-login step', async () => {
    const wrong: CredentialSource = { forRun: () => Promise.resolve({ ...meridianAccount, password: 'stale' }) };
    const r = await write(executor({ credentials: wrong }), 'prop-0018');
    assert.equal(r.outcome.status === 'halted' && r.outcome.reason, 'login-failed');
    assert.deepEqual(
      r.steps.filter((s) => s.inputEvents > 0).map((s) => s.action),
      ['relogin'],
    );
    assert.equal(ehr.logins, 0);
  });

  it('reads a one-line banner and a list of results as well as a definition list and a table', async () => {
    ehr.variant = 'compact';
    const r = await write(executor(), 'prop-0019');
    assert.equal(r.outcome.status, 'done', JSON.stringify(r.outcome));
    const banner = r.steps.find((s) => s.action === 'check-banner');
    assert.equal(banner?.value, `${meridianSystems.mrn}|MRN-1001\n${meridianSystems.nhs}|943 476 5919`);
    const stale: RunPatient = {
      ...ada,
      identifiers: [ada.identifiers[0] as never, { system: meridianSystems.nhs, value: '943 476 5920' }],
    };
    const wrong = await write(executor(), 'prop-0020', {}, map, stale);
    assert.equal(wrong.outcome.status === 'halted' && wrong.outcome.reason, 'wrong-patient');
    assert.equal(ehr.tasks.length, 1);
  });
});
