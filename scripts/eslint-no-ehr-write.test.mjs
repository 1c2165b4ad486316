// A planted EHR write outside the proposal applier fails the lint run; the same code in the
// applier's folder passes. Runs the repository's real ESLint configuration (type-aware), so it
// takes as long as linting one file of a package (its TypeScript program is loaded once).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const root = new URL('..', import.meta.url).pathname;

// Three ways to write: the client by name, the writing channel by (type-only) name, and a
// client reached through objects without naming it.
const planted = `
import { FhirClient } from '@steward/ehr';
import type { ConnectionClients, EhrWriteChannel } from '@steward/ehr';

export async function planted(client: FhirClient, channel: EhrWriteChannel, clients: ConnectionClients): Promise<void> {
  await client.update({ resourceType: 'Task', id: 't1', status: 'cancelled', intent: 'order' }, { ifMatch: '1' });
  await channel.readVersion('c1', 'Task', 't1', '1');
  await (await clients.byId('c1')).client.client.create({ resourceType: 'Task', status: 'requested', intent: 'order' });
}
`;

async function violations(filePath) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(planted, { filePath: `${root}${filePath}` });
  return result.messages.filter((m) => m.ruleId === 'steward/no-ehr-write').map((m) => m.line);
}

describe('lint: no EHR write outside the proposal applier', () => {
  it('refuses a planted write in a workflow, however the writer was reached', async () => {
    // Lines: 2 (FhirClient import), 3 (EhrWriteChannel import), 6 (client.update), 8 (create via clients).
    assert.deepEqual(await violations('packages/workflows/src/effects/draft-proposal.ts'), [2, 3, 6, 8]);
  });

  it("allows it in the applier's folder", async () => {
    assert.deepEqual(await violations('packages/proposals/src/commit/proposal-applier.ts'), []);
  });
});
