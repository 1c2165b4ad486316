#!/usr/bin/env node
// The `steward` command. Compiled by `npm ci` (prepare) or `npm run build`.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv);
