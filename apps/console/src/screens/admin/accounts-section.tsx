/**
 * @module Staff and service accounts: who they are, whether they enrolled MFA, whether they may
 * break the glass, whether a sign-in lock or a disabling stops them; with the changes the API
 * allows (lift locks, set break-glass eligibility, disable), each asked for first and its outcome said.
 */
import { useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { Confirm, OutcomeLine, Show, useChange, type Loaded } from './admin-ui.js';
import type { Directory } from './users-screen.js';

interface Pending {
  readonly title: string;
  readonly body: string;
  readonly confirm: string;
  readonly danger: boolean;
  readonly change: () => Promise<unknown>;
  readonly done: string;
}

export function AccountsSection(props: {
  readonly directory: Loaded<Directory>;
  readonly reload: () => void;
}): ReactNode {
  const { api, me } = useSession();
  const change = useChange(props.reload);
  const [pending, setPending] = useState<Pending | undefined>();
  const ask = (p: Pending): void => setPending(p);

  return (
    <section aria-labelledby="people-title">
      <h2 id="people-title">Staff</h2>
      <OutcomeLine outcome={change.outcome} />
      <Show what="the users" state={props.directory}>
        {(d) => (
          <>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Sign-in</th>
                  <th scope="col">Break-glass</th>
                  <th scope="col">Since</th>
                  <th scope="col">
                    <span className="visually-hidden">Changes</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.users.map((u) => {
                  const member = d.staff.find((s) => s.userId === u.id);
                  const label = member !== undefined ? `${member.displayName} (${u.username})` : u.username;
                  const locked = u.lockedUntil !== null && Date.parse(u.lockedUntil) > Date.now();
                  const self = u.id === me.id;
                  return (
                    <tr key={u.id}>
                      <th scope="row">
                        {label}
                        {member?.title != null && <div className="muted">{member.title}</div>}
                      </th>
                      <td>
                        {u.disabledAt !== null ? (
                          <span className="badge overdue">Disabled {formatDateTime(u.disabledAt)}</span>
                        ) : locked ? (
                          <span className="badge p2">Locked until {formatDateTime(u.lockedUntil ?? undefined)}</span>
                        ) : (
                          <span className="badge ok">Active</span>
                        )}{' '}
                        {u.totpEnrolled ? 'with authenticator' : 'no authenticator enrolled'}
                      </td>
                      <td>{u.breakGlassEligible ? 'eligible' : 'not eligible'}</td>
                      <td>{formatDateTime(u.createdAt)}</td>
                      <td>
                        <div className="row-actions">
                          {u.disabledAt === null && (
                            <>
                              <button
                                type="button"
                                aria-label={`Unlock sign-in of ${label}`}
                                onClick={() =>
                                  void change.run(
                                    () =>
                                      answer(api.http.POST('/users/{id}/unlock', { params: { path: { id: u.id } } })),
                                    (r) =>
                                      r.locksLifted === 0
                                        ? `${label} had no sign-in lock.`
                                        : `${r.locksLifted} sign-in lock${r.locksLifted === 1 ? '' : 's'} of ${label} lifted.`,
                                  )
                                }
                              >
                                Unlock
                              </button>
                              <button
                                type="button"
                                aria-label={`${u.breakGlassEligible ? 'Remove' : 'Allow'} break-glass for ${label}`}
                                onClick={() =>
                                  ask({
                                    title: u.breakGlassEligible
                                      ? 'Remove break-glass eligibility?'
                                      : 'Allow break-glass?',
                                    body: u.breakGlassEligible
                                      ? `${label} will no longer be able to start emergency access at another site.`
                                      : `${label} will be able to start emergency access to charts at another site, for a short time and with a reason, reviewed by compliance.`,
                                    confirm: u.breakGlassEligible ? 'Remove eligibility' : 'Allow break-glass',
                                    danger: !u.breakGlassEligible,
                                    change: () =>
                                      answer(
                                        api.http.PUT('/users/{id}/break-glass', {
                                          params: { path: { id: u.id } },
                                          body: { eligible: !u.breakGlassEligible },
                                        }),
                                      ),
                                    done: `${label} ${u.breakGlassEligible ? 'may no longer' : 'may now'} break the glass.`,
                                  })
                                }
                              >
                                {u.breakGlassEligible ? 'Remove break-glass' : 'Allow break-glass'}
                              </button>
                              {!self && (
                                <button
                                  type="button"
                                  className="danger-outline"
                                  aria-label={`Disable ${label}`}
                                  onClick={() =>
                                    ask({
                                      title: `Disable ${label}?`,
                                      body: `${label} is signed out everywhere and every API token of theirs is revoked at once. This cannot be undone from the console.`,
                                      confirm: 'Disable',
                                      danger: true,
                                      change: () =>
                                        answer(
                                          api.http.POST('/users/{id}/disable', { params: { path: { id: u.id } } }),
                                        ),
                                      done: `${label} is disabled.`,
                                    })
                                  }
                                >
                                  Disable
                                </button>
                              )}
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <h2>Service accounts</h2>
            {d.services.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">State</th>
                    <th scope="col">Since</th>
                    <th scope="col">
                      <span className="visually-hidden">Changes</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.services.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">{s.name}</th>
                      <td>
                        {s.disabledAt !== null ? (
                          <span className="badge overdue">Disabled {formatDateTime(s.disabledAt)}</span>
                        ) : (
                          <span className="badge ok">Active</span>
                        )}
                      </td>
                      <td>{formatDateTime(s.createdAt)}</td>
                      <td>
                        <div className="row-actions">
                          {s.disabledAt === null && (
                            <button
                              type="button"
                              className="danger-outline"
                              aria-label={`Disable service account ${s.name}`}
                              onClick={() =>
                                ask({
                                  title: `Disable ${s.name}?`,
                                  body: `Every token of ${s.name} is revoked at once: whatever runs as it (an EHR interface, a workflow, an AI service) stops working.`,
                                  confirm: 'Disable',
                                  danger: true,
                                  change: () =>
                                    answer(
                                      api.http.POST('/service-accounts/{id}/disable', {
                                        params: { path: { id: s.id } },
                                      }),
                                    ),
                                  done: `${s.name} is disabled.`,
                                })
                              }
                            >
                              Disable
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Show>
      {pending !== undefined && (
        <Confirm
          title={pending.title}
          confirm={pending.confirm}
          danger={pending.danger}
          busy={change.busy}
          onClose={() => setPending(undefined)}
          onConfirm={() => void change.run(pending.change, pending.done).then(() => setPending(undefined))}
        >
          <p>{pending.body}</p>
        </Confirm>
      )}
    </section>
  );
}
