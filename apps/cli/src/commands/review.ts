/**
 * @module `steward review list|show|approve|reject|rollback` and `steward policies list|set`: the
 * review desk from a terminal, through the server's API (which decides and audits every step).
 * An approval binds to what the reviewer saw: `approve` without `--hash` shows the content hash
 * and what would be written, and approves only with `--hash` (or `--yes`, approving what it just
 * showed). An approved EHR change is committed at once; a conflict names the new revision.
 */
import { ValidationError, errorCodes, roles as allRoles, type ErrorCode } from '@steward/core';
import {
  proposalStatuses,
  type ActionType,
  type CommitResult,
  type ProposalDetail,
  type ProposalSummary,
} from '@steward/proposals';
import { connect, query, type GlobalOptions } from '../client/http.js';
import { patientText, printJson, printTable, type Recognisable } from '../output.js';

/** A value as it arrives in JSON: its dates are ISO strings. */
type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
type Summary = Wire<ProposalSummary>;
/** What the server answers to approve, retry and rollback: where the commit ended. */
type Outcome = Wire<Omit<CommitResult, 'status'>> & {
  status: CommitResult['status'];
  error?: { code: string; retryable: boolean; message?: string; attempts?: number; nextAttemptAt?: string };
};

export interface ReviewListFlags {
  readonly site?: string;
  readonly workflow?: string;
  readonly patient?: string;
  readonly action?: string;
  readonly status?: string;
  readonly assignee?: string;
  readonly cursor?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

export async function reviewList(g: GlobalOptions, o: ReviewListFlags): Promise<void> {
  const statuses = o.status?.split(',').map((s) => s.trim());
  if (statuses !== undefined && !statuses.every((s) => (proposalStatuses as readonly string[]).includes(s)))
    throw new ValidationError('unknown status', [
      { path: '--status', message: `comma-separated, of ${proposalStatuses.join(', ')}` },
    ]);
  const action = o.action !== undefined ? actionType(o.action, '--action') : undefined;
  const limit = o.limit !== undefined ? whole(o.limit, '--limit', 1, 200) : undefined;
  const page = await connect(g).request<{ items: Summary[]; next?: string }>(
    'GET',
    `/review${query({
      status: statuses?.join(','),
      site: o.site,
      workflow: o.workflow,
      patientId: o.patient,
      actionType: action,
      assignee: o.assignee,
      cursor: o.cursor,
      limit,
    })}`,
  );
  {
    if (o.json === true) {
      printJson(g.io.stdout, page);
      return;
    }
    printTable(
      g.io.stdout,
      page.items.map((p) => ({
        id: p.id,
        status: p.status,
        action: p.action,
        site: p.site,
        workflow: p.workflow,
        priority: p.priority,
        due: p.dueAt,
        patient: patientText((p as Recognisable).patientLabel, p.patientId),
        reason: p.reasonCode,
        rev: p.revision,
        assignee: (p as Recognisable).assigneeName ?? p.assigneeId,
        error: p.error !== undefined ? failureText(p.error) : undefined,
      })),
      [
        'id',
        'status',
        'action',
        'site',
        'workflow',
        'priority',
        'due',
        'patient',
        'reason',
        'rev',
        'assignee',
        'error',
      ],
    );
    if (page.next !== undefined) g.io.stdout.write(`more: --cursor ${page.next}\n`);
  }
}

export async function reviewShow(g: GlobalOptions, id: string, o: { readonly json?: boolean }): Promise<void> {
  const d = await connect(g).request<Detail>('GET', `/review/${encodeURIComponent(id)}`);
  if (o.json === true) printJson(g.io.stdout, d);
  else printDetail(g, d);
}

/**
 * Approves only the content the reviewer saw: with `--hash`, exactly that hash (a proposal changed
 * since is refused); with `--yes`, the content shown above. Without either, shows and stops (exit 2).
 */
export async function reviewApprove(
  g: GlobalOptions,
  id: string,
  o: { readonly hash?: string; readonly yes?: boolean },
): Promise<number> {
  if (o.hash !== undefined && !/^[0-9a-f]{64}$/.test(o.hash))
    throw new ValidationError('not a content hash', [{ path: '--hash', message: 'the 64 hex digits `show` prints' }]);
  const c = connect(g);
  const path = `/review/${encodeURIComponent(id)}`;
  let hash = o.hash;
  if (hash === undefined) {
    const d = await c.request<Detail>('GET', path);
    printDetail(g, d);
    if (o.yes !== true) {
      g.io.stderr.write(
        `not approved: an approval binds to what was reviewed. To approve exactly the above, run\n` +
          `  steward review approve ${id} --hash ${d.contentHash}\n`,
      );
      return 2;
    }
    hash = d.contentHash;
  }
  const r = await c.request<Outcome>('POST', `${path}/approve`, { contentHash: hash });
  const approved = r.proposal;
  g.io.stdout.write(`approved ${approved.id} (revision ${approved.revision}, ${approved.action}).\n`);
  if (r.status === 'approved' && r.error !== undefined) {
    // The approval is durable; the commit could not happen now (the applier, or `retry`, does it later).
    g.io.stderr.write(`not committed [${r.error.code}]: ${r.error.message ?? ''}; the approval is kept.\n`);
    return Object.hasOwn(errorCodes, r.error.code) ? errorCodes[r.error.code as ErrorCode].exit : 1;
  }
  // Still waiting for another approval, or approved for the applier to send: nothing committed yet.
  if (r.status === 'pending_review' || r.status === 'approved') return 0;
  return report(g, r);
}

export async function reviewReject(g: GlobalOptions, id: string, o: { readonly reason: string }): Promise<void> {
  const p = await connect(g).request<Summary>('POST', `/review/${encodeURIComponent(id)}/reject`, {
    reason: o.reason,
  });
  g.io.stdout.write(`rejected ${p.id}.\n`);
}

export async function reviewRollback(g: GlobalOptions, id: string, o: { readonly reason: string }): Promise<number> {
  return report(
    g,
    await connect(g).request<Outcome>('POST', `/review/${encodeURIComponent(id)}/rollback`, { reason: o.reason }),
  );
}

export async function policiesList(g: GlobalOptions, o: { readonly json?: boolean }): Promise<void> {
  {
    const { items } = await connect(g).request<{
      items: {
        actionType: string;
        mode: string;
        roles: string[];
        version: number;
        setBy: { id: string };
        setAt: string;
      }[];
    }>('GET', '/approval-policies');
    if (o.json === true) {
      printJson(g.io.stdout, items);
      return;
    }
    printTable(
      g.io.stdout,
      items.map((p) => ({
        action: p.actionType,
        mode: p.mode,
        roles: p.roles.length > 0 ? p.roles : '(any reviewer)',
        version: p.version,
        setBy: p.setBy.id,
        setAt: p.setAt,
      })),
      ['action', 'mode', 'roles', 'version', 'setBy', 'setAt'],
    );
  }
}

export async function policiesSet(
  g: GlobalOptions,
  action: string,
  o: { readonly mode: string; readonly roles?: string },
): Promise<void> {
  const actionTypeValue = actionType(action, '<actionType>');
  if (o.mode !== 'auto' && o.mode !== 'review')
    throw new ValidationError('unknown mode', [{ path: '--mode', message: 'auto or review' }]);
  const roles = o.roles
    ?.split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (roles !== undefined && !roles.every((r) => (allRoles as readonly string[]).includes(r)))
    throw new ValidationError('unknown role', [{ path: '--roles', message: 'comma-separated role names' }]);
  const p = await connect(g).request<{ actionType: string; mode: string; roles: string[]; version: number }>(
    'PUT',
    `/approval-policies/${encodeURIComponent(actionTypeValue)}`,
    { mode: o.mode, ...(roles !== undefined ? { roles } : {}) },
  );
  g.io.stdout.write(
    `${p.actionType}: ${p.mode}${p.roles.length > 0 ? ` by ${p.roles.join(' or ')}` : ''} (policy version ${p.version}).\n`,
  );
}

/** Prints where a commit or rollback ended; exit 1 unless it ended well. */
function report(g: GlobalOptions, r: Outcome): number {
  const p = r.proposal;
  if (r.status === 'verified' || r.status === 'committed') {
    g.io.stdout.write(
      `${r.status}: ${p.target.resourceType}/${p.committed?.id ?? p.target.id ?? ''} version ${p.committed?.version ?? '?'}.\n`,
    );
    return 0;
  }
  if (r.status === 'rolled_back') {
    g.io.stdout.write(`rolled back: the change to ${p.target.resourceType}/${p.target.id ?? ''} was undone.\n`);
    return 0;
  }
  if (r.status === 'conflicted') {
    g.io.stdout.write(
      `conflicted: the EHR changed since this was drafted; nothing was written.\n` +
        (r.next !== undefined
          ? `new revision ${r.next.id} is pending review: \`steward review show ${r.next.id}\` shows what changed.\n`
          : ''),
    );
    return 1;
  }
  const error = r.error !== undefined ? ` [${failureText(r.error)}]` : '';
  g.io.stderr.write(`${r.status}${error}.\n`);
  return 1;
}

/** Why a proposal failed and what happens next: the applier's retry, or a person. */
function failureText(e: NonNullable<Summary['error']>): string {
  if (!e.retryable) return `${e.code}: will not pass, edit or reject it`;
  if (e.nextAttemptAt !== undefined)
    return `${e.code}: attempt ${e.attempts} failed, the applier retries at ${new Date(e.nextAttemptAt).toISOString()}`;
  return `${e.code}: gave up after ${e.attempts} attempts, retry it when the EHR is back`;
}

/** Text with every control character but a newline shown as U+FFFD, so it cannot drive the terminal. */
function printable(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return c !== '\n' && (code < 0x20 || (code >= 0x7f && code < 0xa0)) ? '\uFFFD' : c;
    })
    .join('');
}

/** The detail as the server answers it: the proposal and how its action renders for review. */
type Detail = Wire<ProposalDetail> & { readonly rendering?: { title: string; lines: string[] } };

function printDetail(g: GlobalOptions, d: Detail): void {
  const line = (k: string, v: string | undefined): void => {
    if (v !== undefined && v !== '') g.io.stdout.write(`${k.padEnd(14)}${v}\n`);
  };
  line('proposal', `${d.id} (revision ${d.revision})`);
  line('status', d.status);
  line('action', d.action);
  // How the action reads for a reviewer (its definition's render): an extension's too.
  line('does', d.rendering !== undefined ? [d.rendering.title, ...d.rendering.lines].join(' · ') : undefined);
  line('site', d.site);
  line('workflow', d.workflow);
  line('target', `${d.target.resourceType}/${d.target.id ?? '(new)'}`);
  line('base version', d.baseVersion);
  line('patient', `${d.patientId ?? '(unmatched)'} (EHR ${d.patient.ehrId})`);
  line('reason', d.reasonCode);
  line('evidence', d.evidence.resources.join(', '));
  line('drafted by', `${d.draftedBy.kind} ${d.draftedBy.id}${d.draftedOutside === true ? ' (outside service)' : ''}`);
  // An outside model's words: printed as characters, never as terminal control sequences.
  line('rationale', d.rationale !== undefined ? printable(d.rationale) : undefined);
  line('due', d.dueAt);
  line('reversible', d.reversible ? 'yes' : `no: ${d.irreversibleReason ?? ''}`);
  line('approved by', d.approvedBy !== undefined ? `${d.approvedBy.kind} ${d.approvedBy.id}` : undefined);
  line('error', d.error !== undefined ? failureText(d.error) : undefined);
  line('rejection', d.rejection);
  line('content hash', d.contentHash);
  g.io.stdout.write(`would write:\n${JSON.stringify(d.payload, null, 2)}\n`);
  if (d.diff !== undefined) {
    g.io.stdout.write(
      `changed in the EHR since version ${d.diff.baseVersion ?? '?'} (now ${d.diff.currentVersion ?? '?'}):\n`,
    );
    for (const c of d.diff.changes)
      g.io.stdout.write(`  ${c.op} ${c.path}: ${JSON.stringify(c.base)} -> ${JSON.stringify(c.current)}\n`);
  }
  g.io.stdout.write('history:\n');
  for (const h of d.history)
    g.io.stdout.write(
      `  ${h.at}  ${h.from ?? '-'} -> ${h.to}  by ${h.actor.kind} ${h.actor.id}${h.reasonCode !== undefined ? ` (${h.reasonCode})` : ''}\n`,
    );
}

/**
 * An action type as written (`noun.verb`). Whether the server knows it is the server's to say: its
 * registry holds the built-in actions and its extensions', and it refuses any other by name.
 */
function actionType(value: string, flag: string): ActionType {
  if (!/^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/.test(value) || value.length > 64)
    throw new ValidationError('not an action type', [
      { path: flag, message: '`noun.verb` in lower case, as `steward review list` shows it' },
    ]);
  return value;
}

function whole(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError('not a whole number in range', [{ path: flag, message: `${min} to ${max}` }]);
  return n;
}
