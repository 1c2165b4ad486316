/**
 * @module A visited URL as a URLPattern pathname: segments that look like record ids (numbers,
 * UUIDs, long hex or tokens with digits such as `p-1001`) become named groups, so
 * `/patients/123/tasks/new` is `/patients/:id/tasks/new`. The ids themselves (which may identify
 * a patient) are dropped here and never stored. Known limit: a word-like id (`smith-john`) stays;
 * the person edits the draft.
 */

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path segment looks like a record id rather than a word of the screen's address. */
export function looksLikeId(segment: string): boolean {
  if (segment === '') return false;
  if (/^\d+$/.test(segment) || uuid.test(segment)) return true;
  if (/^[0-9a-f]{8,}$/i.test(segment) && /\d/.test(segment)) return true;
  // Letters and digits mixed (`p-1001`, `MRN00042`, `enc_77`): an id once it is not a short version tag (`v2`).
  if (/\d/.test(segment) && segment.length >= 4 && /^[\w.~-]+$/.test(segment)) return true;
  return segment.length >= 20 && /^[\w-]+$/.test(segment) && /\d/.test(segment);
}

/** The pathname of `url` with id-like segments as `:id`, `:id2`, … (URLPattern group names must differ). */
export function pathPattern(url: string): string {
  const { pathname } = new URL(url);
  let n = 0;
  const parts = pathname.split('/').map((raw) => {
    const segment = safeDecode(raw);
    if (!looksLikeId(segment)) return raw.replace(/[:*(){}?+\\]/g, (c) => `\\${c}`);
    n++;
    return n === 1 ? ':id' : `:id${n}`;
  });
  return parts.join('/') || '/';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
