/**
 * @module A `DocumentReader` stand-in for tests: it returns the `ReadResult` scripted for a file's
 * bytes (by their text), or throws the error scripted for them, and counts what it was asked to
 * read. It reads nothing itself: the real reader is `reading/`.
 */
import { ValidationError } from '@steward/core';
import type { DocumentReader, IntakeFile, ReadResult } from '../model/intake-model.js';

export class ScriptedReader implements DocumentReader {
  readonly #results = new Map<string, ReadResult | Error>();
  readonly calls: IntakeFile[] = [];

  /** What reading the file whose bytes are `content` (as UTF-8) gives. */
  script(content: string | Uint8Array, result: ReadResult | Error): this {
    this.#results.set(keyOf(content), result);
    return this;
  }

  read(file: IntakeFile): Promise<ReadResult> {
    this.calls.push(file);
    const result = this.#results.get(keyOf(file.bytes));
    if (result === undefined)
      return Promise.reject(
        new ValidationError('the file cannot be read', [
          { path: 'file', message: 'the stand-in reader has no script for it' },
        ]),
      );
    return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
  }
}

const keyOf = (content: string | Uint8Array): string =>
  typeof content === 'string' ? content : Buffer.from(content).toString('utf8');

/** A 1×1 grayscale PNG: a page image for tests. */
export const tinyPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==',
  'base64',
);
