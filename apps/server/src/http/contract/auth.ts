/** @module Signing in, who am I, and break-glass: the shapes of /auth, /me and /break-glass. */
import { Type } from 'typebox';
import { AuditEntry } from './audit.js';
import { DateTime, List, Maybe, QueryFlag, SiteCode, Strict } from './common.js';

export const LoginBody = Strict({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  totpCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  /**
   * The console asks for its session in an HttpOnly cookie (with the X-Steward-CSRF header); the
   * token is then not in the answer. Over plain HTTP to another host than this one's loopback, a
   * Secure cookie would be dropped, so the token comes back as a bearer instead (ADR 0014).
   */
  cookie: Type.Optional(Type.Boolean()),
});

export const LoginResult = Type.Object({
  /** The bearer token; absent when the session was set as a cookie. */
  sessionToken: Type.Optional(Type.String()),
  /** Whether the session is in the HttpOnly cookie (then JavaScript never sees the token). */
  sessionCookie: Type.Boolean(),
  expiresAt: DateTime,
  absoluteExpiresAt: DateTime,
  idleTimeoutSeconds: Type.Integer(),
});

/** Said to anyone (no data): the sandbox demo runs, so its accounts can be printed with `steward demo-accounts`. */
export const SignInInfo = Type.Object({ demo: Type.Boolean() });

export const Grant = Type.Object({
  id: Type.String(),
  role: Type.String(),
  site: Type.String(),
  workflow: Type.String(),
  purposeOfUse: Type.String(),
});

/** A break-glass episode: who, where, why, until when, and its compliance review. */
export const BreakGlassEpisode = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  site: Type.String(),
  reason: Type.String(),
  startedAt: DateTime,
  expiresAt: DateTime,
  reviewedAt: Maybe(DateTime),
  reviewedBy: Maybe(Type.String()),
});

export const Me = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  name: Type.String(),
  authMethod: Type.String(),
  scopes: Maybe(List(Type.String())),
  grants: List(Grant),
  permissions: Type.Unsafe<Readonly<Record<string, readonly string[]>>>(
    Type.Object(
      {},
      {
        description: 'Each action the grants allow, with the sites where ("*" for every site)',
        additionalProperties: Type.Array(Type.String()),
      },
    ),
  ),
  /** Whether this user may start break-glass access (so the console offers it, or says why not). */
  breakGlassEligible: Type.Boolean(),
  /** The server's clock at this answer (time left on break-glass is counted on it). */
  serverTime: DateTime,
  /** For a session: the idle limit the server enforces, which the console's lock follows. */
  idleTimeoutSeconds: Maybe(Type.Integer()),
  breakGlass: List(
    Type.Object({
      id: Type.String(),
      site: Type.String(),
      reason: Type.String(),
      startedAt: DateTime,
      expiresAt: DateTime,
    }),
  ),
});

export const BreakGlassBody = Strict({
  site: SiteCode,
  reason: Type.String({ minLength: 10, maxLength: 2000 }),
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});
export const BreakGlassQuery = Strict({ unreviewed: Type.Optional(QueryFlag) });
export const BreakGlassList = Type.Object({ items: List(BreakGlassEpisode) });
/** Paging the accesses of one episode: entries after this audit seq (the previous answer's `next`). */
export const BreakGlassAccessesQuery = Strict({ after: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })) });

/**
 * The accesses made under one episode, for its compliance review: the audit entries carrying the
 * episode's id (its start and review left out), oldest first, each with its patients by name and
 * birth date (ADR 0021: the one compliance view that shows them; the display is audited).
 */
export const BreakGlassAccesses = Type.Object({
  episode: BreakGlassEpisode,
  items: List(AuditEntry),
  /** Pass as `after` for the next page; absent on the last. */
  next: Maybe(Type.Integer()),
});

export const BreakGlassReviewBody = Strict({ note: Type.String({ minLength: 1, maxLength: 4000 }) });
