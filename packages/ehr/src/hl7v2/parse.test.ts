import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError } from '@steward/core';
import { mapHl7 } from './map.js';
import { component, parseHl7, subcomponent } from './parse.js';
import { allHl7Fixtures, hl7Fixture, testContext, withField } from './test-fixtures.js';

function rejection(raw: string): string {
  try {
    parseHl7(raw);
  } catch (err) {
    assert.ok(isStewardError(err) && err.code === 'HL7_INVALID', 'only HL7_INVALID errors');
    return err.message;
  }
  return 'parsed';
}

/** The fixtures that must be rejected, and why. Every other fixture must parse. */
const expectedRejections: Record<string, string> = {
  'hapi/oml-o21-lab-order.hl7': 'segment 11 is a second MSH segment', // a file of 13 concatenated messages
  'hapi/oru-r01-v2xml-encoding.xml': 'message is XML; only the ER7 (pipe-delimited) encoding is supported',
};

describe('parseHl7 on every fixture', () => {
  const fixtures = allHl7Fixtures().filter(([path]) => !path.endsWith('PROVENANCE.md'));
  it('sees all 146 fixture messages', () => assert.equal(fixtures.length, 146));
  for (const [path, raw] of fixtures) {
    it(`${path} parses or is rejected with its reason`, () => {
      const expected = expectedRejections[path];
      if (expected !== undefined) {
        assert.equal(rejection(raw), expected);
        return;
      }
      const parsed = parseHl7(raw);
      assert.match(parsed.type, /^[A-Z]{3}\^[A-Z0-9]{3}$/);
      assert.ok(parsed.controlId.length > 0);
      assert.match(parsed.version, /^2\./);
    });
  }
});

describe('parseHl7', () => {
  const siu = hl7Fixture('fhir-converter/SIU-S12-01.hl7');

  it('reads the header: type, control id, version', () => {
    const p = parseHl7(siu);
    assert.deepEqual(
      [p.code, p.trigger, p.structure, p.type, p.controlId, p.version],
      ['SIU', 'S12', 'SIU_S12', 'SIU^S12', 'MSG00012', '2.8'],
    );
  });

  it('accepts LF, CR, CRLF separators and blank lines alike', () => {
    const lines = siu.split('\n').filter((l) => l !== '');
    const variants = [lines.join('\n'), lines.join('\r'), lines.join('\r\n'), lines.join('\r\n\r\n') + '\n'];
    const normalized = variants.map((v) => parseHl7(v).normalized);
    assert.equal(new Set(normalized).size, 1);
    assert.equal(parseHl7(variants[0] ?? '').message.segments.length, lines.length);
  });

  it('honours non-standard encoding characters from MSH-1/MSH-2', () => {
    const p = parseHl7(hl7Fixture('hapi/adt-a24-nonstandard-delimiters.hl7'));
    assert.equal(p.type, 'ADT^A24');
    assert.equal(p.controlId, '2003582144');
    assert.equal(p.message.getAllSegments('PID').length, 2);
  });

  it('reads MSH-2 with 3 encoding characters (no subcomponent, or no escape character) and with 5 (v2.7)', () => {
    const body = '|A|B|C|D|20260101120000||ADT^A08|CTL\\F\\1|P|2.5\rPID|1||12^^^H&x&y^MR';
    const noSub = parseHl7(`MSH|^~\\${body}`);
    assert.equal(noSub.controlId, 'CTL|1', 'escape sequences still resolved');
    assert.equal(component(noSub.message.getSegment('PID'), 3, 4), 'H&x&y', 'no subcomponent split');
    const noEscape = parseHl7(`MSH|^~&${body}`);
    assert.equal(noEscape.controlId, 'CTL\\F\\1', 'no escape character: taken as sent');
    assert.equal(subcomponent(noEscape.message.getSegment('PID'), 3, 4, 2), 'x');
    const truncation = parseHl7(`MSH|^~\\&#${body.replace('2.5', '2.7')}`);
    assert.deepEqual([truncation.type, truncation.controlId, truncation.version], ['ADT^A08', 'CTL|1', '2.7']);
    assert.equal(subcomponent(truncation.message.getSegment('PID'), 3, 4, 3), 'y');
    assert.equal(mapHl7(noSub, testContext).length, 1, 'a 3-character header maps like any other');
  });

  it('strips a UTF-8 byte-order mark', () => {
    assert.equal(parseHl7('\uFEFF' + siu).controlId, 'MSG00012');
  });

  it('rejects missing header fields naming the field, not the value', () => {
    assert.equal(rejection(withField(siu, 'MSH', 10, '')), 'MSH-10 (message control id) is missing');
    assert.equal(rejection(withField(siu, 'MSH', 9, '')), 'MSH-9 (message type) is missing');
    assert.equal(rejection(withField(siu, 'MSH', 9, 'SIU')), 'MSH-9.2 (trigger event) is missing');
    assert.equal(rejection(withField(siu, 'MSH', 12, '')), 'MSH-12 (version id) is missing');
    assert.equal(rejection(withField(siu, 'MSH', 12, 'SECRET-9')), 'MSH-12 (version id) is not an HL7 v2 version');
    assert.equal(rejection(withField(siu, 'MSH', 10, 'x'.repeat(300))), 'MSH-10 (message control id) is too long');
  });

  it('rejects broken encoding characters and structure', () => {
    assert.equal(rejection(''), 'message is empty');
    assert.equal(rejection('PID|1||123'), 'message does not start with an MSH segment');
    assert.equal(rejection('MSH|^^\\&|A|B'), 'MSH-1/MSH-2 (encoding characters) are not distinct');
    assert.equal(rejection('MSHA^~\\&A'), 'MSH-1/MSH-2 (encoding characters) contain a letter, digit or space');
    assert.equal(rejection('MSH|^~'), 'MSH-1/MSH-2 (encoding characters) are missing or incomplete');
    assert.equal(rejection(siu.replace('\nPID|', '\npid|')), 'segment 5 has no valid segment name');
  });
});
