/**
 * @module Test-only: reads the third-party recordings in ../shared/fixtures/third-party/ (beside
 * the repository checkout; `STEWARD_FIXTURES` overrides the fixtures folder). Never edits them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '@steward/core/testing';

export function thirdParty(...parts: string[]): string {
  return join(fixturesDir(), 'third-party', ...parts);
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** JSON.parse of a fixture (a BOM, if any, is the parser-under-test's job, so strip it here only for convenience). */
export function readJson(path: string): unknown {
  return JSON.parse(readText(path).replace(/^\uFEFF/, '')) as unknown;
}

/** The R4 core examples whose file names start with `<Type>-`. */
export function r4Examples(type: string): { name: string; path: string }[] {
  const dir = thirdParty('fhir-r4-examples', 'r4-core');
  return readdirSync(dir)
    .filter((n) => n.startsWith(`${type}-`) && n.endsWith('.json'))
    .sort()
    .map((name) => ({ name, path: join(dir, name) }));
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}
