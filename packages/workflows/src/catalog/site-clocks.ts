/**
 * @module What the built-in workflows take from a site's record when they start: a follow-up's zone
 * and quiet hours (reminders at the site's own 10:00), a referral's business calendar (due times in
 * the site's business days). Read by the routes (I/O is theirs) and fixed into the start payload,
 * so a workflow's decide step stays deterministic. A site without a record gives undefined, and the
 * workflow keeps its defaults (America/New_York, calendar days), as before sites existed.
 */
import type { SiteClock } from '@steward/clinic';
import { defaultFollowupSettings, type FollowupSettings } from '../followups/index.js';
import type { ReferralCalendar } from '../referrals/index.js';
import type { WorkflowHost } from './workflow-catalog.js';

const DAY = 86_400_000;
/** Holidays a referral keeps: from the day before it starts to this many days after (it expires long before). */
const HOLIDAY_HORIZON_DAYS = 400;

export function followupSettingsFor(clock: SiteClock): FollowupSettings {
  return { ...defaultFollowupSettings, zone: clock.zone, quiet: clock.quietHours };
}

export function referralCalendarFor(clock: SiteClock, from: Date): ReferralCalendar {
  const first = new Date(from.getTime() - DAY).toISOString().slice(0, 10);
  const last = new Date(from.getTime() + HOLIDAY_HORIZON_DAYS * DAY).toISOString().slice(0, 10);
  return {
    zone: clock.zone,
    businessHours: { ...clock.businessHours },
    holidays: clock.holidays.filter((d) => d >= first && d <= last),
  };
}

/** The clock of a connection's site, through the host; undefined without a site, a record or a reader. */
async function clockOf(host: WorkflowHost, connectionId: string): Promise<SiteClock | undefined> {
  if (host.siteClockOf === undefined) return undefined;
  const site = await host.siteOf(connectionId);
  return site === undefined ? undefined : host.siteClockOf(site);
}

export function followupSettingsOf(host: WorkflowHost) {
  return async (connectionId: string): Promise<FollowupSettings | undefined> => {
    const clock = await clockOf(host, connectionId);
    return clock === undefined ? undefined : followupSettingsFor(clock);
  };
}

export function referralCalendarOf(host: WorkflowHost) {
  return async (connectionId: string, from: Date): Promise<ReferralCalendar | undefined> => {
    const clock = await clockOf(host, connectionId);
    return clock === undefined ? undefined : referralCalendarFor(clock, from);
  };
}
