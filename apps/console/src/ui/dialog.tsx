/**
 * @module A modal dialog on the native <dialog> element: the browser keeps focus inside it, makes
 * the page behind inert, and closes it on Escape (which calls `onClose`); Tab cycles inside it, and
 * focus goes back to where it was when the dialog closes.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

export function Dialog(props: {
  readonly title: string;
  readonly children: ReactNode;
  readonly onClose: () => void;
  readonly role?: 'dialog' | 'alertdialog';
}): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    // Where focus was (the button that opened the dialog): it goes back there on close, since React
    // removes the dialog before closing it and the browser would otherwise leave focus on the page.
    const opener = document.activeElement;
    if (d !== null && !d.open) d.showModal();
    // showModal focuses the first focusable element; the dialog's default action asks for focus
    // with data-autofocus (React's autoFocus runs before showModal and is overridden by it).
    d?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      d?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      role={props.role}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onKeyDown={(e) => {
        // A modal dialog lets Tab leave for the browser's own controls: keep it cycling inside.
        if (e.key !== 'Tab') return;
        const stops = [...e.currentTarget.querySelectorAll<HTMLElement>(focusable)].filter(
          (el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0,
        );
        const first = stops[0];
        const last = stops.at(-1);
        if (first === undefined || last === undefined) return;
        if (e.shiftKey && document.activeElement === first) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
