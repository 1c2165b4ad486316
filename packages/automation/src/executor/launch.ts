/**
 * @module The one shared browser process runs use (each run gets its own fresh context): Debian's
 * Chromium, headless, nothing fetched in the background, no sync, no first-run pages.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export interface LaunchOptions {
  /** Default `STEWARD_CHROMIUM`, else Debian's headless shell when headless and installed, else `/usr/bin/chromium`. */
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

/**
 * Debian's `chromium-headless-shell`: the same Chromium without the full browser's window and UI
 * layers, what Playwright itself runs headless. It spends half the CPU per run of the full
 * browser's headless mode (the executor's tests: 16 against 35 CPU-s), so headless runs take it
 * when it is installed; a person demonstrating to the recorder needs the full browser's window.
 */
const headlessShell = '/usr/bin/chromium-headless-shell';

/** The Chromium binary a launch with these options uses. */
export function chromiumExecutable(options: LaunchOptions = {}): string {
  const chosen = options.executablePath ?? process.env['STEWARD_CHROMIUM'];
  if (chosen !== undefined && chosen !== '') return chosen;
  return options.headed !== true && existsSync(headlessShell) ? headlessShell : '/usr/bin/chromium';
}

/**
 * Why no browser can be launched here (for tests to skip with the reason named), or undefined.
 * With `STEWARD_REQUIRE_BROWSER=1` (CI) a missing browser is an error instead.
 */
export function browserUnavailable(options: LaunchOptions = {}): string | undefined {
  const path = chromiumExecutable(options);
  if (existsSync(path)) return undefined;
  if (process.env['STEWARD_REQUIRE_BROWSER'] === '1')
    throw new Error(`STEWARD_REQUIRE_BROWSER=1 but there is no Chromium at ${path}`);
  return `no Chromium at ${path}: apt-get install chromium-headless-shell chromium (or set STEWARD_CHROMIUM) to run the screen automation tests`;
}

export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(options),
    headless: options.headed !== true,
    args: [...chromiumArgs],
  });
}
