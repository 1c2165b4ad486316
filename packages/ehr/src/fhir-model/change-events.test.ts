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
      retired: { ehrId: 'example', identifiers: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }] },
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
