import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  Appointment,
  DocumentReference,
  Encounter,
  Patient,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { UserError } from '@steward/core';
import { changeEvents, decideEventTypes } from './change-events.js';
import { parseFhirJson } from './parse-resource.js';
import { readText, thirdParty } from './test-fixtures.js';

const ctx = { connectionId: 'conn-1', channel: 'fhir-poll' } as const;

function example<T extends Resource>(name: string, version: string, lastUpdated = '2024-03-01T09:30:00-05:00'): T {
  const r = parseFhirJson(readText(thirdParty('fhir-r4-examples', 'r4-core', name))) as T;
  return { ...r, meta: { versionId: version, lastUpdated } };
}

function types(current: Resource, previous?: Resource): string[] {
  return decideEventTypes(current, previous).map((d) => d.type);
}

describe('Appointment transitions', () => {
  const booked = example<Appointment>('Appointment-example.json', '1');
  const next = (patch: Partial<Appointment>): Appointment => ({
    ...booked,
    ...patch,
    meta: { versionId: '2', lastUpdated: '2024-03-02T10:00:00+01:00' },
  });

  it('created booked → appointment.booked, with the complete event', () => {
    const [e, ...rest] = changeEvents(booked, undefined, ctx);
    assert.equal(rest.length, 0);
    assert.ok(e);
    assert.equal(e.type, 'appointment.booked');
    assert.equal(e.dedupKey, 'fhir:Appointment/example/_history/1');
    assert.equal(e.sourceRef, 'Appointment/example/_history/1');
    assert.equal(e.occurredAt, '2024-03-01T09:30:00-05:00', 'offset kept as sent');
    assert.deepEqual(e.patient, { ehrId: 'example', identifiers: [] });
    assert.equal(e.connectionId, 'conn-1');
    assert.equal(e.channel, 'fhir-poll');
    assert.equal(e.facts.kind, 'Appointment');
  });

  it('status changes map to their events', () => {
    assert.deepEqual(types(next({ status: 'cancelled' }), booked), ['appointment.cancelled']);
    assert.deepEqual(types(next({ status: 'noshow' }), booked), ['appointment.no-show']);
    assert.deepEqual(types(next({ status: 'arrived' }), booked), ['appointment.checked-in']);
    assert.deepEqual(types(next({ status: 'checked-in' }), booked), ['appointment.checked-in']);
    assert.deepEqual(types(next({ status: 'fulfilled' }), booked), ['appointment.fulfilled']);
    const proposed = { ...booked, status: 'proposed' as const };
    assert.deepEqual(types(next({ status: 'booked' }), proposed), ['appointment.booked']);
  });

  it('arrived → checked-in is the same fact: no second event', () => {
    const arrived = { ...booked, status: 'arrived' as const };
    assert.deepEqual(types(next({ status: 'checked-in' }), arrived), []);
  });

  it('start moved while booked → appointment.rescheduled with previousStart', () => {
    const [e] = changeEvents(next({ start: '2013-12-11T09:00:00Z', end: '2013-12-11T10:00:00Z' }), booked, ctx);
    assert.equal(e?.type, 'appointment.rescheduled');
    assert.equal(e?.facts.kind === 'Appointment' ? e.facts.previousStart : undefined, '2013-12-10T09:00:00Z');
    assert.equal(e?.facts.kind === 'Appointment' ? e.facts.start : undefined, '2013-12-11T09:00:00Z');
    assert.equal(e?.dedupKey, 'fhir:Appointment/example/_history/2');
  });

  it('nothing tracked changed, or the same version again → no event', () => {
    assert.deepEqual(types(next({ serviceType: [] }), booked), []);
    assert.deepEqual(types(booked, booked), []);
    assert.deepEqual(types({ ...booked, status: 'proposed' }), []);
  });

  it('a previous version of another resource is refused', () => {
    assert.throws(
      () => decideEventTypes(next({ id: 'other' }), booked),
      (e: unknown) => e instanceof UserError && e.code === 'FHIR_INVALID',
    );
  });
});

describe('ServiceRequest and Task', () => {
  it('created → referral.created / task.created; new version → updated', () => {
    const sr = example<ServiceRequest>('ServiceRequest-physiotherapy.json', '1');
    assert.deepEqual(types(sr), ['referral.created']);
    assert.deepEqual(types({ ...sr, meta: { versionId: '2' } }, sr), ['referral.updated']);
    const t = example<Task>('Task-example1.json', '7');
    assert.deepEqual(types(t), ['task.created']);
    assert.deepEqual(types({ ...t, status: 'completed', meta: { versionId: '8' } }, t), ['task.updated']);
    const [e] = changeEvents(t, undefined, ctx);
    assert.deepEqual(e?.patient, { ehrId: 'example', identifiers: [] });
    assert.equal(e?.facts.kind, 'Task');
  });
});

describe('Encounter', () => {
  const planned: Encounter = { ...example<Encounter>('Encounter-example.json', '1'), status: 'planned' };
  it('in-progress or arrived → encounter.started, once', () => {
    assert.deepEqual(types({ ...planned, status: 'in-progress', meta: { versionId: '2' } }, planned), [
      'encounter.started',
    ]);
    assert.deepEqual(types({ ...planned, status: 'arrived', meta: { versionId: '2' } }), ['encounter.started']);
    const inProgress: Encounter = { ...planned, status: 'in-progress' };
    assert.deepEqual(types({ ...inProgress, meta: { versionId: '3' }, class: { code: 'AMB' } }, inProgress), []);
  });
  it('finished, or a discharge disposition set → encounter.discharged', () => {
    const inProgress: Encounter = { ...planned, status: 'in-progress' };
    assert.deepEqual(types({ ...inProgress, status: 'finished', meta: { versionId: '4' } }, inProgress), [
      'encounter.discharged',
    ]);
    const withDisposition: Encounter = {
      ...inProgress,
      meta: { versionId: '4' },
      hospitalization: { dischargeDisposition: { coding: [{ code: 'home' }] } },
    };
    assert.deepEqual(types(withDisposition, inProgress), ['encounter.discharged']);
    assert.deepEqual(types({ ...withDisposition, status: 'finished', meta: { versionId: '5' } }, withDisposition), []);
    assert.deepEqual(types(example<Encounter>('Encounter-f001.json', '1')), ['encounter.discharged']);
  });
});

describe('DocumentReference', () => {
  it('current → document.received; superseded or unchanged → nothing', () => {
    const d = example<DocumentReference>('DocumentReference-example.json', '1');
    const [e] = changeEvents(d, undefined, ctx);
    assert.equal(e?.type, 'document.received');
    assert.deepEqual(e?.patient, { ehrId: 'xcda', identifiers: [] });
    assert.deepEqual(types({ ...d, meta: { versionId: '2' } }, d), []);
    assert.deepEqual(types({ ...d, status: 'superseded' }), []);
    assert.deepEqual(types({ ...d, meta: { versionId: '2' } }, { ...d, status: 'superseded' }), ['document.received']);
  });
});

describe('Patient', () => {
  const p = example<Patient>('Patient-example.json', '1');
  it('a replaced-by link → patient.merged: the link target survives, this one is retired', () => {
    const retired: Patient = {
      ...p,
      meta: { versionId: '2', lastUpdated: '2024-03-05T00:00:00Z' },
      link: [{ type: 'replaced-by', other: { reference: 'Patient/survivor' } }],
    };
    const [e] = changeEvents(retired, p, ctx);
    assert.equal(e?.type, 'patient.merged');
    assert.deepEqual(e?.patient, { ehrId: 'survivor', identifiers: [] });
    assert.deepEqual(e?.facts, {
      kind: 'Merge',
      scope: 'patient',
      retired: {
        ehrId: 'example',
        identifiers: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }],
        demographics: {
          name: { family: 'Chalmers', given: ['Peter', 'James'] },
          birthDate: '1974-12-25',
          gender: 'male',
        },
      },
    });
  });
  it('a replaces link → patient.merged: this one survives', () => {
    const survivor: Patient = { ...p, link: [{ type: 'replaces', other: { reference: 'Patient/old' } }] };
    const [e] = changeEvents(survivor, undefined, ctx);
    assert.equal(e?.type, 'patient.merged');
    assert.equal(e?.patient.ehrId, 'example');
    assert.deepEqual(e?.facts, { kind: 'Merge', scope: 'patient', retired: { ehrId: 'old', identifiers: [] } });
  });
  it('otherwise → patient.updated (seealso links are not merges)', () => {
    assert.deepEqual(types(p), ['patient.updated']);
    assert.deepEqual(types(example<Patient>('Patient-pat1.json', '1')), ['patient.updated']);
  });
});

describe('event envelope', () => {
  it('needs an instant with an offset; falls back to receipt time; without versionId dedups on the instant', () => {
    const r = parseFhirJson(readText(thirdParty('fhir-r4-examples', 'r4-core', 'Task-example1.json')), {
      expectedType: 'Task',
    });
    assert.throws(() => changeEvents(r, undefined, ctx), /meta\.lastUpdated/);
    assert.throws(
      () => changeEvents({ ...r, meta: { lastUpdated: '2024-03-01T09:30:00' } }, undefined, ctx),
      /meta\.lastUpdated/,
    );
    const [e] = changeEvents(r, undefined, { ...ctx, receivedAt: '2024-03-01T10:00:00+02:00' });
    assert.equal(e?.occurredAt, '2024-03-01T10:00:00+02:00');
    assert.equal(e?.dedupKey, 'fhir:Task/example1/_history/@2024-03-01T10:00:00+02:00');
    assert.equal(e?.sourceRef, 'Task/example1');
  });
  it('types that are not events give none', () => {
    const org = parseFhirJson(readText(thirdParty('fhir-r4-examples', 'r4-core', 'Organization-1.json')));
    assert.deepEqual(changeEvents(org, undefined, ctx), []);
  });
});

describe('strict where FHIR is strict', () => {
  const booked = example<Appointment>('Appointment-example.json', '1');
  const unsupported = (run: () => unknown, element: string): void => {
    assert.throws(run, (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.code, 'FHIR_UNSUPPORTED');
      assert.ok(e.message.startsWith(`FHIR element ${element}:`), e.message);
      return true;
    });
  };
  // A real modifier extension (from the R4 Basic-referral example), put where a sender might.
  const referral = parseFhirJson(readText(thirdParty('fhir-r4-examples', 'r4-core', 'Basic-referral.json')));
  const modifier = (referral as unknown as { modifierExtension: { url: string }[] }).modifierExtension[0]!;

  it('an unknown modifierExtension refuses the resource, naming the element; an allowed one passes', () => {
    const onParticipant: Appointment = {
      ...booked,
      participant: [{ ...booked.participant[0]!, modifierExtension: [modifier] }, ...booked.participant.slice(1)],
    };
    unsupported(() => changeEvents(onParticipant, undefined, ctx), 'Appointment.participant[0].modifierExtension[0]');
    unsupported(
      () => changeEvents({ ...booked, modifierExtension: [modifier] }, undefined, ctx),
      'Appointment.modifierExtension[0]',
    );
    const allowed = changeEvents(onParticipant, undefined, { ...ctx, knownModifierExtensions: [modifier.url] });
    assert.equal(allowed[0]?.type, 'appointment.booked');
    unsupported(
      () => changeEvents({ ...booked, implicitRules: 'http://vendor.example/rules' }, undefined, ctx),
      'Appointment.implicitRules',
    );
    // Plain extensions are not modifiers: ignored as before.
    assert.equal(changeEvents({ ...booked, extension: [modifier as never] }, undefined, ctx).length, 1);
  });

  it('a dateTime without offset is read in the connection zone and flagged, or refused', () => {
    const zoneless: Appointment = { ...booked, start: '2024-03-10T02:30:00', end: '2024-03-10T03:30:00' };
    const [e] = changeEvents(zoneless, undefined, { ...ctx, timeZone: 'America/New_York' });
    const f = e?.facts as { start?: string; end?: string };
    assert.equal(f.start, '2024-03-10T03:30:00-04:00'); // 02:30 does not exist that day: shifted like HL7 times
    assert.equal(f.end, '2024-03-10T03:30:00-04:00');
    assert.deepEqual(e?.flags, [
      {
        code: 'zone-inferred',
        detail: 'Appointment.start, Appointment.end had no UTC offset: read in America/New_York',
      },
    ]);
    unsupported(
      () => changeEvents(zoneless, undefined, { ...ctx, timeZone: 'America/New_York', zonelessTimes: 'refuse' }),
      'Appointment.start',
    );
    unsupported(() => changeEvents(zoneless, undefined, ctx), 'Appointment.start'); // no zone declared
    // With an offset, or a date only: untouched and unflagged.
    const [plain] = changeEvents(booked, undefined, { ...ctx, timeZone: 'America/New_York' });
    assert.equal((plain?.facts as { start?: string }).start, '2013-12-10T09:00:00Z');
    assert.equal(plain?.flags, undefined);
    const encounter = example<Encounter>('Encounter-home.json', '1');
    const [enc] = changeEvents(
      { ...encounter, status: 'in-progress', period: { start: '2015-01-17T16:00:00' } },
      undefined,
      { ...ctx, timeZone: 'Australia/Brisbane' },
    );
    assert.equal((enc?.facts as { start?: string }).start, '2015-01-17T16:00:00+10:00');
  });

  it('R5 Appointment.subject names the patient; a Group or a disagreement is refused by element', () => {
    const others = booked.participant.slice(1);
    const r5 = { ...booked, participant: others, subject: { reference: 'Patient/example' } } as Appointment;
    assert.equal(changeEvents(r5, undefined, ctx)[0]?.patient.ehrId, 'example');
    unsupported(
      () => changeEvents({ ...r5, subject: { reference: 'Group/102' } } as Appointment, undefined, ctx),
      'Appointment.subject',
    );
    assert.throws(
      () => changeEvents({ ...booked, subject: { reference: 'Patient/other' } } as Appointment, undefined, ctx),
      /FHIR element Appointment.subject: names another patient than the Patient participant/,
    );
    // R5 spellings of cancellation reason and serviceType (CodeableReference) are read.
    const cancelled = {
      ...r5,
      status: 'cancelled',
      cancellationReason: { coding: [{ code: 'pat' }] },
      serviceType: [{ concept: { coding: [{ code: '124' }] } }],
    } as unknown as Appointment;
    const facts = changeEvents(cancelled, undefined, ctx)[0]?.facts as {
      cancellationReason?: string;
      serviceType?: string;
    };
    assert.equal(facts.cancellationReason, 'pat');
    assert.equal(facts.serviceType, '124');
  });

  it('a contained Patient (#p1) is matched by its identifier, or refused naming the reference', () => {
    const withContained = (identifier: unknown[]): Appointment =>
      ({
        ...booked,
        contained: [{ resourceType: 'Patient', id: 'p1', identifier }],
        participant: [{ actor: { reference: '#p1' }, status: 'accepted' }, ...booked.participant.slice(1)],
      }) as Appointment;
    const [e] = changeEvents(
      withContained([{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }]),
      undefined,
      ctx,
    );
    assert.deepEqual(e?.patient, { identifiers: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }] });
    unsupported(
      () => changeEvents(withContained([{ value: 'no-system' }]), undefined, ctx),
      'Appointment.participant[0].actor',
    );
  });

  it('R5 DocumentReference.context (references) and Encounter.actualPeriod are read', () => {
    const doc = example<DocumentReference>('DocumentReference-example.json', '1');
    const r5doc = { ...doc, context: [{ reference: 'Encounter/e5' }] } as unknown as DocumentReference;
    const [d] = changeEvents(r5doc, undefined, ctx);
    assert.deepEqual((d?.facts as { related?: string[] }).related, ['Encounter/e5']);
    const enc = example<Encounter>('Encounter-home.json', '1');
    const rest: Partial<Encounter> = { ...enc };
    delete rest.period;
    const r5enc = { ...rest, status: 'in-progress', actualPeriod: { start: '2015-01-17T16:00:00+10:00' } } as Encounter;
    assert.equal(
      (changeEvents(r5enc, undefined, ctx)[0]?.facts as { start?: string }).start,
      '2015-01-17T16:00:00+10:00',
    );
  });
});
