/**
 * @module Naming the patient of a document whose match was uncertain: what the page says beside the
 * patients the index finds for it (by the MRN, member id, or name and birth date read on it) or for
 * an MRN the person types; the person chooses one, never a guess by Steward. Each search is audited
 * by the index.
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { Answer } from '../../api/types.js';
import type { IntakeDocument } from '../../api/types.js';
import { useSession } from '../../session/session.js';
import { formatDate } from '../../ui/format.js';
import { candidateWords, pageSays } from './intake-words.js';

type Candidates = Answer<'/intake/documents/{id}/candidates', 'get'>['items'];

export function PatientPicker(props: {
  readonly doc: IntakeDocument;
  readonly busy: boolean;
  readonly onPick: (patientId: string, name: string) => void;
}): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [value, setValue] = useState('');
  const [searched, setSearched] = useState<string | undefined>();
  const [found, setFound] = useState<Candidates | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [chosen, setChosen] = useState('');

  const search = useCallback(
    async (typed: string | undefined) => {
      setError(undefined);
      try {
        const r = await answer(
          api.http.GET('/intake/documents/{id}/candidates', {
            params: { path: { id: props.doc.id }, query: typed !== undefined ? { value: typed } : {} },
          }),
        );
        setFound(r.items);
        setSearched(typed);
        setChosen((c) => (r.items.some((p) => p.id === c) ? c : ''));
      } catch (e) {
        setError(describeError(e));
      }
    },
    [api, props.doc.id],
  );
  useEffect(() => {
    void search(undefined);
  }, [search]);

  const pick = found?.find((p) => p.id === chosen);
  return (
    <fieldset className="intake-match">
      <legend>Whose document is it?</legend>
      <p>
        The page says: <strong>{pageSays(props.doc.fields)}</strong>
      </p>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() !== '') void search(value.trim());
        }}
      >
        <label>
          Search by MRN or member id
          <input value={value} onChange={(e) => setValue(e.target.value)} maxLength={100} />
        </label>
        <button type="submit">Search</button>
      </form>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {found === undefined ? (
        <p className="muted" role="status">
          Looking for the patient…
        </p>
      ) : found.length === 0 ? (
        <p className="muted" role="status">
          {searched !== undefined
            ? `No patient has ${searched} as an MRN or member id.`
            : 'No patient in the index matches what was read from the page. Search by the MRN, or ask the sender.'}
        </p>
      ) : (
        <div role="radiogroup" aria-labelledby={`${id}-found`} className="stack">
          <p id={`${id}-found`} className="muted">
            {found.length === 1 ? 'One patient found' : `${found.length} patients found`}: choose the one this is about.
          </p>
          {found.map((p) => (
            <label key={p.id} className="intake-candidate">
              <input
                type="radio"
                name={`${id}-patient`}
                value={p.id}
                checked={chosen === p.id}
                onChange={() => setChosen(p.id)}
              />{' '}
              {p.name ?? 'Name not shown'}
              {p.birthDate !== undefined && ` · born ${formatDate(p.birthDate)}`}{' '}
              <span className="muted">({candidateWords(p.foundBy)})</span>
            </label>
          ))}
        </div>
      )}
      <div className="actions start">
        <button
          type="button"
          className="primary"
          disabled={props.busy || pick === undefined}
          onClick={() => pick !== undefined && props.onPick(pick.id, pick.name ?? 'the patient chosen')}
        >
          This is the patient
        </button>
      </div>
    </fieldset>
  );
}
