/**
 * @module The CPU of opening the server's kernel and HTTP app on a test store (what every server
 * test file pays at least once): `BENCH_OPENS` opens (default 5) after one to load the modules, each
 * timed by `process.cpuUsage`, the HTTP app's share (`buildApp` and `ready`) apart.
 */
import { readFileSync } from 'node:fs';
import { storeTargets } from '@steward/store/testing';
import { openTestApp } from '@steward/server/testing';

const OPENS = Number(process.env['BENCH_OPENS'] ?? 5);
const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const target = storeTargets().find((t) => t.name === (process.env['BENCH_STORE'] ?? 'pglite'))!;
const ms = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

console.log(`store ${target.name}, load ${loadavg()}`);
for (let i = 0; i <= OPENS; i++) {
  const db = await target.open();
  const c0 = process.cpuUsage();
  const t = await openTestApp(db);
  const opened = process.cpuUsage(c0);
  const c1 = process.cpuUsage();
  await t.app.ready();
  const ready = process.cpuUsage(c1);
  const c2 = process.cpuUsage();
  const r = await t.app.inject({ method: 'GET', url: '/healthz' });
  const first = process.cpuUsage(c2);
  await t.close();
  await db.close();
  console.log(
    `${i === 0 ? 'first (modules)' : `open ${i}`}: openTestApp ${ms(opened).toFixed(0)} ms CPU, ready ${ms(ready).toFixed(0)} ms, first request ${ms(first).toFixed(0)} ms (${r.statusCode})`,
  );
}
console.log(`load after ${loadavg()}`);
process.exit(0);
