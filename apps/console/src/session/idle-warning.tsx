/** @module The warning before the idle lock: an alert dialog with the seconds left and one button. */
import type { ReactNode } from 'react';
import { Dialog } from '../ui/dialog.js';

export function IdleWarning(props: { readonly secondsLeft: number; readonly onStay: () => void }): ReactNode {
  return (
    <Dialog title="Still there?" role="alertdialog" onClose={props.onStay}>
      <p>
        For patients' privacy you will be signed out in <strong>{props.secondsLeft} seconds</strong> without activity.
      </p>
      <div className="actions">
        <button type="button" className="primary" data-autofocus onClick={props.onStay}>
          Stay signed in
        </button>
      </div>
    </Dialog>
  );
}
