/** @module Sites: admin-managed records with their own clocks (zone, business days, holidays, quiet hours). */
export { BusinessCalendar } from './business-calendar.js';
export {
  defaultBusinessHours,
  defaultQuietHours,
  isValidZone,
  siteCode,
  siteProblems,
  weekdays,
  type BusinessHours,
  type OpeningHours,
  type Site,
  type SiteClock,
  type SiteInput,
  type Weekday,
} from './site-model.js';
export {
  SiteRegistry,
  type SiteAudit,
  type SiteListing,
  type SiteReference,
  type SiteRegistryDeps,
  type SiteStaffCheck,
} from './site-registry.js';
