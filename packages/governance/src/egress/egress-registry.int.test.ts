import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { Actor } from '@steward/core';
import { EgressRegistry, isPrivateAddress, isUnder, normalizeBaseUrl, pinnedLookup } from './egress-registry.js';
import type { AuditEntryInput, AuditSink } from '../audit/audit-entry.js';

const actor: Actor = {
  kind: 'service',
  id: '6d1f4c1e-7d7e-4a8c-9a0e-6e2f9a1b2c3d',
  name: 'sender',
  authMethod: 'api-token',
};

class Sink implements AuditSink {
  readonly entries: AuditEntryInput[] = [];
  append(e: AuditEntryInput): Promise<{ seq: number }> {
    this.entries.push(e);
    return Promise.resolve({ seq: this.entries.length });
  }
}

describe('egress address rules', () => {
  it('treats loopback, private, link-local, CGNAT and mapped addresses as private', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      'garbage',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
      assert.equal(isPrivateAddress(a), false, a);
  });

  it('allows only URLs under a base URL, same scheme, host and port', () => {
    const base = normalizeBaseUrl('https://fhir.example.org/r4');
    assert.equal(base, 'https://fhir.example.org/r4/');
    assert.equal(isUnder(new URL('https://fhir.example.org/r4/Patient/1'), base), true);
    assert.equal(isUnder(new URL('https://fhir.example.org/r4'), base), true);
    assert.equal(isUnder(new URL('https://fhir.example.org/r4x/Patient'), base), false);
    assert.equal(isUnder(new URL('http://fhir.example.org/r4/Patient'), base), false);
    assert.equal(isUnder(new URL('https://fhir.example.org:8443/r4/Patient'), base), false);
    assert.equal(isUnder(new URL('https://fhir.example.org.evil.com/r4/'), base), false);
    assert.throws(
      () => normalizeBaseUrl('https://user:pw@x.org/'),
      (e: { details: { message: string }[] }) => /credentials/.test(e.details[0]?.message ?? ''),
    );
    assert.throws(() => normalizeBaseUrl('ftp://x.org/'));
  });
});

for (const target of storeTargets()) {
  describe(`egress registry on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let sink: Sink;
    let registry: EgressRegistry;
    before(async () => {
      db = await target.open();
      sink = new Sink();
      const dns: Record<string, string[]> = {
        'fhir.example.org': ['93.184.216.34'],
        'ai.example.com': ['93.184.216.35'],
        'rebind.example.com': ['10.0.0.5'],
      };
      registry = new EgressRegistry(db, sink, (host) => Promise.resolve(dns[host] ?? []));
      await registry.register(actor, {
        name: 'ehr',
        kind: 'ehr',
        baseUrl: 'https://fhir.example.org/r4',
        baaOnRecord: true,
        baaReference: 'BAA-2026-001',
      });
      await registry.register(actor, {
        name: 'llm',
        kind: 'ai',
        baseUrl: 'https://ai.example.com/',
        baaOnRecord: false,
      });
      await registry.register(actor, {
        name: 'rebind',
        kind: 'other',
        baseUrl: 'https://rebind.example.com/',
        baaOnRecord: true,
        baaReference: 'BAA-x',
      });
      await registry.register(actor, {
        name: 'onprem',
        kind: 'ehr',
        baseUrl: 'http://127.0.0.1:8080/fhir',
        baaOnRecord: true,
        baaReference: 'BAA-y',
        allowPrivateNetwork: true,
      });
    });
    after(async () => db.close());

    it('sends PHI only where a BAA is on record, and audits refusals', async () => {
      assert.equal(
        (await registry.authorize(actor, 'https://fhir.example.org/r4/Patient/1', { phi: true })).name,
        'ehr',
      );
      await assert.rejects(registry.authorize(actor, 'https://ai.example.com/v1/chat', { phi: true }), {
        code: 'EGRESS_NO_BAA',
      });
      assert.equal((await registry.authorize(actor, 'https://ai.example.com/v1/chat', { phi: false })).name, 'llm');
      assert.ok(sink.entries.some((e) => e.event === 'egress.denied' && e.reason?.startsWith('EGRESS_NO_BAA')));
    });

    it('refuses unregistered destinations and private addresses unless registered for them', async () => {
      await assert.rejects(registry.authorize(actor, 'https://exfil.example.net/x', { phi: false }), {
        code: 'EGRESS_NOT_REGISTERED',
      });
      await assert.rejects(registry.authorize(actor, 'https://rebind.example.com/x', { phi: false }), {
        code: 'EGRESS_ADDRESS_BLOCKED',
      });
      assert.equal(
        (await registry.authorize(actor, 'http://127.0.0.1:8080/fhir/Patient', { phi: true })).name,
        'onprem',
      );
      await assert.rejects(registry.authorize(actor, 'http://127.0.0.1:9999/fhir/Patient', { phi: true }), {
        code: 'EGRESS_NOT_REGISTERED',
      });
      // The audit reason names the origin only: paths and queries can carry identifiers.
      const denied = sink.entries.filter((e) => e.event === 'egress.denied');
      assert.ok(denied.every((e) => !(e.reason ?? '').includes('/x')));
    });

    it('refuses a duplicate name and a BAA claim without a reference', async () => {
      await assert.rejects(
        registry.register(actor, {
          name: 'ehr',
          kind: 'ehr',
          baseUrl: 'https://other.example.org/',
          baaOnRecord: false,
        }),
        { code: 'ALREADY_EXISTS' },
      );
      await assert.rejects(
        registry.register(actor, {
          name: 'new',
          kind: 'ehr',
          baseUrl: 'https://other.example.org/',
          baaOnRecord: true,
        }),
        { code: 'VALIDATION_FAILED' },
      );
    });
  });
}

describe('egress connections go to the address that was checked', () => {
  it('resolves a host once and connects to that address, keeping the Host header', async () => {
    const target = storeTargets()[0];
    if (target === undefined) throw new Error('no store target');
    const db = await target.open();
    const server = createServer((req, res) => res.end(JSON.stringify({ host: req.headers.host, path: req.url })));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    // `.invalid` never resolves in the system's DNS: only the checked answer can reach the server.
    const lookups: string[] = [];
    const registry = new EgressRegistry(db, new Sink(), (host) => {
      lookups.push(host);
      return Promise.resolve(host === 'pinned.invalid' ? ['127.0.0.1'] : []);
    });
    try {
      await registry.register(actor, {
        name: 'pinned',
        kind: 'ehr',
        baseUrl: `http://pinned.invalid:${port}/`,
        baaOnRecord: true,
        baaReference: 'BAA-pin',
        allowPrivateNetwork: true,
      });
      const r = await registry.fetch(actor, `http://pinned.invalid:${port}/fhir/Patient`, { phi: true });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { host: `pinned.invalid:${port}`, path: '/fhir/Patient' });
      assert.deepEqual(lookups, ['pinned.invalid'], 'one resolution, checked and used');
      // A name that does not resolve is refused before any connection.
      await registry.register(actor, {
        name: 'nowhere',
        kind: 'other',
        baseUrl: `http://nowhere.invalid:${port}/`,
        baaOnRecord: false,
        allowPrivateNetwork: true,
      });
      await assert.rejects(registry.fetch(actor, `http://nowhere.invalid:${port}/x`, { phi: false }), {
        code: 'EGRESS_ADDRESS_BLOCKED',
      });
    } finally {
      await registry.close();
      await new Promise((done) => server.close(done));
      await db.close();
    }
  });

  it('answers only the checked addresses, by family when asked', () => {
    const lookup = pinnedLookup(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
    const answers: unknown[] = [];
    lookup('anything.example', { all: true }, (_e, a) => answers.push(a));
    lookup('anything.example', { family: 6 }, (_e, a, f) => answers.push([a, f]));
    assert.deepEqual(answers, [
      [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
      ],
      ['2606:2800:220:1:248:1893:25c8:1946', 6],
    ]);
  });
});
