// Debian's Chromium for the repository's scripts (screenshots, proofs), launched the one way that
// works on these machines (no downloaded browser, no sandbox, nothing fetched in the background).
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium',
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
