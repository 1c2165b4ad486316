/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
/**
 * Issue 18, governed reads: the FHIR R4 facade (`/fhir/R4/<connection>`) against the sandbox EHR,
 * through the kernel's own wiring. Agents' reads and searches are audited per patient; elements
 * outside the purpose of use of the agent's grant are removed (HPAYMT against TREAT); another
 * site's connection answers 404 as a missing resource does; a patient-less search of a
 * patient-compartment type is 400; a token's SMART scopes narrow the types (403); and a
 * third-party FHIR client from npm (fhir-kit-client) reads, searches and pages through it over a
 * real listener, never seeing the EHR's address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK } from 'jose';
import { Client } from 'fhir-kit-client';
import { createParser } from 'eventsource-parser';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@steward/core';
import { ehrPatientId, type EhrConnection, type PrivateJwk } from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, makeKey, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import { bearer, connectSandboxEhr, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

type Json = Record<string, any>;

const subsetted = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';

// One store is enough: the facade adds no SQL of its own (the audit and grants are tested on both).
// A flow test's (`flowTargets`): PostgreSQL when the run has one, not PGlite's WebAssembly in this process.
const target = flowTargets()[0]!;

describe('the FHIR R4 facade over the sandbox EHR', () => {
  let t: TestApp;
  let ehr: SandboxEhr;
  let north: EhrConnection;
  let south: EhrConnection;
  let treat: TestPrincipal;
  let payment: TestPrincipal;
  let limited: TestPrincipal;
  let coordinator: TestPrincipal;
  let patientId: string;
  let otherPatientId: string;

  const get = async (who: TestPrincipal | undefined, url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: who !== undefined ? bearer(who) : {} });
    return { status: r.statusCode, type: String(r.headers['content-type']), body: r.json<Json>(), raw: r.body };
  };
  const auditedAs = async (ehrId: string): Promise<string> =>
    (await t.kernel.patients.patientIdOf({ connectionId: north.id, site: 'north', ehrId, identifiers: [] })) ??
    ehrPatientId(t.cipher, north.id, ehrId);
  const audit = async (event: string, who: TestPrincipal, patient: string): Promise<Json[]> => {
    await t.kernel.audit.flush();
    const { rows } = await t.db.query<{ entry: string }>(
      'select entry from audit_log where event = $1 and actor_id = $2 and $3 = any(patient_ids) order by seq',
      [event, who.id, patient],
    );
    return rows.map((r) => JSON.parse(r.entry) as Json);
  };
  const outcomeCode = (body: Json): string => String(body['issue']?.[0]?.code);

  before(async () => {
    t = await openTestApp(await target.open());
    ehr = await startSandboxEhr({});
    const ehrToken = await tokenFor(ehr, ['system/*.*']);
    const ehrSide = async (path: string, body: Json): Promise<Json> => {
      const r = await fhirFetch(ehr, ehrToken, 'POST', path, body);
      assert.ok(r.status < 300, `${path}: ${r.status}`);
      return r.json as Json;
    };
    const admin = await principalWith(t.kernel, 'facade-admin', { role: 'admin' });
    const adminCtx: RequestContext = {
      actor: { kind: 'user', id: admin.id, name: 'facade-admin', authMethod: 'api-token' },
      purposeOfUse: 'HSYSADMIN',
    };
    north = await connectSandboxEhr(t.kernel, ehr, adminCtx, {
      name: 'north-ehr',
      site: 'north',
      clientId: 'steward-north',
      scopes: ['system/*.rs'],
    });
    // Another site's connection to the same EHR (its egress destination is registered already).
    const key = await makeKey('ES384');
    ehr.registerClient({ clientId: 'steward-south', jwks: { keys: [key.publicJwk] }, allowedScopes: ['system/*.rs'] });
    south = await t.kernel.connections.add(adminCtx, {
      name: 'south-ehr',
      site: 'south',
      vendor: 'generic-r4',
      fhirBaseUrl: ehr.fhirBaseUrl,
      clientId: 'steward-south',
      privateKey: { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk,
      scopes: ['system/*.rs'],
      facilityTimeZone: 'America/Chicago',
    });

    const patient = await ehrSide('Patient', {
      resourceType: 'Patient',
      active: true,
      identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-FACADE-1' }],
      name: [{ family: 'Quixotic-Facade', given: ['Marisol'] }],
      telecom: [{ system: 'phone', value: '555-0100' }],
      maritalStatus: { text: 'Married' },
      gender: 'female',
      birthDate: '1961-07-23',
    });
    patientId = String(patient['id']);
    const other = await ehrSide('Patient', { resourceType: 'Patient', name: [{ family: 'Other-Facade' }] });
    otherPatientId = String(other['id']);
    for (const [i, who] of [patientId, patientId, patientId, otherPatientId].entries()) {
      await ehrSide('Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        description: 'Follow-up for a sensitive condition',
        comment: 'bring the results',
        reasonCode: [{ text: 'Chest pain' }],
        serviceType: [{ text: 'Cardiology' }],
        start: `2026-12-0${i + 1}T14:00:00-05:00`,
        end: `2026-12-0${i + 1}T14:30:00-05:00`,
        participant: [{ actor: { reference: `Patient/${who}` }, status: 'accepted' }],
      });
    }
    treat = await principalWith(t.kernel, 'agent-treat', { role: 'agent', site: 'north', purposeOfUse: 'TREAT' });
    payment = await principalWith(t.kernel, 'agent-pay', { role: 'agent', site: 'north', purposeOfUse: 'HPAYMT' });
    // A token an administrator issues over the API, narrowed by a SMART system scope.
    const appointmentsOnly = await principalWith(t.kernel, 'agent-appointments', {
      role: 'agent',
      site: 'north',
      purposeOfUse: 'TREAT',
    });
    const issued = await t.app.inject({
      method: 'POST',
      url: '/tokens',
      headers: bearer(admin),
      payload: {
        principalKind: 'service',
        principalId: appointmentsOnly.id,
        name: 'appointments reader',
        scopes: ['phi.read', 'phi.search', 'system/Appointment.rs'],
        expiresInDays: 1,
      },
    });
    assert.equal(issued.statusCode, 201, issued.body);
    limited = { ...appointmentsOnly, token: issued.json<{ token: string }>().token };
    coordinator = await principalWith(t.kernel, 'facade-coordinator', { role: 'coordinator', site: 'north' });
  });
  after(async () => {
    await t?.close();
    await ehr?.close();
  });

  it('states what it serves in a CapabilityStatement, narrowed by the token’s SMART scopes', async () => {
    const r = await get(treat, '/fhir/R4/north-ehr/metadata');
    assert.equal(r.status, 200, r.raw);
    assert.match(r.type, /^application\/fhir\+json/);
    assert.equal(r.body['resourceType'], 'CapabilityStatement');
    assert.equal(r.body['fhirVersion'], '4.0.1');
    const resources = r.body['rest'][0]['resource'] as Json[];
    const appointment = resources.find((x) => x['type'] === 'Appointment')!;
    assert.deepEqual(
      appointment['interaction'].map((i: Json) => i['code']),
      ['read', 'search-type'],
    );
    const params = appointment['searchParam'].map((p: Json) => p['name']) as string[];
    assert.ok(params.includes('patient') && !params.includes('_include'), params.join());
    assert.ok(!r.raw.includes(ehr.url), 'the EHR address is never shown');
    const narrowed = await get(limited, '/fhir/R4/north-ehr/metadata');
    assert.deepEqual(
      narrowed.body['rest'][0]['resource'].map((x: Json) => x['type']),
      ['Appointment'],
    );
  });

  it('reads for treatment whole, audited as a read of the patient naming the elements returned', async () => {
    const r = await get(treat, `/fhir/R4/north-ehr/Patient/${patientId}`);
    assert.equal(r.status, 200, r.raw);
    assert.match(r.type, /^application\/fhir\+json/);
    assert.equal(r.body['telecom'][0]['value'], '555-0100');
    assert.equal(r.body['maritalStatus']['text'], 'Married');
    assert.ok(!(r.body['meta']?.['tag'] ?? []).some((g: Json) => g['code'] === 'SUBSETTED'));
    const [entry] = await audit('phi.read', treat, await auditedAs(patientId));
    assert.ok(entry, 'the read is audited under the patient');
    assert.equal(entry['purposeOfUse'], 'TREAT');
    assert.ok((entry['fields'] as string[]).includes('telecom'));
    // By the connection's id too, as events name it (references.connectionId).
    const byId = await get(treat, `/fhir/R4/${north.id}/Patient/${patientId}`);
    assert.equal(byId.status, 200, byId.raw);
    assert.equal(byId.body['id'], patientId);
  });

  it('removes what a payment purpose does not need, tags the resource SUBSETTED and audits only what it returned', async () => {
    const r = await get(payment, `/fhir/R4/north-ehr/Patient/${patientId}`);
    assert.equal(r.status, 200, r.raw);
    assert.equal(r.body['name'][0]['family'], 'Quixotic-Facade');
    assert.equal(r.body['birthDate'], '1961-07-23');
    assert.equal(r.body['telecom'], undefined);
    assert.equal(r.body['maritalStatus'], undefined);
    assert.equal(r.body['id'], patientId);
    assert.ok(r.body['meta']['tag'].some((g: Json) => g['system'] === subsetted && g['code'] === 'SUBSETTED'));
    const [entry] = await audit('phi.read', payment, await auditedAs(patientId));
    assert.equal(entry?.['purposeOfUse'], 'HPAYMT');
    assert.ok(!(entry?.['fields'] as string[]).includes('telecom'));
    assert.ok((entry?.['fields'] as string[]).includes('name'));

    const s = await get(payment, `/fhir/R4/north-ehr/Appointment?patient=${patientId}`);
    assert.equal(s.status, 200, s.raw);
    for (const e of s.body['entry'] as Json[]) {
      assert.equal(e['resource']['reasonCode'], undefined);
      assert.equal(e['resource']['description'], undefined);
      assert.equal(e['resource']['status'], 'booked', 'a required status stays');
      assert.ok(e['resource']['start']);
    }
  });

  it('searches one patient’s appointments page by page, links pointing back at the facade, audited per patient', async () => {
    const first = await get(treat, `/fhir/R4/north-ehr/Appointment?patient=${patientId}&_count=2`);
    assert.equal(first.status, 200, first.raw);
    assert.equal(first.body['type'], 'searchset');
    assert.equal(first.body['total'], 3);
    assert.equal(first.body['entry'].length, 2);
    assert.equal(first.body['entry'][0]['resource']['reasonCode'][0]['text'], 'Chest pain');
    const links = Object.fromEntries((first.body['link'] as Json[]).map((l) => [l['relation'], l['url']]));
    assert.match(links['self'], /^http:\/\/[^/]+\/fhir\/R4\/north-ehr\/Appointment\?patient=/);
    assert.match(links['next'], /^http:\/\/[^/]+\/fhir\/R4\/north-ehr\/Appointment\?_page=/);
    assert.ok(!first.raw.includes(ehr.url), 'no EHR link, in the Bundle or its links');

    const next = await get(treat, new URL(links['next'] as string).pathname + new URL(links['next'] as string).search);
    assert.equal(next.status, 200, next.raw);
    assert.equal(next.body['entry'].length, 1);
    assert.equal(
      next.body['link'].find((l: Json) => l['relation'] === 'next'),
      undefined,
    );
    const ids = [...first.body['entry'], ...next.body['entry']].map((e: Json) => e['resource']['id']);
    assert.equal(new Set(ids).size, 3);

    const searches = await audit('phi.search', treat, await auditedAs(patientId));
    assert.ok(searches.length >= 2, 'each page is audited under the patient');
    assert.ok(
      !searches.some((e) => (e['patientIds'] as string[]).includes(ehrPatientId(t.cipher, north.id, otherPatientId))),
    );

    // A page link is the caller's own: another agent presenting it is refused.
    const stolen = await get(
      payment,
      new URL(links['next'] as string).pathname + new URL(links['next'] as string).search,
    );
    assert.equal(stolen.status, 400);
    assert.equal(outcomeCode(stolen.body), 'invalid');
  });

  it('refuses an agent’s search that names no patient, and parameters or types it does not serve', async () => {
    const fishing = await get(treat, '/fhir/R4/north-ehr/Appointment?status=booked');
    assert.equal(fishing.status, 400);
    assert.equal(fishing.body['resourceType'], 'OperationOutcome');
    assert.equal(outcomeCode(fishing.body), 'required');
    assert.match(fishing.body['issue'][0]['diagnostics'], /must name the patient/);
    // A person at the desk may list the day's appointments.
    assert.equal((await get(coordinator, '/fhir/R4/north-ehr/Appointment?status=booked')).status, 200);

    const unknown = await get(treat, `/fhir/R4/north-ehr/Appointment?patient=${patientId}&colour=blue`);
    assert.equal(unknown.status, 400);
    assert.equal(outcomeCode(unknown.body), 'not-supported');
    assert.deepEqual(unknown.body['issue'][0]['expression'], ['colour']);
    const include = await get(
      treat,
      `/fhir/R4/north-ehr/Appointment?patient=${patientId}&_include=Appointment:patient`,
    );
    assert.equal(include.status, 400);
    const type = await get(treat, '/fhir/R4/north-ehr/Observation?patient=1');
    assert.equal(type.status, 400);
    assert.equal(outcomeCode(type.body), 'not-supported');
    assert.match(type.body['issue'][0]['diagnostics'], /Observation is not served/);
  });

  it('answers another site’s connection exactly as a missing resource: 404', async () => {
    const foreign = await get(treat, `/fhir/R4/south-ehr/Patient/${patientId}`);
    const missing = await get(treat, '/fhir/R4/north-ehr/Patient/no-such-patient');
    assert.equal(foreign.status, 404, foreign.raw);
    assert.equal(missing.status, 404, missing.raw);
    const strip = (b: Json) => ({ ...b, id: undefined });
    assert.deepEqual(strip(foreign.body), strip(missing.body));
    assert.equal(outcomeCode(foreign.body), 'not-found');
    const search = await get(treat, `/fhir/R4/south-ehr/Appointment?patient=${patientId}`);
    const nowhere = await get(treat, `/fhir/R4/no-such-ehr/Appointment?patient=${patientId}`);
    assert.equal(search.status, 404);
    assert.deepEqual(strip(search.body), strip(nowhere.body));
    assert.equal((await get(treat, '/fhir/R4/south-ehr/metadata')).status, 404);
    await t.kernel.audit.flush();
    const { rows } = await t.db.query<{ entry: string }>(
      `select entry from audit_log where event = 'access.denied' and actor_id = $1`,
      [treat.id],
    );
    const denials = rows.map((r) => JSON.parse(r.entry) as Json).filter((e) => e['site'] === 'south');
    assert.ok(denials.length >= 2, 'the refusals are audited');
  });

  it('holds a token to its SMART scopes: a type outside them is 403', async () => {
    const refused = await get(limited, `/fhir/R4/north-ehr/Patient/${patientId}`);
    assert.equal(refused.status, 403, refused.raw);
    assert.equal(outcomeCode(refused.body), 'forbidden');
    const allowed = await get(limited, `/fhir/R4/north-ehr/Appointment?patient=${patientId}`);
    assert.equal(allowed.status, 200, allowed.raw);
    await t.kernel.audit.flush();
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`,
      [limited.id],
    );
    assert.equal(rows[0]?.n, 1);
  });

  it('answers an unreachable EHR 502 without its address', async () => {
    const admin = await principalWith(t.kernel, 'facade-admin-2', { role: 'admin' });
    const by: RequestContext = {
      actor: { kind: 'user', id: admin.id, name: 'facade-admin-2', authMethod: 'api-token' },
      purposeOfUse: 'HSYSADMIN',
    };
    const closed = 'http://127.0.0.1:55749';
    await t.kernel.egress.register(by.actor, {
      name: 'closed-ehr',
      kind: 'ehr',
      baseUrl: closed,
      baaOnRecord: true,
      baaReference: 'test: nothing listens here',
      allowPrivateNetwork: true,
    });
    const key = await makeKey('ES384');
    await t.kernel.connections.add(by, {
      name: 'closed-ehr',
      site: 'north',
      vendor: 'generic-r4',
      fhirBaseUrl: `${closed}/fhir`,
      clientId: 'steward-closed',
      privateKey: { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: 'ES384' } as PrivateJwk,
      scopes: ['system/*.rs'],
      facilityTimeZone: 'America/New_York',
    });
    const r = await get(treat, `/fhir/R4/closed-ehr/Patient/${patientId}`);
    assert.ok(r.status === 502 || r.status === 503, `${r.status} ${r.raw}`);
    assert.equal(r.body['resourceType'], 'OperationOutcome');
    assert.ok(!r.raw.includes('55749') && !r.raw.includes('127.0.0.1'), r.raw);
  });

  it('answers without credentials 401 and unknown interactions 404, as OperationOutcomes', async () => {
    const anonymous = await get(undefined, '/fhir/R4/north-ehr/metadata');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body['resourceType'], 'OperationOutcome');
    assert.equal(outcomeCode(anonymous.body), 'login');
    const history = await get(treat, `/fhir/R4/north-ehr/Patient/${patientId}/_history`);
    assert.equal(history.status, 404);
    assert.equal(history.body['resourceType'], 'OperationOutcome');
  });

  it('reads, searches and pages with a third-party FHIR client (fhir-kit-client) over HTTP', async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const client = new Client({ baseUrl: `${address}/fhir/R4/north-ehr`, bearerToken: treat.token });
    const capability = (await client.capabilityStatement()) as Json;
    assert.equal(capability['resourceType'], 'CapabilityStatement');
    const patient = (await client.read({ resourceType: 'Patient', id: patientId })) as Json;
    assert.equal(patient['id'], patientId);
    const first = (await client.search({
      resourceType: 'Appointment',
      searchParams: { patient: patientId, _count: 2 },
    })) as Json;
    assert.equal(first['entry'].length, 2);
    const second = (await client.nextPage({ bundle: first as never })) as Json;
    assert.equal(second['entry'].length, 1);
    assert.equal(client.nextPage({ bundle: second as never }), undefined);
    try {
      await client.search({ resourceType: 'Appointment', searchParams: { status: 'booked' } });
      assert.fail('a patient-less search was answered');
    } catch (e) {
      const response = (e as { response?: { status: number; data: Json } }).response;
      assert.equal(response?.status, 400);
      assert.equal(response?.data['resourceType'], 'OperationOutcome');
    }
  });
  // Last: the clock moves on, and Steward's next EHR token would be signed in the EHR's future.
  // Issue 18's proof: a service account scoped to one site cannot read, hear or propose for another.
  // Generated: two agents (north, south) × two sites × three doors (a facade read, the event stream,
  // a proposal); only an agent's own site answers, and every refusal is the same as for a stranger.
  it('keeps every agent to its own site for reads, events and proposals (a generated matrix)', async () => {
    const address = t.app.server.listening
      ? t.app.server.address()
      : await t.app.listen({ host: '127.0.0.1', port: 0 });
    const base = typeof address === 'string' ? address : `http://127.0.0.1:${address?.port ?? 0}`;
    const agents = {
      north: await principalWith(t.kernel, 'matrix-north', { role: 'agent', site: 'north', purposeOfUse: 'TREAT' }),
      south: await principalWith(t.kernel, 'matrix-south', { role: 'agent', site: 'south', purposeOfUse: 'TREAT' }),
    };
    const connections = { north, south };
    const since = new Date(Date.now() - 1_000);
    const published = await t.kernel.events.outbox.publish(
      (['north', 'south'] as const).map((site) => ({
        type: 'appointment.no-show',
        site,
        patientId: undefined,
        occurredAt: new Date(),
        sourceKey: `matrix:${randomUUID()}`,
        references: { resource: { type: 'Appointment', id: `matrix-${site}` } },
        phi: { patient: { id: null, identifiers: [] } },
      })),
      new Date(),
    );
    const streamed = async (who: TestPrincipal): Promise<string[]> => {
      const controller = new AbortController();
      const response = await fetch(`${base}/events/stream?since=${since.toISOString()}&types=appointment.no-show`, {
        headers: bearer(who),
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      const ids: string[] = [];
      const parser = createParser({ onEvent: (e) => ids.push(e.id ?? '') });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      // Both sites' events were published before the stream opened: it sends what it may at once.
      const deadline = setTimeout(() => controller.abort(), 1_000);
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // aborted: what arrived is the answer
      }
      clearTimeout(deadline);
      return ids;
    };
    const cells: string[] = [];
    const heard: Record<string, string[]> = {};
    for (const [home, agent] of Object.entries(agents))
      for (const [site, connection] of Object.entries(connections)) {
        const mine = home === site;
        const read = await get(agent, `/fhir/R4/${connection.name}/Patient/${patientId}`);
        cells.push(`${home}→${site} read ${read.status}`);
        assert.equal(read.status, mine ? 200 : 404, `${home} agent reading at ${site}`);
        heard[home] ??= await streamed(agent);
        const hears = heard[home].includes(published[site === 'north' ? 0 : 1] ?? '');
        assert.equal(hears, mine, `${home} agent hearing ${site}'s event`);
        const proposed = await t.app.inject({
          method: 'POST',
          url: '/proposals',
          headers: bearer(agent),
          payload: {
            action: 'task.create',
            connectionId: connection.id,
            site,
            workflow: 'matrix',
            patient: {
              ehrId: patientId,
              identifiers: [
                { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-FACADE-1' },
                { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-FACADE-1' },
              ],
            },
            target: { resourceType: 'Task' },
            payload: {
              resourceType: 'Task',
              status: 'requested',
              intent: 'order',
              for: { reference: `Patient/${patientId}` },
            },
            evidence: { resources: [`Patient/${patientId}`] },
            rationale: 'matrix',
            draftKey: `matrix-${home}-${site}`,
          },
        });
        assert.equal(proposed.statusCode, mine ? 201 : 403, `${home} agent proposing at ${site}: ${proposed.body}`);
      }
    assert.equal(cells.length, 4);
  });

  it('expires its page links', async () => {
    const first = await get(treat, `/fhir/R4/north-ehr/Appointment?patient=${patientId}&_count=1`);
    const next = new URL(first.body['link'].find((l: Json) => l['relation'] === 'next')['url'] as string);
    t.clock.advance(31 * 60_000);
    const stale = await get(treat, next.pathname + next.search);
    assert.equal(stale.status, 400);
    assert.match(stale.body['issue'][0]['diagnostics'], /page link/);
  });
});
