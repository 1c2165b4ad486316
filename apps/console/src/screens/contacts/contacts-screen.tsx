/**
 * @module Contacts and relationships: find a person or organization at a site, see one with its
 * relationships as the graph they form and its notes, and import a practice's contacts with the
 * reconciliation report before and after committing. Routes: `#/contacts` (find),
 * `#/contacts/<id>` (one contact; other screens link here), `#/contacts/import`.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSite } from '../../app.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import type { ScreenProps } from '../index.js';
import { ContactDetailView } from './contact-detail.js';
import { ContactImport } from './contact-import.js';
import './contacts.css';

interface Match {
  readonly id: string;
  readonly kind: 'person' | 'organization';
  readonly name: string;
  readonly birthDate?: string;
}

export function ContactsScreen(props: ScreenProps): ReactNode {
  const { sitesFor, can } = useSession();
  const siteInView = useSite();
  const named = sitesFor('phi.search').filter((s) => s !== '*');
  const [typedSite, setTypedSite] = useState(named[0] ?? '');
  const site = siteInView ?? typedSite.trim();
  const selected = props.params[0];
  const mayImport = can('phi.write');

  return (
    <div className="contacts">
      <div className="contacts__head">
        <h1>Contacts and relationships{site !== '' ? ` at ${site}` : ''}</h1>
        <nav aria-label="Contacts">
          <a href={href('contacts')} aria-current={selected !== 'import' ? 'page' : undefined}>
            Find a contact
          </a>
          {mayImport && (
            <a href={href('contacts', 'import')} aria-current={selected === 'import' ? 'page' : undefined}>
              Import contacts
            </a>
          )}
        </nav>
      </div>
      {siteInView === undefined && (
        <label className="contacts__site">
          Site
          <input value={typedSite} onChange={(e) => setTypedSite(e.target.value)} />
        </label>
      )}
      {selected === 'import' ? (
        mayImport ? (
          <ContactImport site={site} />
        ) : (
          <p className="empty">Importing contacts needs permission to write records at a site.</p>
        )
      ) : (
        <div className="contacts__layout">
          <ContactSearch site={site} selected={selected} />
          {selected !== undefined ? (
            <ContactDetailView id={selected} />
          ) : (
            <p className="empty">Find a patient or contact by name, birth date or phone to see their relationships.</p>
          )}
        </div>
      )}
    </div>
  );
}

function ContactSearch(props: { site: string; selected: string | undefined }): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [found, setFound] = useState<{ items: readonly Match[]; more: boolean } | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (asked === '' || props.site === '') return;
    let live = true;
    setError(undefined);
    setFound(undefined);
    answer(api.http.GET('/contacts', { params: { query: { site: props.site, q: asked } } }))
      .then((r) => live && setFound(r))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.site, asked]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setAsked(q.trim());
  };

  return (
    <section aria-labelledby={`${id}-h`} className="contacts__search">
      <h2 id={`${id}-h`}>Find a contact</h2>
      <form role="search" onSubmit={submit}>
        <label htmlFor={`${id}-q`}>Name, birth date (YYYY-MM-DD) or phone</label>
        <div className="contacts__search-row">
          <input id={`${id}-q`} value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
          <button type="submit" disabled={q.trim() === '' || props.site === ''}>
            Search
          </button>
        </div>
      </form>
      {props.site === '' && <p className="empty">Choose a site to search its contacts.</p>}
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {asked !== '' && found === undefined && error === undefined && (
        <p role="status" className="muted">
          Searching…
        </p>
      )}
      {found !== undefined && found.items.length === 0 && <p className="empty">No contact matches “{asked}”.</p>}
      {found !== undefined && found.items.length > 0 && (
        <ul className="contact-list" aria-label="Contacts found">
          {found.items.map((m) => (
            <li key={m.id}>
              <a href={href('contacts', m.id)} aria-current={m.id === props.selected ? 'true' : undefined}>
                {m.name}
              </a>
              <span className="muted">
                {' '}
                ·{' '}
                {m.kind === 'organization'
                  ? 'organization'
                  : m.birthDate !== undefined
                    ? `born ${m.birthDate}`
                    : 'person'}
              </span>
            </li>
          ))}
        </ul>
      )}
      {found?.more === true && <p className="muted">More contacts match: add a word to narrow the search.</p>}
    </section>
  );
}
