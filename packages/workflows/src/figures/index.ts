/** @module Operations figures over the workflows' state: referral weeks, time in stage, no-shows by service line. */
export { referralWeeks, referralTimeInStage, noShowsByServiceLine } from './operations-figures.js';
export type { FigureWindow, ReferralWeek, StageDuration, NoShowLine } from './operations-figures.js';
