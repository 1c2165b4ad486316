/** @module `steward keys rotate`: new data key (and optionally a new master key), without downtime. */
import { withSession, type GlobalOptions } from '../session.js';
import { progress } from '../output.js';

export async function keysRotate(g: GlobalOptions, o: { master?: boolean }): Promise<void> {
  await withSession(g, async ({ offline, ctx }) => {
    const bar = progress(g.io.stderr, 'rotating');
    const report = await offline
      .rotateKeys(ctx, { rotateMaster: o.master === true, onProgress: (p) => bar.update(p.done, p.total) })
      .finally(() => bar.stop());
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
