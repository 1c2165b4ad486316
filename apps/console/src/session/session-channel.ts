/**
 * @module How the console's tabs of one browser talk about their shared session (a
 * BroadcastChannel, same origin only): activity in one keeps the others from locking, and a lock
 * or a sign-out in one ends the others at once instead of at their next request.
 */

export type SessionMessage =
  { readonly kind: 'activity' } | { readonly kind: 'ended'; readonly notice: string } | { readonly kind: 'signed-in' };

export interface SessionChannel {
  post(message: SessionMessage): void;
  /** Calls `on` for each message another tab posts; returns the unsubscribe. */
  listen(on: (message: SessionMessage) => void): () => void;
}

export function sessionChannel(): SessionChannel {
  // Without BroadcastChannel (very old browsers) each tab simply keeps its own idle clock.
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, listen: () => () => undefined };
  const channel = new BroadcastChannel('steward-session');
  return {
    post: (message) => channel.postMessage(message),
    listen: (on) => {
      const handler = (e: MessageEvent<SessionMessage>): void => on(e.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}
