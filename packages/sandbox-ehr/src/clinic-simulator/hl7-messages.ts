/**
 * @module HL7 v2.5.1 messages the clinic sends, shaped like the SIU, ADT, REF and MDM messages real
 * EHR interfaces emit (see fixtures/third-party/hl7v2). Segments are separated by carriage
 * returns; MSH-7 and every timestamp carry an explicit UTC offset; MSH-10 comes from the caller's
 * deterministic counter. Only what the receiving side needs is filled; no clinical note text.
 */
import type { ClinicZone } from './clinic-time.js';

/** Escapes the five delimiter characters and drops line breaks (HL7 v2.5.1 §2.7). */
export function hl7Escape(value: string | undefined): string {
  if (!value) return '';
  return value
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]+/g, ' ');
}

/** A component list: each part escaped, joined with ^ (trailing empties trimmed). */
function comp(...parts: (string | undefined)[]): string {
  const out = parts.map((p) => hl7Escape(p));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('^');
}

/** Subcomponents (already-escaped parts are not re-escaped: callers pass raw values). */
function sub(...parts: (string | undefined)[]): string {
  return parts.map((p) => hl7Escape(p)).join('&');
}

function seg(name: string, ...fields: string[]): string {
  const out = [...fields];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return [name, ...out].join('|');
}

export interface Hl7Patient {
  readonly mrn: string;
  /** The MRN's assigning authority (the FHIR identifier system). */
  readonly mrnSystem?: string;
  readonly family?: string;
  readonly given?: string;
  readonly birthDate?: string; // YYYY-MM-DD
  readonly gender?: string; // FHIR administrative gender
}

export interface Hl7Provider {
  readonly id: string; // NPI when known, else the simulator's key
  readonly idType: 'NPI' | 'L';
  readonly family?: string;
  readonly given?: string;
}

export interface Hl7Place {
  readonly location: string;
  readonly facility: string;
}

export interface Hl7Context {
  readonly zone: ClinicZone;
  readonly sendingApplication: string;
  readonly sendingFacility: string;
  readonly receivingApplication: string;
  readonly receivingFacility: string;
}

function msh(ctx: Hl7Context, at: number, type: string, controlId: string): string {
  const [code, event] = type.split('^');
  const structure = `${code ?? ''}_${event ?? ''}`;
  return [
    'MSH',
    '^~\\&',
    hl7Escape(ctx.sendingApplication),
    hl7Escape(ctx.sendingFacility),
    hl7Escape(ctx.receivingApplication),
    hl7Escape(ctx.receivingFacility),
    ctx.zone.hl7(at),
    '',
    `${code ?? ''}^${event ?? ''}^${structure}`,
    hl7Escape(controlId),
    'P',
    '2.5.1',
  ].join('|');
}

function evn(ctx: Hl7Context, event: string, at: number): string {
  return seg('EVN', event, ctx.zone.hl7(at));
}

function pid(p: Hl7Patient): string {
  const sex = p.gender === 'male' ? 'M' : p.gender === 'female' ? 'F' : p.gender === 'other' ? 'O' : 'U';
  const authority = p.mrnSystem ? sub('', p.mrnSystem, 'URI') : '';
  return seg(
    'PID',
    '1',
    '',
    [hl7Escape(p.mrn), '', '', authority, 'MR'].join('^'),
    '',
    comp(p.family, p.given),
    '',
    (p.birthDate ?? '').replace(/-/g, ''),
    sex,
  );
}

function xcn(d: Hl7Provider): string {
  return comp(d.id, d.family, d.given, '', '', '', '', '', '', '', '', '', d.idType);
}

function pl(place: Hl7Place): string {
  return comp(place.location, '', '', place.facility);
}

export interface Pv1Input {
  readonly patientClass: 'O' | 'I';
  readonly place: Hl7Place;
  readonly attending: Hl7Provider;
  readonly visitNumber: string;
  readonly admitAt?: number;
  readonly dischargeAt?: number;
  /** HL7 table 0112 code. */
  readonly dischargeDisposition?: string;
}

function pv1(ctx: Hl7Context, v: Pv1Input): string {
  const f: string[] = new Array<string>(45).fill('');
  f[0] = '1';
  f[1] = v.patientClass;
  f[2] = pl(v.place);
  f[6] = xcn(v.attending);
  f[18] = hl7Escape(v.visitNumber);
  f[35] = hl7Escape(v.dischargeDisposition);
  f[43] = v.admitAt !== undefined ? ctx.zone.hl7(v.admitAt) : '';
  f[44] = v.dischargeAt !== undefined ? ctx.zone.hl7(v.dischargeAt) : '';
  return seg('PV1', ...f);
}

export type SiuEvent = 'S12' | 'S13' | 'S14' | 'S15' | 'S26';

export interface SiuInput {
  readonly event: SiuEvent;
  readonly at: number;
  readonly controlId: string;
  readonly appointmentId: string;
  readonly scheduleId: string;
  readonly start: number;
  readonly end: number;
  /** HL7 table 0278 filler status: Booked, Started, Complete, Cancelled, Noshow. */
  readonly fillerStatus: string;
  /** HL7 table 0276 appointment type: ROUTINE, FOLLOWUP, … */
  readonly appointmentType: string;
  readonly serviceCode: string;
  readonly serviceDisplay: string;
  readonly eventReason?: { readonly code: string; readonly display: string };
  readonly patient: Hl7Patient;
  readonly provider: Hl7Provider;
  readonly providerRole: { readonly code: string; readonly display: string };
  readonly place: Hl7Place;
  readonly visitNumber: string;
}

export function siuMessage(ctx: Hl7Context, m: SiuInput): string {
  const minutes = String(Math.round((m.end - m.start) / 60_000));
  const start = ctx.zone.hl7(m.start);
  const end = ctx.zone.hl7(m.end);
  const sch = seg(
    'SCH',
    comp(m.appointmentId, 'SANDBOX'),
    comp(m.appointmentId, 'SANDBOX'),
    '',
    '',
    comp(m.scheduleId),
    m.eventReason ? comp(m.eventReason.code, m.eventReason.display, 'L') : '',
    comp(m.serviceCode, m.serviceDisplay, 'NUCC'),
    comp(m.appointmentType, '', 'HL70276'),
    minutes,
    'min',
    ['', '', minutes, start, end].join('^'),
    '',
    '',
    '',
    '',
    xcn(m.provider),
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    comp(m.fillerStatus, '', 'HL70278'),
  );
  return [
    msh(ctx, m.at, `SIU^${m.event}`, m.controlId),
    sch,
    seg('TQ1', '1', '', '', '', '', '', start, end),
    pid(m.patient),
    pv1(ctx, { patientClass: 'O', place: m.place, attending: m.provider, visitNumber: m.visitNumber }),
    seg('RGS', '1', 'A'),
    seg(
      'AIS',
      '1',
      'A',
      comp(m.serviceCode, m.serviceDisplay, 'NUCC'),
      start,
      '',
      '',
      minutes,
      'min',
      '',
      comp(m.fillerStatus),
    ),
    seg(
      'AIG',
      '1',
      'A',
      comp(m.scheduleId, m.serviceDisplay),
      comp('SVC', 'Healthcare service', 'L'),
      '',
      '',
      '',
      start,
      '',
      '',
      minutes,
      'min',
      '',
      comp(m.fillerStatus),
    ),
    seg(
      'AIL',
      '1',
      'A',
      pl(m.place),
      comp('C', 'Clinic', 'HL70305'),
      '',
      start,
      '',
      '',
      minutes,
      'min',
      '',
      comp(m.fillerStatus),
    ),
    seg(
      'AIP',
      '1',
      'A',
      xcn(m.provider),
      comp(m.providerRole.code, m.providerRole.display, 'NUCC'),
      '',
      start,
      '',
      '',
      minutes,
      'min',
      '',
      comp(m.fillerStatus),
    ),
  ].join('\r');
}

export type AdtEvent = 'A01' | 'A03' | 'A04';

export interface AdtInput extends Pv1Input {
  readonly event: AdtEvent;
  readonly at: number;
  readonly controlId: string;
  readonly patient: Hl7Patient;
}

export function adtMessage(ctx: Hl7Context, m: AdtInput): string {
  return [msh(ctx, m.at, `ADT^${m.event}`, m.controlId), evn(ctx, m.event, m.at), pid(m.patient), pv1(ctx, m)].join(
    '\r',
  );
}

export type RefEvent = 'I12' | 'I13' | 'I14';

export interface RefInput {
  readonly event: RefEvent;
  readonly at: number;
  readonly controlId: string;
  readonly referralId: string;
  /** HL7 table 0283 referral status: P pending, A accepted, R rejected, E expired. */
  readonly status: { readonly code: string; readonly display: string };
  readonly priority: 'S' | 'R';
  readonly authoredAt: number;
  readonly reason: string;
  readonly specialty: { readonly code: string; readonly display: string };
  readonly referring: Hl7Provider;
  readonly referredTo: Hl7Provider;
  readonly referredToFacility: string;
  readonly patient: Hl7Patient;
}

export function refMessage(ctx: Hl7Context, m: RefInput): string {
  const day = ctx.zone.hl7(m.authoredAt).slice(0, 8);
  const rf1 = seg(
    'RF1',
    comp(m.status.code, m.status.display, 'HL70283'),
    comp(m.priority, m.priority === 'S' ? 'STAT' : 'Routine', 'HL70280'),
    comp('Med', 'Medical', 'HL70281'),
    '',
    comp('O', 'Outpatient', 'HL70284'),
    comp(m.referralId, 'SANDBOX'),
    day,
    '',
    day,
    comp(m.specialty.code, m.reason, 'NUCC'),
    comp(m.referralId, 'SANDBOX'),
  );
  const prd = (role: string, roleName: string, d: Hl7Provider, facility?: string): string =>
    seg(
      'PRD',
      comp(role, roleName, 'HL70286'),
      comp(d.family, d.given),
      '',
      facility ? comp('', '', '', facility) : '',
      '',
      '',
      comp(d.id, d.idType),
    );
  return [
    msh(ctx, m.at, `REF^${m.event}`, m.controlId),
    rf1,
    prd('RP', 'Referring Provider', m.referring),
    prd('RT', 'Referred to Provider', m.referredTo, m.referredToFacility),
    pid(m.patient),
  ].join('\r');
}

export interface MdmInput {
  readonly at: number;
  readonly controlId: string;
  readonly documentId: string;
  readonly referralId: string;
  readonly author: Hl7Provider;
  readonly patient: Hl7Patient;
  readonly place: Hl7Place;
  readonly visitNumber: string;
}

/** MDM^T02: a consult note became available. TXA metadata and a placeholder line, no note text. */
export function mdmMessage(ctx: Hl7Context, m: MdmInput): string {
  const at = ctx.zone.hl7(m.at);
  const txa = seg(
    'TXA',
    '1',
    comp('CN', 'Consultation note', 'HL70270'),
    'TX',
    at,
    xcn(m.author),
    at,
    '',
    '',
    '',
    '',
    '',
    comp(m.documentId, 'SANDBOX'),
    '',
    comp(m.referralId, 'SANDBOX'),
    '',
    '',
    'AU',
    '',
    'AV',
  );
  return [
    msh(ctx, m.at, 'MDM^T02', m.controlId),
    evn(ctx, 'T02', m.at),
    pid(m.patient),
    pv1(ctx, { patientClass: 'O', place: m.place, attending: m.author, visitNumber: m.visitNumber }),
    txa,
    seg(
      'OBX',
      '1',
      'TX',
      comp('11488-4', 'Consult note', 'LN'),
      '',
      'Consult note available in EHR',
      '',
      '',
      '',
      '',
      '',
      'F',
    ),
  ].join('\r');
}
