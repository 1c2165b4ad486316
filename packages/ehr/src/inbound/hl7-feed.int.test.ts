/**
 * The HL7 v2 feed end to end on the governed store: every third-party fixture message sent over
 * real TCP to the MLLP listener, filed through the encrypted, audited journal on PGlite and
 * PostgreSQL. Each message is acknowledged exactly as it was stored: AA with its events, AR on the
 * dead-letter list with a reason; a resend is recognised; the audit chain verifies afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import { verifyAuditLog } from '@steward/governance';
import { allHl7Fixtures } from '../hl7v2/test-fixtures.js';
import { MllpClient, MllpListener, mapHl7, parseHl7 } from '../hl7v2/index.js';
import { openTestGovernance, type TestGovernance } from '../test-governance.js';

for (const target of storeTargets()) {
  describe(`HL7 v2 feed into the governed journal on ${target.name}`, { skip: target.skip }, () => {
    let g: TestGovernance;
    let listener: MllpListener;
    let client: MllpClient;
    let connection: { id: string; site: string };

    before(async () => {
      g = await openTestGovernance(await target.open());
      const c = await g.connections.add(g.admin, {
        name: 'north-feed',
        site: 'north',
        vendor: 'generic-r4',
        facilityTimeZone: 'America/New_York',
      });
      connection = c;
      listener = new MllpListener({
        connectionId: c.id,
        facilityTimeZone: c.facilityTimeZone,
        journal: g.journals.forConnection({ actor: g.connections.actorOf(c) }, c),
        host: '127.0.0.1',
        port: 0,
        maxMessageBytes: 1_048_576,
      });
      const address = await listener.start();
      client = await MllpClient.connect({ host: '127.0.0.1', port: address.port, timeoutMs: 10_000 });
    });
    after(async () => {
      await client.close();
      await listener.close();
      await g.close();
    });

    it('acknowledges every fixture after filing it, and files each exactly once', async () => {
      const fixtures = allHl7Fixtures();
      assert.ok(fixtures.length >= 140);
      let expectedAccepted = 0;
      for (const [path, text] of fixtures) {
        const expected = acceptable(text, connection.id) === 'AR' ? 'AR' : 'AA';
        if (expected === 'AA') expectedAccepted++;
        const ack = await client.send(text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r'));
        assert.equal(ack.code, expected, `${path}: ${ack.text}`);
      }
      assert.ok(expectedAccepted > 40, 'the supported types are well represented');

      const inbound = await g.db.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from ehr_inbound group by status`,
      );
      const byStatus = Object.fromEntries(inbound.rows.map((r) => [r.status, r.n]));
      const dead = await g.journals.deadLetters(g.admin, connection).catch(() => undefined);
      assert.equal(dead, undefined, 'an admin without ehr.ingest cannot read the dead-letter list');
      const c = await g.connections.get('north-feed');
      const asInterface = g.journals.forConnection({ actor: g.connections.actorOf(c) }, c);
      const deadLetters = await asInterface.deadLetters();
      assert.equal(deadLetters.length, byStatus['dead-letter'] ?? 0);
      assert.ok(deadLetters.every((d) => d.reason.length > 0));
      // Fixture files share control ids (MSG00001 …) with different content: each different message is
      // filed (stored, or ignored when its type is not routed) and the reuses are flagged, none lost.
      const kept = fixtures.filter(([, t]) => acceptable(t, connection.id) !== 'AR');
      const norm = (t: string): string =>
        t
          .replace(/^\uFEFF/, '')
          .replace(/\r?\n/g, '\r')
          .replace(/\r+$/, '');
      const contents = new Set(kept.map(([, t]) => norm(t)));
      const ids = new Set(kept.map(([, t]) => parseHl7(t).controlId));
      assert.equal((byStatus['stored'] ?? 0) + (byStatus['ignored'] ?? 0), contents.size);
      const attention = await asInterface.attention(10_000);
      assert.equal(attention.counts.controlIdReused, contents.size - ids.size);
      assert.equal(attention.counts.ignored, byStatus['ignored'] ?? 0);
      assert.ok(attention.counts.ignored > 0, 'types without a mapper are ignored, not refused');
      const events = await asInterface.events(0, 10_000);
      assert.ok(events.length >= (byStatus['stored'] ?? 0) * 0.9, 'stored messages produced events');
      assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq));
    });

    it('recognises a resent message: AA again, nothing stored twice', async () => {
      const [, text] = allHl7Fixtures().find(([p]) => /siu/i.test(p)) ?? [];
      assert.ok(text !== undefined);
      const count = async (): Promise<number> =>
        (await g.db.query<{ n: number }>('select count(*)::int as n from ehr_events')).rows[0]!.n;
      const before = await count();
      const ack = await client.send(text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r'));
      assert.equal(ack.code, 'AA');
      assert.equal(await count(), before);
    });

    it('leaves an audit chain that verifies', async () => {
      await g.audit.flush();
      const v = await verifyAuditLog(g.db);
      assert.equal(v.ok, true);
    });
  });
}

/** What the listener should do with a message, decided independently by parsing and mapping it here. */
function acceptable(text: string, connectionId: string): 'stored' | 'ignored' | 'AR' {
  let parsed;
  try {
    parsed = parseHl7(text);
  } catch {
    return 'AR';
  }
  try {
    mapHl7(parsed, { connectionId, facilityTimeZone: 'America/New_York' });
    return 'stored';
  } catch (e) {
    return e instanceof Error && e.message.startsWith('unsupported message type') ? 'ignored' : 'AR';
  }
}
