/**
 * @module The review queue: pending proposals, most urgent first then by due time, paged and
 * filtered by the server (it stays fast at 100,000 pending). Each row names the patient (as the
 * reader's role may see it) and the change in one line; the full content, the EHR beside it and the
 * evidence are read when it is opened. Bulk approval is offered only where the server says the
 * reader may approve (never their own draft), and asks for confirmation listing each patient and
 * change. Keyboard: j/k or arrows move, Enter opens, x selects for bulk approval, ? lists the keys.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { answer, compact, describeError } from '../../api/client.js';
import type { ProposalPage, ProposalSummary } from '../../api/types.js';
import { useSite } from '../../app.js';
import { navigate } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatAge, formatDue, humanize, shortId } from '../../ui/format.js';
import { patientLine } from '../../ui/patient-label.js';
import { PatientLink } from '../../ui/patient-link.js';
import { Pager, usePageTrail } from '../../ui/pager.js';
import { pageLine } from '../../ui/paging.js';
import { useShortcuts } from '../../ui/shortcuts.js';
import { ShortcutHelp } from './shortcut-help.js';
import { actionLabel, changeLine, isActionType, priorityNames, type ActionType } from './labels.js';
import { BulkApproveDialog } from './decision-dialogs.js';

interface Filters {
  readonly status: string;
  readonly workflow: string;
  readonly actionType: ActionType | '';
  readonly assignee: string;
  readonly patientIdentifier: string;
}

const PAGE = 50;
const initialFilters: Filters = {
  status: 'pending_review',
  workflow: '',
  actionType: '',
  assignee: '',
  patientIdentifier: '',
};

export function ReviewQueue(): ReactNode {
  const { api, me, can, sitesFor } = useSession();
  const siteInView = useSite();
  // "All sites" means every site only to a reviewer at every site; one who reviews at some sites
  // (a grant of another role at `*` puts "All sites" in the picker) sees the first of theirs, said
  // on the screen, instead of a refusal.
  const reviewSites = sitesFor('review.read');
  const site = siteInView === undefined && !reviewSites.includes('*') ? reviewSites[0] : siteInView;
  const id = useId();
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const [draft, setDraft] = useState<Filters>(initialFilters);
  const pages = usePageTrail();
  const [page, setPage] = useState<ProposalPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [selected, setSelected] = useState(0);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | undefined>();
  const [help, setHelp] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const rows = useRef<HTMLTableSectionElement>(null);
  const { cursor } = pages;
  const mayDecide = can('review.decide', site);

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const query = compact({
        status: filters.status,
        site,
        workflow: filters.workflow.trim(),
        actionType: filters.actionType,
        assignee: filters.assignee === 'me' ? me.id : undefined,
        patientIdentifier: filters.patientIdentifier.trim(),
        cursor,
        limit: String(PAGE),
      });
      const result = await answer(api.http.GET('/review', { params: { query } }));
      setPage(result);
      setSelected((s) => Math.min(s, Math.max(0, result.items.length - 1)));
    } catch (e) {
      setPage(undefined);
      setError(describeError(e));
    }
  }, [api, filters, site, cursor, me.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const items = page?.items ?? [];
  const open = (p: ProposalSummary | undefined): void => {
    if (p !== undefined) navigate('review', p.id);
  };
  const focusRow = (i: number): void => {
    setSelected(i);
    rows.current?.querySelectorAll<HTMLElement>('tr')[i]?.focus();
  };
  const toggle = (p: ProposalSummary | undefined): void => {
    if (p === undefined || !bulkable(p)) return;
    setChecked((c) => {
      const n = new Set(c);
      if (n.has(p.id)) n.delete(p.id);
      else n.add(p.id);
      return n;
    });
  };

  useShortcuts({
    j: () => focusRow(Math.min(selected + 1, items.length - 1)),
    ArrowDown: () => focusRow(Math.min(selected + 1, items.length - 1)),
    k: () => focusRow(Math.max(selected - 1, 0)),
    ArrowUp: () => focusRow(Math.max(selected - 1, 0)),
    Enter: () => open(items[selected]),
    o: () => open(items[selected]),
    x: () => toggle(items[selected]),
    '?': () => setHelp(true),
  });

  const chosen = items.filter((p) => checked.has(p.id));
  const bulkApprove = async (): Promise<void> => {
    setConfirming(false);
    setNotice(undefined);
    try {
      const r = await answer(
        api.http.POST('/review/bulk-approve', {
          body: { items: chosen.map((p) => ({ id: p.id, contentHash: p.contentHash })) },
        }),
      );
      const ok = r.results.filter((x) => x.outcome !== undefined).length;
      const failed = r.results.filter((x) => x.error !== undefined);
      setNotice(
        `${ok} approved` +
          (failed.length > 0
            ? `; ${failed.length} not approved: ${failed.map((f) => f.error?.message).join('; ')}`
            : '.'),
      );
      setChecked(new Set());
      await load();
    } catch (e) {
      setNotice(describeError(e));
    }
  };

  const applyFilters = (): void => {
    setFilters(draft);
    pages.reset();
    setChecked(new Set());
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>Review queue</h1>
      {site !== siteInView && site !== undefined && (
        <p className="muted">Showing site {site}: you review there, not at every site.</p>
      )}
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          applyFilters();
        }}
      >
        <label>
          Status
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="pending_review">Pending review</option>
            <option value="approved">Approved, not yet written</option>
            <option value="failed">Failed</option>
            <option value="conflicted">Conflicted</option>
            <option value="committed,verified">Written</option>
            <option value="rejected">Rejected</option>
          </select>
        </label>
        <label>
          Workflow
          <input
            value={draft.workflow}
            placeholder="e.g. referral-tracking"
            onChange={(e) => setDraft({ ...draft, workflow: e.target.value })}
          />
        </label>
        <label>
          Action
          <select
            value={draft.actionType}
            onChange={(e) => setDraft({ ...draft, actionType: isActionType(e.target.value) ? e.target.value : '' })}
          >
            <option value="">Any</option>
            {[
              'appointment.status',
              'task.create',
              'task.update',
              'service-request.status',
              'communication.send',
              'document-reference.draft',
              'reminder.send',
            ].map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Assigned
          <select value={draft.assignee} onChange={(e) => setDraft({ ...draft, assignee: e.target.value })}>
            <option value="">Anyone</option>
            <option value="me">To me</option>
          </select>
        </label>
        <label>
          Patient identifier
          <input
            value={draft.patientIdentifier}
            placeholder="system|value"
            aria-describedby={`${id}-pid-help`}
            onChange={(e) => setDraft({ ...draft, patientIdentifier: e.target.value })}
          />
          <span id={`${id}-pid-help`} className="visually-hidden">
            The patient's identifier as system, a vertical bar, and value, for example an MRN.
          </span>
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" className="link" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
      </form>

      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {mayDecide && (
        <div className="actions start">
          <button type="button" className="primary" disabled={checked.size === 0} onClick={() => setConfirming(true)}>
            Approve selected ({checked.size})
          </button>
          <span className="muted">
            Bulk approval is for reversible proposals someone else drafted; irreversible ones are approved one by one.
          </span>
        </div>
      )}

      <table className="data" aria-labelledby={`${id}-title`} aria-describedby={`${id}-count`}>
        <thead>
          <tr>
            {mayDecide && (
              <th scope="col">
                <span className="visually-hidden">Select</span>
              </th>
            )}
            <th scope="col">Priority</th>
            <th scope="col">Action</th>
            <th scope="col">Patient</th>
            <th scope="col">Change</th>
            <th scope="col">Workflow</th>
            <th scope="col">Why</th>
            <th scope="col">Due</th>
            <th scope="col">Waiting</th>
            <th scope="col">Assigned</th>
            <th scope="col">Proposal</th>
          </tr>
        </thead>
        <tbody ref={rows}>
          {items.map((p, i) => {
            const overdue = p.dueAt !== undefined && Date.parse(p.dueAt) < Date.now();
            return (
              <tr
                key={p.id}
                tabIndex={i === selected ? 0 : -1}
                aria-selected={i === selected}
                className={overdue ? 'overdue' : undefined}
                onFocus={() => setSelected(i)}
                onClick={() => setSelected(i)}
                onDoubleClick={() => open(p)}
              >
                {mayDecide && (
                  <td>
                    {bulkable(p) ? (
                      <input
                        type="checkbox"
                        aria-label={`Select ${actionLabel(p.action)} for ${patientLine(p.patientLabel) ?? shortId(p.id)} for bulk approval`}
                        checked={checked.has(p.id)}
                        onChange={() => toggle(p)}
                      />
                    ) : (
                      <span className="muted" title={notBulkable(p, me.id)}>
                        —<span className="visually-hidden"> {notBulkable(p, me.id)}</span>
                      </span>
                    )}
                  </td>
                )}
                <td>
                  <span className={`badge p${p.priority}`}>{priorityNames[p.priority] ?? p.priority}</span>
                </td>
                <td>
                  <a href={`#/review/${p.id}`}>{actionLabel(p.action)}</a>
                  {p.revision > 1 && <span className="badge"> revision {p.revision}</span>}
                  {!p.reversible && <span className="badge"> irreversible</span>}
                </td>
                <td>{p.patientLabel !== undefined ? <PatientLink label={p.patientLabel} /> : '—'}</td>
                <td className="change">{changeLine(p.change, { withTitle: false }) ?? '—'}</td>
                <td>{p.workflow ?? '—'}</td>
                <td>{humanize(p.reasonCode)}</td>
                <td>{overdue ? <span className="badge overdue">{formatDue(p.dueAt)}</span> : formatDue(p.dueAt)}</td>
                <td>{formatAge(Date.now() - Date.parse(p.createdAt))}</td>
                <td>
                  {p.assigneeId === undefined
                    ? '—'
                    : p.assigneeId === me.id
                      ? 'Me'
                      : (p.assigneeName ?? 'Someone else')}
                </td>
                <td>
                  <code title={p.id}>{shortId(p.id)}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id={`${id}-count`} className="muted" role="status">
        {pageLine({
          pageNumber: pages.number,
          count: page?.items.length,
          more: page?.next !== undefined,
          failed: error !== undefined,
          noun: ['proposal', 'proposals'],
          empty: 'Nothing here: no proposals match.',
        })}
      </p>
      <Pager pages={pages} next={page?.next} />
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      {confirming && chosen.length > 0 && (
        <BulkApproveDialog
          items={chosen.map((p) => ({
            id: p.id,
            patient: patientLine(p.patientLabel) ?? 'No patient named',
            change: changeLine(p.change) ?? actionLabel(p.action),
          }))}
          onConfirm={() => void bulkApprove()}
          onClose={() => setConfirming(false)}
        />
      )}
    </section>
  );
}

/** Whether a row may join a bulk approval: reversible, and the server lets this reader approve it. */
function bulkable(p: ProposalSummary): boolean {
  return p.reversible && (p.allowedActions ?? []).includes('approve');
}

function notBulkable(p: ProposalSummary, meId: string): string {
  if (!p.reversible) return 'Irreversible: approve on its own';
  if (p.draftedBy.id === meId) return 'You drafted it: someone else approves it';
  return 'You may not approve this one';
}
