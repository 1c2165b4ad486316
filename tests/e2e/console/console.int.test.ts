/**
 * The console in real Chromium against the sandbox EHR: sign-in and session (console-session.ts) and
 * the review screen (console-review.ts). One server, one sandbox EHR and one browser serve the whole file,
 * since starting them is most of its cost; every test opens its own browser context and its own staff
 * and patients, so the tests stay independent of one another.
 */
import { describe } from 'node:test';
import { adminTests } from './console-admin.js';
import { automationTests } from './console-automation.js';
import { browserSkip, consoleSuite } from './console-harness.js';
import { mapsTests } from './console-maps.js';
import { qualityTests } from './console-quality.js';
import { queueTests } from './console-queues.js';
import { reviewTests } from './console-review.js';
import { sessionTests } from './console-session.js';
import { peopleTests } from './console-people.js';

describe('the console in Chromium', { skip: browserSkip() }, () => {
  const suite = consoleSuite();
  describe('sign-in and session', () => sessionTests(suite));
  describe('review', () => reviewTests(suite));
  describe('administration', () => adminTests(suite));
  describe('accessibility and keyboard', () => qualityTests(suite));
  describe('contacts and relationships', () => peopleTests(suite));
  describe('work queues and the patient page', () => queueTests(suite));
  describe('automation runs', () => automationTests(suite));
  describe('screen maps', () => mapsTests(suite));
});
