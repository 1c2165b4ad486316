/**
 * Issue 20's proof: three Steward processes (`steward start`, the real server) on one PostgreSQL —
 * two EHR nodes (one owns the HL7 connection's MLLP listener, the other stands by) and an API
 * node, all three running workflows. An MLLP sender streams distinct ADT, SIU and REF messages;
 * mid-stream the owning process is killed (SIGKILL). The sender reconnects to the same port, which
 * the standby now binds, and resends whatever had no ACK. Then: every message is in the journal
 * exactly once, every event was routed once, every referral's workflow started once with its
 * steps contiguous (none lost, none done twice), and the audit chain verifies. PostgreSQL only:
 * the embedded store is one process by design.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MllpClient } from '@steward/ehr';
import { createLogger, verifyAuditLog } from '@steward/governance';
import { loadConfig, openKernel } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { storeTargets } from '@steward/store/testing';

const postgres = storeTargets().find((t) => t.name === 'postgres');
const bin = fileURLToPath(new URL('../bin/steward.js', import.meta.url));
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');
/**
 * The connection's registered MLLP port, which whichever EHR node owns the connection binds:
 * STEWARD_TEST_MLLP_FAILOVER_PORT, or one the system gives out and takes back.
 */
async function mllpPort(): Promise<number> {
  const fixed = process.env['STEWARD_TEST_MLLP_FAILOVER_PORT'];
  if (fixed !== undefined && fixed !== '') return Number(fixed);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const N = 150;

const ts = '20260302090000-0500';
const pid = (mrn: string) => `PID|1||${mrn}^^^^MR||Emmerich^Augustus||19951230|M`;
/**
 * Message i: two ADT^A04, two SIU^S12, then a REF^I12 (each REF a referral of its own, whose
 * workflow runs steps and effects), MSH-10 `MP<i>`.
 */
function message(i: number): string {
  const msh = (type: string) => `MSH|^~\\&|EHR|CLINIC|STEWARD|CLINIC|${ts}||${type}|MP${i}|P|2.5.1`;
  const mrn = `MRN-${i % 40}`;
  switch (i % 5) {
    case 0:
    case 1:
      return [msh('ADT^A04^ADT_A01'), `EVN|A04|${ts}`, pid(mrn), 'PV1|1|O'].join('\r');
    case 2:
    case 3:
      return [
        msh('SIU^S12^SIU_S12'),
        `SCH|A-${i}^SANDBOX|A-${i}^SANDBOX|||||||30|min|^^30^20260310090000-0500^20260310093000-0500|||||||||||||||Booked`,
        pid(mrn),
        'AIL|1||ROOM1^^^CLINIC',
      ].join('\r');
    default:
      return [
        msh('REF^I12^REF_I12'),
        `RF1|P^Pending^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|R-${i}^SANDBOX|20260302||20260302|207RC0000X^Referral to Cardiology^NUCC|R-${i}^SANDBOX`,
        'PRD|RP^Referring Provider^HL70286|Wilkinson^Crissy||||||1234567890^NPI',
        'PRD|RT^Referred to Provider^HL70286|Torphy^Tyron||^^^Lakeside Cardiology|||1987654321^NPI',
        pid(mrn),
      ].join('\r');
  }
}

interface Node {
  readonly name: string;
  readonly child: ChildProcess;
  logs: string;
}

/** A node's API address, from Fastify's own line (the logger redacts URLs in Steward's fields). */
function apiUrl(node: Node): string {
  const url = /"msg":"Server listening at (https?:\/\/[^"]+)"/.exec(node.logs)?.[1];
  if (url === undefined) throw new Error(`${node.name}: no API address in its log`);
  return url;
}

function startNode(name: string, env: NodeJS.ProcessEnv): Node {
  const child = spawn(process.execPath, [...NODE_FLAGS, bin, 'start'], {
    env: { NODE_COMPILE_CACHE: process.env['NODE_COMPILE_CACHE'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: Node = { name, child, logs: '' };
  child.stdout?.on('data', (d: Buffer) => (node.logs += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (node.logs += d.toString('utf8')));
  return node;
}

async function until(what: string, node: Node, ok: (logs: string) => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok(node.logs)) {
    if (node.child.exitCode !== null) throw new Error(`${node.name} exited (${node.child.exitCode}): ${node.logs}`);
    if (Date.now() > end) throw new Error(`${node.name}: no ${what} within ${ms} ms: ${node.logs}`);
    await sleep(25);
  }
}

/** CPU seconds a child has used so far (Linux /proc; 0 elsewhere). */
function cpuSeconds(child: ChildProcess): number {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

describe('three Steward processes on one PostgreSQL', { skip: postgres?.skip }, () => {
  it(
    'the MLLP owner is killed mid-stream: nothing lost or done twice, the audit chain intact',
    { timeout: 180_000 },
    async (t) => {
      if (postgres === undefined) return;
      const started = Date.now();
      const MLLP_PORT = await mllpPort();
      const db = await postgres.open();
      const dir = mkdtempSync(join(tmpdir(), 'steward-multi-'));
      const nodes: Node[] = [];
      try {
        const base: NodeJS.ProcessEnv = {
          PATH: process.env['PATH'],
          HOME: dir,
          DATABASE_URL: db.url,
          STEWARD_MASTER_KEY: randomBytes(32).toString('base64'),
          STEWARD_HOST: '127.0.0.1',
          STEWARD_SANDBOX: 'off',
          STEWARD_EVENTS: 'off',
          STEWARD_INTAKE_READING: 'off',
          STEWARD_RETENTION_PURGE_HOURS: '0',
          STEWARD_LOG_LEVEL: 'info',
          STEWARD_EHR_STANDBY_MS: '250',
        };
        // The HL7-only connection, registered once (by an administrator) before the nodes start.
        const setupEnv = { ...base, STEWARD_DATA_DIR: join(dir, 'setup') };
        const kernel = await openKernel(loadConfig(setupEnv), createLogger({ level: 'silent' }), { env: setupEnv });
        let token = '';
        try {
          const admin = await principalWith(kernel, 'multi-admin', { role: 'admin' });
          token = admin.token;
          await kernel.connections.add(
            { actor: { kind: 'user', id: admin.id, name: 'multi-admin', authMethod: 'api-token' } },
            {
              name: 'north-feed',
              site: 'north',
              vendor: 'generic-r4',
              facilityTimeZone: 'America/New_York',
              mllpPort: MLLP_PORT,
            },
          );
        } finally {
          await kernel.close();
        }
        const env = (i: number, ehr: 'on' | 'off'): NodeJS.ProcessEnv => ({
          ...base,
          STEWARD_DATA_DIR: join(dir, `node-${i}`),
          STEWARD_PORT: '0',
          STEWARD_EHR: ehr,
          STEWARD_WORKFLOWS: 'on',
        });
        const owned = (logs: string) => logs.includes('"msg":"EHR connection owned here"');
        const listening = (logs: string) => logs.includes('"msg":"steward listening"');
        // The first EHR node owns the connection; then the standby and the API node start.
        const phases: string[] = [];
        let mark = started;
        const phase = (name: string): void => {
          phases.push(`${name} ${((Date.now() - mark) / 1000).toFixed(1)} s`);
          mark = Date.now();
        };
        phase('setup');
        // All three start together; the EHR node that takes the connection's lock first owns it.
        const started3 = [startNode('ehr-1', env(0, 'on')), startNode('ehr-2', env(1, 'on'))];
        const c = startNode('api-3', env(2, 'off'));
        nodes.push(...started3, c);
        await Promise.all(nodes.map((n) => until('start', n, listening)));
        const [a, b] = owned(started3[0]?.logs ?? '') ? started3 : [started3[1], started3[0]];
        assert.ok(a !== undefined && b !== undefined);
        assert.equal(owned(a.logs), true, 'one EHR node owns the connection');
        assert.equal(owned(b.logs), false, 'the other EHR node stands by');
        phase('nodes up');
        // Who owns what, as any node reports it (here the API node, which runs no EHR connection).
        const overview = async (node: Node) =>
          (await (
            await fetch(`${apiUrl(node)}/ehr/connections`, { headers: { authorization: `Bearer ${token}` } })
          ).json()) as { items: { name: string; owner: { node: string; since: string; live: boolean } | null }[] };
        const before = (await overview(c)).items.find((x) => x.name === 'north-feed');
        assert.equal(before?.owner?.node.endsWith(`:${a.child.pid}`), true, JSON.stringify(before));
        assert.equal(before?.owner?.live, true);

        // The sender: 8 messages in flight on one connection; on a lost connection it reconnects to
        // the same port and resends, in order, every message without an ACK.
        const acked = new Set<number>();
        let sends = 0;
        const sent = new Set<number>();
        const resent = new Set<number>();
        const ackOrder: number[] = [];
        const replayed: number[] = [];
        let killedAt = 0;
        let firstAckAfterKill = 0;
        let reconnects = 0;
        const lostBy: string[] = [];
        let cpuA = 0;
        const kill = (): void => {
          cpuA = cpuSeconds(a.child);
          killedAt = Date.now();
          a.child.kill('SIGKILL');
        };
        while (acked.size < N) {
          let client: MllpClient | undefined;
          const connectBy = Date.now() + 15_000;
          while (client === undefined) {
            try {
              client = await MllpClient.connect({ host: '127.0.0.1', port: MLLP_PORT, timeoutMs: 5_000 });
            } catch {
              assert.ok(Date.now() < connectBy, 'the standby listens within 15 s');
              await sleep(20);
            }
          }
          // Connected after the kill: to the new owner (an ACK the dead owner sent before it died may
          // still arrive on the old connection; it does not count as the failover's end).
          const afterKill = killedAt > 0;
          // The first time after the kill, the last 8 messages the dead owner acknowledged go again
          // first, as if their ACKs had been lost on the way: stored by the dead owner, they must be
          // answered AA by the new one without being filed twice.
          const replay = afterKill && replayed.length === 0 ? ackOrder.slice(-8) : [];
          replayed.push(...replay);
          const todo = [...replay, ...[...Array(N).keys()].filter((i) => !acked.has(i))];
          let next = 0;
          let lost = false;
          await Promise.all(
            Array.from({ length: 8 }, async () => {
              while (!lost && next < todo.length) {
                const i = todo[next++] as number;
                sends++;
                if (sent.has(i)) resent.add(i);
                sent.add(i);
                try {
                  const ack = await client.send(message(i));
                  assert.equal(ack.code, 'AA', `message ${i}: ${ack.text}`);
                  acked.add(i);
                  if (!afterKill) ackOrder.push(i);
                  if (afterKill && firstAckAfterKill === 0) firstAckAfterKill = Date.now();
                  if (acked.size === Math.floor(N / 3) && killedAt === 0) kill();
                } catch (e) {
                  if (e instanceof assert.AssertionError) throw e;
                  if (!lost) lostBy.push(`${killedAt > 0 ? 'after' : 'before'} the kill: ${(e as Error).message}`);
                  lost = true;
                }
              }
            }),
          );
          await client.close();
          if (lost) reconnects++;
        }
        const failoverMs = firstAckAfterKill - killedAt;
        phase('stream');
        assert.ok(killedAt > 0 && reconnects >= 1, 'the owner was killed mid-stream and the sender reconnected');
        assert.equal(replayed.length, 8, 'acknowledged messages were sent again to the new owner');
        await until('takeover', b, owned, 1);

        // The workflows (on B and C now) catch up: every event routed, every referral started.
        const refs = Math.floor(N / 5);
        const count = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0]?.n ?? -1;
        const end = Date.now() + 20_000;
        for (;;) {
          const routed = await count(
            `select (select coalesce(max(seq), 0) from ehr_events)
                - (select coalesce(min(seq), 0) from workflow_router_cursors) as n`,
          );
          const referrals = await count(`select count(*)::int as n from workflow_instances where type = 'referral'`);
          const waiting = await count(
            `select count(*)::int as n from workflow_inbox where kind <> 'timer' or available_at <= now()`,
          );
          if (routed === 0 && referrals === refs && waiting === 0) break;
          assert.ok(
            Date.now() < end,
            `workflows caught up (routed gap ${routed}, referrals ${referrals}, waiting ${waiting})`,
          );
          await sleep(100);
        }

        phase('workflows');
        // Every message in the journal exactly once, under its own control id, and one event each.
        const inbound = await db.query<{ key: string; n: number }>(
          `select message_key as key, count(*)::int as n from ehr_inbound group by message_key order by message_key`,
        );
        assert.equal(inbound.rows.length, N, 'every message filed');
        assert.deepEqual(
          inbound.rows.filter((r) => r.n !== 1 || !/^MP\d+$/.test(r.key)),
          [],
          'each message once, none under a reused-id key',
        );
        assert.equal(await count(`select count(*)::int as n from ehr_events`), N, 'one event per message');
        assert.equal(await count(`select count(*)::int as n from ehr_inbound where status <> 'stored'`), 0);
        // Of the messages sent again, those the dead owner had already stored (its ACK lost with it):
        // answered AA by the new owner without filing them twice.
        const storedBefore =
          (
            await db.query<{ n: number }>(
              `select count(*)::int as n from ehr_inbound where message_key = any($1::text[]) and received_at < $2`,
              [[...resent].map((i) => `MP${i}`), new Date(killedAt)],
            )
          ).rows[0]?.n ?? 0;
        // Every filing audited once; a resend of a stored message may add a receipt marked duplicate
        // (whether it does depends on the writer's path), never a filing.
        const receipts = await count(`select count(*)::int as n from audit_log where event = 'ehr.received'`);
        assert.ok(receipts >= N && receipts <= N + storedBefore, `${receipts} receipts audited`);
        assert.ok(storedBefore >= replayed.length);
        // Every referral started once, and each workflow's steps are 1..step: none lost, none twice.
        assert.equal(
          await count(
            `select count(distinct correlation_key)::int as n from workflow_instances where type = 'referral'`,
          ),
          refs,
        );
        assert.equal(
          await count(
            `select count(*)::int as n from workflow_instances w
            where w.step <> (select count(*) from workflow_history h where h.workflow_id = w.id)
               or w.step <> (select coalesce(max(step), 0) from workflow_history h where h.workflow_id = w.id)`,
          ),
          0,
          'each instance has exactly its steps',
        );
        // Each raising effect wrote its handoff once: never more handoffs than raising effects, and
        // one for each that is done (one snapshot: effects still running may have written theirs).
        const raised = (
          await db.query<{ handoffs: number; done: number; total: number }>(
            `select (select count(*)::int from handoffs) as handoffs,
                    (select count(*)::int from workflow_effects where kind = 'handoff.raise' and status = 'done') as done,
                    (select count(*)::int from workflow_effects where kind = 'handoff.raise') as total`,
          )
        ).rows[0];
        assert.ok(
          raised !== undefined && raised.done <= raised.handoffs && raised.handoffs <= raised.total,
          JSON.stringify(raised),
        );
        const verified = await verifyAuditLog(db);
        assert.equal(verified.ok, true, JSON.stringify(verified));
        const after = (await overview(c)).items.find((x) => x.name === 'north-feed');
        assert.equal(after?.owner?.node.endsWith(`:${b.child.pid}`), true, JSON.stringify(after));

        const cpu = cpuA + cpuSeconds(b.child) + cpuSeconds(c.child);
        const effects = await db.query<{ kind: string; status: string; n: number; attempts: number }>(
          `select kind, status, count(*)::int as n, sum(attempts)::int as attempts from workflow_effects group by 1, 2`,
        );
        t.diagnostic(
          `CPU-s: a ${cpuA.toFixed(1)}, b ${cpuSeconds(b.child).toFixed(1)}, c ${cpuSeconds(c.child).toFixed(1)}, ` +
            `test ${(process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6).toFixed(1)}; effects ${JSON.stringify(effects.rows)}`,
        );
        const steps = await count(`select count(*)::int as n from workflow_history`);
        t.diagnostic(
          `${N} messages, ${sends} sends (${sends - N} resent after ${reconnects} reconnect(s): ${lostBy.join('; ')}; ${storedBefore} of the resent ` +
            `had been stored by the killed owner, ${replayed.length} of them acknowledged by it); failover ` +
            `(kill to the first ACK from the standby) ${failoverMs} ms; ${refs} referrals, ${steps} workflow steps; ` +
            `audit ${verified.ok ? verified.entries : '?'} entries verified; children ${cpu.toFixed(1)} CPU-s; ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s wall (${phases.join(', ')})`,
        );
      } finally {
        await Promise.all(
          nodes.map(async (n) => {
            if (n.child.exitCode !== null || n.child.signalCode !== null) return;
            const exited = new Promise((resolve) => n.child.once('exit', resolve));
            n.child.kill('SIGTERM');
            await exited;
          }),
        );
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
