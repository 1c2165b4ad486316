/** @module Where the built console is, for the server that serves it. */
import { fileURLToPath } from 'node:url';

/** The folder `vite build` writes (index.html and hashed assets). */
export const consoleDistDir = fileURLToPath(new URL('./dist/', import.meta.url));
