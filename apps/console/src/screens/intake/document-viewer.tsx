/**
 * @module One intake document (`#/intake/<id>`): its page images beside what was read from it — the
 * type and the classifier's calibrated confidence, the fields as written, the completeness
 * checklist naming what is missing, the patient match and how it was made, how the file arrived,
 * and its trail to where it is now — and what a person does with it: set the type where the
 * classifier abstained, name the patient where the match is uncertain, link a consult note or
 * result to the referral it answers (or say it answers none), reject it with a reason, or take it on
 * again after routing stopped on an error. The referral it answers is named in words, with a link. Opening it and each page image are PHI reads
 * the server decides and audits; a role without them sees why nothing is shown. Page images are
 * fetched with the session and shown from blob URLs, released when the page leaves.
 */
import { lazy, Suspense, useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { ApiError, answer, describeError } from '../../api/client.js';
import type { IntakeDocument, IntakeItem } from '../../api/types.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDate, formatDateTime } from '../../ui/format.js';
import { patientLine } from '../../ui/patient-label.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import { PatientPicker } from './patient-picker.js';
import {
  actionsFor,
  intakeTypes,
  isIntakeType,
  isRejectReason,
  matchWords,
  missingItem,
  missingLine,
  outcomeWords,
  percent,
  rejectReasonWords,
  sourceLabel,
  stateLabel,
  trailLine,
  typeLabel,
  typeLine,
  whereLabel,
} from './intake-words.js';

// Who has the document (its handoffs) comes with My work's chunk, loaded with the first document
// opened: one chunk for the handoffs' words, not a third shared between the two screens.
const SubjectHandoffs = lazy(async () => ({ default: (await import('../work/work-screen.js')).SubjectHandoffs }));

export function DocumentViewer(props: { readonly id: string }): ReactNode {
  const { api } = useSession();
  const [doc, setDoc] = useState<IntakeDocument | undefined>();
  const [error, setError] = useState<{ readonly status: number; readonly message: string } | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(async () => {
    try {
      setDoc(await answer(api.http.GET('/intake/documents/{id}', { params: { path: { id: props.id } } })));
      setError(undefined);
    } catch (e) {
      setError({ status: e instanceof ApiError ? e.status : 0, message: describeError(e) });
    }
  }, [api, props.id]);
  useEffect(() => {
    void load();
  }, [load]);
  useShortcuts({ u: () => navigate('intake'), Escape: () => navigate('intake') });

  const back = (
    <p>
      <a href={href('intake')}>← Back to the intake queue</a> <span className="muted">(u)</span>
    </p>
  );
  if (error !== undefined)
    return (
      <section className="intake-viewer" aria-labelledby="intake-doc-heading">
        {back}
        <h1 id="intake-doc-heading">Intake document</h1>
        {error.status === 403 ? (
          <p className="notice" role="status">
            Your role may not read patient information at this site: the pages and what was read from them are not
            shown. {error.message}
          </p>
        ) : (
          <p className="error" role="alert">
            {error.message}
          </p>
        )}
      </section>
    );
  if (doc === undefined)
    return (
      <p role="status" className="muted">
        Loading the document…
      </p>
    );

  const changed = (s: IntakeItem, what: string): void => {
    setNotice(`${what} The document is now: ${whereLabel(s).toLowerCase()}.`);
    void load();
  };
  return (
    <section className="intake-viewer" aria-labelledby="intake-doc-heading">
      {back}
      <h1 id="intake-doc-heading">
        {doc.type !== null ? typeLabel(doc.type) : 'Unsorted document'}
        {doc.patient !== undefined && <> · {patientLine(doc.patient)}</>}
      </h1>
      <p className="muted">
        {whereLabel(doc)} · received {formatDateTime(doc.receivedAt)} · site {doc.site} · opening this document and each
        page is recorded in the audit trail.
      </p>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {doc.outcomeDetail !== null && (
        <p className={actionsFor(doc).resume ? 'error' : 'notice'} role="status">
          {outcomeWords(doc.outcomeDetail)}
        </p>
      )}
      <div className="intake-split">
        <PageImages doc={doc} />
        <div className="intake-read">
          <Suspense fallback={null}>
            <SubjectHandoffs subject={{ kind: 'document', id: doc.id }} version={doc} />
          </Suspense>
          <Actions doc={doc} onChanged={changed} />
          <ReadPanel doc={doc} />
        </div>
      </div>
    </section>
  );
}

/** The page images, each fetched with the session (a PHI read, audited) and released on leaving. */
function PageImages(props: { readonly doc: IntakeDocument }): ReactNode {
  const { api } = useSession();
  const { doc } = props;
  const [urls, setUrls] = useState<Readonly<Record<number, string | { readonly error: string }>>>({});
  const indices = doc.pages.map((p) => p.index);
  const key = `${doc.id}:${indices.join(',')}`;

  useEffect(() => {
    let live = true;
    const made: string[] = [];
    for (const i of indices) {
      api
        .blob(`/intake/documents/${encodeURIComponent(doc.id)}/pages/${i}`)
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          made.push(url);
          if (live) setUrls((u) => ({ ...u, [i]: url }));
          else URL.revokeObjectURL(url);
        })
        .catch((e: unknown) => live && setUrls((u) => ({ ...u, [i]: { error: describeError(e) } })));
    }
    return () => {
      live = false;
      for (const u of made) URL.revokeObjectURL(u);
    };
    // Keyed by the document and its pages (`key`), not the array's identity.
  }, [api, key]);

  return (
    // Scrolls on its own beside what was read (a long fax): focusable, so the keyboard scrolls it too.
    <section className="intake-pages panel" aria-label="Page images" tabIndex={0}>
      <h2>Pages ({doc.pageCount})</h2>
      {indices.length === 0 && <p className="muted">No page images were kept for this document.</p>}
      {indices.map((i, n) => {
        const u = urls[i];
        const page = doc.pages.find((p) => p.index === i);
        return (
          <figure key={i} className="intake-page">
            {u === undefined ? (
              <p className="muted">Loading page {n + 1}…</p>
            ) : typeof u === 'string' ? (
              <img src={u} alt={`Page ${n + 1} of ${indices.length}`} />
            ) : (
              <p className="error">
                Page {n + 1} could not be shown: {u.error}
              </p>
            )}
            <figcaption className="muted">
              Page {n + 1} of {indices.length}
              {page !== undefined &&
                ` · ${page.source === 'ocr' ? `read by OCR (${percent(page.textConfidence)} word confidence)` : 'text layer of the file'}`}
            </figcaption>
          </figure>
        );
      })}
    </section>
  );
}

const fieldNames: readonly (readonly [keyof IntakeDocument['fields'], string])[] = [
  ['patientFamily', 'Family name'],
  ['patientGiven', 'Given name'],
  ['birthDate', 'Birth date'],
  ['mrn', 'MRN'],
  ['memberId', 'Insurance member id'],
  ['documentDate', 'Document date'],
  ['fromName', 'From'],
  ['fromNpi', 'Sender NPI'],
  ['toName', 'To'],
  ['subject', 'Subject'],
  ['signed', 'Signed'],
];

function ReadPanel(props: { readonly doc: IntakeDocument }): ReactNode {
  const { doc } = props;
  const id = useId();
  const first = doc.arrivals[0];
  return (
    <>
      <section className="panel" aria-labelledby={`${id}-what`}>
        <h2 id={`${id}-what`}>What it is</h2>
        <dl className="facts">
          <dt>Type</dt>
          <dd>{typeLine(doc)}</dd>
          {doc.type !== null && doc.type !== doc.bestType && (
            <>
              <dt>Classifier's guess</dt>
              <dd>
                {typeLabel(doc.bestType)} ({percent(doc.confidence)})
              </dd>
            </>
          )}
          <dt>Patient</dt>
          <dd>
            {doc.patient !== undefined ? (
              <a href={href('patients', doc.patient.id)}>{patientLine(doc.patient)}</a>
            ) : (
              <span className="muted">not matched yet</span>
            )}
            {doc.matchReason !== null && <div className="muted">{matchWords(doc.matchReason)}</div>}
          </dd>
          {doc.referral !== undefined && (
            <>
              <dt>Referral</dt>
              <dd>
                <a href={href('referrals', doc.referral.id)}>{doc.referral.words}</a>
              </dd>
            </>
          )}
          <dt>Arrived</dt>
          <dd>
            {first !== undefined ? (
              <>
                {sourceLabel(first.source)}, {formatDateTime(first.receivedAt)}, brought by {first.by}
                {doc.arrivals.length > 1 && (
                  <div className="muted">
                    and {doc.arrivals.length - 1} more time{doc.arrivals.length === 2 ? '' : 's'} (duplicates:{' '}
                    {doc.arrivals
                      .slice(1)
                      .map((a) => `${sourceLabel(a.source).toLowerCase()} ${formatDateTime(a.receivedAt)}`)
                      .join('; ')}
                    )
                  </div>
                )}
              </>
            ) : (
              formatDateTime(doc.receivedAt)
            )}
          </dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby={`${id}-check`}>
        <h2 id={`${id}-check`}>Completeness</h2>
        {doc.complete ? (
          <p>
            <span className="badge ok">Complete</span> Everything the checklist for{' '}
            {typeLabel(doc.type ?? doc.bestType).toLowerCase()} asks for is there.
          </p>
        ) : (
          <>
            <p>
              <span className="badge incomplete">Incomplete</span> {missingLine(doc)}. It will not be filed until it is
              there.
            </p>
            <ul aria-label="What is missing">
              {doc.missing.map((m) => (
                <li key={m}>{missingItem(m)}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby={`${id}-fields`}>
        <h2 id={`${id}-fields`}>What was read from it</h2>
        <dl className="facts">
          {fieldNames.map(([k, label]) => {
            const v = doc.fields[k];
            return (
              <FieldRow
                key={k}
                label={label}
                value={
                  v === undefined
                    ? undefined
                    : typeof v === 'boolean'
                      ? v
                        ? 'yes'
                        : 'no signature found'
                      : k === 'birthDate' || k === 'documentDate'
                        ? formatDate(v)
                        : v
                }
              />
            );
          })}
        </dl>
        {doc.pages.some((p) => p.text !== undefined && p.text !== '') && (
          <details>
            <summary>The text as read, page by page</summary>
            {doc.pages.map((p, n) => (
              <div key={p.index}>
                <h3>Page {n + 1}</h3>
                <pre className="intake-text">{p.text ?? '(no text)'}</pre>
              </div>
            ))}
          </details>
        )}
      </section>

      <section className="panel" aria-labelledby={`${id}-trail`}>
        <h2 id={`${id}-trail`}>What happened to it</h2>
        <ol className="intake-trail">
          {doc.trail.map((s, i) => (
            <li key={i}>
              <time dateTime={s.at}>{formatDateTime(s.at)}</time> — {trailLine(s)}{' '}
              <span className="muted">({s.by === 'intake' ? 'Steward' : s.by})</span>
            </li>
          ))}
        </ol>
        {doc.proposalId !== null && (
          <p>
            Filing proposal: <a href={href('review', doc.proposalId)}>open it in the review queue</a>
          </p>
        )}
        {doc.handoffIds.length > 0 && (
          <p className="muted">
            Handed off {doc.handoffIds.length === 1 ? 'once' : `${doc.handoffIds.length} times`}: the person or pool it
            went to sees it in their work queue.
          </p>
        )}
        {doc.modelVersion !== null && <p className="muted">Read with classifier model {doc.modelVersion}.</p>}
      </section>
    </>
  );
}

/** Which of the patient's referrals the document answers, or none: the person chooses, never Steward. */
function ReferralPicker(props: {
  readonly doc: IntakeDocument;
  readonly busy: boolean;
  readonly onPick: (referral: string | null) => void;
}): ReactNode {
  return (
    <p>
      Link to:{' '}
      {[...(props.doc.referralChoices ?? []), { id: null, words: 'no referral' }].map((c) => (
        <button key={c.id} type="button" disabled={props.busy} onClick={() => props.onPick(c.id)}>
          {c.words}
        </button>
      ))}
    </p>
  );
}

function FieldRow(props: { readonly label: string; readonly value: string | undefined }): ReactNode {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value ?? <span className="muted">not found on the page</span>}</dd>
    </>
  );
}

/** The actions the document's state allows, for a role that works intake at its site. */
function Actions(props: {
  readonly doc: IntakeDocument;
  readonly onChanged: (s: IntakeItem, what: string) => void;
}): ReactNode {
  const { api, can } = useSession();
  const { doc } = props;
  const id = useId();
  const allowed = actionsFor(doc);
  const [type, setType] = useState<string>(doc.type ?? doc.bestType);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (!can('intake.work', doc.site))
    return (
      <p className="muted">
        Your role reads intake at this site but does not work it: sorting and matching are not offered.
      </p>
    );
  if (!allowed.sort && !allowed.match && !allowed.reject && !allowed.resume && !allowed.link)
    return (
      <p className="muted">
        Nothing to do here: the document is {stateLabel(doc.state).toLowerCase()}
        {doc.state === 'proposed-for-filing' ? ' and waits for approval in the review queue' : ''}.
      </p>
    );

  const act = async (
    call: () => Promise<{ data?: IntakeItem; error?: unknown; response: Response }>,
    what: string,
  ): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      props.onChanged(await answer(call()), what);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const path = { params: { path: { id: doc.id } } };

  return (
    <section className="panel intake-actions" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>What to do</h2>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {allowed.sort && (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (isIntakeType(type))
              void act(
                () => api.http.POST('/intake/documents/{id}/sort', { ...path, body: { type } }),
                `Sorted as ${typeLabel(type).toLowerCase()}.`,
              );
          }}
        >
          <label>
            {doc.state === 'needs-sorting' ? 'Set the type (the classifier was not sure)' : 'Correct the type'}
            <select value={type} onChange={(e) => setType(e.target.value)}>
              {intakeTypes.map((t) => (
                <option key={t} value={t}>
                  {typeLabel(t)}
                  {t === doc.bestType ? ` — best guess, ${percent(doc.confidence)}` : ''}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={doc.state === 'needs-sorting' ? 'primary' : undefined} disabled={busy}>
            Set type
          </button>
        </form>
      )}
      {allowed.match && (
        <PatientPicker
          doc={doc}
          busy={busy}
          onPick={(patientId, name) =>
            void act(
              () => api.http.POST('/intake/documents/{id}/match', { ...path, body: { patientId } }),
              `Matched to ${name}.`,
            )
          }
        />
      )}
      {allowed.link && (
        <ReferralPicker
          doc={doc}
          busy={busy}
          onPick={(referral) =>
            void act(() => api.http.POST('/intake/documents/{id}/referral', { ...path, body: { referral } }), 'Linked.')
          }
        />
      )}
      {allowed.resume && (
        <div className="actions start intake-resume">
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => api.http.POST('/intake/documents/{id}/resume', path), 'Taken on again.')}
          >
            Try again
          </button>
          <span className="muted">Routing stopped on the error above; try again once it is resolved.</span>
        </div>
      )}
      {allowed.reject && (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (isRejectReason(reason))
              void act(
                () =>
                  api.http.POST('/intake/documents/{id}/reject', {
                    ...path,
                    body: { reason },
                  }),
                `Rejected: ${(rejectReasonWords[reason] ?? reason).toLowerCase()}.`,
              );
          }}
        >
          <label>
            Reject it (not to be filed)
            <select value={reason} onChange={(e) => setReason(e.target.value)} required>
              <option value="">Choose a reason…</option>
              {Object.entries(rejectReasonWords).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="danger-outline" disabled={busy || reason === ''}>
            Reject
          </button>
        </form>
      )}
    </section>
  );
}
