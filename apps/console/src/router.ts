/**
 * @module Hash routes (`#/review/<id>`): the server serves one page, and a route never travels to
 * the server or its logs (a proposal id in a path would).
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** The first segment: `review`, `referrals`… */
  readonly screen: string;
  /** The rest, decoded. */
  readonly params: readonly string[];
}

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  return { screen: parts[0] ?? '', params: parts.slice(1) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function navigate(...parts: string[]): void {
  window.location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}
