/** @module The list of keyboard shortcuts, opened with "?". */
import type { ReactNode } from 'react';
import { Dialog } from '../../ui/dialog.js';

const keys: readonly [string, string][] = [
  ['j / ↓', 'next proposal in the queue'],
  ['k / ↑', 'previous proposal'],
  ['Enter / o', 'open the proposal'],
  ['x', 'select for bulk approval (reversible ones)'],
  ['a', 'approve the open proposal (then Enter to confirm)'],
  ['r', 'reject the open proposal, with a reason'],
  ['e', 'edit the open proposal (a new revision)'],
  ['m', 'assign the open proposal to me'],
  ['u', 'back to the queue'],
  ['?', 'this list'],
];

export function ShortcutHelp(props: { readonly onClose: () => void }): ReactNode {
  return (
    <Dialog title="Keyboard shortcuts" onClose={props.onClose}>
      <table className="data">
        <caption className="visually-hidden">Keys and what they do</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {keys.map(([k, d]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{d}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" data-autofocus onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
