/**
 * @module Break-glass: emergency access to one site's charts beyond the user's grants, with a
 * required reason. While an episode lasts, a banner at the top of every screen says so, with the
 * reason and the time left; the compliance officer reviews every episode afterwards.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../api/client.js';
import { Dialog } from '../ui/dialog.js';
import { useSession } from './session.js';

export function BreakGlassBanner(): ReactNode {
  const { me, refresh } = useSession();
  const [now, setNow] = useState(Date.now());
  const any = me.breakGlass.length > 0;
  useEffect(() => {
    // A clock for the time left, only while there is an episode to count down.
    if (!any) return undefined;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [any]);
  const active = me.breakGlass.filter((e) => Date.parse(e.expiresAt) > now);
  useEffect(() => {
    // An episode just ran out: read the grants again so the screens drop what it allowed.
    if (active.length < me.breakGlass.length) void refresh().catch(() => undefined);
  }, [active.length, me.breakGlass.length, refresh]);
  if (active.length === 0) return null;
  return (
    <div className="break-glass-banner" role="status" aria-live="polite">
      {active.map((e) => (
        <p key={e.id}>
          <strong>Break-glass access active</strong> at site <strong>{e.site}</strong>, {minutesLeft(e.expiresAt, now)}{' '}
          left. Reason: <q>{e.reason}</q>. Every access is audited and will be reviewed.
        </p>
      ))}
    </div>
  );
}

function minutesLeft(expiresAt: string, now: number): string {
  const s = Math.max(0, Math.round((Date.parse(expiresAt) - now) / 1000));
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function BreakGlassDialog(props: { readonly onClose: () => void }): ReactNode {
  const { api, refresh } = useSession();
  const id = useId();
  const [site, setSite] = useState('');
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('30');
  const [error, setError] = useState<string | undefined>();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      await answer(
        api.http.POST('/break-glass', { body: { site: site.trim(), reason: reason.trim(), minutes: Number(minutes) } }),
      );
      await refresh();
      props.onClose();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <Dialog title="Break-glass access" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <p>
          Emergency access to the charts of one site beyond your grants. It is logged loudly, lasts at most an hour, and
          a compliance officer reviews every use.
        </p>
        <label htmlFor={`${id}-site`}>Site code</label>
        <input id={`${id}-site`} value={site} required onChange={(e) => setSite(e.target.value)} />
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
          <button type="submit" className="danger" disabled={reason.trim().length < 10 || site.trim() === ''}>
            Start break-glass access
          </button>
        </div>
      </form>
    </Dialog>
  );
}
