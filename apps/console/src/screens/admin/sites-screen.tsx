/**
 * @module Sites and their settings (for whoever holds `config.manage`): each site's name, time
 * zone, business hours per weekday, holidays, quiet hours for messages, EHR organizations and
 * locations, default owner pool and escalation contacts, who changed it last and when; a site that
 * grants or connections name without a record, offered for configuration. Edits go through the
 * site registry (which checks the zone, the hours and the dates, all problems at once) with the
 * version seen, so a change made meanwhile by someone else is refused, not overwritten.
 * Route: `#/sites`.
 */
import { useState, type ReactNode } from 'react';
import { answer } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import type { SiteListing, SiteRecord } from './admin-types.js';
import { OutcomeLine, Show, useChange, useLoaded } from './admin-ui.js';
import { SiteForm, weekdayNames, type SiteEdit } from './site-form.js';
import './admin.css';

export function SitesScreen(): ReactNode {
  const { api } = useSession();
  const [sites, reload] = useLoaded(() => answer(api.http.GET('/sites')), [api]);
  const change = useChange(reload);
  const [editing, setEditing] = useState<SiteEdit | undefined>();

  const save = async (edit: SiteEdit): Promise<void> => {
    const { id, existing, input } = edit;
    const ok = await change.run(
      () =>
        existing === undefined
          ? answer(api.http.POST('/sites', { body: { id, ...input } }))
          : answer(
              api.http.PATCH('/sites/{id}', {
                params: { path: { id } },
                body: { ...input, expectedVersion: existing.version },
              }),
            ),
      `Site ${input.name ?? id} saved.`,
    );
    if (ok) setEditing(undefined);
  };

  return (
    <div className="admin">
      <h1>Sites</h1>
      <p className="help">
        A site's clock decides due dates, reminders and quiet hours: times on every screen are read in its zone.
      </p>
      <OutcomeLine outcome={change.outcome} />
      <Show what="the sites" state={sites}>
        {(list) =>
          list.items.length === 0 ? (
            <p className="empty">No sites yet: grants and EHR connections name none.</p>
          ) : (
            list.items.map((s) => (
              <SiteCard key={s.id} listing={s} onEdit={(existing) => setEditing(start(s, existing))} />
            ))
          )
        }
      </Show>
      {editing !== undefined && (
        <SiteForm
          edit={editing}
          busy={change.busy}
          outcome={change.outcome}
          onCancel={() => setEditing(undefined)}
          onSave={(e) => void save(e)}
        />
      )}
    </div>
  );
}

function start(listing: SiteListing, existing: SiteRecord | undefined): SiteEdit {
  return { id: listing.id, existing, input: {} };
}

function SiteCard(props: {
  readonly listing: SiteListing;
  readonly onEdit: (s: SiteRecord | undefined) => void;
}): ReactNode {
  const { listing } = props;
  const s = listing.site;
  const title = s !== null ? s.name : listing.id;
  return (
    <section className="panel" aria-label={`Site ${title}`}>
      <h2>
        {title} <span className="muted">({listing.id})</span>
      </h2>
      {s === null ? (
        <>
          <p>
            <span className="badge p2">Not configured</span> Named by{' '}
            {listing.referencedBy.map((r) => (r === 'grants' ? 'role grants' : 'EHR connections')).join(' and ')}, with
            no name, time zone or hours yet: its times are read in UTC until it is configured.
          </p>
          <button type="button" className="primary" onClick={() => props.onEdit(undefined)}>
            Configure {listing.id}
          </button>
        </>
      ) : (
        <>
          <dl className="facts">
            <dt>Time zone</dt>
            <dd>{s.zone}</dd>
            <dt>Business hours</dt>
            <dd>
              <ul className="plain">
                {weekdayNames.map(([day, name]) => {
                  const h = s.businessHours[day];
                  return (
                    <li key={day}>
                      {name}: {h === null ? 'closed' : `${h.open}–${h.close}`}
                    </li>
                  );
                })}
              </ul>
            </dd>
            <dt>Holidays</dt>
            <dd>{s.holidays.length === 0 ? 'none' : s.holidays.join(', ')}</dd>
            <dt>Quiet hours</dt>
            <dd>
              {s.quietHours === null
                ? 'none: messages go out at any hour'
                : `${s.quietHours.start}–${s.quietHours.end} (messages wait)`}
            </dd>
            <dt>EHR organizations and locations</dt>
            <dd>{s.ehrRefs.length === 0 ? 'none' : s.ehrRefs.join(', ')}</dd>
            <dt>Default owner pool</dt>
            <dd>{s.ownerPool ?? 'none'}</dd>
            <dt>Escalation contacts</dt>
            <dd>{s.escalationContacts.length === 0 ? 'none' : s.escalationContacts.join(', ')}</dd>
            <dt>Last changed</dt>
            <dd>
              {formatDateTime(s.updatedAt)} by {s.updatedByName ?? 'an account no longer on file'} (version {s.version})
            </dd>
          </dl>
          <button type="button" onClick={() => props.onEdit(s)}>
            Edit {s.name}
          </button>
        </>
      )}
    </section>
  );
}
