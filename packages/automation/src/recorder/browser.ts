/**
 * @module Debian's Chromium for a demonstration: the executor's one launch (no downloaded browser,
 * no sandbox, nothing fetched in the background), headed when a person demonstrates on a display,
 * headless to replay a scripted demonstration.
 */
import type { Browser } from 'playwright-core';
import { chromiumArgs, launchBrowser } from '../executor/launch.js';

export { chromiumArgs };

export function launchRecorderBrowser(options: {
  readonly headed: boolean;
  readonly executablePath?: string;
}): Promise<Browser> {
  return launchBrowser(options);
}
