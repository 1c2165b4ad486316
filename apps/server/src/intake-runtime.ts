/**
 * @module Intake's watched folders, running in the server (`STEWARD_INTAKE_FOLDERS`): each folder's
 * complete files arrive at its site as intake's own account brought them (source `folder`), then
 * move to `processed/` or, with a reason file, to `failed/`. The folder is the state, so a restart
 * picks up what is still there. Logs say which folder and what happened, never a file's content.
 */
import { WatchedFolder, checkArrivingFile } from '@steward/intake';
import type { Logger } from '@steward/governance';
import type { Kernel } from './kernel.js';

export interface IntakeRuntime {
  stop(): Promise<void>;
}

export function startIntakeFolders(
  kernel: Pick<Kernel, 'intake' | 'intakeContext'>,
  logger: Logger,
  folders: readonly { readonly site: string; readonly dir: string }[],
  intervalMs = 2000,
): IntakeRuntime {
  const watched = folders.map(({ site, dir }) => {
    const folder = new WatchedFolder({
      dir,
      ingest: async (bytes, name) => {
        const arrival = await kernel.intake.receive(await kernel.intakeContext(), {
          site,
          source: 'folder',
          file: checkArrivingFile(bytes, undefined, name),
        });
        logger.info({ site, folder: dir, outcome: arrival.outcome, reading: arrival.reading }, 'intake file picked up');
        return arrival.outcome;
      },
    });
    folder.start(intervalMs, (e) =>
      logger.warn(
        { site, folder: dir, code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
        'intake folder scan failed: retrying',
      ),
    );
    return folder;
  });
  if (watched.length > 0) logger.info({ folders: folders.map((f) => f.dir) }, 'intake watched folders running');
  return {
    async stop() {
      await Promise.all(watched.map((w) => w.stop()));
    },
  };
}
