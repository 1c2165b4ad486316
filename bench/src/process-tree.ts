/**
 * @module Bench-only: CPU time and memory of a process tree from /proc (Linux), for the browser a
 * benchmark drives. CPU counts every process of the tree, live or ended: a live process's own time
 * plus the time of the children it has reaped (`cutime`/`cstime`), so a renderer that exited when
 * its context closed is still counted (its parent, the zygote, reaped it). Memory is PSS (shared
 * pages divided among the processes that share them) from `smaps_rollup`, else RSS.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime + cutime + cstime, in seconds. */
  readonly cpu: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    // Fields after the command: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based.
    const f = text
      .slice(close + 2)
      .split(' ')
      .map((x) => Number(x));
    const at = (n: number): number => f[n - 3] ?? 0;
    return { pid, ppid: at(4), comm, cpu: (at(14) + at(15) + at(16) + at(17)) / ticksPerSecond };
  } catch {
    return undefined; // it ended while the tree was read
  }
}

function allStats(): Stat[] {
  const out: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** The pids of `root` and all its descendants. */
export function tree(root: number): number[] {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The child of this process whose command name contains `name` (e.g. the browser Playwright launched). */
export function childNamed(name: string): number | undefined {
  return allStats().find((s) => s.ppid === process.pid && s.comm.toLowerCase().includes(name))?.pid;
}

/** CPU seconds used so far by the tree under `root` (see the module comment). */
export function treeCpuSeconds(root: number): number {
  return tree(root).reduce((sum, pid) => sum + (stat(pid)?.cpu ?? 0), 0);
}

/** Whether PSS can be read (smaps_rollup exists), so the memory figures say which they are. */
export function pssAvailable(pid = process.pid): boolean {
  try {
    readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** PSS (else RSS) of the tree under `root`, in MB. */
export function treeMemoryMb(root: number): number {
  let kb = 0;
  for (const pid of tree(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      try {
        const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        kb += Number(m?.[1] ?? 0);
      } catch {
        /* ended */
      }
    }
  }
  return kb / 1024;
}

/** `/proc/loadavg`'s three averages. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
