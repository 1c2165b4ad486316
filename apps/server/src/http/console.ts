/**
 * @module The web console, served from the same origin as the API: its built files under
 * /console/ (no PHI in them: everything the console shows comes from the authenticated API), `/`
 * sent there (static files: not rate limited, so a busy API cannot keep the page from loading),
 * and a Content-Security-Policy strict enough that injected markup cannot run script
 * or load anything from elsewhere.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { consoleDistDir } from '@steward/console';

/**
 * The policy for every response (API answers included). No inline script or style, no eval, no
 * plug-ins, no framing; only this origin for script, style, fonts, images and fetches (images also from the page's own
 * data: and blob: URLs).
 * `upgrade-insecure-requests` only over TLS: on plain loopback it would send the console's own
 * requests to an https port that does not exist.
 */
export function contentSecurityPolicy(tls: boolean): Record<string, string[]> {
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    // blob: the intake viewer's page images, fetched with the session and shown from object URLs
    // the page itself made (an <img> cannot send the bearer a non-cookie session needs).
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    manifestSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
    ...(tls ? { upgradeInsecureRequests: [] } : {}),
  };
}

export async function consoleRoutes(app: FastifyInstance, dir: string = consoleDistDir): Promise<void> {
  const built = existsSync(join(dir, 'index.html'));
  await app.register(fastifyStatic, { root: dir, serve: false });
  app.get('/', { config: { public: true, rateLimit: false }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/console/'),
  );
  app.get('/console', { config: { public: true, rateLimit: false }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/console/'),
  );
  app.get('/console/', { config: { public: true, rateLimit: false }, schema: { hide: true } }, (_request, reply) => {
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build` (it builds apps/console), then restart.');
    }
    return reply.header('cache-control', 'no-store').sendFile('index.html', { cacheControl: false });
  });
  app.get<{ Params: { file: string } }>(
    '/console/assets/:file',
    {
      config: { public: true, rateLimit: false },
      schema: {
        hide: true,
        params: {
          type: 'object',
          properties: { file: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } },
        },
      },
    },
    // Vite names assets by content hash, so they never change under one name.
    (request, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(join('assets', request.params.file), { cacheControl: false }),
  );
}
