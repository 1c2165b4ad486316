import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '@steward/core';
import { PasswordHasher, checkPasswordPolicy } from './passwords.js';

const hasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1 });

describe('password hashing', () => {
  it('produces Argon2id PHC strings with a fresh salt, that verify the right password only', async () => {
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    assert.match(a, /^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.notEqual(a, b);
    assert.equal(await hasher.verify(a, 'correct horse battery staple'), true);
    assert.equal(await hasher.verify(a, 'correct horse battery stapLe'), false);
  });

  it('uses OWASP parameters by default (m=19 MiB, t=2, p=1)', async () => {
    const phc = await new PasswordHasher().hash('correct horse battery staple');
    assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(new PasswordHasher().needsRehash(phc), false);
    assert.equal(hasher.needsRehash(phc), true);
  });

  it('normalizes Unicode (NFKC), so composed and decomposed forms verify alike', async () => {
    const phc = await hasher.hash('caf\u00e9 au lait, bitte!');
    assert.equal(await hasher.verify(phc, 'cafe\u0301 au lait, bitte!'), true);
  });

  it('answers false for a malformed stored hash and for unknown users, without throwing', async () => {
    assert.equal(await hasher.verify('not-a-phc-string', 'whatever password'), false);
    assert.equal(await hasher.verifyNobody('whatever password'), false);
  });
});

describe('password policy', () => {
  it('accepts 12 to 256 characters', () => {
    checkPasswordPolicy('a'.repeat(12));
    checkPasswordPolicy('a'.repeat(256));
  });

  for (const [name, password, rule] of [
    ['too short', 'a'.repeat(11), 'min_length'],
    ['too long', 'a'.repeat(257), 'max_length'],
    ['short in code points though long in UTF-16', '\u{1F600}'.repeat(11), 'min_length'],
  ] as const) {
    it(`refuses a password that is ${name}, naming the rule and not the password`, () => {
      assert.throws(
        () => checkPasswordPolicy(password),
        (e: unknown) => e instanceof ValidationError && e.message.includes(rule) && !e.message.includes(password),
      );
    });
  }

  it('refuses a password containing the username', () => {
    assert.throws(() => checkPasswordPolicy('my name is j.smith ok', 'j.smith'), /not_username/);
  });
});
