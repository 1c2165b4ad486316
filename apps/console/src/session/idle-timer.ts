/**
 * @module Idle tracking: any key, click, touch or scroll is activity. Warns `warnSeconds` before
 * the idle limit and locks at it. Runs on the page clock (Date.now and setInterval), which is what
 * the browser tests fast-forward.
 */
import { useEffect, useRef, useState } from 'react';

export type IdleState = { readonly kind: 'active' } | { readonly kind: 'warning'; readonly secondsLeft: number };

const activityEvents = ['keydown', 'mousedown', 'pointerdown', 'touchstart', 'wheel', 'scroll'] as const;

/** Seconds of warning before the lock: a minute, or a fifth of a short limit. */
export function warningSeconds(idleSeconds: number): number {
  return Math.min(60, Math.max(5, Math.floor(idleSeconds / 5)));
}

export function useIdleTimer(
  enabled: boolean,
  idleSeconds: number,
  onIdle: () => void,
): { state: IdleState; stayActive: () => void } {
  const last = useRef(Date.now());
  const [state, setState] = useState<IdleState>({ kind: 'active' });
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;

  useEffect(() => {
    if (!enabled) return undefined;
    last.current = Date.now();
    setState({ kind: 'active' });
    const warnAt = idleSeconds - warningSeconds(idleSeconds);
    // While the warning shows, only "Stay signed in" counts: a stray mouse move must not hide it.
    let warning = false;
    const touch = (): void => {
      if (!warning) last.current = Date.now();
    };
    for (const e of activityEvents) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      const idle = (Date.now() - last.current) / 1000;
      if (idle >= idleSeconds) {
        warning = false;
        setState({ kind: 'active' });
        onIdleRef.current();
      } else if (idle >= warnAt) {
        warning = true;
        setState({ kind: 'warning', secondsLeft: Math.ceil(idleSeconds - idle) });
      } else if (warning) {
        warning = false;
        setState({ kind: 'active' });
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of activityEvents) window.removeEventListener(e, touch, { capture: true });
    };
  }, [enabled, idleSeconds]);

  return {
    state,
    stayActive: () => {
      last.current = Date.now();
      setState({ kind: 'active' });
    },
  };
}
