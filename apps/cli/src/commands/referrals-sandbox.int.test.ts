/**
 * Issue 15's first proof, against the sandbox clinic as `npm start` plays it, over HTTP and with
 * `steward referrals list`: the clinic sends each
 * referral as a FHIR ServiceRequest (with a Task) and as an HL7 REF^I12 whose RF1-6 is the same
 * number, and the patient is known to FHIR by EHR id and to HL7 by MRN. Over HTTP, each referral
 * is one card naming one patient, the destination (practitioner and practice) and the owner (who
 * asked); the other channel's copy is an event of the same referral; and an HL7 A40 merging the
 * patient in the EHR re-points the card to the survivor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MllpClient } from '@steward/ehr';
import type { RunningServer } from '@steward/server';
import { bearer, principalWith, sandboxServer, smallSeed, until, type TestPrincipal } from '@steward/server/testing';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { ReferralDetail, ReferralItem } from '@steward/workflows';
import { runCli } from '../testing.js';

type Labelled = ReferralItem & { patientLabel?: { id: string; name?: string; birthDate?: string } };

for (const target of flowTargets()) {
  describe(`one referral over FHIR and HL7 from the sandbox clinic (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let coordinator: TestPrincipal;

    const referrals = async (): Promise<Labelled[]> => {
      await server.workflows!.settle();
      const r = await fetch(`${server.url}/referrals?site=sandbox&limit=100`, { headers: bearer(coordinator) });
      assert.equal(r.status, 200);
      return ((await r.json()) as { items: Labelled[] }).items;
    };

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start();
      coordinator = await principalWith(server.kernel, 'channels-coordinator', {
        role: 'coordinator',
        site: 'sandbox',
      });
    });
    after(async () => {
      await server?.stop();
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('lists each referral the clinic sent once, naming the patient, the destination and the owner', async () => {
      const clinic = server.sandbox!.liveClinic()!;
      // Play the clinic until it sends a referral (FHIR ServiceRequest + Task, and REF^I12 over MLLP).
      let sent: string | undefined;
      for (let i = 0; i < 400 && sent === undefined; i++)
        sent = (await clinic.simulator.step()).find((e) => e.kind === 'referral-sent')?.simId;
      assert.ok(sent !== undefined, 'the clinic sent a referral');
      const byRequest = new Map(
        [...clinic.simulator.clinic.referrals.values()].map((r) => [`ServiceRequest/${r.serviceRequest.id!}`, r]),
      );
      // Both channels have arrived and been routed once every referral carries its ServiceRequest.
      const items = await until('every referral to be one card with its ServiceRequest', async () => {
        const all = await referrals();
        return all.length === byRequest.size && all.every((i) => i.serviceRequest !== null) ? all : undefined;
      });
      assert.deepEqual(
        items.map((i) => i.serviceRequest).sort(),
        [...byRequest.keys()].sort(),
        'one card per referral, none from the HL7 copy alone',
      );
      const state = clinic.simulator.clinic.referrals.get(sent)!;
      const item = items.find((i) => i.serviceRequest === `ServiceRequest/${state.serviceRequest.id!}`)!;
      assert.ok(item.patientLabel?.name !== undefined && item.patientLabel.name.length > 0, 'the patient by name');
      assert.ok(item.destination?.name !== null && item.destination?.name !== undefined, 'the destination by name');
      assert.ok(item.destination.organization !== null, "the destination's practice");
      assert.equal(item.owner, item.requester?.reference, 'the owner is who asked');
      assert.ok(item.requester?.name !== null && item.requester?.name !== undefined, "the owner's name");

      // The command line shows the same: one row per referral, with the patient, the owner and the destination.
      const home = mkdtempSync(join(tmpdir(), 'steward-referrals-sandbox-cli-'));
      try {
        const cli = await runCli({ HOME: home, STEWARD_SERVER_URL: server.url, STEWARD_TOKEN: coordinator.token }, [
          'referrals',
          'list',
          '--site',
          'sandbox',
          '--limit',
          '100',
        ]);
        assert.equal(cli.status, 0, cli.stderr);
        const rows = cli.stdout.split('\n').filter((l) => l.includes('ServiceRequest/'));
        assert.equal(rows.length, byRequest.size, 'one row per referral');
        const row = rows.find((l) => l.includes(`ServiceRequest/${state.serviceRequest.id!}`))!;
        for (const shown of [item.patientLabel.name, item.requester.name, item.destination.name])
          assert.ok(row.includes(shown), 'the row names the patient, the owner and the destination');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }

      // The other channel's copy is an event on the same referral, not a second card.
      const detail = (await (
        await fetch(`${server.url}/referrals/${item.workflowId}`, { headers: bearer(coordinator) })
      ).json()) as ReferralDetail;
      const created = detail.history.filter((h) => h.eventType === 'referral.created');
      assert.equal(created.length, 2, 'created over FHIR and over HL7, both on this referral');
      assert.deepEqual(created.map((h) => h.input).sort(), ['signal', 'start']);

      // The EHR merges the patient into another record (HL7 A40): the card follows the survivor.
      const patient = clinic.simulator.clinic.hl7Patient(state.patientKey);
      const cx = (id: string): string => `${id}^^^&${patient.mrnSystem ?? ''}&URI^MR`;
      const { port } = server.ehr!.status().find((s) => s.name === 'sandbox')!.mllp!;
      const client = await MllpClient.connect({ host: '127.0.0.1', port, timeoutMs: 10_000 });
      try {
        const ack = await client.send(
          [
            'MSH|^~\\&|EHR|CLINIC|STEWARD|CLINIC|20261206120000-0500||ADT^A40^ADT_A39|CHAN-A40-1|P|2.5.1',
            'EVN|A40|20261206120000-0500',
            `PID|1||${cx('CHAN-SURVIVOR-1')}||Survivor^Merged||19700101|F`,
            `MRG|${cx(patient.mrn)}`,
          ].join('\r'),
        );
        assert.equal(ack.code, 'AA');
      } finally {
        await client.close();
      }
      const survivor = await server.kernel.patients.patientIdOf({
        connectionId: server.sandbox!.connection.id,
        site: 'sandbox',
        identifiers: [{ system: patient.mrnSystem ?? '', value: 'CHAN-SURVIVOR-1' }],
      });
      assert.ok(survivor !== undefined && survivor !== item.patientLabel?.id);
      const moved = await until('the card to name the survivor', async () =>
        (await referrals()).find((i) => i.workflowId === item.workflowId && i.patientLabel?.id === survivor),
      );
      assert.equal(moved.patientLabel?.name, 'Survivor, Merged');
    });
  });
}
