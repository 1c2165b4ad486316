/**
 * @module Writes the files of an uncompressed ustar archive (what PGlite's `dumpDataDir('none')`
 * makes) into a directory: regular files and directories only, which is all a data directory holds.
 * Written here rather than taken from a tar library: it serves only the tests' store copies, reads
 * the one format PGlite writes, and is 40 lines with its refusals (links, paths outside) tested.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';

const BLOCK = 512;

function field(header: Buffer, start: number, end: number): string {
  const bytes = header.subarray(start, end);
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
}

/** Extracts `tar` into `dir` (files 0600, directories 0700); refuses any other entry or a path out of `dir`. */
export function untarInto(tar: Buffer, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // the end-of-archive blocks
    const prefix = field(header, 345, 500);
    const name = prefix === '' ? field(header, 0, 100) : `${prefix}/${field(header, 0, 100)}`;
    const size = parseInt(field(header, 124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const path = join(dir, name);
    const inside = relative(dir, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`tar entry outside the directory: ${name}`);
    const body = offset + BLOCK;
    if (type === '5') {
      mkdirSync(path, { recursive: true, mode: 0o700 });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(path, tar.subarray(body, body + size), { mode: 0o600 });
    } else {
      throw new Error(`unsupported tar entry type '${type}' for ${name}`);
    }
    offset = body + Math.ceil(size / BLOCK) * BLOCK;
  }
}
