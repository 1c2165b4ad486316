/**
 * @module The extensions section: which of a deployment's own packages (docs/extending.md) the
 * server loads at start-up. Only the list is read here; loading them (and refusing a module that
 * is missing or exports no extension) happens in `startServer`, with every problem at once.
 */
import { parseSection, type EnvReader } from './env-reader.js';

export interface ExtensionsConfig {
  /**
   * STEWARD_EXTENSIONS: comma-separated module specifiers (an installed package, `@clinic/steward-x`)
   * or paths (`./extensions/x.js`, relative to the working directory). Default: none.
   */
  readonly modules: readonly string[];
}

export function readExtensionsConfig(r: EnvReader): ExtensionsConfig {
  const name = 'STEWARD_EXTENSIONS';
  const modules = (r.text(name) ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  const seen = new Set<string>();
  for (const m of modules) {
    if (seen.has(m)) r.refuse(name, `${JSON.stringify(m)} is listed twice`);
    seen.add(m);
    if (/\s/.test(m))
      r.refuse(name, `${JSON.stringify(m)} is not a module specifier or path (separate them with commas)`);
  }
  return { modules };
}

export const parseExtensionsConfig = (env?: NodeJS.ProcessEnv): ExtensionsConfig =>
  parseSection(readExtensionsConfig, env);
