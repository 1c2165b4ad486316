/** @module Screen reads into the inbound journal: `ScreenReads` (one read, filed) and its periodic poller. */
export { ScreenReads, type ScreenReadsDeps, type ScreenReadResult } from './screen-reads.js';
export { ScreenReadPoller, type ScreenReadPollerOptions } from './screen-read-poller.js';
