/**
 * @module The site's time zone for the console: fetched once per sign-in (`GET /site-zones`), and
 * set as the zone every formatted instant is shown in (ui/format.ts) for the site in view; for
 * "All sites", the zone they share (or the deployment's fallback).
 */
import { useEffect, useState } from 'react';
import { answer } from '../api/client.js';
import type { Answer } from '../api/types.js';
import { useSession } from '../session/session.js';
import { setDisplayZone } from './format.js';

type Zones = Answer<'/site-zones', 'get'>;

/**
 * The zone of `site` (also made the default of the format helpers) and whether the zones are known
 * yet (the screens wait for them, one small request, so nothing is drawn in the wrong zone first).
 */
export function useSiteZone(site: string | undefined): { readonly zone: string | undefined; readonly ready: boolean } {
  const { api } = useSession();
  const [zones, setZones] = useState<Zones | 'unknown' | undefined>(undefined);
  useEffect(() => {
    let live = true;
    // Without zones the viewer's own zone is used (still with its abbreviation): nothing to report.
    answer(api.http.GET('/site-zones')).then(
      (z) => live && setZones(z),
      () => live && setZones('unknown'),
    );
    return () => {
      live = false;
    };
  }, [api]);
  const zone =
    zones === undefined || zones === 'unknown'
      ? undefined
      : (zones.items.find((i) => i.site === site)?.zone ?? zones.fallback);
  // Set during render, before the screens below format anything with it.
  setDisplayZone(zone);
  return { zone, ready: zones !== undefined };
}
