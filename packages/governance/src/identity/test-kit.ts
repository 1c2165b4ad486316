/**
 * @module Test only: an in-memory audit sink that records entries (and can be made to fail), and
 * a kit wiring every identity object to one store and one ManualClock. Not exported from the index.
 */
import assert from 'node:assert/strict';
import { ManualClock, newId, type Actor } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditEntryInput, AuditSink } from '../audit/audit-entry.js';
import { Authenticator } from './authenticator.js';
import { PasswordHasher } from './passwords.js';
import { ServiceAccountDirectory } from './service-accounts.js';
import { SessionManager, type SessionConfig } from './sessions.js';
import { KeyRing } from '../crypto/key-ring.js';
import { ApiTokens } from './tokens.js';
import { totpCode } from './totp.js';
import { UserDirectory } from './users.js';

export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntryInput[] = [];
  /** While true, every append rejects, as a sink whose store is down does. */
  failing = false;

  append(entry: AuditEntryInput): Promise<{ readonly seq: number }> {
    if (this.failing) return Promise.reject(new Error('audit store unavailable'));
    this.entries.push(structuredClone(entry));
    return Promise.resolve({ seq: this.entries.length });
  }

  /** Entries of `event` appended since `from`. */
  since(from: number, event?: AuditEntryInput['event']): AuditEntryInput[] {
    return this.entries.slice(from).filter((e) => event === undefined || e.event === event);
  }
}

/** Argon2id at test strength: same code path, a fraction of the memory and time. */
export const testHasher = new PasswordHasher({ memoryCost: 1024, timeCost: 1 });

export const adminActor: Actor = { kind: 'user', id: newId(), name: 'test-admin', authMethod: 'session' };

export function identityKit(db: Database, config: SessionConfig = {}) {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const audit = new MemoryAuditSink();
  const cipher = KeyRing.inMemory();
  const users = new UserDirectory({ db, audit, cipher, hasher: testHasher, clock });
  const serviceAccounts = new ServiceAccountDirectory({ db, audit, clock });
  const tokens = new ApiTokens({ db, audit, clock });
  const sessions = new SessionManager({ db, audit, cipher, hasher: testHasher, clock, config });
  const authenticator = new Authenticator({ sessions, tokens, audit });

  /** A user with a password and confirmed TOTP; returns what a test needs to log in as them. */
  async function enrolledUser(username: string, password = 'correct horse battery staple') {
    const user = await users.create({ username, password }, adminActor);
    const { secret } = await users.startTotpEnrolment(user.id);
    await users.confirmTotp(user.id, secret, totpCode(secret, clock.now()), adminActor);
    // Enrolment used this step's code; move to the next step so a login code is fresh.
    clock.advance(30_000);
    return { user, password, secret, code: () => totpCode(secret, clock.now()) };
  }

  return { clock, audit, cipher, users, serviceAccounts, tokens, sessions, authenticator, enrolledUser };
}

/** Asserts that none of `secrets` occurs in the audit entries or in `texts` (error messages). */
export function assertNoSecrets(
  audit: MemoryAuditSink,
  secrets: readonly string[],
  texts: readonly string[] = [],
): void {
  const haystack = JSON.stringify(audit.entries) + '\n' + texts.join('\n');
  for (const s of secrets) assert.ok(!haystack.includes(s), `a secret leaked into audit or an error message`);
}

/** Runs `fn`, expecting a rejection with `code`; returns the error's message for leak checks. */
export async function rejectsWith(fn: Promise<unknown>, code: string): Promise<string> {
  try {
    await fn;
  } catch (e) {
    assert.equal((e as { code?: unknown }).code, code, `expected ${code}, got ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail(`expected a rejection with ${code}`);
}
