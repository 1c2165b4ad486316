/**
 * @module A modal dialog on the native <dialog> element: the browser keeps focus inside it, makes
 * the page behind inert, and closes it on Escape (which calls `onClose`).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

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
    if (d !== null && !d.open) d.showModal();
    // showModal focuses the first focusable element; the dialog's default action asks for focus
    // with data-autofocus (React's autoFocus runs before showModal and is overridden by it).
    d?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => d?.close();
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
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
