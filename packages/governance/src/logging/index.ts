/** @module Logs without PHI. */
export { createLogger, redactPaths, serializeError } from './logger.js';
export type { Logger, LoggerConfig } from './logger.js';
