/**
 * @module Editing what a proposal would write: a form of the fields its action declares (the
 * proposal's `form`, from `defineAction`), the rest of the payload kept as drafted. The raw JSON
 * is behind an explicit "Advanced" switch, never the default. Saving files a new revision that
 * someone else must approve.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import type { ProposalDetail } from '../../api/types.js';
import { useSession } from '../../session/session.js';
import { Dialog } from '../../ui/dialog.js';
import { humanize } from '../../ui/format.js';
import type { DecisionOutcome } from './decision-dialogs.js';
import { applyForm, formValues, type FormField } from './edit-form.js';

export function EditDialog(props: {
  readonly detail: ProposalDetail;
  readonly onDone: (o: DecisionOutcome) => void;
  readonly onClose: () => void;
}): ReactNode {
  const { api } = useSession();
  const id = useId();
  const fields = props.detail.form;
  const [values, setValues] = useState(() => formValues(fields, props.detail.payload));
  // With no declared fields the JSON is all there is to edit; it still says so before showing it.
  const [advanced, setAdvanced] = useState(false);
  const [text, setText] = useState(JSON.stringify(props.detail.payload, null, 2));
  const [error, setError] = useState<string | undefined>();

  const payloadToSave = (): Record<string, unknown> | undefined => {
    if (!advanced) {
      const r = applyForm(fields, props.detail.payload, values);
      if ('problems' in r) {
        setError(r.problems.join(' · '));
        return undefined;
      }
      return r.payload;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      setError('The payload is not valid JSON: check brackets, commas and quotes.');
      return undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError('The payload must be a JSON object: { … }.');
      return undefined;
    }
    return { ...parsed };
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    const payload = payloadToSave();
    if (payload === undefined) return;
    try {
      const next = await answer(
        api.http.POST('/review/{id}/edit', { params: { path: { id: props.detail.id } }, body: { payload } }),
      );
      props.onDone({ message: 'Saved as a new revision: someone else must approve it.', next: next.id });
    } catch (err) {
      setError(describeError(err));
    }
  };

  const switchMode = (on: boolean): void => {
    // Carry what was typed across: the form's values into the JSON, or the JSON's into the form.
    if (on) {
      const r = applyForm(fields, props.detail.payload, values);
      if ('payload' in r) setText(JSON.stringify(r.payload, null, 2));
    } else {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          setValues(formValues(fields, parsed as Record<string, unknown>));
      } catch {
        // Invalid JSON: the form keeps its own values.
      }
    }
    setError(undefined);
    setAdvanced(on);
  };

  return (
    <Dialog title="Edit what would be written" onClose={props.onClose}>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        {!advanced && fields.length === 0 && (
          <p className="help">This action has no fields to edit in a form; use Advanced to change its JSON.</p>
        )}
        {!advanced &&
          fields.map((f, i) => (
            <Field
              key={f.path}
              id={`${id}-f${i}`}
              field={f}
              value={values[f.path] ?? ''}
              autoFocus={i === 0}
              onChange={(v) => setValues({ ...values, [f.path]: v })}
            />
          ))}
        <label className="inline">
          <input type="checkbox" checked={advanced} onChange={(e) => switchMode(e.target.checked)} /> Advanced: edit the
          JSON
        </label>
        {advanced && (
          <>
            <label htmlFor={`${id}-payload`}>Payload (FHIR JSON)</label>
            <textarea
              id={`${id}-payload`}
              rows={16}
              cols={70}
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </>
        )}
        <p className="help">
          The patient and the target stay as drafted. An edit is a new revision; you cannot approve your own edit.
        </p>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save as new revision
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function Field(props: {
  readonly id: string;
  readonly field: FormField;
  readonly value: string;
  readonly autoFocus: boolean;
  readonly onChange: (v: string) => void;
}): ReactNode {
  const f = props.field;
  const help = f.help !== undefined ? `${props.id}-help` : undefined;
  const common = {
    id: props.id,
    value: props.value,
    'aria-describedby': help,
    ...(props.autoFocus ? { 'data-autofocus': true } : {}),
  };
  return (
    <div className="stack">
      <label htmlFor={props.id}>{f.label}</label>
      {f.kind === 'choice' ? (
        <select {...common} onChange={(e) => props.onChange(e.target.value)}>
          {/* A value outside the list (an older draft) stays selectable, so opening the form changes nothing. */}
          {!(f.options ?? []).includes(props.value) && <option value={props.value}>{props.value || '(none)'}</option>}
          {(f.options ?? []).map((o) => (
            <option key={o} value={o}>
              {humanize(o)}
            </option>
          ))}
        </select>
      ) : f.kind === 'long-text' ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          placeholder={f.kind === 'date-time' ? '2026-12-01T14:00:00-05:00' : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {help !== undefined && (
        <span id={help} className="help">
          {f.help}
        </span>
      )}
    </div>
  );
}
