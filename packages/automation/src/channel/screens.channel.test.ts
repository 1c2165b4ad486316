// One write key, one run at a time: the approval's commit and the write-back worker taking the same proposal type it once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ScreenExecutor } from '../executor/executor.js';
import { exampleMap } from '../maps/example-map.js';
import { InMemoryRunJournal } from './run-journal.js';
import { ScreensChannel } from './screens.channel.js';

const CONNECTION = '00000000-0000-4000-8000-000000000017';
const patient = {
  ehrId: 'p-1',
  identifiers: [
    { system: 'urn:oid:1.2.3.4.mrn', value: 'MRN-1' },
    { system: 'urn:oid:1.2.3.4.other', value: 'O-1' },
  ],
};

describe('the screens channel’s writes', () => {
  it('runs a second write of the same key only after the first, which it then finds instead of typing again', async () => {
    const journal = new InMemoryRunJournal();
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    const executor = {
      write: async () => {
        runs += 1;
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight -= 1;
        return { outcome: { status: 'done', steps: 3 }, record: { id: `task-${runs}`, created: true, values: {} } };
      },
    } as unknown as ScreenExecutor;
    const channel = new ScreensChannel({
      executor,
      maps: () => Promise.resolve(exampleMap(CONNECTION)),
      runs: journal,
      identifiersOf: () => Promise.resolve(patient.identifiers),
    });
    const task = { resourceType: 'Task', description: 'Call back', priority: 'routine' };
    const write = (key: string) => channel.create(CONNECTION, task, `urn:steward:write|${key}`, { patient });
    const [first, second, other] = await Promise.all([write('k1'), write('k1'), write('k2')]);
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.resource['id'], first.resource['id']);
    assert.equal(other.created, true);
    assert.equal(runs, 2, 'one run per key');
    assert.equal(journal.runs.length, 2);
    assert.equal(most, 2, 'different keys still run side by side');
  });
});
