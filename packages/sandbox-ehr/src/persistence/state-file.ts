/**
 * @module A small JSON state file replaced atomically (write a temporary file, fsync it, rename it over the old
 * one, fsync the directory), so a crash leaves either the old or the new state, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OperationalError } from '@steward/core';

export function saveStateFile(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  const data = Buffer.from(JSON.stringify(value), 'utf8');
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** The saved value, or undefined when there is none yet. */
export function loadStateFile<T>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new OperationalError('STORE_UNAVAILABLE', `the sandbox state file ${path} is damaged; move it away to reset`);
  }
}
