import { describe, it } from 'node:test';
import type { Task } from '@medplum/fhirtypes';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@steward/core';
import { FhirClient } from './fhir-client.js';
import type { FhirClientOptions } from './fhir-client.js';
import type { HttpTransport } from './http-transport.js';
import { sendJson, startTestServer } from './test-server.js';

const patient = { resourceType: 'Patient', id: 'p1', meta: { versionId: '1' } } as const;
const task: Task = { resourceType: 'Task', status: 'requested', intent: 'order' };

/** Sleeps without waiting, recording each delay asked for, so backoff is observable and tests are fast. */
function recordingSleep(clock?: ManualClock) {
  const delays: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    clock?.advance(ms);
    return Promise.resolve();
  };
  return { delays, sleep };
}

function client(base: string, extra: Partial<FhirClientOptions> = {}): FhirClient {
  return new FhirClient({
    baseUrl: base,
    transport: (u, i) => fetch(u, i),
    random: () => 0.5,
    resilience: { maxAttempts: 4, baseDelayMs: 100, attemptTimeoutMs: 5_000 },
    ...extra,
  });
}

describe('resilient HTTP against a real server', () => {
  it('retries a GET on 503 with growing jittered backoff, then succeeds', async () => {
    let calls = 0;
    const srv = await startTestServer((_req, res) =>
      ++calls < 3 ? sendJson(res, 503, {}) : sendJson(res, 200, patient),
    );
    try {
      const { delays, sleep } = recordingSleep();
      const r = await client(srv.origin, { sleep }).read('Patient', 'p1');
      assert.equal(r.resource.id, 'p1');
      assert.equal(srv.requests.length, 3);
      assert.deepEqual(delays, [50, 100]); // random 0.5 × ceilings 100, 200
    } finally {
      await srv.close();
    }
  });

  it('does not retry a POST answered 503', async () => {
    const srv = await startTestServer((_req, res) => sendJson(res, 503, {}));
    try {
      const { sleep } = recordingSleep();
      await assert.rejects(client(srv.origin, { sleep }).create(task), { code: 'EHR_UNAVAILABLE' });
      assert.equal(srv.requests.length, 1);
    } finally {
      await srv.close();
    }
  });

  it('does not retry a POST whose connection dropped after sending: EHR_OUTCOME_UNKNOWN', async () => {
    const srv = await startTestServer((_req, res) => {
      res.socket?.destroy();
    });
    try {
      const { sleep } = recordingSleep();
      await assert.rejects(client(srv.origin, { sleep }).create(task), { code: 'EHR_OUTCOME_UNKNOWN' });
      assert.equal(srv.requests.length, 1);
      // The same failure on a GET is simply retried.
      await assert.rejects(client(srv.origin, { sleep }).read('Patient', 'p1'), { code: 'EHR_UNAVAILABLE' });
      assert.equal(srv.requests.length, 1 + 4);
    } finally {
      await srv.close();
    }
  });

  it('retries a POST refused at connect time (nothing was sent)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    let attempts = 0;
    const transport: HttpTransport = (u, i) => {
      attempts++;
      return fetch(u, i);
    };
    const { sleep } = recordingSleep();
    await assert.rejects(client(`http://127.0.0.1:${port}`, { sleep, transport }).create(task), {
      code: 'EHR_UNAVAILABLE',
    });
    assert.equal(attempts, 4);
  });

  it('a POST timing out is EHR_OUTCOME_UNKNOWN; a GET timing out is retried then EHR_UNAVAILABLE', async () => {
    const srv = await startTestServer(() => undefined); // never answers
    try {
      const { sleep } = recordingSleep();
      const c = client(srv.origin, { sleep, resilience: { maxAttempts: 2, attemptTimeoutMs: 150 } });
      await assert.rejects(c.create(task), { code: 'EHR_OUTCOME_UNKNOWN' });
      assert.equal(srv.requests.length, 1);
      await assert.rejects(c.read('Patient', 'p1'), { code: 'EHR_UNAVAILABLE' });
      assert.equal(srv.requests.length, 3);
    } finally {
      await srv.close();
    }
  });

  it('waits Retry-After on a 429 (even for a POST) and retries; too long a Retry-After is EHR_RATE_LIMITED', async () => {
    let calls = 0;
    const srv = await startTestServer((_req, res) =>
      ++calls === 1
        ? sendJson(res, 429, {}, { 'retry-after': '2' })
        : sendJson(res, 201, { ...task, id: 't9' }, { etag: 'W/"1"' }),
    );
    try {
      const { delays, sleep } = recordingSleep();
      const r = await client(srv.origin, { sleep }).create(task);
      assert.equal(r.resource.id, 't9');
      assert.equal(r.versionId, '1');
      assert.deepEqual(delays, [2000]);
      assert.equal(srv.requests.length, 2);

      srv.handler = (_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' });
      // The wait not taken here travels with the error, for the caller to honour (the write-back applier does).
      await assert.rejects(client(srv.origin, { sleep }).create(task), (e: { code?: string; details?: unknown }) => {
        assert.equal(e.code, 'EHR_RATE_LIMITED');
        assert.deepEqual(e.details, [
          { path: 'http.status', message: '429' },
          { path: 'http.retry-after', message: '3600' },
        ]);
        return true;
      });
      assert.equal(srv.requests.length, 3);
    } finally {
      await srv.close();
    }
  });

  it('opens the circuit after consecutive failures, fails fast, then lets one probe through after the cool-down', async () => {
    const clock = new ManualClock();
    let healthy = false;
    const srv = await startTestServer((_req, res) => (healthy ? sendJson(res, 200, patient) : sendJson(res, 503, {})));
    try {
      const c = client(srv.origin, {
        clock,
        resilience: { maxAttempts: 1 },
        breaker: { consecutiveFailures: 3, coolDownMs: 10_000 },
      });
      for (let i = 0; i < 3; i++) await assert.rejects(c.read('Patient', 'p1'), { code: 'EHR_UNAVAILABLE' });
      assert.equal(srv.requests.length, 3);
      await assert.rejects(c.read('Patient', 'p1'), { code: 'EHR_UNAVAILABLE', message: /circuit open/ });
      assert.equal(srv.requests.length, 3, 'failed fast without calling the server');

      clock.advance(10_000); // half-open: the probe fails, the circuit opens again
      await assert.rejects(c.read('Patient', 'p1'), { code: 'EHR_UNAVAILABLE' });
      assert.equal(srv.requests.length, 4);
      await assert.rejects(c.read('Patient', 'p1'), { message: /circuit open/ });
      assert.equal(srv.requests.length, 4);

      clock.advance(10_000);
      healthy = true;
      assert.equal((await c.read('Patient', 'p1')).resource.id, 'p1');
      assert.equal((await c.read('Patient', 'p1')).resource.id, 'p1'); // closed again
      assert.equal(srv.requests.length, 6);
    } finally {
      await srv.close();
    }
  });

  it('never exceeds the request budget: concurrency at the server, requests per window at the transport', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const srv = await startTestServer((_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Hold each request a little so parallel calls really overlap at the server.
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, patient);
      }, 5);
    });
    try {
      const sent: number[] = [];
      const transport: HttpTransport = (u, i) => {
        sent.push(Date.now());
        return fetch(u, i);
      };
      const rate = 40;
      const burst = 5;
      const c = client(srv.origin, { transport, budget: { requestsPerSecond: rate, burst, maxConcurrent: 3 } });
      const results = await Promise.all(Array.from({ length: 40 }, () => c.read('Patient', 'p1')));
      assert.equal(results.length, 40);
      assert.equal(srv.requests.length, 40);
      assert.ok(maxInFlight <= 3, `max in flight ${maxInFlight}`);
      assert.ok(maxInFlight >= 2, 'the test did exercise concurrency');
      // Token bucket guarantee over any window of W ms: at most burst + rate × W / 1000 (+1 for the
      // millisecond the transport may stamp after the grant).
      const W = 250;
      for (const start of sent) {
        const inWindow = sent.filter((t) => t >= start && t < start + W).length;
        assert.ok(inWindow <= burst + (rate * W) / 1000 + 1, `${inWindow} requests in ${W} ms`);
      }
    } finally {
      await srv.close();
    }
  });

  it('fails with EHR_BUDGET_EXHAUSTED when capacity does not come before the deadline', async () => {
    const srv = await startTestServer(() => undefined); // holds the only slot
    try {
      const c = client(srv.origin, {
        budget: { requestsPerSecond: 100, burst: 1, maxConcurrent: 1, maxWaitMs: 100 },
        resilience: { maxAttempts: 1, attemptTimeoutMs: 2_000 },
      });
      const first = c.read('Patient', 'p1').catch((e: unknown) => e);
      await assert.rejects(c.read('Patient', 'p2'), { code: 'EHR_BUDGET_EXHAUSTED' });
      assert.equal(srv.requests.length, 1);
      await srv.close();
      await first;
    } finally {
      await srv.close().catch(() => undefined);
    }
  });
});
