/**
 * @module Approval policies (for whoever holds `approval_policy.manage`, a compliance officer): per
 * action type, whether its proposals are approved automatically when drafted or need a person (of
 * named roles), the version in force, who set it and when. A policy names exactly one action type
 * and has no other condition. Policies are append-only: "retiring" one sets it back to review by
 * any reviewer, the rule without a policy, as a new version. Every change asks first.
 * Route: `#/policies`.
 */
import { useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { actionLabel, type ActionType } from '../review/labels.js';
import { roleName, type ApprovalPolicyItem } from './admin-types.js';
import { Confirm, OutcomeLine, Show, useChange, useLoaded } from './admin-ui.js';
import './admin.css';

/** The built-in action types (a server's extensions appear once a policy names them). */
const builtIn: Readonly<Record<ActionType, true>> = {
  'appointment.status': true,
  'task.create': true,
  'task.update': true,
  'service-request.status': true,
  'communication.send': true,
  'document-reference.draft': true,
  'reminder.send': true,
};
type DeciderRole = 'coordinator' | 'clinician_reviewer';
const deciders: readonly DeciderRole[] = ['coordinator', 'clinician_reviewer'];

interface Draft {
  readonly actionType: string;
  readonly mode: 'auto' | 'review';
  readonly roles: readonly DeciderRole[];
}

export function PoliciesScreen(): ReactNode {
  const { api } = useSession();
  const [policies, reload] = useLoaded(() => answer(api.http.GET('/approval-policies')), [api]);
  const change = useChange(reload);
  const [editing, setEditing] = useState<Draft | undefined>();
  const [confirming, setConfirming] = useState<Draft | undefined>();

  const save = async (d: Draft): Promise<void> => {
    const ok = await change.run(
      () =>
        answer(
          api.http.PUT('/approval-policies/{actionType}', {
            params: { path: { actionType: d.actionType as ActionType } },
            body: { mode: d.mode, ...(d.mode === 'review' ? { roles: [...d.roles] } : {}) },
          }),
        ),
      `${actionLabel(d.actionType)}: ${describe(d.mode, d.roles)}.`,
    );
    if (ok) setConfirming(undefined);
  };

  return (
    <div className="admin">
      <h1>Approval policies</h1>
      <p className="help">
        Each action type's proposals either need a person's approval (of the roles named, or anyone who may decide
        reviews at the site) or are approved automatically when drafted. A policy covers exactly one action type and has
        no other condition; without one, any reviewer at the site decides.
      </p>
      <OutcomeLine outcome={change.outcome} />
      <Show what="the approval policies" state={policies}>
        {(list) => (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Approval</th>
                <th scope="col">Set by</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="visually-hidden">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows(list.items).map(({ actionType, policy }) => (
                <tr key={actionType}>
                  <th scope="row">{actionLabel(actionType)}</th>
                  <td>
                    {policy === undefined ? (
                      <span className="muted">No policy: any reviewer at the site</span>
                    ) : (
                      <>
                        <span className={policy.mode === 'auto' ? 'badge p2' : 'badge'}>
                          {policy.mode === 'auto' ? 'Automatic' : 'Review'}
                        </span>{' '}
                        {describe(policy.mode, policy.roles)} <span className="muted">(version {policy.version})</span>
                      </>
                    )}
                  </td>
                  <td>{policy === undefined ? '—' : (policy.setBy.name ?? 'an account no longer on file')}</td>
                  <td>{policy === undefined ? '—' : formatDateTime(policy.setAt)}</td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        aria-label={`Change the policy for ${actionLabel(actionType)}`}
                        onClick={() =>
                          setEditing({
                            actionType,
                            mode: policy?.mode === 'auto' ? 'auto' : 'review',
                            roles: (policy?.roles ?? []).filter((r): r is DeciderRole =>
                              (deciders as readonly string[]).includes(r),
                            ),
                          })
                        }
                      >
                        Change
                      </button>
                      {policy !== undefined && !(policy.mode === 'review' && policy.roles.length === 0) && (
                        <button
                          type="button"
                          aria-label={`Retire the policy for ${actionLabel(actionType)}`}
                          onClick={() => setConfirming({ actionType, mode: 'review', roles: [] })}
                        >
                          Retire
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      {editing !== undefined && (
        <PolicyForm
          draft={editing}
          onCancel={() => setEditing(undefined)}
          onSubmit={(d) => {
            setEditing(undefined);
            setConfirming(d);
          }}
        />
      )}
      {confirming !== undefined && (
        <Confirm
          title={`Set the policy for ${actionLabel(confirming.actionType)}?`}
          confirm={confirming.mode === 'auto' ? 'Approve automatically' : 'Require review'}
          danger={confirming.mode === 'auto'}
          busy={change.busy}
          onConfirm={() => void save(confirming)}
          onClose={() => setConfirming(undefined)}
        >
          <p>From now on: {describe(confirming.mode, confirming.roles)}.</p>
          {confirming.mode === 'auto' && (
            <p className="error">
              Proposals of this type will be written to the EHR without anyone reviewing them. Use this only for actions
              with no clinical content.
            </p>
          )}
          <p className="muted">
            The change is audited and kept as a new version; proposals already decided stay as they are.
          </p>
        </Confirm>
      )}
    </div>
  );
}

function describe(mode: string, roles: readonly string[]): string {
  if (mode === 'auto') return 'approved automatically when drafted';
  return roles.length === 0
    ? 'reviewed by anyone who may decide reviews at the site'
    : `reviewed by a ${roles.map((r) => roleName(r).toLowerCase()).join(' or a ')}`;
}

/** Every built-in action type, and any other a policy names, with its policy if it has one. */
function rows(items: readonly ApprovalPolicyItem[]): { actionType: string; policy: ApprovalPolicyItem | undefined }[] {
  const types = [...new Set([...Object.keys(builtIn), ...items.map((p) => p.actionType)])];
  return types
    .map((actionType) => ({ actionType, policy: items.find((p) => p.actionType === actionType) }))
    .sort((a, b) => actionLabel(a.actionType).localeCompare(actionLabel(b.actionType)));
}

function PolicyForm(props: {
  readonly draft: Draft;
  readonly onCancel: () => void;
  readonly onSubmit: (d: Draft) => void;
}): ReactNode {
  const [mode, setMode] = useState(props.draft.mode);
  const [roles, setRoles] = useState<readonly DeciderRole[]>(props.draft.roles);
  return (
    <Confirm
      title={`Policy for ${actionLabel(props.draft.actionType)}`}
      confirm="Continue"
      onConfirm={() =>
        props.onSubmit({ actionType: props.draft.actionType, mode, roles: mode === 'auto' ? [] : roles })
      }
      onClose={props.onCancel}
    >
      <fieldset className="stack">
        <legend>How are its proposals approved?</legend>
        <label className="checkbox">
          <input type="radio" name="mode" checked={mode === 'review'} onChange={() => setMode('review')} />A person
          reviews each one
        </label>
        <label className="checkbox">
          <input type="radio" name="mode" checked={mode === 'auto'} onChange={() => setMode('auto')} />
          Approved automatically when drafted
        </label>
      </fieldset>
      {mode === 'review' && (
        <fieldset className="stack">
          <legend>Who may approve (none ticked: anyone who may decide reviews)</legend>
          {deciders.map((r) => (
            <label key={r} className="checkbox">
              <input
                type="checkbox"
                checked={roles.includes(r)}
                onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
              />
              {roleName(r)}
            </label>
          ))}
        </fieldset>
      )}
    </Confirm>
  );
}
