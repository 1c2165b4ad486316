/**
 * @module API tokens: whose, named what, with which scopes, until when, last used when, revoked or
 * not; never their secrets (the server stores only a hash). Revoking asks first and takes effect
 * at once. Issuing one shows its secret this once, to copy into the service that will use it.
 */
import { useId, useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { Dialog } from '../../ui/dialog.js';
import { formatDateTime } from '../../ui/format.js';
import type { TokenItem } from './admin-types.js';
import { Confirm, OutcomeLine, Show, useChange, useLoaded } from './admin-ui.js';
import { principalLabel, type Directory } from './users-screen.js';

export function TokensSection({ directory }: { readonly directory: Directory | undefined }): ReactNode {
  const { api } = useSession();
  const [tokens, reload] = useLoaded(() => answer(api.http.GET('/tokens')), [api]);
  const change = useChange(reload);
  const [revoking, setRevoking] = useState<TokenItem | undefined>();
  const [issued, setIssued] = useState<{ token: string; name: string; expiresAt: string } | undefined>();
  const owner = (t: TokenItem): string =>
    principalLabel(t.principalKind, t.principalId, t.principalName, directory?.staff);
  const now = Date.now();
  const state = (t: TokenItem): ReactNode =>
    t.revokedAt !== null ? (
      <span className="badge">Revoked {formatDateTime(t.revokedAt)}</span>
    ) : Date.parse(t.expiresAt) <= now ? (
      <span className="badge">Expired {formatDateTime(t.expiresAt)}</span>
    ) : (
      <span className="badge ok">Valid until {formatDateTime(t.expiresAt)}</span>
    );

  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">API tokens</h2>
      <p className="help">A token's secret is shown once, when it is issued; Steward keeps only its hash.</p>
      <OutcomeLine outcome={change.outcome} />
      {directory !== undefined && directory.services.some((s) => s.disabledAt === null) && (
        <IssueForm
          directory={directory}
          busy={change.busy}
          onIssue={(body, who) =>
            void change.run(async () => {
              const t = await answer(api.http.POST('/tokens', { body }));
              setIssued({ token: t.token, name: body.name, expiresAt: t.expiresAt });
            }, `Token ${body.name} issued to ${who}.`)
          }
        />
      )}
      <Show what="the tokens" state={tokens}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">No API tokens yet.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Token</th>
                  <th scope="col">Of</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">State</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Revoke</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((t) => (
                  <tr key={t.id}>
                    <th scope="row">{t.name}</th>
                    <td>{owner(t)}</td>
                    <td>{t.scopes.map((s) => (s === '*' ? 'all the grants allow' : s)).join(', ')}</td>
                    <td>{state(t)}</td>
                    <td>{t.lastUsedAt === null ? 'never' : formatDateTime(t.lastUsedAt)}</td>
                    <td>
                      {t.revokedAt === null && Date.parse(t.expiresAt) > now && (
                        <button
                          type="button"
                          className="danger-outline"
                          aria-label={`Revoke token ${t.name} of ${owner(t)}`}
                          onClick={() => setRevoking(t)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
      {revoking !== undefined && (
        <Confirm
          title={`Revoke token ${revoking.name}?`}
          confirm="Revoke token"
          danger
          busy={change.busy}
          onClose={() => setRevoking(undefined)}
          onConfirm={() =>
            void change
              .run(
                () => answer(api.http.DELETE('/tokens/{id}', { params: { path: { id: revoking.id } } })),
                `Token ${revoking.name} of ${owner(revoking)} is revoked.`,
              )
              .then(() => setRevoking(undefined))
          }
        >
          <p>
            Whatever uses it as {owner(revoking)} is refused from its next request. A revoked token cannot be restored;
            a new one must be issued.
          </p>
        </Confirm>
      )}
      {issued !== undefined && (
        <Dialog title={`Token ${issued.name}: copy it now`} onClose={() => setIssued(undefined)}>
          <p>This is the only time the secret is shown. It is valid until {formatDateTime(issued.expiresAt)}.</p>
          <p>
            <code className="secret">{issued.token}</code>
          </p>
          <div className="actions">
            <button type="button" className="primary" data-autofocus onClick={() => setIssued(undefined)}>
              I have copied it
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

interface NewToken {
  principalKind: 'service';
  principalId: string;
  name: string;
  scopes: '*'[];
  expiresInDays: number;
}

/** A token for a service account, with every permission its grants give (`*`). */
function IssueForm(props: {
  readonly directory: Directory;
  readonly busy: boolean;
  readonly onIssue: (body: NewToken, who: string) => void;
}): ReactNode {
  const id = useId();
  const services = props.directory.services.filter((s) => s.disabledAt === null);
  const [who, setWho] = useState(services[0]?.id ?? '');
  const [name, setName] = useState('');
  const [days, setDays] = useState(90);
  return (
    <form
      className="filters"
      aria-label="Issue a token"
      onSubmit={(e) => {
        e.preventDefault();
        props.onIssue(
          { principalKind: 'service', principalId: who, name: name.trim(), scopes: ['*'], expiresInDays: days },
          services.find((s) => s.id === who)?.name ?? '',
        );
      }}
    >
      <label htmlFor={`${id}-who`}>
        For service account
        <select id={`${id}-who`} value={who} onChange={(e) => setWho(e.target.value)}>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-name`}>
        Token name
        <input id={`${id}-name`} value={name} required maxLength={64} onChange={(e) => setName(e.target.value)} />
      </label>
      <label htmlFor={`${id}-days`}>
        Valid for (days)
        <input
          id={`${id}-days`}
          type="number"
          min={1}
          max={365}
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        />
      </label>
      <button type="submit" className="primary" disabled={props.busy || who === ''}>
        Issue token
      </button>
    </form>
  );
}
