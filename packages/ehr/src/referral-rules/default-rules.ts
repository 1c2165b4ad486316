/**
 * @module The default referral rules every vendor profile starts from. Order matters: first match
 * decides. Requests that are not (yet) standing orders come first, then lab and imaging orders for
 * the practice itself, then what says referral (category, social-care category, HL7 REF, a coded
 * kind of performer), last the service label for EHRs that only write "Cardiology consult".
 *
 * Codes: SNOMED CT 3457005 "Patient referral", 103696004 "Patient referral to specialist",
 * 306206005 "Referral to service" (US Core ServiceRequest category and common EHR use);
 * 108252007 "Laboratory procedure", 363679005 "Imaging"; the SDOH Clinical Care IG marks its
 * referrals with a social-care domain category (SDOHCC temporary codes, US Core `sdoh`) and often
 * SNOMED 410606002 "Social service procedure". HL7 v2 sends SNOMED as `SCT` (or the older `SNM`),
 * LOINC as `LN`, and the diagnostic service section (OBR-24) from table 0074.
 */
import type { CodingPattern, ReferralRuleSet } from './referral-rules.js';

const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
const SDOHCC = 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';

/** A SNOMED code as FHIR and HL7 v2 send it. */
const snomed = (code: string): CodingPattern[] => [
  { system: SCT, code },
  { system: 'SCT', code },
  { system: 'SNM', code },
];
/** A table 0074 section as FHIR (v2-0074) and HL7 v2 OBR-24 (`HL70074`) carry it. */
const section = (codes: readonly string[]): CodingPattern[] =>
  codes.flatMap((code) => [
    { system: V2_0074, code },
    { system: 'HL70074', code },
  ]);

export const defaultReferralRules: ReferralRuleSet = {
  rules: [
    {
      id: 'not-active',
      decision: 'not-referral',
      description: 'only an active request starts a referral (a later change still updates one already tracked)',
      when: { status: ['draft', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown'] },
    },
    {
      id: 'not-an-order',
      decision: 'not-referral',
      description: 'a proposal, option or an order placed by the filler is not a referral sent by this practice',
      when: { intent: ['proposal', 'option', 'reflex-order', 'filler-order', 'instance-order'] },
    },
    {
      id: 'lab-order',
      decision: 'not-referral',
      description: 'a laboratory order (SNOMED 108252007 category, or a lab section of HL7 table 0074)',
      when: {
        category: [
          ...snomed('108252007'),
          ...section([
            'LAB',
            'CH',
            'HM',
            'MB',
            'SR',
            'BLB',
            'BG',
            'CP',
            'SP',
            'PAT',
            'IMM',
            'TX',
            'URN',
            'VR',
            'MCB',
            'MYC',
            'PAR',
            'HLA',
            'CG',
          ]),
        ],
      },
    },
    {
      id: 'imaging-order',
      decision: 'not-referral',
      description: 'an imaging order (SNOMED 363679005 category, or an imaging section of HL7 table 0074)',
      when: {
        category: [
          ...snomed('363679005'),
          ...section(['RAD', 'CT', 'NMR', 'NMS', 'US', 'RX', 'VUS', 'OUS', 'CUS', 'XRC']),
        ],
      },
    },
    {
      id: 'referral-category',
      decision: 'referral',
      description: 'the category says referral (SNOMED 3457005, 103696004 or 306206005)',
      when: { category: [...snomed('3457005'), ...snomed('103696004'), ...snomed('306206005')] },
    },
    {
      id: 'social-care-referral',
      decision: 'referral',
      description:
        'a social-care referral as the SDOH Clinical Care IG sends it (SDOH domain or US Core sdoh category)',
      when: {
        category: [{ system: SDOHCC }, { system: US_CORE_CATEGORY, code: 'sdoh' }, ...snomed('410606002')],
      },
    },
    {
      id: 'loinc-coded-test',
      decision: 'not-referral',
      description: 'a LOINC-coded request is a test ordered by the practice',
      when: { code: [{ system: LOINC }, { system: 'LN' }] },
    },
    {
      id: 'hl7-referral-message',
      decision: 'referral',
      description: 'an HL7 v2 REF (patient referral) message',
      when: { source: ['REF^'] },
    },
    {
      id: 'referral-code',
      decision: 'referral',
      description: 'the service asked for is a referral procedure (SNOMED 3457005, 103696004 or 306206005)',
      when: { code: [...snomed('3457005'), ...snomed('103696004'), ...snomed('306206005')] },
    },
    {
      id: 'performer-type',
      decision: 'referral',
      description: 'a coded kind of performer (a specialty) is asked for, as referrals do',
      when: { performerType: [{}], source: ['fhir'] },
    },
    {
      id: 'service-label',
      decision: 'referral',
      description: 'the service label says referral or consult (EHRs that enter referrals as text)',
      when: { serviceLabel: '\\b(referr|consult)' },
    },
  ],
  otherwise: 'not-referral',
};
