// Debian's Chromium for the repository's scripts (screenshots, proofs), launched the one way that
// works on these machines (no downloaded browser, no sandbox, nothing fetched in the background).
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    // Screenshots for people: the full browser (the headless shell renders fonts the same, but
    // these scripts are few and their pictures are compared with earlier ones).
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
