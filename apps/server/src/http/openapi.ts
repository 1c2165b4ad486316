/**
 * @module The OpenAPI document without a running server: the app built in-process on an inert
 * kernel (no store, no keys, no network) and asked for `app.swagger()`. Routes only keep
 * references to the kernel's parts when they are registered (except the action registry, which
 * the review schemas list), so the inert kernel is never called; if a route ever does call it while registering, this throws and says which part.
 * `npm run api:generate` writes the console's types from this document.
 */
import type { FastifyInstance } from 'fastify';
import { createLogger } from '@steward/governance';
import { builtinActions } from '@steward/proposals';
import type { Kernel } from '../kernel.js';
import { buildApp, type AppConfig } from './app.js';

/** Settings that shape no part of the document. */
const documentConfig: AppConfig = {
  tls: undefined,
  bodyLimitBytes: 64 * 1024,
  rateLimitPerMinute: 600,
  loginRateLimitPerMinute: 10,
  sessionIdleMinutes: 15,
  trustProxy: false,
};

function inert(path: string): unknown {
  const fail = (): never => {
    throw new Error(
      `the OpenAPI document is built without a kernel, but a route used kernel.${path} while registering`,
    );
  };
  return new Proxy(fail, {
    get: (_target, key) => (typeof key === 'symbol' ? undefined : inert(`${path}.${key}`)),
    apply: fail,
    construct: fail,
  });
}

/** The OpenAPI document the server serves at `/openapi.json`. */
export async function openApiDocument(): Promise<Exclude<ReturnType<FastifyInstance['swagger']>, string>> {
  // The one part a route reads while registering: the action types its schemas name (a server
  // with extensions serves its own registry's; the document is the built-in one's).
  const kernel = new Proxy({} as Kernel, {
    get: (_target, key) => (key === 'actions' ? builtinActions : inert(String(key))),
  });
  const app = await buildApp(kernel, documentConfig, createLogger({ level: 'silent' }));
  try {
    return app.swagger();
  } finally {
    await app.close();
  }
}
