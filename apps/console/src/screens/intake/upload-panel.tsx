/**
 * @module Uploading a document into intake (`intake.upload` at the site): a PDF, TIFF, PNG or JPEG
 * is sent as base64 and sealed; the server answers at once with the file received and reads it
 * afterwards, so the panel says "received; reading…" and follows the arrival
 * (`GET /intake/arrivals/{id}`) until its outcome is known — the documents found and where each
 * went, or a file that could not be read and why (nothing silently) — or says at once that the file
 * is a duplicate of one received before.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { IntakeArrival } from '../../api/types.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { stateLabel, uploadAccept, uploadMediaType } from './intake-words.js';

/** The server's limit is 32 MB of file; a larger one is refused before it is sent. */
const MAX_BYTES = 32 * 1024 * 1024;
/** How often a file being read is asked after (ms). */
const FOLLOW_MS = 1000;

const settled = (a: IntakeArrival): boolean => a.reading === 'read' || a.reading === 'unreadable';

export function UploadPanel(props: { readonly site: string | undefined; readonly onUploaded: () => void }): ReactNode {
  const { api, sitesFor } = useSession();
  const id = useId();
  const sites = sitesFor('intake.upload').filter((s) => s !== '*');
  const [site, setSite] = useState(props.site ?? sites[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ readonly name: string; readonly arrival: IntakeArrival } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  const target = props.site ?? site;
  const upload = async (): Promise<void> => {
    const file = input.current?.files?.[0];
    setResult(undefined);
    setError(undefined);
    if (file === undefined) return setError('Choose a file to upload first.');
    const mediaType = uploadMediaType(file.type, file.name);
    if (mediaType === undefined)
      return setError(`${file.name} is not a PDF, TIFF, PNG or JPEG: intake reads only those.`);
    if (file.size > MAX_BYTES)
      return setError(`${file.name} is larger than 32 MB: split it or scan at a lower resolution.`);
    if (target === '') return setError('Name the site the document is for.');
    setBusy(true);
    try {
      const data = await base64(file);
      let arrival = await answer(
        api.http.POST('/intake/uploads', { body: { site: target, mediaType, fileName: file.name, data } }),
      );
      setResult({ name: file.name, arrival });
      setBusy(false);
      if (input.current !== null) input.current.value = '';
      props.onUploaded();
      // Followed until its outcome is known (another file may be uploaded meanwhile), then the queue loaded again.
      while (!settled(arrival)) {
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
        const id = arrival.arrivalId;
        arrival = await answer(api.http.GET('/intake/arrivals/{id}', { params: { path: { id } } }));
        const now = arrival;
        setResult((r) => (r?.arrival.arrivalId === id ? { ...r, arrival: now } : r));
      }
      props.onUploaded();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="panel intake-upload"
      aria-labelledby={`${id}-h`}
      onSubmit={(e) => {
        e.preventDefault();
        void upload();
      }}
    >
      <h2 id={`${id}-h`}>Upload a document</h2>
      <div className="filters">
        <label>
          File (PDF, TIFF, PNG or JPEG)
          <input ref={input} type="file" accept={uploadAccept} />
        </label>
        {props.site === undefined && (
          <label>
            Site
            <input value={site} onChange={(e) => setSite(e.target.value.trim())} list={`${id}-sites`} required />
            <datalist id={`${id}-sites`}>
              {sites.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </label>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Upload
        </button>
      </div>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result !== undefined && <ArrivalOutcome name={result.name} arrival={result.arrival} />}
    </form>
  );
}

function ArrivalOutcome(props: { readonly name: string; readonly arrival: IntakeArrival }): ReactNode {
  const a = props.arrival;
  if (a.outcome === 'unreadable')
    return (
      <p className="notice" role="status">
        {props.name} was received but could not be read: {a.detail ?? 'no reason given'}. It is kept (sealed); send it
        again once the problem is fixed, or ask the sender for a clearer copy.
      </p>
    );
  if (a.outcome === 'duplicate')
    return (
      <p className="notice" role="status">
        {props.name} was received before ({a.detail ?? 'same content'}): nothing new was filed.
        {a.documents.length > 0 && <DocumentLinks documents={a.documents} />}
      </p>
    );
  if (!settled(a))
    return (
      <p role="status" className="intake-uploaded">
        {props.name} was received; reading…
        {a.readingNote.includes('transient failure') && <span className="muted"> ({a.readingNote})</span>}
      </p>
    );
  return (
    <p role="status" className="intake-uploaded">
      {props.name} was received and read: {a.documents.length} document{a.documents.length === 1 ? '' : 's'} found.
      <DocumentLinks documents={a.documents} />
    </p>
  );
}

function DocumentLinks(props: { readonly documents: IntakeArrival['documents'] }): ReactNode {
  return (
    <>
      {props.documents.map((d, i) => (
        <span key={d.id}>
          {' '}
          <a href={href('intake', d.id)}>Document {i + 1}</a>: {stateLabel(d.state).toLowerCase()}.
        </span>
      ))}
    </>
  );
}

/** The file's bytes as base64 (without the `data:` prefix). */
function base64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error(`${file.name} could not be read from this computer`));
    reader.readAsDataURL(file);
  });
}
