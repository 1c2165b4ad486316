/**
 * Incident response end to end, over HTTP against the sandbox EHR through the kernel's own wiring:
 * an automation drafts a no-show cancellation on the wrong patient's chart and a reviewer approves
 * it, so the EHR write lands (the wrong chart). The compliance officer detects it in the audit
 * trail, opens an incident from that write, sees who did what to whom, a reviewer approves the
 * proposed rollback (the compensating write restores the chart), and the report is produced as
 * JSON and Markdown. Roles outside the compliance office are refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { ehrPatientId, type EhrConnection } from '@steward/ehr';
import type { Incident, IncidentReport, ProposalDraft, ProposalSummary } from '@steward/proposals';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import { bearer, connectSandboxEhr, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';

for (const target of flowTargets()) {
  describe(`incident response over HTTP against the sandbox EHR on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let ehr: SandboxEhr;
    let ehrToken: string;
    let connection: EhrConnection;
    let flow: RequestContext;
    let coord: TestPrincipal;
    let officer: TestPrincipal;

    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };
    const call = async (who: TestPrincipal, method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: bearer(who), ...(payload !== undefined ? { payload } : {}) });

    before(async () => {
      t = await openTestApp(await target.open());
      ehr = await startSandboxEhr({});
      ehrToken = await tokenFor(ehr, ['system/*.*']);
      const admin = await principalWith(t.kernel, 'ehr-admin', { role: 'admin' });
      connection = await connectSandboxEhr(
        t.kernel,
        ehr,
        {
          actor: { kind: 'user', id: admin.id, name: 'ehr-admin', authMethod: 'api-token' },
          purposeOfUse: 'HSYSADMIN',
        },
        {
          name: 'north-sandbox',
          site: 'north',
          clientId: 'steward-north',
          scopes: ['system/*.rs', 'system/Appointment.u'],
        },
      );
      const automation = await principalWith(t.kernel, 'no-show-flow', { role: 'automation' });
      flow = { actor: { kind: 'service', id: automation.id, name: 'no-show-flow', authMethod: 'api-token' } };
      coord = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      officer = await principalWith(t.kernel, 'privacy-officer', { role: 'compliance_officer' });
    });
    after(async () => {
      await t?.close();
      await ehr?.close();
    });

    it('a write to the wrong chart: detected, contained by an approved rollback, reported', async () => {
      // Two patients; the cancellation was meant for Right's appointment but names Wrong's.
      const person = async (n: string) => {
        const identifiers = [
          { system: MRN, value: `MRN-${n}` },
          { system: ENTERPRISE, value: `E-${n}` },
        ];
        const p = await ehrSide('POST', 'Patient', {
          resourceType: 'Patient',
          identifier: identifiers,
          name: [{ family: 'Synthetic', given: [n] }],
        });
        return { ehrId: String(p['id']), identifiers };
      };
      await person('4001');
      const wrong = await person('4002');
      const appointment = await ehrSide('POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-12-01T14:00:00-05:00',
        end: '2026-12-01T14:30:00-05:00',
        participant: [{ actor: { reference: `Patient/${wrong.ehrId}` }, status: 'accepted' }],
      });
      const appointmentId = String(appointment['id']);
      const rest = { ...appointment };
      delete rest['meta'];
      const draft: ProposalDraft = {
        action: 'appointment.status',
        connectionId: connection.id,
        site: 'north',
        workflow: 'no-show-follow-up',
        patient: wrong,
        target: { resourceType: 'Appointment', id: appointmentId },
        baseVersion: (appointment['meta'] as { versionId: string }).versionId,
        payload: { ...rest, status: 'cancelled' },
        evidence: { eventIds: [], resources: [`Appointment/${appointmentId}`], reasonCode: 'no-show' },
      };
      const p: ProposalSummary = await t.kernel.proposals.draft(flow, draft);
      const approved = await call(coord, 'POST', `/review/${p.id}/approve`, { contentHash: p.contentHash });
      assert.equal(approved.json<{ status: string }>().status, 'verified', approved.body);
      assert.equal((await ehrSide('GET', `Appointment/${appointmentId}`))['status'], 'cancelled');

      // Detected: the officer finds the EHR write in the audit trail.
      const search = await call(officer, 'GET', '/audit/events?event=ehr.written');
      assert.equal(search.statusCode, 200, search.body);
      const write = search
        .json<{ items: { seq: number; entity?: { kind: string; id: string } }[] }>()
        .items.find((e) => e.entity?.kind === 'Appointment' && e.entity.id === appointmentId);
      assert.ok(write !== undefined, 'the write is in the audit trail');

      const denied = await call(coord, 'POST', '/incidents', {
        origin: { kind: 'write', auditSeq: write.seq },
        summary: 'x',
      });
      assert.equal(denied.statusCode, 403);
      const opened = await call(officer, 'POST', '/incidents', {
        origin: { kind: 'write', auditSeq: write.seq },
        summary: 'No-show cancellation written to the wrong chart',
        discoveredAt: '2026-12-05T09:00:00Z',
      });
      assert.equal(opened.statusCode, 201, opened.body);
      const incident = opened.json<Incident>();
      assert.deepEqual(
        incident.containment.map((c) => [c.proposalId, c.status]),
        [[p.id, 'proposed']],
      );

      // Contained: the officer may not apply it; a reviewer at the site approves the rollback.
      const url = `/incidents/${incident.id}/containment/${p.id}/approve`;
      assert.equal((await call(officer, 'POST', url)).statusCode, 403);
      const contained = await call(coord, 'POST', url);
      assert.equal(contained.statusCode, 200, contained.body);
      assert.equal(contained.json<Incident>().status, 'contained');
      assert.equal((await ehrSide('GET', `Appointment/${appointmentId}`))['status'], 'booked', 'the chart is restored');

      // Reported: who, what, when, to whom; the clock from discovery.
      assert.equal((await call(coord, 'GET', `/incidents/${incident.id}/report`)).statusCode, 403);
      const json = await call(officer, 'GET', `/incidents/${incident.id}/report`);
      assert.equal(json.statusCode, 200, json.body);
      const report = json.json<IncidentReport>();
      // The patient as the audit names them (the governed EHR's Steward id) and as the EHR does.
      assert.deepEqual(report.patients, [
        { stewardId: ehrPatientId(t.cipher, connection.id, wrong.ehrId), ehrRef: `Patient/${wrong.ehrId}` },
      ]);
      assert.equal(report.clock.notifyBy, '2027-02-03T09:00:00.000Z');
      assert.equal(report.clock.individuals, 1);
      const seen = report.entries.map((e) => `${e.event}:${e.actor.name}`);
      for (const expected of [
        'proposal.drafted:no-show-flow',
        'proposal.approved:coord-north',
        'proposal.rolled_back:coord-north',
      ])
        assert.ok(seen.includes(expected), `${expected} in ${seen.join(', ')}`);
      const writes = report.entries.filter((e) => e.event === 'ehr.written' && e.entity?.id === appointmentId);
      assert.equal(writes.length, 2, 'the wrong write and its compensating write');
      const markdown = await call(officer, 'GET', `/incidents/${incident.id}/report?format=markdown`);
      assert.match(String(markdown.headers['content-type']), /^text\/markdown/);
      assert.match(markdown.body, /Individuals affected: 1\b/);
      assert.match(markdown.body, /Notify individuals by: 2027-02-03/);
      assert.ok(
        !markdown.body.includes('MRN-4002') && !markdown.body.includes('Synthetic'),
        'ids only, no chart content',
      );

      const entries = await call(
        officer,
        'GET',
        '/audit/events?event=incident.opened,incident.changed,incident.reported',
      );
      assert.deepEqual(
        entries.json<{ items: { event: string }[] }>().items.map((e) => e.event),
        ['incident.opened', 'incident.changed', 'incident.reported', 'incident.reported'],
      );
      assert.equal((await call(coord, 'GET', `/incidents/${incident.id}`)).statusCode, 403);
      const listed = await call(officer, 'GET', '/incidents');
      assert.deepEqual(
        listed.json<{ items: Incident[] }>().items.map((i) => [i.id, i.status]),
        [[incident.id, 'contained']],
      );
      const closed = await call(officer, 'POST', `/incidents/${incident.id}/close`);
      assert.equal(closed.json<Incident>().status, 'closed', closed.body);
      const shown = await call(officer, 'GET', `/incidents/${incident.id}`);
      assert.deepEqual(
        [shown.json<Incident>().status, shown.json<Incident>().summary],
        ['closed', 'No-show cancellation written to the wrong chart'],
      );
    });
  });
}
