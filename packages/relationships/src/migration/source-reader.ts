/**
 * @module Reads a practice's export from disk: the contacts file (CSV or JSON) named on the
 * command line, the mapping, and the relationship and note files the mapping names (relative to
 * the mapping file). A JSON contacts file may instead hold all three lists
 * (`{ "contacts": [...], "relationships": [...], "notes": [...] }`). CSV rows that cannot be
 * parsed, or have the wrong number of columns, are kept as malformed rows (file and line, never
 * content) so the reconciliation lists them. The CLI reads the files from disk (`readContactSource`);
 * the console uploads them (`contactSourceOfFiles`): both go through the same parser. Known limit: the whole source is held in memory.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { UserError, ValidationError } from '@steward/core';
import { parseMapping, type ContactMapping } from './mapping.js';

export interface SourceRow {
  /** The file name (no directories) and the row's line (CSV) or index + 1 (JSON), for reports. */
  readonly file: string;
  readonly row: number;
  /** Undefined for a malformed row: `problem` says why. */
  readonly values: Readonly<Record<string, unknown>> | undefined;
  readonly problem?: string;
}

export interface ContactSource {
  readonly mapping: ContactMapping;
  /** SHA-256 of every file read: the same export resumes the same import run. */
  readonly digest: string;
  readonly contacts: readonly SourceRow[];
  readonly relationships: readonly SourceRow[];
  readonly notes: readonly SourceRow[];
}

/** One file of an export: its name (no directories; the mapping names the others by it) and its bytes. */
export interface SourceFile {
  readonly name: string;
  readonly bytes: Buffer;
}

export async function readContactSource(contactsFile: string, mappingFile: string): Promise<ContactSource> {
  const load = async (path: string, what: string): Promise<SourceFile> => {
    try {
      return { name: basename(path), bytes: await readFile(path) };
    } catch (e) {
      throw new UserError(
        'VALIDATION_FAILED',
        `cannot read the ${what} file ${basename(path)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  };
  const mapping = await load(mappingFile, 'mapping');
  const contacts = await load(contactsFile, 'contacts');
  return parseContactSource(mapping, contacts, (file, what) => load(resolve(dirname(mappingFile), file), what));
}

/**
 * The files of an export as uploaded (the console): the relationship and note files the mapping
 * names are looked up by name among `others`; a missing one is a validation error naming it.
 */
export function contactSourceOfFiles(
  mapping: SourceFile,
  contacts: SourceFile,
  others: readonly SourceFile[],
): Promise<ContactSource> {
  return parseContactSource(mapping, contacts, (file, what) => {
    const found = others.find((o) => o.name === basename(file));
    if (found === undefined)
      throw new ValidationError(`the mapping names a ${what} file that was not uploaded`, [
        { path: basename(file), message: `upload ${basename(file)} with the contacts file` },
      ]);
    return Promise.resolve(found);
  });
}

/** One parser for both: the digest covers the mapping, the contacts and then the named files, in that order. */
async function parseContactSource(
  mappingFile: SourceFile,
  main: SourceFile,
  named: (file: string, what: string) => Promise<SourceFile>,
): Promise<ContactSource> {
  const hash = createHash('sha256');
  hash.update(mappingFile.bytes);
  let mappingJson: unknown;
  try {
    mappingJson = JSON.parse(mappingFile.bytes.toString('utf8'));
  } catch {
    throw new ValidationError('the mapping file is not valid JSON', [{ path: mappingFile.name, message: 'not JSON' }]);
  }
  const mapping = parseMapping(mappingJson, mappingFile.name);
  hash.update(main.bytes);
  const contactsFile = main.name;
  let contacts: SourceRow[];
  let embedded: { relationships?: SourceRow[]; notes?: SourceRow[] } = {};
  if (isJson(contactsFile)) {
    const doc = parseJson(main.bytes, contactsFile);
    if (Array.isArray(doc)) contacts = jsonRows(doc, contactsFile);
    else if (typeof doc === 'object' && doc !== null && Array.isArray((doc as Record<string, unknown>)['contacts'])) {
      const d = doc as Record<string, unknown[] | undefined>;
      contacts = jsonRows(d['contacts'] ?? [], `${contactsFile}#contacts`);
      embedded = {
        ...(Array.isArray(d['relationships'])
          ? { relationships: jsonRows(d['relationships'], `${contactsFile}#relationships`) }
          : {}),
        ...(Array.isArray(d['notes']) ? { notes: jsonRows(d['notes'], `${contactsFile}#notes`) } : {}),
      };
    } else
      throw new ValidationError('the contacts JSON must be a list of contacts or an object with a `contacts` list', [
        { path: contactsFile, message: 'unexpected shape' },
      ]);
  } else contacts = csvRows(main.bytes, contactsFile);
  const section = async (
    file: string | undefined,
    fallback: SourceRow[] | undefined,
    what: string,
  ): Promise<SourceRow[]> => {
    if (file === undefined) return fallback ?? [];
    const { name, bytes } = await named(file, what);
    hash.update(bytes);
    if (!isJson(name)) return csvRows(bytes, name);
    const doc = parseJson(bytes, name);
    if (!Array.isArray(doc))
      throw new ValidationError(`the ${what} JSON must be a list`, [{ path: name, message: 'expected an array' }]);
    return jsonRows(doc, name);
  };
  const relationships = await section(mapping.relationships?.file, embedded.relationships, 'relationships');
  const notes = await section(mapping.notes?.file, embedded.notes, 'notes');
  return { mapping, digest: hash.digest('hex'), contacts, relationships, notes };
}

function isJson(path: string): boolean {
  return extname(path).toLowerCase() === '.json';
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ValidationError('a source file is not valid JSON', [{ path: basename(path), message: 'not JSON' }]);
  }
}

function jsonRows(list: readonly unknown[], file: string): SourceRow[] {
  return list.map((v, i) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? { file, row: i + 1, values: v as Record<string, unknown> }
      : { file, row: i + 1, values: undefined, problem: 'not an object' },
  );
}

/** CSV with a header row; rows report their line number in the file. */
export function csvRows(bytes: Buffer, file: string): SourceRow[] {
  const skipped: SourceRow[] = [];
  const records = parse(bytes, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      const line = (err as { lines?: number } | undefined)?.lines ?? 0;
      skipped.push({ file, row: line, values: undefined, problem: `unparseable CSV (${err?.code ?? 'error'})` });
      return undefined;
    },
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const header = records[0]?.record;
  if (header === undefined) return skipped;
  const rows: SourceRow[] = records.slice(1).map(({ record, info }) => {
    if (record.length !== header.length)
      return {
        file,
        row: info.lines,
        values: undefined,
        problem: `${record.length} columns, expected ${header.length}`,
      };
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = record[i] ?? ''));
    return { file, row: info.lines, values };
  });
  return [...rows, ...skipped].sort((a, b) => a.row - b.row);
}
