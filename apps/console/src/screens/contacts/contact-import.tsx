/**
 * @module Import a practice's contacts: pick the mapping, the contacts file and the files the
 * mapping names, check them (a dry run: the reconciliation report a commit would give, nothing
 * written), then import and see the report of what was done. The server parses the files with
 * the same reader and imports with the same code as `steward contacts import` (docs/contacts-import.md).
 */
import { useId, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { useSession } from '../../session/session.js';
import type { ImportReport, KindCounts } from './contact-types.js';

interface Upload {
  readonly name: string;
  readonly content: string;
}

const read = async (f: File): Promise<Upload> => ({ name: f.name, content: await f.text() });

export function ContactImport(props: { site: string }): ReactNode {
  const { api } = useSession();
  const id = useId();
  const [mapping, setMapping] = useState<File | undefined>();
  const [contacts, setContacts] = useState<File | undefined>();
  const [others, setOthers] = useState<readonly File[]>([]);
  const [report, setReport] = useState<ImportReport | undefined>();
  const [busy, setBusy] = useState<'check' | 'import' | undefined>();
  const [error, setError] = useState<string | undefined>();

  const send = async (dryRun: boolean): Promise<void> => {
    if (mapping === undefined || contacts === undefined) return;
    setBusy(dryRun ? 'check' : 'import');
    setError(undefined);
    try {
      const body = {
        site: props.site,
        dryRun,
        mapping: await read(mapping),
        contacts: await read(contacts),
        files: await Promise.all(others.map(read)),
      };
      const r = await answer(api.http.POST('/contacts/import/files', { body }));
      setReport(r as unknown as ImportReport);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(undefined);
    }
  };
  /** A new file means the last report no longer describes what would be imported. */
  const pick =
    <T,>(set: (v: T) => void) =>
    (v: T): void => {
      set(v);
      setReport(undefined);
    };
  const ready = mapping !== undefined && contacts !== undefined && props.site !== '';

  return (
    <section aria-labelledby={`${id}-h`} className="contact-import">
      <h2 id={`${id}-h`}>Import contacts{props.site !== '' ? ` into ${props.site}` : ''}</h2>
      <p className="muted">
        The mapping says which column holds which field (see docs/contacts-import.md). Check first: the report shows
        what would be created, updated, left unchanged and refused, row by row, before anything is written. Importing
        the same files again changes nothing; fix a refused row and import again to add just that row.
      </p>
      <div className="contact-import__files">
        <label htmlFor={`${id}-m`}>Mapping file (JSON)</label>
        <input
          id={`${id}-m`}
          type="file"
          accept=".json,application/json"
          onChange={(e) => pick(setMapping)(e.target.files?.[0])}
        />
        <label htmlFor={`${id}-c`}>Contacts file (CSV or JSON)</label>
        <input
          id={`${id}-c`}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          onChange={(e) => pick(setContacts)(e.target.files?.[0])}
        />
        <label htmlFor={`${id}-o`}>Relationship and note files the mapping names</label>
        <input
          id={`${id}-o`}
          type="file"
          multiple
          accept=".csv,.json,text/csv,application/json"
          onChange={(e) => pick(setOthers)([...(e.target.files ?? [])])}
        />
      </div>
      <div className="actions">
        <button type="button" disabled={!ready || busy !== undefined} onClick={() => void send(true)}>
          {busy === 'check' ? 'Checking…' : 'Check (nothing is written)'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!ready || busy !== undefined || report?.preview !== true}
          onClick={() => void send(false)}
        >
          {busy === 'import' ? 'Importing…' : 'Import'}
        </button>
      </div>
      {props.site === '' && <p className="empty">Choose a site to import into.</p>}
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {report !== undefined && <ReconciliationView report={report} />}
    </section>
  );
}

const columns: readonly [keyof KindCounts, string][] = [
  ['in', 'Rows read'],
  ['created', 'Created'],
  ['merged', 'Merged into a person'],
  ['updated', 'Updated (notes added)'],
  ['unchanged', 'Unchanged'],
  ['notImported', 'Refused'],
];

function ReconciliationView(props: { report: ImportReport }): ReactNode {
  const r = props.report;
  const kinds = [
    ['Contacts', r.contacts],
    ['Relationships', r.relationships],
    ['Notes', r.notes],
  ] as const;
  return (
    <section aria-labelledby="reconciliation-h" className="reconciliation">
      <h3 id="reconciliation-h">
        {r.preview ? 'Reconciliation report — check only, nothing written' : 'Reconciliation report — imported'}
      </h3>
      <p role="status" className={!r.reconciled ? 'error' : r.notImported.length > 0 ? 'warn' : 'ok'}>
        {r.preview
          ? r.notImported.length === 0
            ? 'Every row would be imported or is already there.'
            : `${r.notImported.length} row${r.notImported.length === 1 ? '' : 's'} would be refused (listed below): fix ${r.notImported.length === 1 ? 'it' : 'them'} in the files, or import the rest now and ${r.notImported.length === 1 ? 'it' : 'them'} later.`
          : r.reconciled
            ? `Imported from ${r.sourceSystem}: every row is accounted for and every stored record matches its source.`
            : 'Not reconciled: see the rows and the content check below.'}
        {r.resumed && ' (This continued an import that was interrupted.)'}
      </p>
      <table>
        <caption className="visually-hidden">Counts by kind</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            {columns.map(([k, label]) => (
              <th key={k} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {kinds.map(([label, c]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {columns.map(([k]) => (
                <td key={k} className={k === 'notImported' && c[k] > 0 ? 'refused' : undefined}>
                  {c[k]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {r.notImported.length > 0 && (
        <>
          <h4>Refused rows ({r.notImported.length})</h4>
          <table className="reconciliation__refused">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Row</th>
                <th scope="col">Kind</th>
                <th scope="col">Field</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {r.notImported.map((l, i) => (
                <tr key={`${l.file}:${l.row}:${i}`}>
                  <td>{l.file}</td>
                  <td>{l.row}</td>
                  <td>{l.kind}</td>
                  <td>{l.field ?? ''}</td>
                  <td>{l.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {r.reviews.length > 0 && (
        <p>
          {r.reviews.length} possible duplicate{r.reviews.length === 1 ? ' was' : 's were'} kept apart for a person to
          decide (same name and birth date, or same email, but not both).
        </p>
      )}
      {!r.preview && (
        <p className="muted">
          Content check: {r.hashCheck.checked} stored records read back, {r.hashCheck.mismatched.length} differ from
          their source.
        </p>
      )}
    </section>
  );
}
