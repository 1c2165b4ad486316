#!/usr/bin/env node
/**
 * The API types of the console and of the SDK, generated from the server's OpenAPI document (ADR 0012).
 *
 *   node scripts/api-generate.mjs          writes apps/console/src/api/schema.d.ts and packages/sdk/src/schema.ts
 *   node scripts/api-generate.mjs --check  generates in memory; fails if a file differs
 *
 * No server runs: the Fastify app is built in-process on an inert kernel and asked for its
 * document (apps/server/src/http/openapi.ts), so this needs the server compiled (`npx tsc -b`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = ['apps/console/src/api/schema.d.ts', 'packages/sdk/src/schema.ts'];
const check = process.argv.includes('--check');

const { openApiDocument } = await import(`${root}apps/server/dist/http/openapi.js`).catch((e) => {
  console.error(`api: cannot load the server's compiled OpenAPI document builder (run npx tsc -b first): ${e.message}`);
  process.exit(2);
});
const doc = await openApiDocument();
const header = [
  '/**',
  ' * @module The Steward API as types, generated from the server’s OpenAPI document.',
  ' * Do not edit: change the contract in apps/server/src/http/contract/, then run `npm run api:generate`.',
  ' */',
  '',
].join('\n');
const body = astToString(await openapiTS(doc, { exportType: true, alphabetize: true }));
let stale = 0;
for (const rel of targets) {
  const target = `${root}${rel}`;
  const options = { ...(await prettier.resolveConfig(target)), filepath: target };
  const generated = await prettier.format(header + body, options);
  if (check) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== generated) {
      console.error(`api: ${rel} is not what the server’s contract generates.`);
      stale += 1;
    }
  } else {
    await writeFile(target, generated);
    console.log(`api: wrote ${rel} (${Object.keys(doc.paths ?? {}).length} paths)`);
  }
}
if (stale > 0) {
  console.error('     Run `npm run api:generate` and commit the result.');
  process.exit(1);
}
if (check) console.log('api: the console’s and the SDK’s generated types match the server’s OpenAPI document');
