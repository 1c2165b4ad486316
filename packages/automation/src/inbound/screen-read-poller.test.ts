// The schedule poller: every connection each round, never two reads of one connection at once, every outcome reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScreenReadPoller } from './screen-read-poller.js';

describe('the screen read poller', () => {
  it("reads each connection's schedule, reports results and failures, and skips a connection still being read", async () => {
    const calls: string[] = [];
    const reported: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const poller = new ScreenReadPoller({
      reads: {
        read: async (connectionId, readId, day) => {
          calls.push(`${connectionId} ${readId} ${day ?? 'today'}`);
          if (connectionId === 'down') throw new Error('halted');
          if (connectionId === 'slow') await slow;
          return { runId: `run-${calls.length}`, rows: 2, events: 1, duplicates: 1, refused: 0 };
        },
      },
      connections: () => Promise.resolve(['a', 'down', 'slow']),
      report: (id, outcome) => reported.push(`${id} ${'error' in outcome ? 'error' : `${outcome.events} events`}`),
    });
    const first = poller.pollOnce();
    await new Promise((r) => setImmediate(r));
    // A second round while `slow` is still being read does not read it again.
    await poller.pollOnce();
    release();
    await first;
    await poller.stop();
    assert.deepEqual(calls, [
      'a schedule today',
      'down schedule today',
      'slow schedule today',
      'a schedule today',
      'down schedule today',
    ]);
    assert.deepEqual(reported.sort(), ['a 1 events', 'a 1 events', 'down error', 'down error', 'slow 1 events']);
  });
});
