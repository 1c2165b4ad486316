/**
 * @module Single-key shortcuts for the high-volume path (j/k to move, Enter to open, a to approve).
 * Ignored while typing in a field or while a dialog is open, and never with Ctrl/Alt/Meta, so
 * they do not fight the browser's or a screen reader's own keys.
 */
import { useEffect, useRef } from 'react';

export type ShortcutMap = Readonly<Record<string, (e: KeyboardEvent) => void>>;

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Enter or Space on a link or button activates it: a shortcut bound to those keys must not take them. */
function activating(e: KeyboardEvent): boolean {
  if (e.key !== 'Enter' && e.key !== ' ') return false;
  return e.target instanceof HTMLElement && e.target.closest('a[href], button, summary, [role="button"]') !== null;
}

export function useShortcuts(map: ShortcutMap, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return undefined;
    const on = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.altKey || e.metaKey || typing(e.target) || activating(e)) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const handler = ref.current[e.key];
      if (handler === undefined) return;
      e.preventDefault();
      handler(e);
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [enabled]);
}
