/**
 * @module What every screen handler shares: its context (variant, repository, user), HTML and redirect
 * replies, form bodies, and the patient banner with the identifiers the seeded (Synthea) patients carry.
 */
import { parseSearchRequest } from '@medplum/core';
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { HttpReply, SandboxRepository } from '../fhir-server/index.js';
import { formatDate } from './dates.js';
import { esc } from './html.js';
import type { Variant } from './variants.js';
import type { WebUser } from './web-sessions.js';

/** The MRN system of the Synthea patients (identifier type MR), and the Synthea person id beside it. */
export const mrnSystem = 'http://hospital.smarthealthit.org';
export const personIdSystem = 'https://github.com/synthetichealth/synthea';
/** Where the task form's "External reference" goes (Task.identifier); the EHR's own system. */
export const externalReferenceSystem = 'urn:sandbox-ehr:web:external-reference';

export interface ScreenContext {
  readonly variant: Variant;
  readonly repository: SandboxRepository;
  readonly user: WebUser;
  readonly now: () => Date;
  /** `/web/<variant>` */
  readonly base: string;
}

export function htmlReply(status: number, html: string, headers: Record<string, string> = {}): HttpReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: html,
  };
}

export function redirect(location: string, headers: Record<string, string> = {}): HttpReply {
  return { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } };
}

export function formBody(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

export function identifierValue(patient: Patient, system: string): string | undefined {
  return patient.identifier?.find((i) => i.system === system)?.value;
}

export function patientName(patient: Patient | undefined): string {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return 'Unknown patient';
  return `${name.family ?? ''}, ${(name.given ?? []).join(' ')}`.replace(/^, /, '');
}

/** A resource by id, or undefined when it does not exist (or was deleted). */
export async function readOrNone<T extends Resource>(
  repository: SandboxRepository,
  resourceType: T['resourceType'],
  id: string,
): Promise<T | undefined> {
  try {
    return await repository.readResource<T>(resourceType, id);
  } catch {
    return undefined;
  }
}

export async function search<T extends Resource>(
  repository: SandboxRepository,
  resourceType: T['resourceType'],
  params: Record<string, string | string[]>,
): Promise<T[]> {
  return await repository.searchResources<T>(parseSearchRequest<T>(resourceType, params));
}

/** Patient names for many references, each read once. */
export async function patientNames(
  repository: SandboxRepository,
  references: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const ref of new Set(references)) {
    const id = ref.startsWith('Patient/') ? ref.slice('Patient/'.length) : undefined;
    names.set(ref, id === undefined ? '' : patientName(await readOrNone<Patient>(repository, 'Patient', id)));
  }
  return names;
}

/**
 * The patient banner: name, birth date, sex and two identifiers, as a named region. North and Summit
 * show a description list; Lakeside shows "label: value" items (banners differ in markup too).
 */
export function banner(variant: Variant, patient: Patient): string {
  const l = variant.labels;
  const items: [string, string][] = [
    [l['banner.birthDate'], formatDate(patient.birthDate, variant.dateFormat)],
    [l['banner.gender'], patient.gender ?? 'unknown'],
    [l['banner.mrn'], identifierValue(patient, mrnSystem) ?? '—'],
    [l['banner.person'], identifierValue(patient, personIdSystem) ?? '—'],
  ];
  const name = `<h2 id="patient-name">${esc(patientName(patient))}</h2>`;
  if (variant.layout === 'table') {
    return `<div class="banner" role="region" aria-label="${esc(l['banner.region'])}">${name}<ul>${items
      .map(([label, value]) => `<li><span class="label">${esc(label)}:</span> <span>${esc(value)}</span></li>`)
      .join('')}</ul></div>`;
  }
  return `<section class="banner" aria-label="${esc(l['banner.region'])}">${name}<dl>${items
    .map(([label, value]) => `<div><dt>${esc(label)}</dt><dd>${esc(value)}</dd></div>`)
    .join('')}</dl></section>`;
}

/** Characters as a person counts them (code points), for limits. */
export function lengthOf(text: string): number {
  return [...text].length;
}

export function tooLong(label: string, text: string, limit: number): string | undefined {
  const n = lengthOf(text);
  return n > limit ? `${label} is too long: ${n} characters, at most ${limit}. Nothing was saved.` : undefined;
}

/** Error summary at the top of a form (an alert, so assistive technology announces it). */
export function errorSummary(errors: readonly string[]): string {
  if (errors.length === 0) return '';
  return `<div role="alert" class="error"><p>The form was not saved:</p><ul>${errors.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></div>`;
}
