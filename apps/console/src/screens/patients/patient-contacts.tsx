/**
 * @module The patient page's "Contacts and relationships": the people and organizations related
 * to the patient's linked contact-graph person (by name, role in words, period, authority, whether
 * they may receive information), each opening their graph on `#/contacts/<id>`. Without a link, the
 * graph's people with exactly the patient's name and birth date are listed as suggestions (never as
 * the patient's contacts), each confirmed with a button and a dialog by roles that may link.
 */
import { useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { PatientPage } from '../../api/types.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { Confirm } from '../admin/admin-ui.js';

type Contacts = PatientPage['contacts'];
type Suggestion = NonNullable<Contacts['suggestions']>[number];

export function PatientContacts(props: {
  readonly patientId: string;
  readonly patientName: string;
  readonly contacts: Contacts;
  readonly onChanged: () => void;
}): ReactNode {
  const { api } = useSession();
  const [confirming, setConfirming] = useState<Suggestion | undefined>();
  const [unlinking, setUnlinking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const c = props.contacts;
  const path = { params: { path: { id: props.patientId } } };

  const act = (call: () => Promise<unknown>, done: () => void) => {
    setBusy(true);
    setError(undefined);
    call()
      .then(() => {
        done();
        props.onChanged();
      })
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="patient-contacts" className="patient-contacts">
      <h2 id="patient-contacts">Contacts and relationships{c.link !== null ? ` (${c.contacts.length})` : ''}</h2>
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {c.link !== null ? (
        <>
          <p className="muted">
            Linked to <a href={href('contacts', c.link.partyId)}>{c.link.name}</a> in the contact graph.
            {c.mayLink && (
              <>
                {' '}
                <button type="button" className="link" onClick={() => setUnlinking(true)}>
                  Unlink
                </button>
              </>
            )}
          </p>
          {c.contacts.length === 0 ? (
            <p className="empty">No relationships recorded for this person.</p>
          ) : (
            <ul className="patient-list" aria-label="The patient's contacts">
              {c.contacts.map((x) => (
                <li key={x.relationshipId}>
                  <a href={href('contacts', x.party.id)}>{x.party.name}</a> · {x.role}
                  {!x.active && <span className="badge">Ended</span>}
                  <span className="muted">
                    {' '}
                    · {period(x.validFrom, x.validTo)}
                    {x.authority.length > 0 && ` · Authority: ${x.authority.join(', ')}`}
                    {' · '}
                    {x.mayReceiveInformation ? 'May receive information' : 'May not receive information'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <>
          <p>
            No contact record linked. <a href={href('contacts')}>Find {props.patientName} in Contacts</a>.
          </p>
          {(c.suggestions ?? []).length > 0 && (
            <ul className="patient-list" aria-label="Suggested contact records">
              {(c.suggestions ?? []).map((s) => (
                <li key={s.partyId}>
                  <a href={href('contacts', s.partyId)}>{s.name}</a> · born {s.birthDate}{' '}
                  <span className="muted">· suggested: same name and birth date — confirm</span>{' '}
                  {c.mayLink && (
                    <button type="button" onClick={() => setConfirming(s)} aria-label={`Confirm ${s.name}`}>
                      Confirm
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {confirming !== undefined && (
        <Confirm
          title="Link this contact record to the patient?"
          confirm="Link"
          busy={busy}
          onClose={() => setConfirming(undefined)}
          onConfirm={() =>
            act(
              () =>
                answer(api.http.PUT('/patients/{id}/contact-link', { ...path, body: { partyId: confirming.partyId } })),
              () => setConfirming(undefined),
            )
          }
        >
          <p>
            {confirming.name}, born {confirming.birthDate}, has the same name and birth date as this patient. Link only
            if it is the same person: their relationships (caregivers, proxies, guardians) will show on this patient's
            page. The link is recorded in the audit trail.
          </p>
        </Confirm>
      )}
      {unlinking && c.link !== null && (
        <Confirm
          title="Unlink the contact record?"
          confirm="Unlink"
          danger
          busy={busy}
          onClose={() => setUnlinking(false)}
          onConfirm={() =>
            act(
              () => answer(api.http.DELETE('/patients/{id}/contact-link', path)),
              () => setUnlinking(false),
            )
          }
        >
          <p>
            {c.link.name}'s relationships will no longer show on this patient's page. The contact record itself is kept.
          </p>
        </Confirm>
      )}
    </section>
  );
}

function period(from: string | null, to: string | null): string {
  if (from === null && to === null) return 'no dates recorded';
  if (to === null) return `since ${from}`;
  if (from === null) return `until ${to}`;
  return `${from} to ${to}`;
}
