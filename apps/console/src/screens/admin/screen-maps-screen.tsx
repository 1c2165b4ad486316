/**
 * @module Screen maps (for whoever proposes or reviews them: administrators, the compliance officer):
 * each EHR connection and site with a map, the version runs follow and the latest one; a proposed
 * version opens on what it changes (screens, forms, fields, labels, each before and after) and is
 * approved or rejected here with a reason. The server refuses one's own proposal (four eyes) and
 * says so. Maps are proposed from the command line (`steward automation record`, `maps propose`).
 * Route: `#/screen-maps`.
 */
import { useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import type { Answer } from '../../api/types.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { OutcomeLine, Show, useChange, useLoaded } from './admin-ui.js';
import './admin.css';

type MapItem = Answer<'/automation/maps', 'get'>['items'][number];

const statusWords: Readonly<Record<MapItem['status'], string>> = {
  proposed: 'Waiting for review',
  approved: 'Approved',
  rejected: 'Rejected',
  superseded: 'Superseded',
};

export function ScreenMapsScreen(): ReactNode {
  const { api } = useSession();
  const [maps, reload] = useLoaded(() => answer(api.http.GET('/automation/maps')), [api]);
  const [open, setOpen] = useState<MapItem | undefined>();

  return (
    <div className="admin">
      <h1>Screen maps</h1>
      <p className="help">
        What the automation knows of each EHR's screens, per connection and site. A map is recorded from a demonstration
        and proposed from the command line; it takes effect only when someone other than the person who proposed it
        approves it here.
      </p>
      <Show what="the screen maps" state={maps}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="muted">
              No screen map yet. Record one with <code>steward automation record</code>.
            </p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Connection</th>
                  <th scope="col">Site</th>
                  <th scope="col">In use</th>
                  <th scope="col">Latest</th>
                  <th scope="col">Proposed by</th>
                  <th scope="col">
                    <span className="visually-hidden">Review</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((m) => (
                  <tr key={`${m.connectionId}/${m.site}`}>
                    <th scope="row">{m.connectionName ?? m.connectionId}</th>
                    <td>{m.site}</td>
                    <td>{m.approvedVersion === null ? 'None approved' : `Version ${m.approvedVersion}`}</td>
                    <td>
                      Version {m.version}: {statusWords[m.status]}
                    </td>
                    <td>
                      {m.proposedByName ?? 'an account no longer on file'}, {formatDateTime(m.proposedAt)}
                    </td>
                    <td>
                      {m.status === 'proposed' && (
                        <button
                          type="button"
                          aria-label={`Review version ${m.version} for ${m.connectionName ?? m.connectionId} at ${m.site}`}
                          onClick={() => setOpen(m)}
                        >
                          Review
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
      {open !== undefined && (
        <MapReview
          key={`${open.connectionId}/${open.site}/${open.version}`}
          item={open}
          connection={open.connectionName ?? open.connectionId}
          onDone={() => {
            reload();
          }}
        />
      )}
    </div>
  );
}

function MapReview(props: {
  readonly item: MapItem;
  readonly connection: string;
  readonly onDone: () => void;
}): ReactNode {
  const { api } = useSession();
  const { item } = props;
  const path = { connectionId: item.connectionId, site: item.site, version: String(item.version) };
  const [diff] = useLoaded(
    () => answer(api.http.GET('/automation/maps/{connectionId}/{site}/{version}/diff', { params: { path } })),
    [api, item.connectionId, item.site, item.version],
  );
  const [reason, setReason] = useState('');
  const change = useChange(props.onDone);
  const decide = (decision: 'approve' | 'reject'): void =>
    void change.run(
      () =>
        answer(
          api.http.POST('/automation/maps/{connectionId}/{site}/{version}/review', {
            params: { path },
            body: { decision, ...(reason.trim() !== '' ? { reason: reason.trim() } : {}) },
          }),
        ),
      decision === 'approve'
        ? `Version ${item.version} approved: runs at ${item.site} follow it from now on.`
        : `Version ${item.version} rejected.`,
    );

  return (
    <section aria-labelledby="map-review-title" className="panel">
      <h2 id="map-review-title">
        Version {item.version} for {props.connection} at {item.site}
      </h2>
      {item.note !== null && (
        <p>
          Note from {item.proposedByName ?? 'the proposer'}: {item.note}
        </p>
      )}
      <Show what="the changes" state={diff}>
        {(d) => (
          <>
            <p>
              {d.from === null ? 'The first map for this connection and site' : `Compared with version ${d.from}`}:{' '}
              {d.changes.length} {d.changes.length === 1 ? 'change' : 'changes'}
              {d.summary.labels > 0
                ? `, ${d.summary.labels} ${d.summary.labels === 1 ? 'label' : 'labels'} renamed`
                : ''}
              .
            </p>
            {d.summary.fields.length > 0 && <p>Fields: {d.summary.fields.join(', ')}</p>}
            <ul className="changes">
              {d.changes.slice(0, 200).map((c) => (
                <li key={`${c.change}${c.path}`}>
                  <strong>{c.change}</strong> <code>{c.path}</code>
                  {c.change !== 'added' && c.before !== undefined && <> from “{short(c.before)}”</>}
                  {c.change !== 'removed' && c.after !== undefined && <> to “{short(c.after)}”</>}
                </li>
              ))}
            </ul>
          </>
        )}
      </Show>
      <label className="stack">
        Reason (required to reject)
        <textarea value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={change.busy} onClick={() => decide('approve')}>
          Approve version {item.version}
        </button>
        <button
          type="button"
          className="danger"
          disabled={change.busy || reason.trim() === ''}
          onClick={() => decide('reject')}
        >
          Reject
        </button>
      </div>
      <OutcomeLine outcome={change.outcome} />
    </section>
  );
}

function short(s: string): string {
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
}
