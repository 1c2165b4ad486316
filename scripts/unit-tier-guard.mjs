// Loaded into every process of the unit tier (`npm run test:unit`, via NODE_OPTIONS=--import) so
// the tier rule cannot rot silently: a unit test opens no store, no socket and no browser. Opening
// a listening or connecting socket (TCP, TLS, HTTP, UDP, PostgreSQL) or an embedded PGlite store
// throws here, and because code under test may catch that, the process also exits non-zero at the
// end, naming what was opened. The fix is the file's name: `x.int.test.ts` (README, Testing).
// Known limit: a child process the test spawns (a browser over a pipe) is not stopped here; a
// browser test needs a server, so it stops at the listening socket.
import dgram from 'node:dgram';
import net from 'node:net';

const violations = new Set();

function refuse(what) {
  violations.add(what);
  throw new Error(
    `unit tier: this test ${what}; a test that opens a store, a socket or a browser is an integration test: name it *.int.test.ts`,
  );
}

net.Server.prototype.listen = function listen() {
  refuse('opened a listening socket');
};
net.Socket.prototype.connect = function connect() {
  refuse('opened a network connection');
};
dgram.Socket.prototype.bind = function bind() {
  refuse('bound a UDP socket');
};
dgram.Socket.prototype.send = function send() {
  refuse('sent a UDP datagram');
};

// The embedded store: the one ESM instance of PGlite the store package imports too (npm workspaces
// hoist it to the root node_modules, which is where this import resolves).
try {
  const { PGlite } = await import('@electric-sql/pglite');
  PGlite.create = function create() {
    return Promise.reject(refuseQuietly('opened an embedded PGlite store'));
  };
} catch (e) {
  if (e?.code !== 'MODULE_NOT_FOUND' && e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

function refuseQuietly(what) {
  try {
    refuse(what);
  } catch (e) {
    return e;
  }
}

process.on('exit', (code) => {
  if (violations.size === 0) return;
  process.stderr.write(`\nunit tier violated: this test file ${[...violations].join(', ')}; rename it *.int.test.ts\n`);
  if (code === 0) process.exitCode = 1;
});
