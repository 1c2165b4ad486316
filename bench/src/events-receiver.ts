/**
 * @module The webhook receiver the events benchmark POSTs to, in its own process (a receiver is
 * another program): notes when each webhook-id arrived (epoch ms, sub-millisecond), answers 204.
 * Told over IPC: `{ until: n }` answers `{ reached: n }` once n have arrived; `{ times: true }`
 * answers every arrival; `{ stop: true }` exits.
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

const arrived = new Map<string, number>();
let waiting: number | undefined;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    arrived.set(String(req.headers['webhook-id']), performance.timeOrigin + performance.now());
    res.writeHead(204).end();
    if (waiting !== undefined && arrived.size >= waiting) {
      process.send?.({ reached: waiting });
      waiting = undefined;
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.send?.({ port: typeof a === 'object' && a !== null ? a.port : 0 });
});
process.on('message', (m: { until?: number; times?: boolean; stop?: boolean }) => {
  if (m.until !== undefined) {
    if (arrived.size >= m.until) process.send?.({ reached: m.until });
    else waiting = m.until;
  } else if (m.times === true) process.send?.({ times: [...arrived] });
  else if (m.stop === true) server.close(() => process.exit(0));
});
