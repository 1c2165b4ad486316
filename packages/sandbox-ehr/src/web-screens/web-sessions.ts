/**
 * @module The web screens' users and cookie sessions. A session ends after `idleMs` without a request
 * (or when a test expires them all); the next request with its cookie shows the "Session expired" screen, not
 * the page, and ends it (later requests go to the sign-in screen).
 * Known limits: users and sessions live in memory (a restart signs everyone out); no lock-out after
 * failed sign-ins (a test double, bound to 127.0.0.1).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@steward/core';
import { base32Decode, verifyTotp } from './totp.js';

export interface WebUser {
  readonly username: string;
  readonly password: string;
  /** The authenticator secret, base32 (RFC 4648), as an enrolment QR code would carry it. */
  readonly totpSecret: string;
  /** The name the screens greet the user with. */
  readonly displayName?: string;
}

export type SessionState =
  | { readonly kind: 'active'; readonly user: WebUser; readonly variant: string }
  | { readonly kind: 'expired' }
  | { readonly kind: 'none' };

interface Session {
  readonly user: WebUser;
  readonly variant: string;
  lastSeen: number;
  expired: boolean;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export class WebSessions {
  readonly #users = new Map<string, WebUser>();
  readonly #sessions = new Map<string, Session>();
  readonly #clock: Clock;
  #idleMs: number;

  constructor(options: { readonly clock: Clock; readonly idleMs: number; readonly users?: readonly WebUser[] }) {
    this.#clock = options.clock;
    this.#idleMs = options.idleMs;
    for (const user of options.users ?? []) this.register(user);
  }

  get idleMs(): number {
    return this.#idleMs;
  }

  /** Adds or replaces a user; refuses a secret that is not base32. */
  register(user: WebUser): void {
    if (user.username === '' || user.password === '') throw new Error('a web user needs a username and a password');
    if (base32Decode(user.totpSecret).length < 10) throw new Error('a TOTP secret must be at least 80 bits');
    this.#users.set(user.username, user);
  }

  get usernames(): string[] {
    return [...this.#users.keys()];
  }

  /** A new session id, or why not (one message for any wrong part, as real sign-in screens say). */
  signIn(username: string, password: string, code: string, variant: string): { id: string } | { error: string } {
    const user = this.#users.get(username);
    const passwordOk = user !== undefined && timingSafeEqual(digest(user.password), digest(password));
    if (!user || !passwordOk) return { error: 'The username or password is incorrect.' };
    if (!verifyTotp(user.totpSecret, code.trim(), this.#clock.now().getTime())) {
      return { error: 'The verification code is incorrect or has expired.' };
    }
    const id = randomBytes(24).toString('base64url');
    this.#sessions.set(id, { user, variant, lastSeen: this.#clock.now().getTime(), expired: false });
    return { id };
  }

  /** The session behind a cookie; an active one's idle time starts again. */
  touch(id: string | undefined): SessionState {
    const session = id === undefined ? undefined : this.#sessions.get(id);
    if (!session) return { kind: 'none' };
    const now = this.#clock.now().getTime();
    if (session.expired || now - session.lastSeen > this.#idleMs) {
      session.expired = true;
      return { kind: 'expired' };
    }
    session.lastSeen = now;
    return { kind: 'active', user: session.user, variant: session.variant };
  }

  signOut(id: string | undefined): void {
    if (id !== undefined) this.#sessions.delete(id);
  }

  /** Ends every active session now (their cookies then show "Session expired"); how many were active. */
  expireAll(): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (!session.expired) count += 1;
      session.expired = true;
    }
    return count;
  }

  setIdleMs(ms: number): void {
    this.#idleMs = ms;
  }
}
