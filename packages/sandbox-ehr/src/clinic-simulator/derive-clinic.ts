/**
 * @module Derives a clinic from the Synthea data already in the EHR (Synthea makes no schedules,
 * appointments, tasks or standalone referrals): service lines staffed by Synthea practitioners,
 * PractitionerRole, HealthcareService, Location (when missing), a Schedule per provider, Slots for
 * the coming clinic days, some booked appointments and some open referrals.
 *
 * Works with both Synthea reference styles (literal `Practitioner/123` and conditional
 * `Practitioner?identifier=system|value`, which stays unresolved in bulk exports). Everything is
 * ordered by identifiers, never by repository ids, so the same data and seed give the same clinic.
 * Known limits: not idempotent (derive once per fresh EHR); Synthea practitioners carry no
 * specialty, so specialists are assigned in NPI order and may be reused when there are too few.
 */
import { ValidationError } from '@steward/core';
import type {
  Encounter,
  HealthcareService,
  Identifier,
  Location,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
  Schedule,
} from '@medplum/fhirtypes';
import { book, freeSlots, openSlots } from './appointment-actions.js';
import { Clinic, refOf } from './clinic.js';
import type { ClinicPatient, ClinicProvider, ServiceLineDef } from './clinic-model.js';
import { defaultServiceLines, NUCC } from './clinic-model.js';
import type { LocalDate } from './clinic-time.js';
import { addDays, ClinicZone, parseDateKey } from './clinic-time.js';
import type { Hl7Context } from './hl7-messages.js';
import type { ClinicFhir } from './ports.js';
import { hashSeed, SeededRandom } from './prng.js';
import { sendReferral } from './referral-actions.js';

export interface DeriveClinicOptions {
  readonly seed: string;
  /** IANA zone of the clinic's wall clock. Default America/New_York. */
  readonly timeZone?: string;
  /** First clinic day, YYYY-MM-DD (local). Default 2024-03-07 (the week New York's DST starts). */
  readonly startDate?: string;
  /** How many days ahead slots exist. Default 10. */
  readonly horizonDays?: number;
  readonly maxPatients?: number;
  readonly primaryCareProviders?: number;
  readonly providersPerSpecialty?: number;
  readonly serviceLines?: readonly ServiceLineDef[];
  /** Share of patients with a primary-care appointment already booked. Default 0.5. */
  readonly initialBookingShare?: number;
  readonly initialReferrals?: number;
  readonly openHour?: number;
  readonly closeHour?: number;
  /** Local hour without slots; null for none. Default 12. */
  readonly lunchHour?: number | null;
  readonly hl7?: Partial<Omit<Hl7Context, 'zone'>>;
}

export interface DerivedClinic {
  readonly clinic: Clinic;
  readonly seed: string;
  /** The simulated instant the clinic starts at (start date, one hour before opening). */
  readonly startsAt: number;
  readonly startDate: LocalDate;
  readonly horizonDays: number;
}

const NPI = 'http://hl7.org/fhir/sid/us-npi';

const idKey = (i: Identifier | undefined): string | undefined =>
  i?.value ? `${i.system ?? ''}|${i.value}` : undefined;

/** Resolves literal, urn-resolved and conditional (?identifier=) references against one type. */
class Resolver<T extends { id?: string; identifier?: Identifier[] }> {
  readonly #byId = new Map<string, string>();
  readonly #byIdentifier = new Map<string, string>();
  /** Canonical key → the resource kept for it (first in identifier order). */
  readonly byKey = new Map<string, T>();

  constructor(
    private readonly type: string,
    resources: readonly T[],
    keyOf: (r: T) => string,
  ) {
    const sorted = [...resources].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    for (const r of sorted) {
      const key = keyOf(r);
      if (!this.byKey.has(key)) this.byKey.set(key, r);
      if (r.id) this.#byId.set(r.id, key);
      for (const i of r.identifier ?? []) {
        const k = idKey(i);
        if (k && !this.#byIdentifier.has(k)) this.#byIdentifier.set(k, key);
      }
    }
  }

  keyOf(reference: Reference | undefined): string | undefined {
    const ref = reference?.reference;
    if (!ref) {
      // A logical reference (bulk exports of PractitionerRole carry only the identifier).
      const k = idKey(reference?.identifier);
      return k === undefined ? undefined : this.#byIdentifier.get(k);
    }
    if (ref.startsWith(`${this.type}/`)) return this.#byId.get(ref.slice(this.type.length + 1));
    const m = new RegExp(`^${this.type}\\?identifier=(.*)$`).exec(ref);
    if (m?.[1]) return this.#byIdentifier.get(decodeURIComponent(m[1]));
    return undefined;
  }

  get(key: string | undefined): T | undefined {
    return key === undefined ? undefined : this.byKey.get(key);
  }
}

function npiOf(p: Practitioner): string | undefined {
  return p.identifier?.find((i) => i.system === NPI)?.value;
}

function mrnOf(p: Patient): Identifier | undefined {
  return (
    p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR')) ?? p.identifier?.find((i) => !!i.value)
  );
}

export async function deriveClinic(fhir: ClinicFhir, options: DeriveClinicOptions): Promise<DerivedClinic> {
  const rng = new SeededRandom(`${options.seed}:derive`);
  const zone = new ClinicZone(options.timeZone ?? 'America/New_York');
  const startDate = parseDateKey(options.startDate ?? '2024-03-07');
  if (!startDate)
    throw new ValidationError('startDate must be YYYY-MM-DD', [{ path: 'startDate', message: 'not a date' }]);
  const horizonDays = options.horizonDays ?? 10;
  const lines = options.serviceLines ?? defaultServiceLines;
  const openHour = options.openHour ?? 8;

  const [patientsAll, practitioners, organizations, locations, roles] = await Promise.all([
    fhir.search<Patient>('Patient', {}),
    fhir.search<Practitioner>('Practitioner', {}),
    fhir.search<Organization>('Organization', {}),
    fhir.search<Location>('Location', {}),
    fhir.search<PractitionerRole>('PractitionerRole', {}),
  ]);
  const practitionerIx = new Resolver(
    'Practitioner',
    practitioners,
    (p) => idKey(p.identifier?.find((i) => i.system === NPI)) ?? idKey(p.identifier?.[0]) ?? `~${p.id ?? ''}`,
  );
  const organizationIx = new Resolver(
    'Organization',
    organizations,
    (o) => idKey(o.identifier?.[0]) ?? `~${o.name ?? ''}`,
  );
  const locationIx = new Resolver('Location', locations, (l) => idKey(l.identifier?.[0]) ?? `~${l.name ?? ''}`);
  if (practitionerIx.byKey.size === 0) throw new ValidationError('the EHR holds no Practitioner to staff the clinic');
  if (organizationIx.byKey.size === 0) throw new ValidationError('the EHR holds no Organization to run the clinic');

  const patients = patientsAll
    .filter((p) => !p.deceasedBoolean && !p.deceasedDateTime && mrnOf(p))
    .sort((a, b) => (idKey(mrnOf(a)) ?? '').localeCompare(idKey(mrnOf(b)) ?? ''))
    .slice(0, options.maxPatients ?? 40);
  if (patients.length === 0) throw new ValidationError('the EHR holds no living Patient with an identifier');

  // Each patient's usual clinician and organization: the latest ambulatory encounter that names them.
  const usual = new Map<string, { practitioner?: string; organization?: string }>();
  const orgOfPractitioner = new Map<string, string>();
  for (const role of [...roles].sort((a, b) =>
    (idKey(a.identifier?.[0]) ?? a.id ?? '').localeCompare(idKey(b.identifier?.[0]) ?? b.id ?? ''),
  )) {
    const pk = practitionerIx.keyOf(role.practitioner);
    const ok = organizationIx.keyOf(role.organization);
    if (pk && ok && organizationIx.get(ok) && !orgOfPractitioner.has(pk)) orgOfPractitioner.set(pk, ok);
  }
  for (const p of patients) {
    const encounters = (await fhir.search<Encounter>('Encounter', { subject: refOf(p) })).sort((a, b) =>
      (b.period?.start ?? '').localeCompare(a.period?.start ?? ''),
    );
    let found: { practitioner?: string; organization?: string } = {};
    for (const e of encounters) {
      const pk = e.participant?.map((x) => practitionerIx.keyOf(x.individual)).find((k) => k !== undefined);
      const ok = organizationIx.keyOf(e.serviceProvider);
      if (pk && ok && !orgOfPractitioner.has(pk)) orgOfPractitioner.set(pk, ok);
      if (pk && !found.practitioner) found = { practitioner: pk, ...(ok ? { organization: ok } : {}) };
    }
    usual.set(p.id ?? '', found);
  }

  // Staff the lines: primary care from the patients' usual clinicians, specialists from the rest.
  const allKeys = [...practitionerIx.byKey.keys()];
  const usualKeys = [...new Set([...usual.values()].map((u) => u.practitioner).filter((k): k is string => !!k))].sort();
  const pcCount = options.primaryCareProviders ?? 4;
  const pcKeys = (usualKeys.length > 0 ? usualKeys : allKeys).slice(0, pcCount);
  const rest = allKeys.filter((k) => !pcKeys.includes(k));
  const pool = rest.length > 0 ? rest : allKeys;
  const perSpecialty = options.providersPerSpecialty ?? 2;
  const staffing: { line: ServiceLineDef; practitionerKey: string }[] = [];
  for (const k of pcKeys) staffing.push({ line: lines[0] ?? defaultServiceLines[0]!, practitionerKey: k });
  let next = 0;
  for (const line of lines.slice(1)) {
    for (let i = 0; i < perSpecialty; i++) staffing.push({ line, practitionerKey: pool[next++ % pool.length]! });
  }

  const firstOrgKey = [...organizationIx.byKey.keys()][0]!;
  const locationOfOrg = new Map<string, Location>();
  for (const l of locationIx.byKey.values()) {
    const ok = organizationIx.keyOf(l.managingOrganization);
    if (ok && !locationOfOrg.has(ok)) locationOfOrg.set(ok, l);
  }
  const idPrefix = `S${hashSeed(options.seed).toString(36).toUpperCase().padStart(7, '0').slice(-7)}`;
  const hl7 = {
    sendingApplication: options.hl7?.sendingApplication ?? 'SANDBOX_EHR',
    sendingFacility: options.hl7?.sendingFacility ?? 'SANDBOX_CLINIC',
    receivingApplication: options.hl7?.receivingApplication ?? 'STEWARD',
    receivingFacility: options.hl7?.receivingFacility ?? 'STEWARD',
  };

  const services = new Map<string, HealthcareService>();
  const providers: ClinicProvider[] = [];
  const horizonEnd = zone.instant(addDays(startDate, horizonDays), 0);
  for (const [i, s] of staffing.entries()) {
    const practitioner = practitionerIx.get(s.practitionerKey)!;
    const orgKey = orgOfPractitioner.get(s.practitionerKey) ?? firstOrgKey;
    const org = organizationIx.get(orgKey) ?? organizationIx.get(firstOrgKey)!;
    let location = locationOfOrg.get(orgKey);
    if (!location) {
      location = await fhir.create<Location>({
        resourceType: 'Location',
        identifier: [
          { system: 'https://sandbox.steward.invalid/clinic-simulator/location', value: `${idPrefix}-LOC-${orgKey}` },
        ],
        status: 'active',
        name: `${org.name ?? 'Clinic'} outpatient clinic`,
        mode: 'instance',
        managingOrganization: { reference: refOf(org) },
      });
      locationOfOrg.set(orgKey, location);
    }
    let service = services.get(s.line.code);
    if (!service) {
      service = await fhir.create<HealthcareService>({
        resourceType: 'HealthcareService',
        identifier: [
          {
            system: 'https://sandbox.steward.invalid/clinic-simulator/service',
            value: `${idPrefix}-SVC-${s.line.code}`,
          },
        ],
        active: true,
        providedBy: { reference: refOf(org) },
        name: s.line.display,
        specialty: [{ coding: [{ system: NUCC, code: s.line.taxonomy, display: s.line.taxonomyDisplay }] }],
        location: [{ reference: refOf(location) }],
        appointmentRequired: true,
      });
      services.set(s.line.code, service);
    }
    const key = `D${String(i + 1).padStart(2, '0')}`;
    const role = await fhir.create<PractitionerRole>({
      resourceType: 'PractitionerRole',
      identifier: [
        { system: 'https://sandbox.steward.invalid/clinic-simulator/role', value: `${idPrefix}-ROLE-${key}` },
      ],
      active: true,
      practitioner: { reference: refOf(practitioner) },
      organization: { reference: refOf(org) },
      code: [{ coding: [{ system: NUCC, code: s.line.taxonomy, display: s.line.taxonomyDisplay }] }],
      specialty: [{ coding: [{ system: NUCC, code: s.line.taxonomy, display: s.line.taxonomyDisplay }] }],
      location: [{ reference: refOf(location) }],
      healthcareService: [{ reference: refOf(service) }],
      availableTime: [
        {
          daysOfWeek: ['mon', 'tue', 'wed', 'thu', 'fri'],
          availableStartTime: `${String(openHour).padStart(2, '0')}:00:00`,
          availableEndTime: `${String(options.closeHour ?? 17).padStart(2, '0')}:00:00`,
        },
      ],
    });
    const scheduleSimId = `${idPrefix}-SCH-${key}`;
    const schedule = await fhir.create<Schedule>({
      resourceType: 'Schedule',
      identifier: [{ system: 'https://sandbox.steward.invalid/clinic-simulator/schedule', value: scheduleSimId }],
      active: true,
      serviceType: [{ coding: [{ system: NUCC, code: s.line.taxonomy }], text: s.line.display }],
      specialty: [{ coding: [{ system: NUCC, code: s.line.taxonomy, display: s.line.taxonomyDisplay }] }],
      actor: [{ reference: refOf(role) }, { reference: refOf(practitioner) }, { reference: refOf(location) }],
      planningHorizon: { start: zone.fhir(zone.instant(startDate, 0)), end: zone.fhir(horizonEnd) },
    });
    const name = practitioner.name?.[0];
    const npi = npiOf(practitioner);
    providers.push({
      key,
      serviceLine: s.line,
      practitionerRef: refOf(practitioner),
      ...(npi ? { npi } : {}),
      ...(name?.family ? { family: name.family } : {}),
      ...(name?.given?.[0] ? { given: name.given[0] } : {}),
      roleRef: refOf(role),
      organizationRef: refOf(org),
      facilityName: org.name ?? 'Clinic',
      locationRef: refOf(location),
      locationName: location.name ?? 'Clinic',
      healthcareServiceRef: refOf(service),
      scheduleRef: refOf(schedule),
      scheduleSimId,
    });
  }

  const pcProviders = providers.filter((p) => p.serviceLine.code === (lines[0] ?? defaultServiceLines[0]!).code);
  const clinicPatients: ClinicPatient[] = patients.map((p, i) => {
    const u = usual.get(p.id ?? '');
    const pcp =
      pcProviders.find(
        (d) => u?.practitioner && practitionerIx.keyOf({ reference: d.practitionerRef }) === u.practitioner,
      ) ?? pcProviders[i % pcProviders.length]!;
    const mrn = mrnOf(p)!;
    const name = p.name?.[0];
    return {
      key: `P${String(i + 1).padStart(3, '0')}`,
      ref: refOf(p),
      mrn: mrn.value ?? '',
      ...(mrn.system ? { mrnSystem: mrn.system } : {}),
      ...(name?.family ? { family: name.family } : {}),
      ...(name?.given?.[0] ? { given: name.given[0] } : {}),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(p.gender ? { gender: p.gender } : {}),
      pcpKey: pcp.key,
    };
  });

  const clinic = new Clinic({
    fhir,
    zone,
    idPrefix,
    serviceLines: lines,
    providers,
    patients: clinicPatients,
    hl7,
    openHour,
    closeHour: options.closeHour ?? 17,
    ...(options.lunchHour === null ? {} : { lunchHour: options.lunchHour ?? 12 }),
  });
  for (let d = 0; d < horizonDays; d++) {
    for (const p of providers) await openSlots(clinic, p, addDays(startDate, d));
  }

  const startsAt = zone.instant(startDate, openHour - 1);
  // Bookings made before the simulation starts: about half the panel has a primary-care visit coming.
  for (const p of clinicPatients) {
    if (!rng.chance(options.initialBookingShare ?? 0.5)) continue;
    const slot = rng.pick(freeSlots(clinic, p.pcpKey, startsAt).slice(0, 40));
    if (slot)
      await book(clinic, { patientKey: p.key, slot, purpose: 'visit', at: startsAt - rng.int(1, 14) * 86_400_000 });
  }
  // Referrals already sent and waiting for the specialist's office.
  const specialists = providers.filter((p) => !pcProviders.includes(p));
  for (let i = 0; i < (options.initialReferrals ?? 6) && specialists.length > 0; i++) {
    const patient = rng.pick(clinicPatients)!;
    const to = rng.pick(specialists)!;
    await sendReferral(clinic, {
      patientKey: patient.key,
      fromKey: patient.pcpKey,
      toKey: to.key,
      at: startsAt - rng.int(1, 72) * 3_600_000,
      urgent: rng.chance(0.1),
      willLeak: rng.chance(0.25),
      willCancel: rng.chance(0.08),
      nextAt: startsAt + rng.int(1, 6) * 3_600_000,
    });
  }
  return { clinic, seed: options.seed, startsAt, startDate, horizonDays };
}
