/** @module Reading a secret: from a file, an environment variable, or a hidden prompt on a terminal. */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ValidationError } from '@steward/core';
import type { CliIo } from './io.js';

export async function readSecret(io: CliIo, label: string, file: string | undefined, envName: string): Promise<string> {
  if (file !== undefined) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new ValidationError(`${label} is required`, [
      { path: envName, message: `set ${envName}, pass a --*-password-file, or run on a terminal to be asked` },
    ]);
  }
  return hiddenPrompt(io, `${label}: `);
}

/** Asked only on a terminal: `io.stdin` and `io.stderr` are then the process's own streams. */
function hiddenPrompt(io: CliIo, question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    io.stderr.write(question);
    // Echo nothing while the secret is typed.
    output._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** Asks for a value that is not secret (a username) on a terminal; refuses off one, naming the flag. */
export async function readValue(
  io: CliIo,
  label: string,
  value: string | undefined,
  envName: string,
  flag: string,
): Promise<string> {
  if (value !== undefined) return value;
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.stdin.isTTY !== true) {
    throw new ValidationError(`${label} is required`, [
      { path: flag, message: `pass ${flag}, set ${envName}, or run on a terminal to be asked` },
    ]);
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question(`${label}: `, resolve));
  } finally {
    rl.close();
  }
}
