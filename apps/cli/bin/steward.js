#!/usr/bin/env node
// The `steward` command. Compiled by `npm ci` (prepare) or `npm run build`.
// Node 22+ keeps compiled code between runs (in the OS temp directory): each command starts faster.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../dist/main.js');
// The command's exit code (docs/errors.md); `main` never exits the process itself.
process.exitCode = await main(process.argv.slice(2));
