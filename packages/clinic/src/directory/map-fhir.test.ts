// Real FHIR R4 resources (the official R4 examples and a Synthea bundle, PROVENANCE.md beside them
// in the shared fixtures) mapped to directory facts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '@steward/core/testing';
import { directoryFactsFromFhir, linkedReferences } from './map-fhir.js';

const r4 = (name: string): unknown =>
  JSON.parse(readFileSync(join(fixturesDir(), 'third-party', 'fhir-r4-examples', 'r4-core', name), 'utf8'));

describe('directory facts from FHIR R4 resources', () => {
  it('a Practitioner: official name, identifiers, work contact points and address', () => {
    const f = directoryFactsFromFhir(r4('Practitioner-f001.json'));
    assert.equal(f?.kind, 'Practitioner');
    assert.equal(f?.ehrId, 'f001');
    assert.equal(f?.name, 'Eric van den broek MD');
    assert.deepEqual(f?.identifiers[0], { system: 'urn:oid:2.16.528.1.1007.3.1', value: '938273695' });
    assert.deepEqual(f?.telecom?.[0], { system: 'phone', value: '0205568263', use: 'work' });
    assert.equal(f?.address, 'Galapagosweg 91, Den Burg, 9105 PZ, NLD');
    assert.equal(f?.source, 'fhir');
  });

  it('a PractitionerRole: the practitioner by display, its specialty and what it links to', () => {
    const f = directoryFactsFromFhir(r4('PractitionerRole-example.json'));
    assert.equal(f?.kind, 'PractitionerRole');
    assert.equal(f?.name, 'Dr Adam Careful');
    assert.equal(f?.specialties?.[0], 'General medical practice');
    assert.deepEqual(f?.links, {
      practitioner: 'Practitioner/example',
      organization: 'Organization/f001',
      locations: ['Location/1'],
      services: ['HealthcareService/example'],
    });
    assert.deepEqual(linkedReferences(f).sort(), [
      'HealthcareService/example',
      'Location/1',
      'Organization/f001',
      'Practitioner/example',
    ]);
  });

  it('an Organization, a Location and a HealthcareService with their organization', () => {
    const org = directoryFactsFromFhir(r4('Organization-f001.json'));
    assert.equal(org?.name, 'Burgers University Medical Center');
    assert.equal(org?.identifiers.length, 2);
    assert.equal(org?.specialties?.[0], 'University Medical Hospital');
    const loc = directoryFactsFromFhir(r4('Location-1.json'));
    assert.equal(loc?.name, 'South Wing, second floor');
    assert.equal(loc?.links?.organization, 'Organization/f001');
    assert.ok(loc?.telecom?.some((t) => t.system === 'fax' && t.value === '2329'));
    // A Location identifier without a system is not an identifier Steward can key on.
    assert.deepEqual(loc?.identifiers, []);
    const hs = directoryFactsFromFhir(r4('HealthcareService-example.json'));
    assert.equal(hs?.name, 'Consulting psychologists and/or psychology services');
    assert.equal(hs?.organizationName, 'Burgers University Medical Center');
    assert.deepEqual(hs?.links, { organization: 'Organization/f001', locations: ['Location/1'] });
    assert.ok(hs?.specialties?.includes('Psychotherapy'));
  });

  it('every practitioner of a Synthea bundle, with its NPI', () => {
    const bundle = JSON.parse(
      readFileSync(
        join(
          fixturesDir(),
          'third-party',
          'synthea-r4',
          'fhir-data-pipes',
          'practitionerInformation1633536936158.json',
        ),
        'utf8',
      ),
    ) as { entry: { resource: unknown }[] };
    const facts = bundle.entry.map((e) => directoryFactsFromFhir(e.resource)).filter((f) => f !== undefined);
    assert.ok(facts.length > 0);
    const first = facts[0]!;
    assert.equal(first.name, 'Dr. Rosette746 Bruen238');
    assert.deepEqual(first.identifiers[0], { system: 'http://hl7.org/fhir/sid/us-npi', value: '9999999999' });
    const practitioners = facts.filter((f) => f.kind === 'Practitioner');
    assert.ok(practitioners.every((f) => f.name !== undefined && f.identifiers.length > 0));
    // Its PractitionerRoles point at their practitioner and organization.
    const roles = facts.filter((f) => f.kind === 'PractitionerRole');
    assert.ok(roles.length > 0 && roles.every((f) => linkedReferences(f).length > 0 || f.name !== undefined));
  });

  it('refuses what is not a directory resource, or has no id, without throwing', () => {
    assert.equal(directoryFactsFromFhir({ resourceType: 'Patient', id: '1' }), undefined);
    assert.equal(directoryFactsFromFhir({ resourceType: 'Practitioner' }), undefined);
    assert.equal(directoryFactsFromFhir('Practitioner/1'), undefined);
    const odd = directoryFactsFromFhir({ resourceType: 'Organization', id: 'x', name: 7, telecom: 'no', address: [1] });
    assert.deepEqual(odd, { kind: 'Organization', ehrId: 'x', identifiers: [], source: 'fhir' });
  });
});
