/**
 * @module Loads the extensions a deployment names in STEWARD_EXTENSIONS: each module is imported
 * (a path relative to the working directory, or a package resolved from it, then from Steward's
 * own install) and its extensions taken: the default export when it is one, else every named
 * export that is one. A module that cannot be found, fails to load, or exports no extension is
 * refused at start-up with CONFIG_INVALID naming it; every problem is reported at once.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ErrorDetail } from '@steward/core';
import type { StewardExtension } from './extensions.js';

const SETTING = 'STEWARD_EXTENSIONS';

/** The shape `StewardExtension` promises, checked on a module's exports (they come from outside). */
export function isStewardExtension(value: unknown): value is StewardExtension {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (typeof v['name'] !== 'string' || v['name'].trim() === '') return false;
  const actions = v['actions'] === undefined || Array.isArray(v['actions']);
  const workflows = v['workflows'] === undefined || Array.isArray(v['workflows']);
  const committers = v['committers'] === undefined || typeof v['committers'] === 'function';
  const bringsSomething = v['actions'] !== undefined || v['workflows'] !== undefined || v['committers'] !== undefined;
  return actions && workflows && committers && bringsSomething;
}

/** The extensions a module exports: its default export, or else each named export that is one. */
export function extensionsOf(module: Readonly<Record<string, unknown>>): StewardExtension[] {
  if (isStewardExtension(module['default'])) return [module['default']];
  return Object.entries(module)
    .filter(([key]) => key !== 'default')
    .map(([, value]) => value)
    .filter(isStewardExtension);
}

const isPath = (specifier: string): boolean =>
  specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier);

/** What `import()` is given: a file URL for a path or a package the working directory can resolve. */
function target(specifier: string, cwd: string): string {
  if (isPath(specifier)) return pathToFileURL(resolve(cwd, specifier)).href;
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(specifier)).href;
  } catch {
    // Not installed beside the deployment: Steward's own install may hold it (a workspace package).
    return specifier;
  }
}

const notFound = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
};

/** Imports every listed module and returns their extensions, in the order listed. */
export async function loadExtensions(
  specifiers: readonly string[],
  cwd: string = process.cwd(),
): Promise<StewardExtension[]> {
  const problems: ErrorDetail[] = [];
  const out: StewardExtension[] = [];
  for (const specifier of specifiers) {
    const name = JSON.stringify(specifier);
    let module: Record<string, unknown>;
    try {
      module = (await import(target(specifier, cwd))) as Record<string, unknown>;
    } catch (e) {
      problems.push({
        path: SETTING,
        message: notFound(e)
          ? `${name}: module not found (install the package, or give a path starting with ./ or /)`
          : `${name}: the module failed to load (${e instanceof Error ? e.name : 'error'}: ${e instanceof Error ? e.message.split('\n')[0] : ''})`,
      });
      continue;
    }
    const found = extensionsOf(module);
    if (found.length === 0)
      problems.push({
        path: SETTING,
        message: `${name}: not a Steward extension (export one, default or named: { name, actions?, committers?, workflows? }; docs/extending.md)`,
      });
    out.push(...found);
  }
  const names = new Set<string>();
  for (const e of out) {
    if (names.has(e.name))
      problems.push({ path: SETTING, message: `the extension ${JSON.stringify(e.name)} is loaded twice` });
    names.add(e.name);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
