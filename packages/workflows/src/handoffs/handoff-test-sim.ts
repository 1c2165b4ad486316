/**
 * @module Test support (not exported) for the escalation proof: raises handoffs on a simulated clock
 * across New York's fall-back weekend (2026-10-30 to 2026-11-03), accepts and finishes some of them,
 * while worker processes (handoff-sim-child.js) run the escalations and kill themselves, and are
 * killed, at random. The clock jumps from one due moment to the next once the workers are idle
 * (or, when only effects leased by killed workers are left, to the next due moment: at the latest
 * the lease's end). What each escalation should be is computed here by an oracle that knows the site's hours and New York's two offsets
 * that week by heart, not by the calendar code under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '@steward/store';
import { handoffKit, type HandoffKit } from './handoff-test-kit.js';
import type { EscalationStep } from './handoff-model.js';

const CHILD = fileURLToPath(new URL('./handoff-sim-child.js', import.meta.url));
const MIN = 60_000;
const HOUR = 60 * MIN;
/** 2026-11-01 06:00Z: 02:00 EDT becomes 01:00 EST. */
const FALL_BACK = Date.parse('2026-11-01T06:00:00Z');
const offsetMs = (utc: number): number => (utc < FALL_BACK ? -4 * HOUR : -5 * HOUR);
/** How far after a whole minute of its handoff's times an acceptance or finish comes (see runSimulation). */
const ACTION_OFFSET_MS = 30_500;
/** How long a living worker may hold a due effect before the run fails as stuck (it runs one at once). */
const LIVING_HOLD_LIMIT_MS = 60_000;

export const simKind = 'sim.task';
export const simPolicy: readonly EscalationStep[] = [
  {
    condition: 'not-accepted',
    delay: { amount: 45, unit: 'minutes', business: true },
    target: { kind: 'pool', ref: 'north-leads' },
  },
  { condition: 'not-done', delay: { amount: 3, unit: 'hours', business: true }, target: { kind: 'lead' } },
  {
    condition: 'not-done',
    delay: { amount: 1, unit: 'days', business: false },
    target: { kind: 'rota', ref: 'north-oncall' },
  },
  {
    condition: 'not-done',
    delay: { amount: 36, unit: 'hours', business: false },
    target: { kind: 'pool', ref: 'north-leads' },
  },
];

/** The site's opening hours that week in UTC: weekdays 08:00–17:00 New York time. */
function openingHours(): [number, number][] {
  const out: [number, number][] = [];
  for (let d = Date.parse('2026-10-26T00:00:00Z'); d < Date.parse('2026-11-25T00:00:00Z'); d += 24 * HOUR) {
    const weekday = new Date(d).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = d + 8 * HOUR - offsetMs(d + 12 * HOUR);
    out.push([open, open + 9 * HOUR]);
  }
  return out;
}
const hours = openingHours();

function businessMinutes(from: number, minutes: number): number {
  let left = minutes * MIN;
  for (const [open, close] of hours) {
    if (close <= from) continue;
    const start = Math.max(open, from);
    if (left <= close - start) return start + left;
    left -= close - start;
  }
  throw new Error('beyond the oracle’s calendar');
}

/** The same New York wall-clock time one calendar day later (the first occurrence in the fall-back hour). */
function nextDaySameWallTime(from: number): number {
  const wall = from + offsetMs(from) + 24 * HOUR;
  const asEdt = wall + 4 * HOUR;
  return asEdt < FALL_BACK ? asEdt : wall + 5 * HOUR;
}

/** The next business day at the same wall-clock time (closed days skipped). */
function nextBusinessDay(from: number): number {
  let t = from;
  for (;;) {
    t = nextDaySameWallTime(t);
    const local = new Date(t + offsetMs(t));
    if (local.getUTCDay() !== 0 && local.getUTCDay() !== 6) return t;
  }
}

export function oracle(createdAt: number): { readonly steps: readonly number[]; readonly dueAt: number } {
  return {
    steps: [
      businessMinutes(createdAt, 45),
      businessMinutes(createdAt, 180),
      nextDaySameWallTime(createdAt),
      createdAt + 36 * HOUR,
    ],
    dueAt: nextBusinessDay(createdAt),
  };
}

interface Plan {
  readonly i: number;
  readonly createdAt: number;
  readonly to: 'pool' | 'ben' | 'cleo';
  readonly acceptAt?: number;
  readonly doneAt?: number;
  id?: string;
}

export interface SimReport {
  readonly handoffs: number;
  readonly expected: number;
  readonly fired: number;
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly wrongPolicyTime: number;
  readonly lateness: { readonly max: number; readonly p50: number; readonly late: number };
  readonly firedTwice: number;
  readonly auditEntries: number;
  readonly expired: { readonly expected: number; readonly recorded: number; readonly late: number };
  readonly kills: { readonly self: number; readonly parent: number };
  readonly reRunEffects: number;
  readonly clockJumps: number;
  readonly wallMs: number;
}

export interface SimOptions {
  readonly count: number;
  readonly url: string;
  readonly workers?: number;
  /** Each child's chance to kill itself at each crash point. */
  readonly selfKill?: number;
  /** The parent SIGKILLs a worker every this many clock jumps. */
  readonly killEvery?: number;
  readonly leaseMs?: number;
}

/** Fri 2026-10-30 06:00 EDT; handoffs are raised over the next 72 hours, through the fall-back. */
const START = Date.parse('2026-10-30T10:00:00Z');

export async function runSimulation(db: Database, options: SimOptions): Promise<SimReport> {
  const began = Date.now();
  const { count } = options;
  let now = START;
  const kit: HandoffKit = await handoffKit(db, { clock: { now: () => new Date(now) }, seed: true });
  await db.exec(`create table handoff_sim_clock (id int primary key, t timestamptz not null, stop boolean not null);
                 insert into handoff_sim_clock values (1, '${new Date(START).toISOString()}', false);`);
  const admin = kit.ctx('ada');
  await kit.service.setPolicy(admin, 'north', simKind, simPolicy);
  const shifts = [];
  for (let t = START - 12 * HOUR, k = 0; t < START + 10 * 24 * HOUR; t += 12 * HOUR, k++)
    shifts.push({
      user: k % 2 === 0 ? 'otto' : 'pia',
      start: new Date(t).toISOString(),
      end: new Date(t + 12 * HOUR).toISOString(),
    });
  await kit.rotas.set(admin, 'north', 'north-oncall', shifts);

  // Raised every 72 h / count, in whole seconds. Actions are 30.5 s off the whole minute of their
  // handoff's times, due times fall on it: an escalation a killed worker delays (by its 15 s lease)
  // still comes before the acceptance or finish the oracle says it precedes. (Half a second off,
  // handoff 0's finish at 11:00:00.5 overtook its 11:00:00 escalation when a worker died holding it.)
  const spacing = Math.floor((72 * HOUR) / count / 1000) * 1000;
  const off = ACTION_OFFSET_MS;
  const plans: Plan[] = Array.from({ length: count }, (_, i) => {
    const createdAt = START + i * spacing;
    const acceptAt =
      i % 3 === 0 ? undefined : i % 3 === 1 ? createdAt + (20 + (i % 7)) * MIN + off : createdAt + 2 * HOUR + off;
    const doneAt = i % 5 === 0 ? createdAt + 5 * HOUR + off : undefined;
    return {
      i,
      createdAt,
      to: i % 2 === 0 ? 'pool' : i % 4 === 1 ? 'ben' : 'cleo',
      ...(acceptAt !== undefined ? { acceptAt } : {}),
      ...(doneAt !== undefined ? { doneAt } : {}),
    };
  });
  type Action = { at: number; run: () => Promise<void> };
  const actions: Action[] = [];
  for (const p of plans) {
    actions.push({
      at: p.createdAt,
      run: async () => {
        const h = await kit.service.create(kit.system, {
          site: 'north',
          kind: simKind,
          subject: { kind: 'document', id: `sim-${p.i}` },
          to: p.to === 'pool' ? { kind: 'pool', ref: 'north-desk' } : { kind: 'user', ref: p.to },
          ask: `Simulated task ${p.i}`,
          due: { businessDays: 1 },
        });
        p.id = h.id;
      },
    });
    if (p.acceptAt !== undefined)
      actions.push({
        at: p.acceptAt,
        run: async () => void (await kit.service.accept(kit.ctx(await holder(p)), p.id ?? '')),
      });
    if (p.doneAt !== undefined)
      actions.push({
        at: p.doneAt,
        run: async () => void (await kit.service.done(kit.ctx(await holder(p)), p.id ?? '')),
      });
  }
  actions.sort((a, b) => a.at - b.at);
  /** Who may act on it now: its holder, else whom it is offered to (a re-offer moves it to the leads). */
  const holder = async (p: Plan): Promise<string> => {
    const c = (
      await db.query<{ to_kind: string; to_ref: string; assignee: string | null }>(
        'select to_kind, to_ref, assignee::text as assignee from handoffs where id = $1',
        [p.id],
      )
    ).rows[0];
    const byId = Object.entries(kit.ids).find(([, id]) => id === (c?.assignee ?? ''))?.[0];
    if (byId !== undefined) return byId;
    if (c?.to_kind === 'pool') return c.to_ref === 'north-leads' ? 'lena' : 'cleo';
    return Object.entries(kit.ids).find(([, id]) => id === c?.to_ref)?.[0] ?? 'cleo';
  };

  const workers = options.workers ?? 3;
  const children = new Set<ChildProcess>();
  const kills = { self: 0, parent: 0 };
  let stopping = false;
  const spawnChild = (): void => {
    const child = spawn(
      process.execPath,
      [CHILD, options.url, String(options.selfKill ?? 0.004), String(options.leaseMs ?? 15_000)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    children.add(child);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (signal === 'SIGKILL' && !(child as { killedByParent?: boolean }).killedByParent) kills.self++;
      if (code !== 0 && signal === null && !stopping) process.stderr.write(`sim worker failed: ${stderr}\n`);
      if (!stopping) spawnChild();
    });
  };
  for (let k = 0; k < workers; k++) spawnChild();

  const setClock = async (t: number): Promise<void> => {
    now = t;
    await db.query('update handoff_sim_clock set t = $1 where id = 1', [new Date(t)]);
  };
  let jumps = 0;
  let next = 0;
  try {
    for (;;) {
      // Wait until the workers have done everything due now.
      let stuckSince = 0;
      for (;;) {
        const { rows } = await db.query<{
          due: number;
          leased: number;
          lease_end: Date | null;
          owners: string[] | null;
        }>(
          `select (select count(*) from workflow_inbox where available_at <= $1)::int as due,
                  (select count(*) from workflow_effects where status = 'pending' and available_at <= $1)::int as leased,
                  (select min(lease_until) from workflow_effects where status = 'pending' and lease_until > $1) as lease_end,
                  (select array_agg(distinct lease_owner) from workflow_effects
                    where status = 'pending' and lease_until > $1) as owners`,
          [new Date(now)],
        );
        const r = rows[0];
        if (r === undefined || (r.due === 0 && r.leased === 0)) break;
        // A worker's step batch leases the effects it wrote to itself, to run next: a live worker holding
        // one will run it (however long its queue takes on a loaded machine), so time waits for it.
        // Only effects held by killed workers let time go on (worker ids are host:pid:…).
        // (A cap on that wait let time pass a slow living worker on a loaded machine: its escalation
        // then came after the acceptance it should precede.) One held past LIVING_HOLD_LIMIT_MS fails the run.
        const alive = new Set([...children].map((c) => String(c.pid)));
        const heldByLiving = (r.owners ?? []).some((o) => alive.has(o.split(':')[1] ?? ''));
        if (r.due === 0 && r.lease_end !== null) {
          // Only leased effects left, their workers dead: let time go on (to the next due moment, at
          // the latest the lease's end), as it would on a real clock.
          if (stuckSince === 0) stuckSince = Date.now();
          else if (heldByLiving && Date.now() - stuckSince > LIVING_HOLD_LIMIT_MS)
            throw new Error(`a living worker held due effects for ${LIVING_HOLD_LIMIT_MS} ms: ${r.owners?.join(', ')}`);
          else if (!heldByLiving && Date.now() - stuckSince > 400) break;
        } else stuckSince = 0;
        await new Promise((res) => setTimeout(res, 2));
      }
      // Then act (raise, accept, finish) at this moment.
      while (next < actions.length && (actions[next]?.at ?? Infinity) <= now) {
        await (actions[next++] as Action).run();
      }
      const { rows } = await db.query<{ t: Date | null }>(
        `select least((select min(available_at) from workflow_inbox),
                      (select min(greatest(available_at, coalesce(lease_until, available_at))) from workflow_effects where status = 'pending')) as t`,
      );
      const due = rows[0]?.t?.getTime();
      const t = Math.min(due ?? Infinity, actions[next]?.at ?? Infinity);
      if (t === Infinity) break;
      if (t > now) {
        await setClock(t);
        jumps++;
        if (options.killEvery !== undefined && jumps % options.killEvery === 0) {
          const victim = [...children][jumps % children.size];
          if (victim !== undefined) {
            (victim as { killedByParent?: boolean }).killedByParent = true;
            victim.kill('SIGKILL');
            kills.parent++;
          }
        }
      }
    }
  } finally {
    stopping = true;
    await db.query('update handoff_sim_clock set stop = true where id = 1');
    await Promise.all(
      [...children].map((c) => new Promise((res) => (c.exitCode !== null ? res(null) : c.on('exit', res)))),
    );
  }
  await kit.close();
  return report(db, plans, kills, jumps, Date.now() - began);
}

async function report(
  db: Database,
  plans: readonly Plan[],
  kills: { self: number; parent: number },
  clockJumps: number,
  wallMs: number,
): Promise<SimReport> {
  const fired = (
    await db.query<{ id: string; step: number; policy_at: Date; fired_at: Date }>(
      `select handoff_id::text as id, step, policy_at, fired_at from handoff_escalations`,
    )
  ).rows;
  const byKey = new Map(fired.map((f) => [`${f.id}/${f.step}`, f]));
  const missing: string[] = [];
  const unexpected: string[] = [];
  const lateness: number[] = [];
  let expected = 0;
  let wrongPolicyTime = 0;
  let expiredExpected = 0;
  for (const p of plans) {
    const o = oracle(p.createdAt);
    o.steps.forEach((at, step) => {
      const condition = simPolicy[step]?.condition;
      const should =
        (p.doneAt === undefined || p.doneAt > at) &&
        (condition === 'not-done' || p.acceptAt === undefined || p.acceptAt > at);
      const got = byKey.get(`${p.id}/${step}`);
      if (should) expected++;
      if (should && got === undefined) missing.push(`${p.i}/${step}`);
      if (!should && got !== undefined) unexpected.push(`${p.i}/${step}`);
      if (got !== undefined) {
        if (got.policy_at.getTime() !== at) wrongPolicyTime++;
        lateness.push(got.fired_at.getTime() - at);
      }
    });
    if (p.doneAt === undefined || p.doneAt > o.dueAt) expiredExpected++;
  }
  const twice = await db.query<{ n: number }>(
    `select count(*)::int as n from (select handoff_id, detail->>'step' from handoff_history where event = 'escalated'
       group by 1, 2 having count(*) > 1) x`,
  );
  const audit = await db.query<{ n: number }>(
    `select count(*)::int as n from audit_log where event = 'phi.update' and entry like '%handoff_escalated%'`,
  );
  const expiredRows = (
    await db.query<{ id: string; at: Date; due_at: Date }>(
      `select h.handoff_id::text as id, h.at, d.due_at from handoff_history h join handoffs d on d.id = h.handoff_id
       where h.event = 'expired'`,
    )
  ).rows;
  const dueById = new Map(plans.map((p) => [p.id, oracle(p.createdAt).dueAt]));
  const reRuns = await db.query<{ n: number }>(
    `select count(*)::int as n from workflow_effects where kind = 'handoff.escalate' and attempts > 1`,
  );
  lateness.sort((a, b) => a - b);
  return {
    handoffs: plans.length,
    expected,
    fired: fired.length,
    missing,
    unexpected,
    wrongPolicyTime,
    lateness: {
      max: lateness[lateness.length - 1] ?? 0,
      p50: lateness[Math.floor(lateness.length / 2)] ?? 0,
      late: lateness.filter((l) => l < 0 || l > MIN).length,
    },
    firedTwice: twice.rows[0]?.n ?? 0,
    auditEntries: audit.rows[0]?.n ?? 0,
    expired: {
      expected: expiredExpected,
      recorded: expiredRows.length,
      late: expiredRows.filter((r) => {
        const d = r.at.getTime() - (dueById.get(r.id) ?? 0);
        return d < 0 || d > MIN || r.due_at.getTime() !== dueById.get(r.id);
      }).length,
    },
    kills,
    reRunEffects: reRuns.rows[0]?.n ?? 0,
    clockJumps,
    wallMs,
  };
}
