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

export function useShortcuts(map: ShortcutMap, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return undefined;
    const on = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) return;
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
