/**
 * @module EHR connections and their health (for whoever holds `config.manage`): per connection its
 * site, vendor and endpoints; the HL7 v2 listener, the FHIR subscriptions and the last notification
 * they brought, the last poll (or why it failed); a live check (discovery, a SMART token, a read);
 * and what needs a person: the attention list (dead letters, reused control ids, messages whose
 * patient no EHR Patient carries so nothing was drafted, messages kept but not routed, with counts
 * and reasons, never content) and events filed with a flag.
 * Route: `#/connections`.
 */
import { useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime, humanize } from '../../ui/format.js';
import { siteName, type ConnectionItem, type SiteListing } from './admin-types.js';
import { Show, useLoaded } from './admin-ui.js';
import { CheckButton } from './connection-check.js';
import './admin.css';

export function ConnectionsScreen(): ReactNode {
  const { api } = useSession();
  const [connections, reload] = useLoaded(() => answer(api.http.GET('/ehr/connections')), [api]);
  const [sites] = useLoaded(() => answer(api.http.GET('/sites')), [api]);
  const siteList = sites.kind === 'ready' ? sites.value.items : undefined;
  return (
    <div className="admin">
      <h1>EHR connections</h1>
      <div className="actions start">
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <Show what="the EHR connections" state={connections}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="empty">No EHR connection yet. `steward connect` adds one.</p>
          ) : (
            list.items.map((c) => <ConnectionPanel key={c.name} connection={c} sites={siteList} />)
          )
        }
      </Show>
    </div>
  );
}

function ConnectionPanel(props: {
  readonly connection: ConnectionItem;
  readonly sites: readonly SiteListing[] | undefined;
}): ReactNode {
  const c = props.connection;
  const r = c.running;
  return (
    <section className="panel" aria-label={`Connection ${c.name}`}>
      <h2>
        {c.name} <span className="muted">at {siteName(c.site, props.sites)}</span>{' '}
        {r !== null || c.owner?.live === true ? (
          <span className="badge ok">Running</span>
        ) : (
          <span className="badge p2">Not running</span>
        )}
      </h2>
      <dl className="facts">
        <dt>EHR</dt>
        <dd>
          {vendorNames[c.vendor] ?? humanize(c.vendor)}
          {c.fhirBaseUrl !== null ? `, FHIR at ${c.fhirBaseUrl}` : ', no FHIR server (HL7 v2 only)'}
        </dd>
        <dt>Facility time zone</dt>
        <dd>{c.facilityTimeZone}</dd>
        {c.owner !== null ? (
          <>
            <dt>Runs on</dt>
            <dd>
              {c.owner.node}
              {r !== null ? ' (this node)' : ''} since {new Date(c.owner.since).toLocaleString()}
              {c.owner.live ? '' : ', which no longer holds it: a standby takes over'}
            </dd>
          </>
        ) : null}
        <dt>Request budget</dt>
        <dd>{c.requestsPerSecond} requests per second</dd>
        {r === null && c.owner?.live === true ? (
          // Another node runs it: its listener and polls are that node's to show.
          <>
            <dt>Listener and polls</dt>
            <dd>shown by {c.owner.node}, the node that runs it</dd>
          </>
        ) : (
          <>
            <dt>HL7 v2 listener</dt>
            <dd>{listener(c)}</dd>
            <dt>FHIR subscriptions</dt>
            <dd>{subscriptions(c)}</dd>
            <dt>Last notification</dt>
            <dd>
              {r?.lastNotification === undefined
                ? r === null
                  ? '—'
                  : 'none since the start'
                : `${formatDateTime(r.lastNotification.at)}: ${count(r.lastNotification.events, 'event')} (${humanize(r.lastNotification.type).toLowerCase()})`}
            </dd>
            <dt>Last poll</dt>
            <dd>{lastPoll(c)}</dd>
          </>
        )}
      </dl>
      {/* The check runs on the node that runs the connection. */}
      {c.fhirBaseUrl !== null && (r !== null || c.owner?.live !== true) && <CheckButton connection={c.name} />}
      <Attention connection={c.name} />
      <Flagged connection={c.name} />
    </section>
  );
}

const vendorNames: Readonly<Record<string, string>> = {
  'generic-r4': 'FHIR R4 (generic)',
  epic: 'Epic',
  'oracle-health': 'Oracle Health',
  athenahealth: 'athenahealth',
};

function listener(c: ConnectionItem): string {
  if (c.mllpPort === null) return 'no HL7 v2 feed configured';
  const m = c.running?.mllp;
  if (m !== undefined) return `listening on ${m.host}:${m.port}`;
  return c.running === null ? `port ${c.mllpPort}, not running` : `port ${c.mllpPort}, not listening`;
}

function subscriptions(c: ConnectionItem): string {
  if (c.running === null) return '—';
  const s = c.running.subscriptions as
    { kept?: number; created?: number; retired?: number; error?: string } | undefined;
  if (s === undefined) return 'none: the EHR offers no topics, changes are polled';
  if (typeof s.error === 'string') return `could not be set up (${s.error}); changes are polled`;
  const inPlace = (s.kept ?? 0) + (s.created ?? 0);
  const created = s.created ?? 0;
  const retired = s.retired ?? 0;
  return `${inPlace} in place${created > 0 ? `, ${created} created at this start` : ''}${retired > 0 ? `, ${retired} stale ones switched off` : ''}`;
}

function lastPoll(c: ConnectionItem): string {
  const r = c.running;
  if (r === null) return '—';
  if (r.lastPollError !== undefined) return `failed: ${r.lastPollError}`;
  if (r.lastPoll === undefined) return c.fhirBaseUrl === null ? 'nothing to poll' : 'not yet';
  const res = r.lastPoll.result as { resources?: number; events?: number; duplicates?: number };
  return `${formatDateTime(r.lastPoll.at)}: ${count(res.resources ?? 0, 'resource')} read, ${count(res.events ?? 0, 'new event')}`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

const kindNames = {
  'dead-letter': 'Dead letter',
  'control-id-reused': 'Reused control id',
  'patient-not-found': 'Patient not found in the EHR',
  ignored: 'Kept, not routed',
};

function Attention({ connection }: { readonly connection: string }): ReactNode {
  const { api } = useSession();
  const [list] = useLoaded(
    () => answer(api.http.GET('/ehr/connections/{name}/dead-letters', { params: { path: { name: connection } } })),
    [api, connection],
  );
  return (
    <>
      <h3>Needs attention</h3>
      <Show what="the attention list" state={list}>
        {(a) => (
          <>
            <p>
              <span className={a.counts.deadLetter > 0 ? 'badge overdue' : 'badge ok'}>
                {count(a.counts.deadLetter, 'dead letter')}
              </span>{' '}
              <span className="badge">{count(a.counts.controlIdReused, 'reused control id')}</span>{' '}
              <span className={a.counts.patientNotFound > 0 ? 'badge overdue' : 'badge'}>
                {count(a.counts.patientNotFound, 'patient')} not found in the EHR
              </span>{' '}
              <span className="badge">{a.counts.ignored} kept, not routed</span>
            </p>
            {a.items.length === 0 ? (
              <p className="muted">Nothing refused or flagged: every message was filed.</p>
            ) : (
              <table className="data">
                <caption className="visually-hidden">Messages that need attention on {connection}</caption>
                <thead>
                  <tr>
                    <th scope="col">What</th>
                    <th scope="col">Message</th>
                    <th scope="col">Received</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {a.items.map((i) => (
                    <tr
                      key={`${i.kind}-${i.messageId}`}
                      className={i.kind === 'dead-letter' || i.kind === 'patient-not-found' ? 'overdue' : undefined}
                    >
                      <td>{kindNames[i.kind]}</td>
                      <td>
                        {i.messageType} <span className="muted">via {humanize(i.channel)}</span>
                      </td>
                      <td>{formatDateTime(i.receivedAt)}</td>
                      <td>{i.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Show>
    </>
  );
}

function Flagged({ connection }: { readonly connection: string }): ReactNode {
  const { api } = useSession();
  const [page] = useLoaded(
    () =>
      answer(
        api.http.GET('/ehr/connections/{name}/flagged-events', {
          params: { path: { name: connection }, query: { limit: '20' } },
        }),
      ),
    [api, connection],
  );
  const [open, setOpen] = useState(false);
  return (
    <Show what="the flagged events" state={page}>
      {(p) => (
        <>
          <h3>Events filed with a flag ({p.total})</h3>
          {p.total === 0 ? (
            <p className="muted">None: no schedule conflict or inferred time zone.</p>
          ) : (
            <>
              <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
                {open ? 'Hide' : `Show the latest ${p.items.length}`}
              </button>
              {open && (
                <ul>
                  {p.items.map((e) => (
                    <li key={e.eventId}>
                      {humanize(e.type)} at {formatDateTime(e.occurredAt)}:{' '}
                      {e.flags.map((f) => `${humanize(f.code)} (${f.detail})`).join('; ')}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
    </Show>
  );
}
