/**
 * @module The relationship type list: each practice's own, kept in `rel_relationship_types` (site
 * `*` for every site), with defaults shipped here. Adding a type is a data change, not a code
 * change: a code, a display and reciprocal name, which kinds of party may sit at each end, the
 * authority it carries by default, and its FHIR home (ADR 0008).
 */
import { ValidationError, type ErrorDetail } from '@steward/core';
import type { PartyKind } from './types.js';

/** Where FHIR keeps a relationship of this type (docs/adr/0008-relationships-graph.md). */
export const fhirHomes = [
  'RelatedPerson',
  'Patient.contact',
  'Patient.generalPractitioner',
  'Patient.managingOrganization',
  'CareTeam',
  'PractitionerRole',
  'Account.guarantor',
] as const;
export type FhirHome = (typeof fhirHomes)[number];

/** The authority a relationship can carry for its `from` party over its `to` party. */
export const authorityPermissions = [
  'messages.receive',
  'records.read',
  'appointments.manage',
  'billing.receive',
  'consent.give',
] as const;
export type AuthorityPermission = (typeof authorityPermissions)[number];

export interface RelationshipTypeDefinition {
  readonly code: string;
  /** Read as "from is the <display> of to". */
  readonly display: string;
  /** The name seen from the other end ("ward" for "legal guardian"). */
  readonly reciprocal: string;
  readonly fromKind: PartyKind | 'any';
  readonly toKind: PartyKind | 'any';
  /** Authority carried by default; an imported relationship may state its own. */
  readonly permissions: readonly AuthorityPermission[];
  readonly fhir: {
    readonly home: FhirHome;
    readonly system?: string;
    readonly code?: string;
  };
}

const roleCode = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const contactRole = 'http://terminology.hl7.org/CodeSystem/v2-0131';
const participation = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

function t(
  code: string,
  display: string,
  reciprocal: string,
  fromKind: PartyKind | 'any',
  toKind: PartyKind | 'any',
  permissions: readonly AuthorityPermission[],
  fhir: RelationshipTypeDefinition['fhir'],
): RelationshipTypeDefinition {
  return { code, display, reciprocal, fromKind, toKind, permissions, fhir };
}

/** The shipped list. A practice overrides or extends it per site without code changes. */
export const defaultRelationshipTypes: readonly RelationshipTypeDefinition[] = [
  t('patient', 'patient', 'care provider', 'person', 'organization', [], { home: 'Patient.managingOrganization' }),
  t('spouse', 'spouse', 'spouse', 'person', 'person', [], { home: 'RelatedPerson', system: roleCode, code: 'SPS' }),
  t('partner', 'domestic partner', 'domestic partner', 'person', 'person', [], {
    home: 'RelatedPerson',
    system: roleCode,
    code: 'DOMPART',
  }),
  t('parent', 'parent', 'child', 'person', 'person', ['messages.receive', 'appointments.manage'], {
    home: 'RelatedPerson',
    system: roleCode,
    code: 'PRN',
  }),
  t('child', 'child', 'parent', 'person', 'person', [], { home: 'RelatedPerson', system: roleCode, code: 'CHILD' }),
  t('family-caregiver', 'family caregiver', 'cared-for person', 'person', 'person', ['appointments.manage'], {
    home: 'CareTeam',
  }),
  t(
    'legal-guardian',
    'legal guardian',
    'ward',
    'person',
    'person',
    ['messages.receive', 'records.read', 'appointments.manage', 'consent.give'],
    { home: 'RelatedPerson', system: roleCode, code: 'GUARD' },
  ),
  t(
    'healthcare-proxy',
    'health-care proxy',
    'principal',
    'person',
    'person',
    ['messages.receive', 'records.read', 'consent.give'],
    { home: 'RelatedPerson', system: roleCode, code: 'HPOWATT' },
  ),
  t(
    'power-of-attorney',
    'power of attorney',
    'principal',
    'person',
    'person',
    ['messages.receive', 'billing.receive'],
    {
      home: 'RelatedPerson',
      system: roleCode,
      code: 'POWATT',
    },
  ),
  t('guarantor', 'guarantor', 'guaranteed party', 'any', 'person', ['billing.receive'], {
    home: 'Account.guarantor',
    system: roleCode,
    code: 'GUAR',
  }),
  t('emergency-contact', 'emergency contact', 'emergency contact holder', 'person', 'person', [], {
    home: 'Patient.contact',
    system: contactRole,
    code: 'C',
  }),
  t('referring-provider', 'referring provider', 'referred patient', 'any', 'person', [], {
    home: 'PractitionerRole',
    system: participation,
    code: 'REF',
  }),
  t('primary-care-provider', 'primary care provider', 'primary care patient', 'any', 'person', [], {
    home: 'Patient.generalPractitioner',
  }),
  t('specialist', 'specialist', 'specialist patient', 'any', 'person', [], { home: 'CareTeam' }),
  t('case-manager', 'case manager', 'managed case', 'person', 'person', ['messages.receive', 'appointments.manage'], {
    home: 'CareTeam',
  }),
  t('insurance-broker', 'insurance broker or agent', 'broker client', 'any', 'person', ['billing.receive'], {
    home: 'Patient.contact',
    system: contactRole,
    code: 'I',
  }),
  t('employer', 'employer', 'employee', 'organization', 'person', [], {
    home: 'Patient.contact',
    system: contactRole,
    code: 'E',
  }),
  t('facility', 'facility', 'facility patient', 'organization', 'person', [], {
    home: 'Patient.managingOrganization',
  }),
];

const codeRule = /^[a-z][a-z0-9-]{0,63}$/;
const kinds = ['person', 'organization', 'any'];

/** Checks a list of definitions, reporting every problem at once (by index and field, never values). */
export function validateRelationshipTypes(input: unknown): RelationshipTypeDefinition[] {
  const problems: ErrorDetail[] = [];
  if (!Array.isArray(input))
    throw new ValidationError('relationship types must be a list', [{ path: '/', message: 'expected an array' }]);
  const seen = new Set<string>();
  const out: RelationshipTypeDefinition[] = [];
  input.forEach((raw: unknown, i) => {
    const p = (f: string, message: string): void => void problems.push({ path: `/${i}/${f}`, message });
    if (typeof raw !== 'object' || raw === null) return p('', 'expected an object');
    const d = raw as Record<string, unknown>;
    if (typeof d['code'] !== 'string' || !codeRule.test(d['code'])) p('code', 'lower-case letters, digits and dashes');
    else if (seen.has(d['code'])) p('code', 'listed twice');
    else seen.add(d['code']);
    for (const f of ['display', 'reciprocal'])
      if (typeof d[f] !== 'string' || d[f].trim() === '') p(f, 'a non-empty string');
    for (const f of ['fromKind', 'toKind'])
      if (typeof d[f] !== 'string' || !kinds.includes(d[f])) p(f, `one of ${kinds.join(', ')}`);
    const perms = d['permissions'] ?? [];
    if (!Array.isArray(perms) || perms.some((x) => !(authorityPermissions as readonly unknown[]).includes(x)))
      p('permissions', `a list of ${authorityPermissions.join(', ')}`);
    const fhir = d['fhir'] as Record<string, unknown> | undefined;
    if (typeof fhir !== 'object' || fhir === null || !(fhirHomes as readonly unknown[]).includes(fhir['home']))
      p('fhir/home', `one of ${fhirHomes.join(', ')}`);
    else
      for (const f of ['system', 'code'])
        if (fhir[f] !== undefined && typeof fhir[f] !== 'string') p(`fhir/${f}`, 'a string');
    if (problems.length === 0)
      out.push({ ...(d as unknown as RelationshipTypeDefinition), permissions: perms as AuthorityPermission[] });
  });
  if (problems.length > 0) throw new ValidationError('invalid relationship types', problems);
  return out;
}
