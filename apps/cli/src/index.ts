/** @module @steward/cli: the `steward` command. */
export { main } from './main.js';
