/**
 * @module URLPattern, how screen contracts name their pages: Node 24's own (a global there), and the
 * WHATWG reference polyfill on Node 22, which has none (Steward runs on both).
 */
import { URLPattern as Polyfill } from 'urlpattern-polyfill/urlpattern';

export const URLPattern: typeof Polyfill = (globalThis as { URLPattern?: typeof Polyfill }).URLPattern ?? Polyfill;
