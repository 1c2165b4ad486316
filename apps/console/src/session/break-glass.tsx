/**
 * @module Break-glass: emergency access to one site's charts beyond the user's grants, with a
 * required reason. Who may use it is known before the form (`me.breakGlassEligible`): others are
 * told why at once, without a form to fill in. While an episode lasts, a banner at the top of
 * every screen counts down the time left (on the server's clock), the site is in the site picker,
 * and when it runs out the grants are read again so the screens drop the site.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../api/client.js';
import { formatDateTime } from '../ui/format.js';
import { Dialog } from '../ui/dialog.js';
import { useSession } from './session.js';

export function BreakGlassBanner(): ReactNode {
  const { me, api, refresh } = useSession();
  const [now, setNow] = useState(() => api.serverNow());
  const any = me.breakGlass.length > 0;
  useEffect(() => {
    // A clock for the time left, only while there is an episode to count down.
    if (!any) return undefined;
    setNow(api.serverNow());
    const t = window.setInterval(() => setNow(api.serverNow()), 1000);
    return () => window.clearInterval(t);
  }, [any, api]);
  const active = me.breakGlass.filter((e) => Date.parse(e.expiresAt) > now);
  useEffect(() => {
    // An episode just ran out: read the grants again so the screens drop what it allowed.
    if (active.length < me.breakGlass.length) void refresh().catch(() => undefined);
  }, [active.length, me.breakGlass.length, refresh]);
  if (active.length === 0) return null;
  return (
    <div className="break-glass-banner" role="status">
      {active.map((e) => (
        <p key={e.id}>
          <strong>Break-glass access active</strong> at site <strong>{e.site}</strong>:{' '}
          <strong className="break-glass-banner__left">{timeLeft(e.expiresAt, now)} left</strong> (until{' '}
          <time dateTime={e.expiresAt}>{formatDateTime(e.expiresAt)}</time>). Reason: <q>{e.reason}</q>. You may read
          and search charts at {e.site}; every access is audited and a compliance officer reviews it.
        </p>
      ))}
    </div>
  );
}

function timeLeft(expiresAt: string, now: number): string {
  const s = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function BreakGlassDialog(props: {
  readonly onClose: () => void;
  /** The episode started: the frame shows its site. */
  readonly onStarted: (site: string) => void;
}): ReactNode {
  const { me } = useSession();
  if (!me.breakGlassEligible) {
    return (
      <Dialog title="Break-glass access" onClose={props.onClose}>
        <p role="alert">
          You are not on the break-glass list, so you cannot open another site's charts in an emergency from this
          account.
        </p>
        <p>
          If you need emergency access as part of your role, ask your administrator to mark your account as eligible for
          break-glass. Until then, ask a colleague with a grant at that site.
        </p>
        <div className="actions">
          <button type="button" className="primary" data-autofocus onClick={props.onClose}>
            Close
          </button>
        </div>
      </Dialog>
    );
  }
  return <BreakGlassForm {...props} />;
}

function BreakGlassForm(props: {
  readonly onClose: () => void;
  readonly onStarted: (site: string) => void;
}): ReactNode {
  const { api, me, refresh } = useSession();
  const id = useId();
  const [site, setSite] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('30');
  const [error, setError] = useState<string | undefined>();
  const code = site.trim();
  // Reading there is already allowed (a grant, or an episode in force): nothing to break.
  const alreadyGranted = code !== '' && (me.permissions['phi.read'] ?? []).some((s) => s === code || s === '*');

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      await answer(
        api.http.POST('/break-glass', { body: { site: code, reason: reason.trim(), minutes: Number(minutes) } }),
      );
      await refresh();
      props.onStarted(code);
      props.onClose();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Dialog title="Break-glass access" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p>
          Emergency access to read the charts of one site beyond your grants. It is logged loudly, lasts at most an
          hour, and a compliance officer reviews every use.
        </p>
        <label htmlFor={`${id}-site`}>Site code</label>
        <input
          id={`${id}-site`}
          value={site}
          required
          aria-describedby={`${id}-site-help`}
          onChange={(e) => setSite(e.target.value)}
        />
        <p id={`${id}-site-help`} className="help" aria-live="polite">
          {alreadyGranted
            ? `You can already read charts at ${code}: no break-glass needed.`
            : 'The code of the other site, as the site picker shows it (for example: sandbox).'}
        </p>
        <label htmlFor={`${id}-reason`}>Reason (required, at least 10 characters)</label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          required
          minLength={10}
          rows={3}
          onChange={(e) => setReason(e.target.value)}
        />
        <label htmlFor={`${id}-minutes`}>Minutes (1 to 60)</label>
        <input
          id={`${id}-minutes`}
          type="number"
          min={1}
          max={60}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
        />
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="danger"
            disabled={reason.trim().length < 10 || code === '' || alreadyGranted}
          >
            Start break-glass access
          </button>
        </div>
      </form>
    </Dialog>
  );
}
