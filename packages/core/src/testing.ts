/** @module Test helpers shared by every package's tests. */
export { ManualClock } from './clock.js';
export { fixturesDir, thirdPartyFixture } from './fixtures.js';
