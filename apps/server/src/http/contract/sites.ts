/**
 * @module Sites' requests and answers (packages/clinic/src/sites): a site code, its name and clock
 * (IANA zone, business hours per weekday, holidays, quiet hours), its EHR organizations and
 * locations, owner pool and escalation contacts. Shapes here; the service checks the zone, the
 * hours and the dates, with every problem at once.
 */
import { Type } from 'typebox';
import { DateTime, List, Maybe, Nullable, SiteCode, Strict } from './common.js';

const Hhmm = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:mm' });
const Opening = Strict({ open: Hhmm, close: Hhmm });
const Day = Nullable(Opening);
const Quiet = Strict({ start: Hhmm, end: Hhmm });
const Reference = Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S+$' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD at the site' });

const fields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  zone: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Los_Angeles' }),
  ),
  businessHours: Type.Optional(
    Strict(
      {
        mon: Type.Optional(Day),
        tue: Type.Optional(Day),
        wed: Type.Optional(Day),
        thu: Type.Optional(Day),
        fri: Type.Optional(Day),
        sat: Type.Optional(Day),
        sun: Type.Optional(Day),
      },
      { description: 'per weekday: open and close, or null (closed); days left out keep their hours' },
    ),
  ),
  holidays: Type.Optional(Type.Array(IsoDate, { maxItems: 1000, description: 'replaces the list' })),
  quietHours: Type.Optional(Nullable(Quiet)),
  ehrRefs: Type.Optional(
    Type.Array(Reference, { maxItems: 200, description: 'EHR organizations and locations (Organization/1)' }),
  ),
  ownerPool: Type.Optional(Nullable(Reference)),
  escalationContacts: Type.Optional(Type.Array(Reference, { maxItems: 200 })),
};

export const SiteParams = Strict({ id: SiteCode });
export const NewSiteBody = Strict({ id: SiteCode, ...fields });
export const UpdateSiteBody = Strict({
  ...fields,
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you saw' })),
});

const Hours = Type.Object({ open: Type.String(), close: Type.String() });
export const Site = Type.Object({
  id: Type.String(),
  name: Type.String(),
  zone: Type.String(),
  businessHours: Type.Object({
    mon: Nullable(Hours),
    tue: Nullable(Hours),
    wed: Nullable(Hours),
    thu: Nullable(Hours),
    fri: Nullable(Hours),
    sat: Nullable(Hours),
    sun: Nullable(Hours),
  }),
  holidays: List(Type.String()),
  quietHours: Nullable(Type.Object({ start: Type.String(), end: Type.String() })),
  ehrRefs: List(Type.String()),
  ownerPool: Nullable(Type.String()),
  escalationContacts: List(Type.String()),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedBy: Type.String(),
  updatedAt: DateTime,
  /** Who last changed it, by username or service account name, where the answer names it. */
  updatedByName: Maybe(Type.String()),
});
export const SiteListing = Type.Object({
  id: Type.String(),
  configured: Type.Boolean({ description: 'false: referenced by grants or connections, without a site record' }),
  referencedBy: List(Type.Enum(['grants', 'connections'])),
  site: Nullable(Site),
});
export const SiteList = Type.Object({ items: List(SiteListing) });

/** What a signed-in person needs to show times as their sites keep them (no hours, no contacts). */
export const SiteZones = Type.Object({
  items: List(
    Type.Object({
      site: Type.String(),
      zone: Type.String({ description: "IANA zone: the site's record, else its EHR connection's facility zone" }),
    }),
  ),
  fallback: Type.String({ description: 'The zone for all sites at once, or a site with neither (America/New_York)' }),
});
