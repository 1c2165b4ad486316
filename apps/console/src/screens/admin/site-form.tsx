/**
 * @module A site's settings as a form: name and zone, hours per weekday (or closed), quiet hours,
 * holidays, EHR references, owner pool and escalation contacts. Lists are typed one per line or
 * comma-separated; the server checks every value and answers every problem at once, shown here.
 */
import { useId, useState, type ReactNode } from 'react';
import { Dialog } from '../../ui/dialog.js';
import type { SiteRecord } from './admin-types.js';
import { OutcomeLine, type Outcome } from './admin-ui.js';

type Day = keyof SiteRecord['businessHours'];
export const weekdayNames: readonly (readonly [Day, string])[] = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];

export interface SiteInput {
  readonly name?: string;
  readonly zone?: string;
  readonly businessHours?: Record<Day, { open: string; close: string } | null>;
  readonly holidays?: string[];
  readonly quietHours?: { start: string; end: string } | null;
  readonly ehrRefs?: string[];
  readonly ownerPool?: string | null;
  readonly escalationContacts?: string[];
}

export interface SiteEdit {
  readonly id: string;
  /** The record being changed; none when a referenced site is configured for the first time. */
  readonly existing: SiteRecord | undefined;
  readonly input: SiteInput;
}

const defaultDay = { open: '08:00', close: '17:00' };
const defaults: SiteRecord['businessHours'] = {
  mon: defaultDay,
  tue: defaultDay,
  wed: defaultDay,
  thu: defaultDay,
  fri: defaultDay,
  sat: null,
  sun: null,
};

const listOf = (text: string): string[] =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Only the fields changed from the record: a value stored before a rule existed (an owner pool
 * checked only once staff exist) stays as stored instead of refusing an unrelated edit.
 */
function changed(all: SiteInput, existing: SiteRecord): SiteInput {
  return Object.fromEntries(
    Object.entries(all).filter(
      ([k, v]) => JSON.stringify(v) !== JSON.stringify((existing as unknown as Record<string, unknown>)[k]),
    ),
  );
}

export function SiteForm(props: {
  readonly edit: SiteEdit;
  readonly busy: boolean;
  readonly outcome: Outcome;
  readonly onCancel: () => void;
  readonly onSave: (edit: SiteEdit) => void;
}): ReactNode {
  const s = props.edit.existing;
  const id = useId();
  const [name, setName] = useState(s?.name ?? '');
  const [zone, setZone] = useState(s?.zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [hours, setHours] = useState(s?.businessHours ?? defaults);
  const [quiet, setQuiet] = useState(s === undefined ? { start: '20:00', end: '08:00' } : s.quietHours);
  const [holidays, setHolidays] = useState((s?.holidays ?? []).join('\n'));
  const [ehrRefs, setEhrRefs] = useState((s?.ehrRefs ?? []).join('\n'));
  const [ownerPool, setOwnerPool] = useState(s?.ownerPool ?? '');
  const [contacts, setContacts] = useState((s?.escalationContacts ?? []).join('\n'));

  const submit = (): void => {
    const all: SiteInput = {
      name: name.trim(),
      zone: zone.trim(),
      businessHours: { ...hours },
      holidays: listOf(holidays),
      quietHours: quiet,
      ehrRefs: listOf(ehrRefs),
      ownerPool: ownerPool.trim() === '' ? null : ownerPool.trim(),
      escalationContacts: listOf(contacts),
    };
    props.onSave({ ...props.edit, input: s === undefined ? all : changed(all, s) });
  };
  const setDay = (day: Day, value: { open: string; close: string } | null): void =>
    setHours({ ...hours, [day]: value });

  return (
    <Dialog title={s === undefined ? `Configure site ${props.edit.id}` : `Edit ${s.name}`} onClose={props.onCancel}>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor={`${id}-zone`}>Time zone (IANA, e.g. America/Chicago)</label>
        <input id={`${id}-zone`} value={zone} onChange={(e) => setZone(e.target.value)} required />
        <fieldset>
          <legend>Business hours</legend>
          <table className="hours">
            <tbody>
              {weekdayNames.map(([day, dayName]) => {
                const h = hours[day];
                return (
                  <tr key={day}>
                    <th scope="row">{dayName}</th>
                    <td>
                      <label className="checkbox">
                        <input
                          type="checkbox"
                          checked={h !== null}
                          onChange={(e) => setDay(day, e.target.checked ? defaultDay : null)}
                        />
                        Open
                      </label>
                    </td>
                    <td>
                      {h !== null && (
                        <>
                          <input
                            type="time"
                            aria-label={`${dayName} opens`}
                            value={h.open}
                            onChange={(e) => setDay(day, { ...h, open: e.target.value })}
                          />{' '}
                          –{' '}
                          <input
                            type="time"
                            aria-label={`${dayName} closes`}
                            value={h.close}
                            onChange={(e) => setDay(day, { ...h, close: e.target.value })}
                          />
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </fieldset>
        <fieldset>
          <legend>Quiet hours (messages wait)</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={quiet !== null}
              onChange={(e) => setQuiet(e.target.checked ? { start: '20:00', end: '08:00' } : null)}
            />
            Hold messages overnight
          </label>
          {quiet !== null && (
            <>
              <input
                type="time"
                aria-label="Quiet from"
                value={quiet.start}
                onChange={(e) => setQuiet({ ...quiet, start: e.target.value })}
              />{' '}
              –{' '}
              <input
                type="time"
                aria-label="Quiet until"
                value={quiet.end}
                onChange={(e) => setQuiet({ ...quiet, end: e.target.value })}
              />
            </>
          )}
        </fieldset>
        <label htmlFor={`${id}-holidays`}>Holidays (YYYY-MM-DD, one per line)</label>
        <textarea id={`${id}-holidays`} rows={3} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
        <label htmlFor={`${id}-refs`}>EHR organizations and locations (e.g. Organization/1, one per line)</label>
        <textarea id={`${id}-refs`} rows={2} value={ehrRefs} onChange={(e) => setEhrRefs(e.target.value)} />
        <label htmlFor={`${id}-pool`}>Default owner pool (a pool of this site; blank for none)</label>
        <input id={`${id}-pool`} value={ownerPool} onChange={(e) => setOwnerPool(e.target.value)} />
        <label htmlFor={`${id}-contacts`}>Escalation contacts (pools or usernames, one per line)</label>
        <textarea id={`${id}-contacts`} rows={2} value={contacts} onChange={(e) => setContacts(e.target.value)} />
        {props.outcome !== undefined && !props.outcome.ok && <OutcomeLine outcome={props.outcome} />}
        <div className="actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={props.busy}>
            Save site
          </button>
        </div>
      </form>
    </Dialog>
  );
}
