/**
 * @module The local programs intake reads documents with (tesseract, poppler, zbar, ImageMagick):
 * found by path (`/usr/bin` first, then `PATH`, so a stand-in earlier on `PATH` such as a
 * non-ImageMagick `convert` in `/usr/local/bin` is not picked up), run with `execFile` (no shell),
 * each under a time limit, at most `concurrency` at a time. Errors name the program and the step,
 * never the file's content.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { OperationalError, UserError } from '@steward/core';

/** Each program and the Debian package that installs it. */
export const toolPackages = {
  tesseract: 'tesseract-ocr (with tesseract-ocr-eng)',
  pdftoppm: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  zbarimg: 'zbar-tools',
  convert: 'imagemagick',
  identify: 'imagemagick',
} as const;
export type ToolName = keyof typeof toolPackages;

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where a program is: `/usr/bin/<name>` when it is there (the Debian package's own), else the first
 * on `PATH`. Throws INTAKE_TOOL_MISSING naming the Debian package when neither has it.
 */
export function resolveTool(
  name: ToolName,
  searchPath: string = process.env['PATH'] ?? '',
  systemDir = '/usr/bin',
): string {
  const candidates = [
    join(systemDir, name),
    ...searchPath
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, name)),
  ];
  const found = candidates.find(executable);
  if (found === undefined) {
    throw new UserError(
      'INTAKE_TOOL_MISSING',
      `intake cannot read documents: the program '${name}' is not installed (Debian package: ${toolPackages[name]})`,
      [{ path: name, message: `install ${toolPackages[name]}` }],
    );
  }
  return found;
}

/** A counting semaphore: at most `limit` tasks run at once, the rest wait in order. */
export class Limiter {
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#active += 1;
    try {
      return await task();
    } finally {
      this.#active -= 1;
      this.#waiting.shift()?.();
    }
  }
}

export interface ToolOptions {
  readonly timeoutMs: number;
  /** What the step is, for an error message: `page 3 OCR`. Never a file name or content. */
  readonly step: string;
  readonly encoding?: 'buffer' | 'utf8';
  /** Exit codes that are answers, not failures (zbarimg's 4: no barcode found). */
  readonly okExitCodes?: readonly number[];
}

/** Runs programs found once, under a shared limiter. */
export class Tools {
  readonly #paths = new Map<ToolName, string>();
  readonly #limiter: Limiter;
  constructor(concurrency: number) {
    this.#limiter = new Limiter(concurrency);
  }

  path(name: ToolName): string {
    let path = this.#paths.get(name);
    if (path === undefined) {
      path = resolveTool(name);
      this.#paths.set(name, path);
    }
    return path;
  }

  /** Runs a program to its end; its stdout. A failure or a timeout is INTAKE_TOOL_FAILED (retryable). */
  run(name: ToolName, args: readonly string[], options: ToolOptions & { encoding: 'buffer' }): Promise<Buffer>;
  run(name: ToolName, args: readonly string[], options: ToolOptions): Promise<string>;
  run(name: ToolName, args: readonly string[], options: ToolOptions): Promise<string | Buffer> {
    const file = this.path(name);
    return this.#limiter.run(
      () =>
        new Promise<string | Buffer>((resolve, reject) => {
          execFile(
            file,
            [...args],
            {
              encoding: options.encoding === 'buffer' ? 'buffer' : 'utf8',
              timeout: options.timeoutMs,
              killSignal: 'SIGKILL',
              maxBuffer: 256 * 1024 * 1024,
              // One thread per tesseract: the limiter decides how many run, not OpenMP.
              env: { ...process.env, OMP_THREAD_LIMIT: '1', MAGICK_THREAD_LIMIT: '1' },
              windowsHide: true,
            },
            (error, stdout) => {
              if (
                error === null ||
                (typeof error.code === 'number' && options.okExitCodes?.includes(error.code) === true)
              ) {
                resolve(stdout);
                return;
              }
              const timedOut = (error as { killed?: boolean }).killed === true;
              const exit = typeof error.code === 'number' ? ` (exit ${error.code})` : '';
              // The program's own stderr may quote a file name: keep it out of the message.
              reject(
                new OperationalError(
                  'INTAKE_TOOL_FAILED',
                  timedOut
                    ? `${name} ran past its ${options.timeoutMs} ms limit (${options.step})`
                    : `${name} failed${exit} (${options.step})`,
                  [{ path: name, message: options.step }],
                ),
              );
            },
          );
        }),
    );
  }
}

/** Runs `work` with a private temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'steward-intake-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
