/**
 * @module The one shared browser process runs use (each run gets its own fresh context): Debian's
 * Chromium, headless, nothing fetched in the background, no sync, no first-run pages.
 */
import { chromium, type Browser } from 'playwright-core';

export interface LaunchOptions {
  /** Default `STEWARD_CHROMIUM`, else `/usr/bin/chromium`. */
  readonly executablePath?: string;
}

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? process.env['STEWARD_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
