/**
 * @module Automation runs: the run record of screen automation. `#/automation` lists runs (newest
 * first) with filters for patient, proposal and outcome; `#/automation/<id>` replays a run step by
 * step: the screenshot, what the step did, on which screen and field, when and how long, and how it
 * ended, with previous and next. People are shown by name and patients as the server's display rule
 * lets the reader see them. Every list, run and screenshot is audited by the server; screenshots
 * (PHI) are fetched only for a reader allowed to replay at the run's site.
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useSite } from '../../app.js';
import { answer, compact, describeError } from '../../api/client.js';
import type { Answer, QueryOf } from '../../api/types.js';
import { href, navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatDateTime } from '../../ui/format.js';
import { actorName, patientLine } from '../../ui/patient-label.js';
import type { ScreenProps } from '../index.js';
import { purposeNames } from '../admin/admin-types.js';
import { actionWords, durationWords, haltWords, kindWords, outcomeWords } from './automation-words.js';
import './automation.css';

type RunPage = Answer<'/automation/runs', 'get'>;
type RunQuery = QueryOf<'/automation/runs', 'get'>;
type Run = RunPage['items'][number];
type RunDetail = Answer<'/automation/runs/{id}', 'get'>;
type Step = RunDetail['steps'][number];

export function AutomationScreen(props: ScreenProps): ReactNode {
  const id = props.params[0];
  return id === undefined ? <RunList /> : <RunReplay id={id} step={props.params[1]} />;
}

interface Filters {
  readonly patient: string;
  readonly proposal: string;
  readonly outcome: string;
}
const noFilters: Filters = { patient: '', proposal: '', outcome: '' };

function RunList(): ReactNode {
  const { api } = useSession();
  // The site chosen in the header (a reader granted at one site lists that site's runs).
  const site = useSite();
  const ids = { outcome: useId() };
  const [form, setForm] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [page, setPage] = useState<RunPage | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setPage(undefined);
    setError(undefined);
    // The outcome comes from the select's options, which are the API's own codes.
    const query = compact({
      patient: applied.patient.trim(),
      proposal: applied.proposal.trim(),
      outcome: applied.outcome,
      site,
    }) as RunQuery;
    answer(api.http.GET('/automation/runs', { params: { query } }))
      .then((p) => live && setPage(p))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, applied, site]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (form.proposal.trim() !== '' && !/^[0-9a-f-]{36}$/i.test(form.proposal.trim())) {
      setError('Proposal: paste the proposal’s id (as the review screen shows it).');
      return;
    }
    setApplied(form);
  };
  const set =
    (k: keyof Filters) =>
    (e: { target: { value: string } }): void =>
      setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="automation">
      <h1>Automation runs{site !== undefined ? ` at ${site}` : ', all sites'}</h1>
      <p className="muted">
        Every time Steward drove an EHR screen: for whom, carrying out which approved change, and how it ended. Open a
        run to replay it step by step.
      </p>
      <form className="filters" onSubmit={submit} noValidate>
        <label>
          Patient
          <input
            value={form.patient}
            onChange={set('patient')}
            size={34}
            spellCheck={false}
            placeholder="MRN, EHR id, or Family, Given YYYY-MM-DD"
          />
        </label>
        <label>
          Proposal id
          <input value={form.proposal} onChange={set('proposal')} size={36} spellCheck={false} />
        </label>
        <label htmlFor={ids.outcome}>
          Outcome
          <select id={ids.outcome} value={form.outcome} onChange={set('outcome')}>
            <option value="">Any</option>
            <option value="done">Completed</option>
            <option value="halted">Stopped (any reason)</option>
            <option value="running">Running</option>
            {Object.entries(haltWords).map(([code, words]) => (
              <option key={code} value={code}>
                Stopped: {words}
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {page === undefined && error === undefined && (
        <p role="status" className="muted">
          Loading…
        </p>
      )}
      {page?.patientsMatched === 0 && <p className="empty">No patient matches that search.</p>}
      {page !== undefined && page.patientsMatched !== 0 && page.items.length === 0 && (
        <p className="empty">No run matches.</p>
      )}
      {page !== undefined && page.items.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Automation runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Patients</th>
              <th scope="col">What</th>
              <th scope="col">Approved by</th>
              <th scope="col">Steps</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <a href={href('automation', r.id)}>
                    <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                  </a>
                </td>
                <td>{patientsOf(r)}</td>
                <td>
                  {kindWords[r.kind] ?? r.kind} at {r.site}
                  <div className="muted">as {actorName({ kind: 'service', ...r.account })}</div>
                </td>
                <td>{r.approver !== undefined ? actorName({ kind: 'user', ...r.approver }) : '—'}</td>
                <td>{r.stepCount}</td>
                <td>{outcomeWords(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function patientsOf(run: Run): string {
  return run.patientLabels.length === 0 ? '—' : run.patientLabels.map((l) => patientLine(l)).join('; ');
}

function RunReplay(props: { readonly id: string; readonly step: string | undefined }): ReactNode {
  const { api, can } = useSession();
  const [run, setRun] = useState<RunDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const index = Math.max(0, Number.parseInt(props.step ?? '0', 10) || 0);

  useEffect(() => {
    let live = true;
    setRun(undefined);
    setError(undefined);
    answer(api.http.GET('/automation/runs/{id}', { params: { path: { id: props.id } } }))
      .then((r) => live && setRun(r))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.id]);

  const go = useCallback((i: number) => navigate('automation', props.id, String(i)), [props.id]);

  if (error !== undefined)
    return (
      <div className="automation">
        <h1>Automation run</h1>
        <p role="alert" className="error">
          {error}
        </p>
        <a href={href('automation')}>All runs</a>
      </div>
    );
  if (run === undefined)
    return (
      <p role="status" className="muted">
        Loading…
      </p>
    );
  const step = run.steps[Math.min(index, run.steps.length - 1)];
  const mayReplay = can('automation.replay', run.site) && can('phi.read', run.site);
  return (
    <div className="automation">
      <p>
        <a href={href('automation')}>All runs</a>
      </p>
      <h1>
        {kindWords[run.kind] ?? run.kind} for {patientsOf(run)}
      </h1>
      <dl className="facts">
        <dt>Outcome</dt>
        <dd>{outcomeWords(run)}</dd>
        <dt>Started</dt>
        <dd>
          <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
          {run.finishedAt !== undefined && (
            <>
              {' '}
              – finished <time dateTime={run.finishedAt}>{formatDateTime(run.finishedAt)}</time>
            </>
          )}
        </dd>
        <dt>Acting as</dt>
        <dd>{actorName({ kind: 'service', ...run.account })}</dd>
        <dt>Approved by</dt>
        <dd>{run.approver !== undefined ? actorName({ kind: 'user', ...run.approver }) : '—'}</dd>
        <dt>Site and purpose</dt>
        <dd>
          {run.site},{' '}
          {Object.hasOwn(purposeNames, run.purpose)
            ? purposeNames[run.purpose as keyof typeof purposeNames]
            : run.purpose}
        </dd>
        {run.proposalId !== undefined && (
          <>
            <dt>Carried out</dt>
            <dd>
              <a href={href('review', run.proposalId)}>the approved proposal</a>
            </dd>
          </>
        )}
      </dl>
      {run.steps.length === 0 || step === undefined ? (
        <p className="empty">No step was recorded.</p>
      ) : (
        <>
          <h2>
            Step {step.index + 1} of {run.steps.length}
          </h2>
          <div className="automation-replay">
            <Screenshot runId={run.id} step={step} mayReplay={mayReplay} site={run.site} />
            <div>
              <StepFacts step={step} />
              <div className="automation-replay__nav">
                <button type="button" disabled={step.index === 0} onClick={() => go(step.index - 1)}>
                  Previous step
                </button>
                <button type="button" disabled={step.index >= run.steps.length - 1} onClick={() => go(step.index + 1)}>
                  Next step
                </button>
              </div>
            </div>
          </div>
          <h2>All steps</h2>
          <ol className="automation-steps" start={1}>
            {run.steps.map((s) => (
              <li key={s.index} aria-current={s.index === step.index ? 'step' : undefined}>
                <a href={href('automation', run.id, String(s.index))}>
                  {actionWords[s.action] ?? s.action}
                  {s.target !== undefined ? `: ${s.target}` : ''}
                </a>{' '}
                <span className="muted">
                  {durationWords(s.durationMs)}
                  {s.outcome !== 'ok' ? `, ${s.outcome}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function StepFacts({ step }: { readonly step: Step }): ReactNode {
  return (
    <dl className="facts">
      <dt>Did</dt>
      <dd>{actionWords[step.action] ?? step.action}</dd>
      <dt>Screen</dt>
      <dd>{step.screen ?? 'not recognised'}</dd>
      <dt>Field or element</dt>
      <dd>{step.target ?? '—'}</dd>
      <dt>When</dt>
      <dd>
        <time dateTime={step.startedAt}>{formatDateTime(step.startedAt)}</time>, took {durationWords(step.durationMs)}
      </dd>
      <dt>Input events</dt>
      <dd>{step.inputEvents}</dd>
      <dt>Outcome</dt>
      <dd>
        {step.outcome === 'ok' ? 'Done' : step.outcome === 'halted' ? 'Stopped the run' : 'Failed'}
        {step.detail !== undefined && <div className="muted">{step.detail}</div>}
      </dd>
    </dl>
  );
}

function Screenshot(props: {
  readonly runId: string;
  readonly step: Step;
  readonly mayReplay: boolean;
  readonly site: string;
}): ReactNode {
  const { api } = useSession();
  const [src, setSrc] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const { runId, step, mayReplay } = props;

  useEffect(() => {
    let live = true;
    setSrc(undefined);
    setError(undefined);
    if (!mayReplay || step.screenshot !== 'sealed') return;
    // As a data: URL (the console's CSP allows no blob: images); the server audits each view.
    api
      .blob(`/automation/runs/${encodeURIComponent(runId)}/steps/${step.index}/screenshot`)
      .then(
        (blob) =>
          new Promise<string>((resolve, reject) => {
            const reader = new FileReader();
            reader.onload = () =>
              typeof reader.result === 'string'
                ? resolve(reader.result)
                : reject(new Error('the screenshot could not be read'));
            reader.onerror = () => reject(new Error('the screenshot could not be read'));
            reader.readAsDataURL(blob);
          }),
      )
      .then((url) => live && setSrc(url))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, runId, step.index, step.screenshot, mayReplay]);

  let body: ReactNode;
  if (step.screenshot === 'none') body = <p className="muted">No screenshot was taken at this step.</p>;
  else if (step.screenshot === 'purged')
    body = <p className="muted">The screenshot was deleted under the retention policy.</p>;
  else if (!mayReplay)
    body = (
      <p className="muted">
        Screenshots show patient data: a compliance officer who may also read charts at {props.site} can view them.
      </p>
    );
  else if (error !== undefined)
    body = (
      <p role="alert" className="error">
        {error}
      </p>
    );
  else if (src === undefined) body = <p className="muted">Loading the screenshot…</p>;
  else body = <img src={src} alt={`The EHR screen after step ${step.index + 1}`} />;
  return <figure className="automation-replay__shot">{body}</figure>;
}
