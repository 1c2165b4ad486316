/**
 * @module Debian's Chromium for a demonstration, launched the one way that works on these machines:
 * no downloaded browser, no sandbox, nothing fetched in the background. Headed when a person
 * demonstrates on a display; headless to replay a scripted demonstration.
 */
import { chromium, type Browser } from 'playwright-core';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export function launchRecorderBrowser(options: {
  readonly headed: boolean;
  readonly executablePath?: string;
}): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? process.env['STEWARD_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: !options.headed,
    args: [...chromiumArgs],
  });
}
