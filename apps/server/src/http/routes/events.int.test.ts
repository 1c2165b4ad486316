/**
 * Events out over HTTP (ADR 0019), against a webhook receiver on loopback that checks every
 * signature with the `standardwebhooks` package: a destination not in the egress registry is
 * refused at subscription, and so is a person; a BAA destination gets the PHI part and each such
 * delivery is audited naming the patient, a destination without one gets references only; a
 * tampered body or signature fails verification; another site's subscriber gets nothing of this
 * site; retries after 500s then succeed, every attempt recorded; after N attempts a dead letter,
 * which replay delivers; one patient's later event waits behind its stuck earlier one while another
 * patient's passes; the stream resumed from an event id delivers exactly the later events, and an
 * idle stream sends its heartbeat; retention purges delivered rows and events no subscription needs
 * after their period, dead letters after theirs, each run audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createParser } from 'eventsource-parser';
import { Webhook } from 'standardwebhooks';
import type { PurposeOfUse } from '@steward/core';
import type { DeliveryWorker, NewEvent } from '@steward/events';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const system = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver: records every request; `answer` decides each status by path and webhook-id. */
class Receiver {
  readonly got: Received[] = [];
  answer: (path: string, id: string) => number = () => 200;
  readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const status = this.answer(r.path, String(req.headers['webhook-id']));
      if (status === 200) this.got.push(r);
      res.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
  });
  url = '';
  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const a = this.server.address();
    this.url = `http://127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`;
  }
  at(path: string): Received[] {
    return this.got.filter((g) => g.path === path);
  }
}

for (const target of flowTargets()) {
  describe(`events out on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let receiver: Receiver;
    let north: TestPrincipal;
    let south: TestPrincipal;
    let worker: DeliveryWorker;
    const errors: unknown[] = [];

    const agent = async (name: string, site: string, purposeOfUse: PurposeOfUse): Promise<TestPrincipal> => {
      const { id } = await t.kernel.bootstrap.serviceAccounts.create(name, system);
      await t.kernel.grants.add(system, {
        principalKind: 'service',
        principalId: id,
        role: 'agent',
        site,
        workflow: '*',
        purposeOfUse,
      });
      const issued = await t.kernel.bootstrap.tokens.issue(
        {
          principal: { kind: 'service', id },
          name: 'test',
          scopes: ['*'],
          expiresAt: new Date(Date.now() + 86_400_000),
        },
        system,
      );
      return { id, kind: 'service', token: issued.token, tokenId: issued.id };
    };
    const subscribe = async (who: TestPrincipal, url: string, types?: string[]) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/events/subscriptions',
        headers: bearer(who),
        payload: { url, ...(types !== undefined ? { types } : {}) },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.json<{ subscription: { id: string }; secret: string }>();
    };
    const unsubscribe = async (who: TestPrincipal, id: string) =>
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `/events/subscriptions/${id}`, headers: bearer(who) })).statusCode,
        204,
      );
    const publish = (events: NewEvent[]) => t.kernel.events.outbox.publish(events, t.clock.now());
    const noShow = (site: string, patientId: string, appointment: string): NewEvent => ({
      type: 'appointment.no-show',
      site,
      patientId,
      occurredAt: new Date('2026-03-04T15:00:00Z'),
      sourceKey: `test:${randomUUID()}`,
      references: { resource: { type: 'Appointment', id: appointment } },
      phi: {
        patient: {
          id: patientId,
          ehrId: `ehr-${patientId.slice(0, 8)}`,
          identifiers: [{ system: 'urn:mrn', value: 'MRN-SECRET-42' }],
        },
        facts: {
          kind: 'Appointment',
          ehrId: appointment,
          identifiers: [],
          status: 'noshow',
          participants: [],
          basedOn: [],
        },
      },
    });
    /** Drains, then moves the clock past any back-off, `times` over. */
    const drain = async (times = 1) => {
      for (let i = 0; i < times; i++) {
        await worker.drain();
        assert.deepEqual(errors, [], 'no round failed');
        t.clock.advance(5_000);
      }
    };

    before(async () => {
      t = await openTestApp(await target.open(), { streamHeartbeatMs: 40 });
      receiver = new Receiver();
      await receiver.listen();
      await t.kernel.egress.register(system, {
        name: 'agent-baa',
        kind: 'ai',
        baseUrl: `${receiver.url}/baa/`,
        baaOnRecord: true,
        baaReference: 'BAA-2026-7',
        allowPrivateNetwork: true,
      });
      await t.kernel.egress.register(system, {
        name: 'agent-plain',
        kind: 'other',
        baseUrl: `${receiver.url}/plain/`,
        baaOnRecord: false,
        allowPrivateNetwork: true,
      });
      north = await agent('north-agent', 'north', 'TREAT');
      south = await agent('south-agent', 'south', 'TREAT');
      worker = t.kernel.events.delivery({
        maxAttempts: 3,
        backoffMs: 1_000,
        maxBackoffMs: 2_000,
        onError: (e) => errors.push(e),
      });
    });
    after(async () => {
      await worker.stop();
      await t.close();
      await new Promise((r) => receiver.server.close(r));
    });

    it('refuses a destination outside the egress registry, a person, and an unknown type', async () => {
      const outside = await t.app.inject({
        method: 'POST',
        url: '/events/subscriptions',
        headers: bearer(north),
        payload: { url: 'http://127.0.0.1:9/elsewhere' },
      });
      assert.equal(outside.statusCode, 403);
      assert.equal(outside.json<{ code: string }>().code, 'EGRESS_NOT_REGISTERED');
      const person = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      const refused = await t.app.inject({
        method: 'POST',
        url: '/events/subscriptions',
        headers: bearer(person),
        payload: { url: `${receiver.url}/baa/x` },
      });
      assert.equal(refused.statusCode, 403);
      const badType = await t.app.inject({
        method: 'POST',
        url: '/events/subscriptions',
        headers: bearer(north),
        payload: { url: `${receiver.url}/baa/x`, types: ['appointment.exploded'] },
      });
      assert.equal(badType.statusCode, 400);
    });

    it('signs, scopes by site, sends PHI only under a BAA and audits each PHI delivery', async () => {
      const baa = await subscribe(north, `${receiver.url}/baa/north`);
      const plain = await subscribe(north, `${receiver.url}/plain/north`, ['appointment.no-show']);
      const other = await subscribe(south, `${receiver.url}/baa/south`);
      assert.match(baa.secret, /^whsec_/);
      const listed = await t.app.inject({ method: 'GET', url: '/events/subscriptions', headers: bearer(north) });
      assert.deepEqual(
        listed
          .json<{ items: { destination: string }[] }>()
          .items.map((s) => s.destination)
          .sort(),
        ['agent-baa', 'agent-plain'],
      );
      assert.equal(listed.body.includes('whsec_'), false, 'the secret is shown once only');
      const patient = randomUUID();
      const [eventId] = await publish([noShow('north', patient, 'appt-1')]);
      await drain();

      const [signed] = receiver.at('/baa/north');
      assert.ok(signed, 'the BAA destination got the event');
      const payload = new Webhook(baa.secret).verify(signed.body, signed.headers as Record<string, string>) as {
        type: string;
        data: { id: string; phi: boolean; patient?: { id: string }; facts?: object };
      };
      assert.equal(signed.headers['webhook-id'], eventId);
      assert.equal(payload.type, 'appointment.no-show');
      assert.equal(payload.data.phi, true);
      assert.equal(payload.data.patient?.id, patient);
      assert.throws(
        () =>
          new Webhook(baa.secret).verify(
            signed.body.replace('noshow', 'booked'),
            signed.headers as Record<string, string>,
          ),
        /signature/i,
        'a tampered body fails',
      );
      const forged = {
        ...(signed.headers as Record<string, string>),
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
      };
      assert.throws(
        () => new Webhook(baa.secret).verify(signed.body, forged),
        /signature/i,
        'a forged signature fails',
      );
      assert.throws(
        () => new Webhook(other.secret).verify(signed.body, signed.headers as Record<string, string>),
        /signature/i,
        "another subscription's secret does not verify it",
      );

      const [refsOnly] = receiver.at('/plain/north');
      assert.ok(refsOnly, 'the destination without a BAA got it too');
      new Webhook(plain.secret).verify(refsOnly.body, refsOnly.headers as Record<string, string>);
      const refs = JSON.parse(refsOnly.body) as { data: { phi: boolean; references: { resource: { id: string } } } };
      assert.equal(refs.data.phi, false);
      assert.equal(refs.data.references.resource.id, 'appt-1');
      for (const secret of [patient, 'MRN-SECRET-42', 'ehr-', 'noshow'])
        assert.equal(refsOnly.body.includes(secret), false, `references only: no ${secret}`);

      assert.equal(receiver.at('/baa/south').length, 0, "south's subscriber gets nothing of north");
      await publish([noShow('south', randomUUID(), 'appt-s')]);
      await drain();
      assert.equal(receiver.at('/baa/south').length, 1, 'and gets its own site');
      assert.equal(receiver.at('/baa/north').length, 1, "north's gets nothing of south");

      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ entry: string }>(
        `select entry from audit_log where entry like '%phi.export%' and entry like '%StewardEvent%'`,
      );
      const named = rows.filter((r) => r.entry.includes(eventId!));
      assert.equal(named.length, 1, 'one PHI delivery, one audit entry');
      assert.ok(named[0]!.entry.includes(patient) && named[0]!.entry.includes('webhook:agent-baa'));
      assert.equal(named[0]!.entry.includes('MRN-SECRET-42'), false);
      for (const s of [baa, plain]) await unsubscribe(north, s.subscription.id);
      await unsubscribe(south, other.subscription.id);
    });

    it('retries 500s with back-off, dead-letters after N attempts, and replay delivers', async () => {
      const flaky = await subscribe(north, `${receiver.url}/baa/flaky`);
      let failures = 2;
      receiver.answer = (path) => (path === '/baa/flaky' && failures-- > 0 ? 500 : 200);
      const [id] = await publish([noShow('north', randomUUID(), 'appt-2')]);
      await drain(3);
      assert.equal(receiver.at('/baa/flaky').length, 1, 'delivered on the third attempt');
      const { rows } = await t.db.query<{ status: string; attempt_log: { status: number }[] }>(
        'select status, attempt_log from events_deliveries where event_id = $1',
        [id],
      );
      assert.equal(rows[0]?.status, 'delivered');
      assert.deepEqual(
        rows[0]?.attempt_log.map((a) => a.status),
        [500, 500, 200],
        'every attempt recorded',
      );
      await unsubscribe(north, flaky.subscription.id);

      const dead = await subscribe(north, `${receiver.url}/baa/dead`);
      receiver.answer = (path) => (path === '/baa/dead' ? 503 : 200);
      const [deadId] = await publish([noShow('north', randomUUID(), 'appt-3')]);
      await drain(4);
      const letters = await t.app.inject({ method: 'GET', url: '/events/dead-letters', headers: bearer(north) });
      const items = letters.json<{ items: { id: string; eventId: string; attempts: number; lastStatus: number }[] }>()
        .items;
      const letter = items.find((l) => l.eventId === deadId);
      assert.ok(letter, 'a dead letter after 3 attempts');
      assert.equal(letter.attempts, 3);
      assert.equal(letter.lastStatus, 503);
      const bySouth = await t.app.inject({
        method: 'POST',
        url: `/events/dead-letters/${letter.id}/replay`,
        headers: bearer(south),
      });
      assert.equal(bySouth.statusCode, 404, "another account cannot replay north's dead letter");
      receiver.answer = () => 200;
      const replay = await t.app.inject({
        method: 'POST',
        url: `/events/dead-letters/${letter.id}/replay`,
        headers: bearer(north),
      });
      assert.equal(replay.statusCode, 204);
      await drain();
      assert.equal(receiver.at('/baa/dead').length, 1, 'the replay delivered it');
      assert.equal(receiver.at('/baa/dead')[0]?.headers['webhook-id'], deadId, 'under the same webhook-id');
      await unsubscribe(north, dead.subscription.id);
    });

    it("keeps one patient's order while another patient's event passes a stuck one", async () => {
      const ordered = await subscribe(north, `${receiver.url}/baa/ordered`);
      const stuckPatient = randomUUID();
      const otherPatient = randomUUID();
      const [first, second, third] = await publish([
        noShow('north', stuckPatient, 'appt-p1'),
        noShow('north', stuckPatient, 'appt-p2'),
        noShow('north', otherPatient, 'appt-q1'),
      ]);
      let stuck = true;
      receiver.answer = (path, id) => (path === '/baa/ordered' && id === first && stuck ? 500 : 200);
      await drain(2);
      const ids = () => receiver.at('/baa/ordered').map((r) => r.headers['webhook-id']);
      assert.deepEqual(ids(), [third], "the other patient's event passed; the stuck patient's second waits");
      stuck = false;
      await drain(2);
      assert.deepEqual(ids(), [third, first, second], 'then the stuck patient in order');
      await unsubscribe(north, ordered.subscription.id);
    });

    it("publishes proposal outcomes from the proposals' history (the capture as the server runs it)", async () => {
      const sub = await subscribe(north, `${receiver.url}/baa/proposals`, [
        'proposal.pending-review',
        'proposal.rejected',
      ]);
      const flow = await principalWith(t.kernel, 'no-show-flow', { role: 'automation' });
      const coordinator = await principalWith(t.kernel, 'north-reviewer', { role: 'coordinator', site: 'north' });
      const patient = randomUUID();
      const drafted = await t.kernel.proposals.draft(
        { actor: { kind: flow.kind, id: flow.id, name: 'no-show-flow', authMethod: 'api-token' } },
        {
          action: 'appointment.status',
          connectionId: randomUUID(),
          site: 'north',
          workflow: 'no-show-follow-up',
          patient: {
            stewardId: patient,
            ehrId: 'ehr-9',
            identifiers: [
              { system: 'urn:mrn', value: 'MRN-9' },
              { system: 'urn:enterprise', value: 'E-9' },
            ],
          },
          target: { resourceType: 'Appointment', id: 'appt-77' },
          baseVersion: '1',
          payload: { resourceType: 'Appointment', id: 'appt-77', status: 'cancelled' },
          evidence: { eventIds: [], resources: ['Appointment/appt-77'], reasonCode: 'no-show' },
          priority: 3,
        },
      );
      await t.kernel.proposals.reject(
        { actor: { kind: 'user', id: coordinator.id, name: 'north-reviewer', authMethod: 'api-token' } },
        drafted.id,
        'not this one',
      );
      await t.kernel.events.capture.drain();
      await drain();
      const got = receiver.at('/baa/proposals').map(
        (r) =>
          JSON.parse(r.body) as {
            type: string;
            data: { references: { proposalId: string }; patient?: { id: string } };
          },
      );
      assert.deepEqual(
        got.map((g) => g.type),
        ['proposal.pending-review', 'proposal.rejected'],
      );
      assert.equal(got[1]?.data.references.proposalId, drafted.id);
      assert.equal(got[1]?.data.patient?.id, patient);
      await unsubscribe(north, sub.subscription.id);
    });

    it("continues after a restart: a dead worker's lease runs out and another worker delivers", async () => {
      const sub = await subscribe(north, `${receiver.url}/baa/restart`);
      const [id] = await publish([noShow('north', randomUUID(), 'appt-r')]);
      // A worker that claimed the row and died before sending: its lease holds for 30 s.
      const gone = t.kernel.events.delivery({ concurrency: 0 });
      await gone.round();
      await t.db.query('update events_deliveries set lease_until = $2 where event_id = $1', [
        id,
        new Date(t.clock.now().getTime() + 30_000),
      ]);
      const next = t.kernel.events.delivery({ leaseMs: 30_000 });
      await next.drain();
      assert.equal(receiver.at('/baa/restart').length, 0, 'not while the lease holds');
      t.clock.advance(31_000);
      await next.drain();
      assert.equal(receiver.at('/baa/restart').length, 1, 'sent by the next worker once it ran out');
      await unsubscribe(north, sub.subscription.id);
    });

    it('streams server-sent events, resumed from an event id, scoped and references-only by default', async () => {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
      const patient = randomUUID();
      t.clock.advance(1_000);
      const since = t.clock.now();
      const [a, b, c] = await publish([
        noShow('north', patient, 'appt-s1'),
        noShow('south', randomUUID(), 'appt-s2'),
        noShow('north', patient, 'appt-s3'),
      ]);
      const [d] = await publish([noShow('north', patient, 'appt-s4')]);
      /** Reads `count` events from the stream, then closes it. */
      const read = async (query: string, headers: Record<string, string>, count: number) => {
        const controller = new AbortController();
        const response = await fetch(`${base}/events/stream${query}`, {
          headers: { ...bearer(north), ...headers },
          signal: controller.signal,
        });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
        const got: { id?: string | undefined; event?: string | undefined; data: string }[] = [];
        const parser = createParser({ onEvent: (e) => got.push(e) });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        while (got.length < count) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        controller.abort();
        return got;
      };
      const resumed = await read('', { 'last-event-id': a! }, 2);
      assert.deepEqual(
        resumed.map((e) => e.id),
        [c, d],
        "exactly the later events, south's left out",
      );
      assert.equal(b !== undefined, true);
      assert.equal(resumed[0]?.event, 'appointment.no-show');
      const refs = JSON.parse(resumed[0]?.data ?? '{}') as { data: { phi: boolean } };
      assert.equal(refs.data.phi, false);
      assert.equal(resumed[0]?.data.includes('MRN-SECRET-42'), false);
      const withPhi = await read(`?after=${c!}&phi=true`, {}, 1);
      assert.deepEqual(
        withPhi.map((e) => e.id),
        [d],
      );
      assert.equal(
        (JSON.parse(withPhi[0]!.data) as { data: { phi: boolean } }).data.phi,
        true,
        'a TREAT grant may ask for PHI',
      );
      // Catching up from a time: the events recorded since, this site's only.
      const caughtUp = await read(`?since=${since.toISOString()}`, {}, 3);
      assert.deepEqual(
        caughtUp.map((e) => e.id),
        [a, c, d],
      );
      const unknown = await fetch(`${base}/events/stream?after=${randomUUID()}`, { headers: bearer(north) });
      assert.equal(unknown.status, 404);

      // An idle stream (nothing after d) still sends its heartbeat comment (40 ms in this test, 15 s by default).
      const idle = new AbortController();
      const quiet = await fetch(`${base}/events/stream?after=${d!}`, { headers: bearer(north), signal: idle.signal });
      const reader = (quiet.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 5_000;
      while (!text.includes(': heartbeat\n\n') && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      idle.abort();
      assert.ok(text.includes(': heartbeat\n\n'), 'a heartbeat comment on an idle stream');
      assert.equal(text.includes('id: '), false, 'and no event');
    });

    it('purges delivered rows and unneeded events after their period, dead letters after theirs, audited', async () => {
      const sub = await subscribe(north, `${receiver.url}/baa/retention`);
      const [ok, bad] = await publish([
        noShow('north', randomUUID(), 'appt-k1'),
        noShow('north', randomUUID(), 'appt-k2'),
      ]);
      receiver.answer = (path, id) => (path === '/baa/retention' && id === bad ? 503 : 200);
      await drain(4);
      receiver.answer = () => 200;
      const statuses = async () =>
        (
          await t.db.query<{ event_id: string; status: string }>(
            'select event_id, status from events_deliveries where event_id = any($1::uuid[]) order by status',
            [[ok, bad]],
          )
        ).rows.map((r) => [r.event_id, r.status]);
      assert.deepEqual(await statuses(), [
        [bad, 'dead'],
        [ok, 'delivered'],
      ]);
      const officer = await principalWith(t.kernel, 'events-officer', { role: 'compliance_officer' });
      const ctx = {
        actor: { kind: 'user', id: officer.id, name: 'events-officer', authMethod: 'api-token' },
      } as const;
      await t.kernel.retention.policies.set(ctx, 'events-out', 30);
      await t.kernel.retention.policies.set(ctx, 'event-dead-letters', 90);
      const kinds = (r: { kinds: readonly { kind: string; deleted: number }[] }) =>
        Object.fromEntries(r.kinds.filter((k) => k.kind.startsWith('event')).map((k) => [k.kind, k.deleted]));

      assert.deepEqual(kinds(await t.kernel.retention.purge.run(ctx)), { 'event-dead-letters': 0, 'events-out': 0 });
      t.clock.advance(31 * 86_400_000);
      const first = kinds(await t.kernel.retention.purge.run(ctx));
      assert.ok((first['events-out'] ?? 0) >= 2, 'the delivered row and its event');
      assert.equal(first['event-dead-letters'], 0);
      assert.deepEqual(await statuses(), [[bad, 'dead']], 'the dead letter stays');
      assert.equal(await t.kernel.events.outbox.positionOf(ok!), undefined, 'the delivered event is gone');
      assert.notEqual(await t.kernel.events.outbox.positionOf(bad!), undefined, "the dead letter's event stays");

      t.clock.advance(60 * 86_400_000);
      const second = kinds(await t.kernel.retention.purge.run(ctx));
      assert.ok((second['event-dead-letters'] ?? 0) >= 1 && (second['events-out'] ?? 0) >= 1);
      assert.deepEqual(await statuses(), []);
      assert.equal(await t.kernel.events.outbox.positionOf(bad!), undefined);
      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ entry: string }>(
        `select entry from audit_log where event = 'retention.purged' and entry like '%events-out%'`,
      );
      assert.equal(rows.length, 3, 'each run audited with its counts');
      assert.ok(sub.subscription.id, '(the subscription stays: the tokens have expired by now)');
    });
  });
}
