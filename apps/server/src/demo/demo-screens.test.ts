// Without Chromium, npm start registers no screens connection and says so in its log (nothing else is touched).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '@steward/governance';
import type { Kernel } from '../kernel.js';
import { ensureDemoScreens } from './demo-screens.js';

describe('the demo’s screens connection', () => {
  it('is skipped, with the reason in the log, where no Chromium is installed', async () => {
    const warned: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      warn: (fields: Record<string, unknown>, message: string) => warned.push({ fields, message }),
      info: () => assert.fail('nothing is ready'),
    } as unknown as Logger;
    const untouched = new Proxy({}, { get: () => assert.fail('the kernel is not touched') }) as unknown as Kernel;
    const ehr = { url: 'http://127.0.0.1:1', web: undefined as never };
    const result = await ensureDemoScreens(untouched, ehr, logger, {
      site: 'sandbox',
      chromium: () => 'no Chromium at /usr/bin/chromium',
    });
    assert.deepEqual(result, { skipped: 'no Chromium at /usr/bin/chromium' });
    assert.equal(warned.length, 1);
    assert.match(warned[0]!.message, /screens demo skipped: no Chromium .*no sandbox-screens connection/);
    assert.deepEqual(warned[0]!.fields, { connection: 'sandbox-screens', reason: 'no Chromium at /usr/bin/chromium' });
  });
});
