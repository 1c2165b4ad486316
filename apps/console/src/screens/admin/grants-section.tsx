/**
 * @module Role grants: who holds which role, at which site, for which workflows and purpose of use;
 * granting one (the API checks the principal, role and scope) and revoking one, effective at once,
 * after a confirmation that names the person and the role.
 */
import { useId, useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import {
  purposeNames,
  roleName,
  roleNames,
  siteName,
  type GrantItem,
  type PurposeOfUse,
  type Role,
} from './admin-types.js';
import { Confirm, OutcomeLine, Show, useChange, useLoaded } from './admin-ui.js';
import { principalLabel, type Directory } from './users-screen.js';

/** The purpose a role usually acts for, preselected when a role is picked. */
const usualPurpose: Readonly<Record<Role, PurposeOfUse>> = {
  admin: 'HSYSADMIN',
  compliance_officer: 'HCOMPL',
  coordinator: 'TREAT',
  front_desk: 'TREAT',
  clinician_reviewer: 'TREAT',
  automation: 'HOPERAT',
  integration: 'HOPERAT',
  agent: 'HOPERAT',
};

export function GrantsSection({ directory }: { readonly directory: Directory | undefined }): ReactNode {
  const { api, me } = useSession();
  const [grants, reload] = useLoaded(() => answer(api.http.GET('/grants')), [api]);
  const change = useChange(reload);
  const [revoking, setRevoking] = useState<GrantItem | undefined>();
  const label = (g: GrantItem): string =>
    principalLabel(g.principalKind, g.principalId, g.principalName, directory?.staff);
  const describe = (g: GrantItem): string =>
    `${roleName(g.role)} at ${siteName(g.site, directory?.sites)}${g.workflow === '*' ? '' : `, workflow ${g.workflow}`}`;

  return (
    <section aria-labelledby="grants-title">
      <h2 id="grants-title">Role grants</h2>
      <OutcomeLine outcome={change.outcome} />
      {directory !== undefined && directory.users.length + directory.services.length > 0 && (
        <GrantForm
          directory={directory}
          busy={change.busy}
          onGrant={(body, who) =>
            void change.run(
              () => answer(api.http.POST('/grants', { body })),
              `${who} is now ${roleName(body.role)} at ${siteName(body.site, directory.sites)}.`,
            )
          }
        />
      )}
      <Show what="the grants" state={grants}>
        {(list) => (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Role</th>
                <th scope="col">Site</th>
                <th scope="col">Workflows</th>
                <th scope="col">Purpose of use</th>
                <th scope="col">
                  <span className="visually-hidden">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...list.items]
                .sort((a, b) => label(a).localeCompare(label(b)))
                .map((g) => (
                  <tr key={g.id}>
                    <th scope="row">{label(g)}</th>
                    <td>{roleName(g.role)}</td>
                    <td>{siteName(g.site, directory?.sites)}</td>
                    <td>{g.workflow === '*' ? 'all' : g.workflow}</td>
                    <td>{purposeNames[g.purposeOfUse]}</td>
                    <td>
                      <button
                        type="button"
                        className="danger-outline"
                        aria-label={`Revoke ${describe(g)} from ${label(g)}`}
                        onClick={() => setRevoking(g)}
                      >
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </Show>
      {revoking !== undefined && (
        <Confirm
          title={`Revoke this grant from ${label(revoking)}?`}
          confirm="Revoke grant"
          danger
          busy={change.busy}
          onClose={() => setRevoking(undefined)}
          onConfirm={() =>
            void change
              .run(
                () => answer(api.http.DELETE('/grants/{id}', { params: { path: { id: revoking.id } } })),
                `${label(revoking)} is no longer ${describe(revoking)}.`,
              )
              .then(() => setRevoking(undefined))
          }
        >
          <p>
            {label(revoking)} loses {describe(revoking)} at once: screens and requests that need it are refused from
            their next request.
          </p>
          {revoking.principalId === me.id && (
            <p className="error">
              This is your own grant: if no other grant gives you this role, these screens close for you.
            </p>
          )}
        </Confirm>
      )}
    </section>
  );
}

type NewGrant = {
  principalKind: 'user' | 'service';
  principalId: string;
  role: Role;
  site: string;
  workflow: string;
  purposeOfUse: PurposeOfUse;
};

function GrantForm(props: {
  readonly directory: Directory;
  readonly busy: boolean;
  readonly onGrant: (body: NewGrant, who: string) => void;
}): ReactNode {
  const id = useId();
  const d = props.directory;
  const people = [
    ...d.users
      .filter((u) => u.disabledAt === null)
      .map((u) => ({ key: `user:${u.id}`, label: principalLabel('user', u.id, u.username, d.staff) })),
    ...d.services
      .filter((s) => s.disabledAt === null)
      .map((s) => ({ key: `service:${s.id}`, label: principalLabel('service', s.id, s.name, d.staff) })),
  ];
  const siteCodes = ['*', ...(d.sites ?? []).map((s) => s.id)];
  const [who, setWho] = useState(people[0]?.key ?? '');
  const [role, setRole] = useState<Role>('coordinator');
  const [site, setSite] = useState(siteCodes[1] ?? '*');
  const [workflow, setWorkflow] = useState('*');
  const [purpose, setPurpose] = useState<PurposeOfUse>('TREAT');
  return (
    <form
      className="filters"
      aria-label="Grant a role"
      onSubmit={(e) => {
        e.preventDefault();
        const [kind, principalId = ''] = who.split(':');
        props.onGrant(
          {
            principalKind: kind === 'service' ? 'service' : 'user',
            principalId,
            role,
            site,
            workflow: workflow.trim() === '' ? '*' : workflow.trim(),
            purposeOfUse: purpose,
          },
          people.find((p) => p.key === who)?.label ?? '',
        );
      }}
    >
      <label htmlFor={`${id}-who`}>
        Who
        <select id={`${id}-who`} value={who} onChange={(e) => setWho(e.target.value)}>
          {people.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-role`}>
        Role
        <select
          id={`${id}-role`}
          value={role}
          onChange={(e) => {
            const r = e.target.value as Role;
            setRole(r);
            setPurpose(usualPurpose[r]);
          }}
        >
          {Object.entries(roleNames).map(([r, name]) => (
            <option key={r} value={r}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-site`}>
        Site
        <select id={`${id}-site`} value={site} onChange={(e) => setSite(e.target.value)}>
          {siteCodes.map((s) => (
            <option key={s} value={s}>
              {siteName(s, d.sites)}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-workflow`}>
        Workflows (* for all)
        <input id={`${id}-workflow`} value={workflow} onChange={(e) => setWorkflow(e.target.value)} />
      </label>
      <label htmlFor={`${id}-purpose`}>
        Purpose of use
        <select id={`${id}-purpose`} value={purpose} onChange={(e) => setPurpose(e.target.value as PurposeOfUse)}>
          {Object.entries(purposeNames).map(([p, name]) => (
            <option key={p} value={p}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={props.busy || who === ''}>
        Grant role
      </button>
    </form>
  );
}
