import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { SyslogAuditWitness } from './syslog-witness.js';
import type { AuditWitness } from './witness.js';

describe('the syslog audit witness', () => {
  it('sends each checkpoint as an RFC 5424 message to the loopback daemon', async () => {
    const daemon = createSocket('udp4');
    daemon.bind(0, '127.0.0.1');
    await once(daemon, 'listening');
    const received = once(daemon, 'message');
    const witness = new SyslogAuditWitness(`udp://127.0.0.1:${daemon.address().port}`, { hostname: 'steward-1' });
    const at = '2026-12-06T10:00:00.000Z';
    await witness.record([{ seq: 42, hash: 'ab'.repeat(32), at, keyId: 'ed25519-k', signature: 'cd'.repeat(64) }]);
    const [msg] = (await received) as [Buffer];
    assert.equal(
      msg.toString(),
      `<85>1 ${at} steward-1 steward - audit-checkpoint - steward-audit-checkpoint seq=42 hash=${'ab'.repeat(32)} at=${at} key=ed25519-k sig=${'cd'.repeat(64)}`,
    );
    assert.equal('read' in (witness as AuditWitness), false, 'write-only: verification cannot ask it');
    await witness.close();
    daemon.close();
  });

  it('refuses anything but UDP to a loopback address', () => {
    for (const url of ['udp://10.0.0.5:514', 'tcp://127.0.0.1:514', 'syslog']) {
      assert.throws(() => new SyslogAuditWitness(url), { code: 'CONFIG_INVALID' }, url);
    }
    assert.doesNotThrow(() => new SyslogAuditWitness('udp://[::1]:514'));
  });
});
