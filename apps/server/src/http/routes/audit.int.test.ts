/**
 * /audit over HTTP on both stores: search by patient, actor, event code and time, paged by seq;
 * the chain verified up to a seq and time (and, once an entry is altered, up to the one before
 * it); a search exported as FHIR AuditEvent NDJSON; the accesses under one break-glass episode
 * (and on its review, their patients by name and birth date: ADR 0021); each of these audited
 * itself; and refused to a role without the permission.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import type { AuditRecord } from '@steward/governance';
import type { AuditEvent as FhirAuditEvent } from '@medplum/fhirtypes';
import { flowTargets, tamper } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const PATIENT_A = '22222222-2222-4222-8222-222222222222';
const PATIENT_B = '33333333-3333-4333-8333-333333333333';

for (const target of flowTargets()) {
  describe(`the audit API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let officer: TestPrincipal;
    let coordinator: TestPrincipal;
    const clerk = { kind: 'user' as const, id: 'clerk-1', name: 'clerk', authMethod: 'password' as const };

    before(async () => {
      if (target.skip !== undefined) return;
      t = await openTestApp(await target.open(), { clock: new ManualClock('2026-03-02T09:00:00Z') });
      officer = await principalWith(t.kernel, 'officer', { role: 'compliance_officer' });
      coordinator = await principalWith(t.kernel, 'coord', { role: 'coordinator' });
      const base = { actor: clerk, action: 'R' as const, outcome: 'success' as const, site: 'north' };
      await t.kernel.audit.append({ ...base, event: 'phi.read', patientIds: [PATIENT_A] });
      t.clock.advance(3_600_000);
      await t.kernel.audit.append({ ...base, event: 'phi.search', patientIds: [PATIENT_A, PATIENT_B] });
      t.clock.advance(86_400_000);
      await t.kernel.audit.append({ ...base, event: 'phi.read', patientIds: [PATIENT_B] });
      await t.kernel.audit.append({ ...base, action: 'U', event: 'proposal.approved', patientIds: [PATIENT_A] });
      await t.kernel.audit.flush();
    });
    after(async () => t?.close());

    const get = (p: TestPrincipal, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(p) });
    const search = async (query: string): Promise<{ items: AuditRecord[]; next?: number }> => {
      const r = await get(officer, `/audit/events?${query}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json();
    };
    const countOf = async (actor: string, event: string): Promise<number> => {
      await t.kernel.audit.flush();
      const r = await t.db.query<{ n: number }>(
        'select count(*)::int as n from audit_log where actor_id = $1 and event = $2',
        [actor, event],
      );
      return r.rows[0]?.n ?? 0;
    };

    it('searches by event code, patient, actor and time, page by page', async () => {
      const reads = await search(`actor=clerk-1&event=phi.read`);
      assert.deepEqual(
        reads.items.map((e) => [e.event, e.patientIds]),
        [
          ['phi.read', [PATIENT_A]],
          ['phi.read', [PATIENT_B]],
        ],
      );
      const two = await search(`actor=clerk-1&event=phi.read,proposal.approved&patient=${PATIENT_A}`);
      assert.deepEqual(
        two.items.map((e) => e.event),
        ['phi.read', 'proposal.approved'],
      );
      const day = await search(`actor=clerk-1&from=2026-03-02&to=2026-03-03`);
      assert.deepEqual(
        day.items.map((e) => e.event),
        ['phi.read', 'phi.search'],
      );
      const first = await search(`actor=clerk-1&limit=2`);
      assert.equal(first.items.length, 2);
      assert.ok(first.next !== undefined);
      const rest = await search(`actor=clerk-1&limit=2&after=${first.next}`);
      assert.deepEqual(
        rest.items.map((e) => e.event),
        ['phi.read', 'proposal.approved'],
      );
      assert.equal((await get(officer, '/audit/events?event=phi.reads')).statusCode, 400);
      assert.equal((await get(officer, '/audit/events?event=phi.read;drop')).statusCode, 400);
    });

    it('exports a search as FHIR AuditEvent NDJSON, and audits the export', async () => {
      const before = await countOf(officer.id, 'audit.exported');
      const r = await get(officer, `/audit/export?patient=${PATIENT_B}&actor=clerk-1`);
      assert.equal(r.statusCode, 200, r.body);
      assert.match(String(r.headers['content-type']), /^application\/fhir\+ndjson/);
      assert.match(String(r.headers['content-disposition']), /attachment/);
      const lines = r.body.split('\n').filter((l) => l !== '');
      const events = lines.map((l) => JSON.parse(l) as FhirAuditEvent);
      assert.equal(events.length, 2, "the search's event for B (not its event for A), and the read of B");
      for (const e of events) {
        assert.equal(e.resourceType, 'AuditEvent');
        assert.ok(e.entity?.some((x) => x.what?.reference === `Patient/${PATIENT_B}`));
        assert.equal(e.agent[0]?.who?.identifier?.value, 'clerk-1');
      }
      assert.deepEqual(
        events.map((e) => e.subtype?.[0]?.code),
        ['search-type', 'read'],
      );
      assert.equal(await countOf(officer.id, 'audit.exported'), before + 1);
      const [entry] = (await search(`actor=${officer.id}&event=audit.exported`)).items.slice(-1);
      assert.deepEqual(entry?.patientIds, [PATIENT_B]);
      assert.deepEqual(entry?.query, { patient: PATIENT_B, actor: 'clerk-1' });
    });

    it('audits every search', async () => {
      const before = await countOf(officer.id, 'audit.queried');
      await search(`patient=${PATIENT_A}&event=phi.read`);
      assert.equal(await countOf(officer.id, 'audit.queried'), before + 1);
      const [entry] = (await search(`actor=${officer.id}&event=audit.queried`)).items.slice(-1);
      assert.deepEqual(entry?.query, { patient: PATIENT_A, event: 'phi.read' });
      assert.deepEqual(entry?.patientIds, [PATIENT_A]);
    });

    it('lists the event codes the search filters by, to those who may search', async () => {
      const r = await get(officer, '/audit/event-codes');
      assert.equal(r.statusCode, 200);
      const codes = r.json<{ codes: string[] }>().codes;
      assert.ok(codes.includes('phi.read') && codes.includes('proposal.approved') && codes.includes('audit.exported'));
      assert.equal(
        (await get(officer, `/audit/events?event=${codes.join(',')}`)).statusCode,
        200,
        'every code is accepted',
      );
      assert.equal((await get(coordinator, '/audit/event-codes')).statusCode, 403);
    });

    it('refuses a role without audit permissions, and audits the refusal', async () => {
      const denied = await countOf(coordinator.id, 'access.denied');
      assert.equal((await get(coordinator, '/audit/events')).statusCode, 403);
      assert.equal((await get(coordinator, '/audit/export')).statusCode, 403);
      assert.equal((await get(coordinator, '/audit/verify')).statusCode, 403);
      assert.equal(await countOf(coordinator.id, 'access.denied'), denied + 3);
      assert.equal(await countOf(coordinator.id, 'audit.exported'), 0);
    });

    it('names an entry’s patient only for a reader who may also read PHI at its site', async () => {
      const both = await principalWith(t.kernel, 'officer-coord', { role: 'compliance_officer' });
      await t.kernel.grants.add(
        { kind: 'service', id: '00000000-0000-4000-8000-000000000000', name: 'test', authMethod: 'local-operator' },
        {
          principalKind: 'user',
          principalId: both.id,
          role: 'coordinator',
          site: 'north',
          workflow: '*',
          purposeOfUse: 'TREAT',
        },
      );
      const stewardId = await t.kernel.patients.resolve(
        { actor: { kind: 'user', id: coordinator.id, name: 'coord', authMethod: 'api-token' } },
        {
          connectionId: '11111111-1111-4111-8111-111111111111',
          site: 'north',
          identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-5150' }],
          demographics: { name: { family: 'Nakamura', given: ['Kei'] }, birthDate: '1990-07-08' },
        },
      );
      type Named = AuditRecord & { patients?: { id: string; name?: string }[] };
      const read = async (who: TestPrincipal) => {
        const r = await t.app.inject({
          method: 'GET',
          url: `/audit/events?patient=${stewardId}`,
          headers: bearer(who),
        });
        assert.equal(r.statusCode, 200, r.body);
        return r.json<{ items: Named[] }>().items.find((e) => e.event === 'phi.update');
      };
      assert.deepEqual((await read(both))?.patients, [
        { id: stewardId, name: 'Nakamura, Kei', birthDate: '1990-07-08' },
      ]);
      const officerView = await read(officer);
      assert.ok(officerView !== undefined);
      assert.equal(officerView.patients, undefined, 'a compliance officer alone sees the id, not the name');
    });

    it('says how many patients a search term stands for: an MRN or name and birth date finds one, a stray term none', async () => {
      const stewardId = await t.kernel.patients.resolve(
        { actor: { kind: 'user', id: coordinator.id, name: 'coord', authMethod: 'api-token' } },
        {
          connectionId: '11111111-1111-4111-8111-111111111111',
          site: 'north',
          identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-7331' }],
          demographics: { name: { family: 'Okafor', given: ['Ada'] }, birthDate: '1984-02-29' },
        },
      );
      const page = async (term: string) => {
        const r = await get(officer, `/audit/events?patient=${encodeURIComponent(term)}`);
        assert.equal(r.statusCode, 200, r.body);
        return r.json<{ items: AuditRecord[]; patientsMatched?: number }>();
      };
      for (const term of ['MRN-7331', 'urn:oid:2.16.840.1.113883.19.5|MRN-7331', 'Okafor, Ada 1984-02-29', stewardId]) {
        const found = await page(term);
        assert.equal(found.patientsMatched, 1, term);
        assert.ok(
          found.items.some((e) => e.event === 'phi.update' && e.patientIds?.includes(stewardId) === true),
          `${term}: the index's own write is listed`,
        );
      }
      const none = await page('MRN-0000-nobody');
      assert.equal(none.patientsMatched, 0);
      assert.deepEqual(none.items, []);
      assert.equal((await page('MRN-7331')).patientsMatched, 1);
      const all = await get(officer, '/audit/events?event=phi.update');
      assert.equal(all.json<{ patientsMatched?: number }>().patientsMatched, undefined, 'no patient term, no count');
    });

    it('finds the accesses made under one break-glass episode, and only those', async () => {
      const doctor = { kind: 'user' as const, id: 'er-doctor-1', name: 'er.doctor', authMethod: 'session' as const };
      const episode = '44444444-4444-4444-8444-444444444444';
      const other = '55555555-5555-4555-8555-555555555555';
      const entry = { actor: doctor, action: 'R' as const, outcome: 'success' as const, site: 'south' };
      await t.kernel.audit.append({ ...entry, event: 'phi.search', breakGlassId: episode });
      await t.kernel.audit.append({ ...entry, event: 'phi.read', breakGlassId: other });
      await t.kernel.audit.append({ ...entry, event: 'phi.read', breakGlassId: episode });
      await t.kernel.audit.append({ ...entry, event: 'phi.read' });
      await t.kernel.audit.flush();
      const found = await search(`breakGlass=${episode}`);
      assert.deepEqual(
        found.items.map((e) => [e.event, e.breakGlassId]),
        [
          ['phi.search', episode],
          ['phi.read', episode],
        ],
      );
      assert.equal((await get(officer, '/audit/events?breakGlass=not-an-id')).statusCode, 400);
    });

    it('names the patients read under a break-glass episode on its review, and nowhere else for compliance; the display is audited', async () => {
      // A patient at north with demographics, and a clinician of east who breaks the glass to read their page.
      const patient = await t.kernel.patients.resolve(
        { actor: { kind: 'user', id: coordinator.id, name: 'coord', authMethod: 'api-token' } },
        {
          connectionId: '11111111-1111-4111-8111-111111111111',
          site: 'north',
          identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-8442' }],
          demographics: { name: { family: 'Quill', given: ['Ada'] }, birthDate: '1970-04-05' },
        },
      );
      const doctor = await principalWith(
        t.kernel,
        'er.doctor',
        { role: 'clinician_reviewer', site: 'east' },
        { breakGlass: true },
      );
      const started = await t.app.inject({
        method: 'POST',
        url: '/break-glass',
        headers: bearer(doctor),
        payload: { site: 'north', reason: 'Unconscious patient brought to the ED', minutes: 5 },
      });
      assert.equal(started.statusCode, 201, started.body);
      const episode = started.json<{ id: string }>().id;
      assert.equal((await get(doctor, `/patients/${patient}/overview`)).statusCode, 200);
      await t.kernel.audit.flush();

      // The review: each access with its patients by name and birth date (no MRN), oldest first.
      const r = await get(officer, `/break-glass/${episode}/accesses`);
      assert.equal(r.statusCode, 200, r.body);
      const review = r.json<{
        episode: { id: string; site: string };
        items: (AuditRecord & { patients?: { id: string; name?: string; birthDate?: string; mrn?: string }[] })[];
      }>();
      assert.equal(review.episode.site, 'north');
      assert.ok(review.items.length > 0);
      assert.ok(review.items.every((e) => e.breakGlassId === episode && !e.event.startsWith('break_glass.')));
      const reads = review.items.filter((e) => e.patientIds.includes(patient));
      assert.ok(reads.length > 0, 'the page read is listed');
      for (const e of reads)
        assert.deepEqual(
          e.patients?.find((l) => l.id === patient),
          { id: patient, name: 'Quill, Ada', birthDate: '1970-04-05' },
          `${e.event} ${e.reason ?? ''}`,
        );

      // Shown as a PHI read by the officer, under compliance purpose, naming the episode and the
      // fields; not under the episode (it is not one of its accesses).
      await t.kernel.audit.flush();
      const shown = await t.db.query<{ entry: string }>(
        `select entry from audit_log where actor_id = $1 and event = 'phi.read' and $2 = any(patient_ids)`,
        [officer.id, patient],
      );
      assert.equal(shown.rows.length, 1);
      const read = JSON.parse(shown.rows[0]!.entry) as AuditRecord;
      assert.equal(read.purposeOfUse, 'HCOMPL');
      assert.equal(read.reason, `break-glass-review:${episode}`);
      assert.deepEqual([...(read.fields ?? [])].sort(), ['birthDate', 'name']);
      assert.equal(read.site, 'north');
      assert.equal(read.breakGlassId, undefined);
      const again = (await get(officer, `/break-glass/${episode}/accesses`)).json<{ items: { seq: number }[] }>();
      assert.deepEqual(
        again.items.map((e) => e.seq),
        review.items.map((e) => e.seq),
        'the review read does not add to the episode',
      );

      // Every other compliance view stays as it was: the audit search shows the same reads by id only.
      const plain = await search(`breakGlass=${episode}`);
      const same = plain.items.find((e) => e.patientIds.includes(patient)) as
        (AuditRecord & { patients?: { name?: string }[] }) | undefined;
      assert.ok(same !== undefined);
      assert.ok(
        (same.patients ?? []).every((l) => l.name === undefined),
        'no name on the audit search',
      );

      // Only a break-glass reviewer: a coordinator is refused; an unknown episode is not found.
      assert.equal((await get(coordinator, `/break-glass/${episode}/accesses`)).statusCode, 403);
      assert.equal((await get(doctor, `/break-glass/${episode}/accesses`)).statusCode, 403);
      assert.equal((await get(officer, '/break-glass/66666666-6666-4666-8666-666666666666/accesses')).statusCode, 404);
    });

    it('verifies the chain up to its head, then up to the entry before an altered one; audits each run', async () => {
      const runs = await countOf(officer.id, 'audit.verified');
      const ok = await get(officer, '/audit/verify');
      assert.equal(ok.statusCode, 200, ok.body);
      const good = ok.json<{ ok: boolean; headSeq: number; verifiedTo: { seq: number; at: string } }>();
      assert.equal(good.ok, true);
      assert.equal(good.verifiedTo.seq, good.headSeq);
      const head = await t.db.query<{ at: Date }>('select at from audit_log where seq = $1', [good.headSeq]);
      assert.equal(good.verifiedTo.at, new Date(head.rows[0]?.at ?? 0).toISOString());
      assert.equal(await countOf(officer.id, 'audit.verified'), runs + 1);

      await tamper(
        t.db,
        `update audit_log set entry = replace(entry, '"outcome":"success"', '"outcome":"denied"') where seq = 3`,
      );
      const broken = (await get(officer, '/audit/verify')).json<{
        ok: boolean;
        firstBadSeq: number;
        problem: string;
        verifiedTo: { seq: number; at: string };
      }>();
      assert.equal(broken.ok, false);
      assert.equal(broken.firstBadSeq, 3);
      assert.equal(broken.problem, 'altered');
      assert.equal(broken.verifiedTo.seq, 2);
      assert.equal(await countOf(officer.id, 'audit.verified'), runs + 2);
    });
  });
}
