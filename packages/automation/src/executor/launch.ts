/**
 * @module The one shared browser process runs use (each run gets its own fresh context): Debian's
 * Chromium, headless, nothing fetched in the background, no sync, no first-run pages.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export interface LaunchOptions {
  /** Default `STEWARD_CHROMIUM`, else `/usr/bin/chromium`. */
  readonly executablePath?: string;
  /** A window on the display (a person demonstrating to the recorder). Default: headless. */
  readonly headed?: boolean;
}

/** What this machine's Chromium needs: no sandbox (containers), no GPU, nothing in the background. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

function executable(options: LaunchOptions): string {
  return options.executablePath ?? process.env['STEWARD_CHROMIUM'] ?? '/usr/bin/chromium';
}

/**
 * Why no browser can be launched here (for tests to skip with the reason named), or undefined.
 * With `STEWARD_REQUIRE_BROWSER=1` (CI) a missing browser is an error instead.
 */
export function browserUnavailable(options: LaunchOptions = {}): string | undefined {
  const path = executable(options);
  if (existsSync(path)) return undefined;
  if (process.env['STEWARD_REQUIRE_BROWSER'] === '1')
    throw new Error(`STEWARD_REQUIRE_BROWSER=1 but there is no Chromium at ${path}`);
  return `no Chromium at ${path}: apt-get install chromium (or set STEWARD_CHROMIUM) to run the screen automation tests`;
}

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: executable(options),
    headless: options.headed !== true,
    args: [...chromiumArgs],
  });
}
