/** @module `steward keys rotate`: new data key (and optionally a new master key), without downtime. */
import { rotateKeys } from '@steward/governance';
import { withSession, type GlobalOptions } from '../session.js';
import { progress } from '../output.js';

export async function keysRotate(g: GlobalOptions, o: { master?: boolean }): Promise<void> {
  await withSession(g, async ({ kernel, ctx, actor }) => {
    await kernel.policy.enforce(ctx, 'keys.rotate');
    const bar = progress(g.io.stderr, 'rotating');
    const report = await rotateKeys(kernel.db, kernel.masterKeys, {
      rotateMaster: o.master === true,
      onProgress: (p) => bar.update(p.done, p.total),
    });
    bar.stop();
    await kernel.audit.append({
      actor,
      event: 'keys.rotated',
      action: 'E',
      outcome: 'success',
      reason: `field key ${report.fieldKeyId}; master ${report.masterKeyId}${report.newMasterKey ? ' (new)' : ''}; rewrapped ${report.rewrapped}`,
    });
    g.io.stdout.write(
      [
        `keys rotated:`,
        `  new field data key ${report.fieldKeyId}${report.retiredFieldKeyId !== undefined ? ` (retired ${report.retiredFieldKeyId}; it still opens older values)` : ''}`,
        `  ${report.rewrapped} data keys wrapped under master key ${report.masterKeyId}${report.newMasterKey ? ' (new version)' : ''}`,
        `Running servers keep working: they pick up the new key as they meet it.`,
        '',
      ].join('\n'),
    );
  });
}
