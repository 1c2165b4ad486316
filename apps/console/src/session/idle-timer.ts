/**
 * @module Idle tracking: any key, click, touch or scroll is activity, in this tab or (told over the
 * session channel) in another tab of the console. Warns `warnSeconds` before the idle limit and
 * locks at it. Runs on the page clock (Date.now and setInterval), which is what the browser tests
 * fast-forward. The server enforces the same limit on its own clock, so a reload or a closed tab
 * does not escape it.
 */
import { useEffect, useRef, useState } from 'react';
import type { SessionChannel } from './session-channel.js';

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
  channel?: SessionChannel,
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
    // Other tabs hear of activity at most every few seconds: enough for a limit in minutes.
    let told = 0;
    const touch = (): void => {
      if (warning) return;
      last.current = Date.now();
      if (last.current - told >= 5_000) {
        told = last.current;
        channel?.post({ kind: 'activity' });
      }
    };
    const unlisten = channel?.listen((m) => {
      if (m.kind === 'activity') last.current = Date.now();
    });
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
      unlisten?.();
      window.clearInterval(timer);
      for (const e of activityEvents) window.removeEventListener(e, touch, { capture: true });
    };
  }, [enabled, idleSeconds, channel]);

  return {
    state,
    stayActive: () => {
      last.current = Date.now();
      setState({ kind: 'active' });
    },
  };
}
