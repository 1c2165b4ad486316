/**
 * @module The console's frame: a skip link, the header (who is signed in, the site in view,
 * break-glass, sign out), the navigation limited to the screens the grants allow, and the screen.
 * A site open by break-glass is in the site picker while the episode lasts (its screens are the
 * chart-reading ones), and leaves it when the episode ends.
 */
import { createContext, Suspense, useContext, useEffect, useState, type ReactNode } from 'react';
import { useSession } from './session/session.js';
import { BreakGlassBanner, BreakGlassDialog } from './session/break-glass.js';
import { href, useRoute } from './router.js';
import { screens, type ScreenDef } from './screens/index.js';
import { useSiteZone } from './ui/site-zone.js';

/** The site the screens show: one of the user's sites, or undefined for every site (a `*` grant). */
const SiteContext = createContext<string | undefined>(undefined);
export function useSite(): string | undefined {
  return useContext(SiteContext);
}

/** Every site named in the grants; `*` means all. */
function sitesOf(permissions: Readonly<Record<string, readonly string[]>>): string[] {
  return [...new Set(Object.values(permissions).flat())].sort();
}

export function App(): ReactNode {
  const session = useSession();
  const route = useRoute();
  const sites = sitesOf(session.me.permissions);
  const named = sites.filter((s) => s !== '*');
  const granted = new Set(session.me.grants.map((g) => g.site));
  const [site, setSite] = useState<string | undefined>(sites.includes('*') ? undefined : named[0]);
  const [breakGlass, setBreakGlass] = useState(false);
  // Every time on the screens is shown in the site's zone (ui/format.ts): the screen waits for it.
  const zones = useSiteZone(site);
  // A site only break-glass opens shows the screens allowed there (reading charts), not the others.
  const byBreakGlass = site !== undefined && !granted.has(site) && !granted.has('*');
  const allowed = screens.filter((s) => s.permissions.some((p) => session.can(p, byBreakGlass ? site : undefined)));
  const current = allowed.find((s) => s.path === route.screen) ?? allowed[0];
  const mayBreakGlass = session.me.breakGlassEligible || session.can('phi.read');

  useEffect(() => {
    // The site in view is no longer allowed (a break-glass episode ended): back to a granted one.
    if (site !== undefined && !sites.includes(site) && !sites.includes('*')) setSite(named[0]);
  }, [site, sites, named]);

  useEffect(() => {
    document.title = current !== undefined ? `${current.title} · Steward` : 'Steward';
  }, [current]);

  return (
    <SiteContext.Provider value={site}>
      {/* Focus moves by script: `#main` as a hash would be read as a route by the hash router. */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <BreakGlassBanner />
      <header className="topbar">
        <span className="brand">Steward</span>
        <nav aria-label="Screens">
          <ul>
            {allowed
              .filter((s) => s.nav !== false)
              .map((s) => (
                <li key={s.path}>
                  <a href={href(s.path)} aria-current={s === current ? 'page' : undefined}>
                    {s.title}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <div className="topbar__right">
          <label className="site-picker">
            <span>Site</span>
            <select
              value={site ?? '*'}
              onChange={(e) => setSite(e.target.value === '*' ? undefined : e.target.value)}
              aria-label="Site in view"
            >
              {sites.includes('*') && <option value="*">All sites</option>}
              {named.map((s) => (
                <option key={s} value={s}>
                  {granted.has(s) || granted.has('*') ? s : `${s} (break-glass)`}
                </option>
              ))}
            </select>
          </label>
          <span className="who" aria-label="Signed in as">
            {session.me.name}
          </span>
          {mayBreakGlass && (
            <button type="button" className="danger-outline" onClick={() => setBreakGlass(true)}>
              Break glass
            </button>
          )}
          <button type="button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!zones.ready ? null : current === undefined ? (
          <NothingAllowed />
        ) : (
          <Screen def={current} params={route.params} />
        )}
      </main>
      {breakGlass && <BreakGlassDialog onClose={() => setBreakGlass(false)} onStarted={setSite} />}
    </SiteContext.Provider>
  );
}

function Screen(props: { readonly def: ScreenDef; readonly params: readonly string[] }): ReactNode {
  const Component = props.def.component;
  // Lazy screens (screens/index.ts) load their chunk on first open.
  return (
    <Suspense fallback={<p className="muted">Loading {props.def.title}…</p>}>
      <Component params={props.params} />
    </Suspense>
  );
}

function NothingAllowed(): ReactNode {
  return (
    <section className="empty">
      <h1>No screens for your role</h1>
      <p>Your grants allow none of the console's screens. Ask your administrator for a grant at your site.</p>
    </section>
  );
}
