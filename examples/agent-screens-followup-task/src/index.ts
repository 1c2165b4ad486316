/** @module An example outside agent that writes through an EHR's screens (issue 18): no-shows in, follow-up task proposals out. */
export { ScreensFollowupAgent, listensTo, type FollowupConfig, type Handled } from './agent.js';
export { followup, serviceOf, workingDaysAfter, type FollowupDecision, type MissedVisit } from './followup.js';
