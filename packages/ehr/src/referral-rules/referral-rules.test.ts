import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceRequest } from '@medplum/fhirtypes';
import { ValidationError, type OrderFacts, type ReferralFacts } from '@steward/core';
import { mapServiceRequest } from '../fhir-model/map-service-request.js';
import { parseFhirJson } from '../fhir-model/parse-resource.js';
import { readText, thirdParty } from '../fhir-model/test-fixtures.js';
import { mapHl7 } from '../hl7v2/map.js';
import { parseHl7 } from '../hl7v2/parse.js';
import { hl7Fixture, testContext, withField } from '../hl7v2/test-fixtures.js';
import { profileFor } from '../vendors/index.js';
import { defaultReferralRules } from './default-rules.js';
import {
  decideReferral,
  effectiveRules,
  emptyOverride,
  orderCandidate,
  referralCandidate,
  validateOverride,
  type ReferralRuleOverride,
} from './referral-rules.js';

const SCT = 'http://snomed.info/sct';
const defaults = effectiveRules(defaultReferralRules, emptyOverride);
const decide = (sr: ServiceRequest, rules = defaults) =>
  decideReferral(rules, referralCandidate(mapServiceRequest(sr), `ServiceRequest/${sr.id ?? 'x'}/_history/1`));
const example = (name: string): ServiceRequest =>
  parseFhirJson<'ServiceRequest'>(readText(thirdParty('fhir-r4-examples', 'r4-core', name)));
/** An official example as if it were still open (several are `completed`). */
const active = (sr: ServiceRequest): ServiceRequest => ({ ...sr, status: 'active' });

const base = (extra: Partial<ServiceRequest>): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id: 'sr-1',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  ...extra,
});

/** SDOH Clinical Care IG shape: social-service category plus the SDOH domain, a SNOMED service, no text. */
const foodPantry = base({
  category: [
    { coding: [{ system: SCT, code: '410606002' }] },
    {
      coding: [
        {
          system: 'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes',
          code: 'food-insecurity',
        },
      ],
    },
  ],
  code: { coding: [{ system: SCT, code: '467771000124109' }] },
  performer: [{ reference: 'Organization/food-bank' }],
});

/** BSeR / US Core shape: category Patient referral (code only), a coded specialist service. */
const cardiology = base({
  category: [{ coding: [{ system: SCT, code: '3457005' }] }],
  code: { coding: [{ system: SCT, code: '183519002' }] },
  requester: { reference: 'Practitioner/pcp' },
  performer: [{ reference: 'PractitionerRole/cardiology' }],
});

describe('referral rules: what is a referral', () => {
  it('a SNOMED "Patient referral" category with a coded service and no text is a referral', () => {
    const d = decide(cardiology);
    assert.deepEqual([d.referral, d.rule, d.origin], [true, 'referral-category', 'vendor']);
    assert.match(d.description, /3457005/);
  });

  it('an SDOH-CC food pantry request is a referral by its social-care category', () => {
    const d = decide(foodPantry);
    assert.deepEqual([d.referral, d.rule], [true, 'social-care-referral']);
    const usCore = base({
      category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category', code: 'sdoh' }] }],
      code: { coding: [{ system: SCT, code: '467771000124109' }] },
    });
    assert.equal(decide(usCore).rule, 'social-care-referral');
  });

  it('the official myringotomy example (category "Patient referral to specialist", ENT performerType) is a referral', () => {
    const d = decide(example('ServiceRequest-myringotomy.json'));
    assert.deepEqual([d.referral, d.rule], [true, 'referral-category']);
  });

  it('a coded specialty as performerType, no category, is a referral; a coded referral procedure too', () => {
    const bySpecialty = base({
      code: { coding: [{ system: SCT, code: '183519002' }] },
      performerType: { coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '207RC0000X' }] },
    });
    assert.deepEqual([decide(bySpecialty).referral, decide(bySpecialty).rule], [true, 'performer-type']);
    const byCode = base({ code: { coding: [{ system: SCT, code: '306206005' }] } });
    assert.equal(decide(byCode).rule, 'referral-code');
  });

  it('lab and imaging orders for the practice are not referrals, whatever else they carry', () => {
    const lab = base({
      category: [{ coding: [{ system: SCT, code: '108252007' }] }],
      code: { coding: [{ system: SCT, code: '26604007' }] },
      performerType: { coding: [{ system: SCT, code: '159282002' }] },
    });
    assert.deepEqual([decide(lab).referral, decide(lab).rule], [false, 'lab-order']);
    const imaging = base({
      category: [{ coding: [{ system: SCT, code: '363679005' }] }],
      code: { coding: [{ system: SCT, code: '77477000' }], text: 'CT consult' },
    });
    assert.deepEqual([decide(imaging).referral, decide(imaging).rule], [false, 'imaging-order']);
  });

  it('the official lab, imaging and procedure orders are not referrals, each for a named reason', () => {
    const expected: [string, string][] = [
      ['ServiceRequest-di.json', 'loinc-coded-test'], // LOINC chest CT
      ['ServiceRequest-og-example1.json', 'loinc-coded-test'],
      ['ServiceRequest-example-pgx.json', 'loinc-coded-test'],
      ['ServiceRequest-ft4.json', 'not-an-order'], // reflex-order
      ['ServiceRequest-subrequest.json', 'not-an-order'], // instance-order
      ['ServiceRequest-lipid.json', 'otherwise'], // a local lab code, performer a practitioner
      ['ServiceRequest-do-not-turn.json', 'otherwise'], // a nursing order
      ['ServiceRequest-colonoscopy.json', 'not-active'], // completed
    ];
    for (const [file, rule] of expected) {
      const d = decide(example(file));
      assert.deepEqual([file, d.referral, d.rule], [file, false, rule]);
    }
    // The same procedures while open: still not referrals (no category, code or performerType says so).
    for (const file of [
      'ServiceRequest-colonoscopy.json',
      'ServiceRequest-vent.json',
      'ServiceRequest-ambulation.json',
    ])
      assert.equal(decide(active(example(file))).referral, false, file);
  });

  it('every active official example with a referral category is recognised; none without one is by its code', () => {
    for (const file of ['ServiceRequest-myringotomy.json', 'ServiceRequest-physical-therapy.json']) {
      const sr = active(example(file));
      const facts = mapServiceRequest(sr);
      const says = (facts.categoryCodes ?? []).some((c) => ['3457005', '103696004', '306206005'].includes(c.code));
      assert.equal(decide(sr).referral, says, file);
    }
  });

  it('free-text referrals still start, by a declared label rule a site may switch off', () => {
    const text = base({ code: { text: 'Cardiology consult' } });
    assert.equal(decide(text).rule, 'service-label');
    const off = effectiveRules(defaultReferralRules, { rules: [], disabled: ['service-label'] });
    assert.deepEqual([decide(text, off).referral, decide(text, off).rule], [false, 'otherwise']);
  });
});

describe('referral rules: HL7 v2', () => {
  const mapped = (raw: string) => mapHl7(parseHl7(raw), testContext)[0]!;

  it('a REF^I12 is a referral by its message type, with RF1-3 kept as its category', () => {
    const e = mapped(hl7Fixture('fhir-converter/REF-I12-01.hl7'));
    const facts = e.facts as ReferralFacts;
    assert.deepEqual(facts.categoryCodes, [{ system: 'HL70281', code: 'Med' }]);
    assert.equal(decideReferral(defaults, referralCandidate(facts, e.sourceRef)).rule, 'hl7-referral-message');
  });

  it('an ORM lab or imaging order is not a referral; an ORM for a coded referral service is', () => {
    const orm = hl7Fixture('fhir-converter/ORM-O01-01.hl7');
    const loinc = mapped(orm);
    assert.equal(
      decideReferral(defaults, orderCandidate(loinc.facts as OrderFacts, loinc.sourceRef)).rule,
      'loinc-coded-test',
    );
    const rad = mapped(withField(orm, 'OBR', 24, 'RAD'));
    assert.deepEqual((rad.facts as OrderFacts).categoryCodes, [{ system: 'HL70074', code: 'RAD' }]);
    assert.equal(
      decideReferral(defaults, orderCandidate(rad.facts as OrderFacts, rad.sourceRef)).rule,
      'imaging-order',
    );
    const referral = mapped(withField(orm, 'OBR', 4, '306206005^^SCT'));
    const d = decideReferral(defaults, orderCandidate(referral.facts as OrderFacts, referral.sourceRef));
    assert.deepEqual([d.referral, d.rule], [true, 'referral-code']);
    const cancelled = mapped(withField(withField(orm, 'OBR', 4, '306206005^^SCT'), 'ORC', 1, 'CA'));
    assert.equal(
      decideReferral(defaults, orderCandidate(cancelled.facts as OrderFacts, cancelled.sourceRef)).rule,
      'not-active',
    );
  });
});

describe('referral rules: per site', () => {
  const epicReferral = base({
    category: [{ coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30', code: '8' }] }],
    code: { coding: [{ system: SCT, code: '183519002' }] },
  });
  const site: ReferralRuleOverride = {
    rules: [
      {
        id: 'epic-outpatient-referral',
        decision: 'referral',
        description: "this organisation's order type 8 (outpatient referral)",
        when: { category: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30', code: '8' }] },
      },
    ],
    disabled: ['performer-type'],
  };

  it('every vendor profile declares the defaults', () => {
    for (const vendor of ['generic-r4', 'epic', 'oracle-health', 'athenahealth'] as const)
      assert.equal(profileFor(vendor).referralRules, defaultReferralRules);
  });

  it("a site's own rule decides first and names the site; a default it switched off no longer applies", () => {
    assert.equal(decide(epicReferral).referral, false);
    const rules = effectiveRules(
      profileFor('epic').referralRules,
      validateOverride(
        site,
        defaultReferralRules.rules.map((r) => r.id),
      ),
    );
    const d = decide(epicReferral, rules);
    assert.deepEqual([d.referral, d.rule, d.origin], [true, 'epic-outpatient-referral', 'site']);
    const bySpecialty = base({
      performerType: { coding: [{ system: 'http://nucc.org/provider-taxonomy', code: '207RC0000X' }] },
    });
    assert.equal(decide(bySpecialty, rules).referral, false);
    const otherwise = effectiveRules(defaultReferralRules, { rules: [], disabled: [], otherwise: 'referral' });
    assert.deepEqual(
      [decide(bySpecialty, otherwise).rule, decide(base({}), otherwise).origin],
      ['performer-type', 'site'],
    );
  });

  it('an override is checked whole: every problem named by path', () => {
    const ids = defaultReferralRules.rules.map((r) => r.id);
    const bad = {
      rules: [
        { id: 'Bad Id', decision: 'maybe', description: '', when: {} },
        { id: 'lab-order', decision: 'referral', description: 'x', when: { serviceLabel: '(', colour: ['red'] } },
        { id: 'ok', decision: 'referral', description: 'x', when: { category: [{ system: 1 }] } },
      ],
      disabled: ['no-such-rule'],
      otherwise: 'perhaps',
      extra: true,
    };
    let err: unknown;
    try {
      validateOverride(bad, ids);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ValidationError);
    const paths = err.details.map((d) => d.path).sort();
    assert.deepEqual(paths, [
      'disabled[0]',
      'extra',
      'otherwise',
      'rules[0].decision',
      'rules[0].description',
      'rules[0].id',
      'rules[0].when',
      'rules[1].id',
      'rules[1].when.colour',
      'rules[1].when.serviceLabel',
      'rules[2].when.category[0]',
    ]);
    assert.deepEqual(validateOverride({}, ids), { rules: [], disabled: [] });
  });
});
