/**
 * @module One contact: who they are, their relationships drawn as the graph they form (the
 * contact in the middle, each related person or organization around them, each edge named by the
 * other's role: "legal guardian", "referring provider"; ended relationships dashed), the same
 * relationships as a table with their period and authority, and the notes. Every other party
 * links to its own page, so a coordinator walks the graph.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { answer, describeError } from '../../api/client.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { authorityWords, type ContactDetail, type ContactNote, type ContactRelationship } from './contact-types.js';

interface TypeNames {
  readonly display: string;
  readonly reciprocal: string;
}

export function ContactDetailView(props: { id: string }): ReactNode {
  const { api } = useSession();
  const [detail, setDetail] = useState<ContactDetail | undefined>();
  const [types, setTypes] = useState<ReadonlyMap<string, TypeNames>>(new Map());
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    setDetail(undefined);
    setError(undefined);
    answer(api.http.GET('/contacts/{id}', { params: { path: { id: props.id } } }))
      .then(async (d) => {
        const view = d as unknown as ContactDetail;
        if (!live) return;
        setDetail(view);
        // The role names from the practice's type list; without it the edges keep the relationship's own label.
        const list = await answer(
          api.http.GET('/contacts/relationship-types', { params: { query: { site: view.party.site } } }),
        ).catch(() => undefined);
        const items = (list as { items?: { code: string; display: string; reciprocal: string }[] } | undefined)?.items;
        if (live && items !== undefined) setTypes(new Map(items.map((t) => [t.code, t])));
      })
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, props.id]);

  if (error !== undefined)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (detail === undefined)
    return (
      <p role="status" className="muted">
        Loading the contact…
      </p>
    );
  const { party } = detail;
  const role = (r: ContactRelationship): string => {
    const t = types.get(r.type);
    if (t === undefined) return r.label;
    // The other's role: the `from` end holds the type's name, the `to` end its reciprocal.
    return r.direction === 'incoming' ? t.display : t.reciprocal;
  };
  const current = detail.relationships.filter((r) => r.active).length;
  return (
    <article className="contact" aria-labelledby="contact-name">
      <h2 id="contact-name">{party.name}</h2>
      <p className="contact__facts">
        {party.kind === 'organization' ? 'Organization' : 'Person'}
        {party.data.birthDate !== undefined && <> · born {party.data.birthDate}</>}
        {party.data.telecom.map((t) => (
          <span key={`${t.system}:${t.value}`}>
            {' '}
            · {t.system} {t.value}
          </span>
        ))}
        {party.data.address !== undefined && <> · {party.data.address}</>}
      </p>
      {party.data.provenance.length > 0 && (
        <p className="muted">Imported from {[...new Set(party.data.provenance.map((p) => p.system))].join(', ')}</p>
      )}
      <section aria-labelledby="contact-graph-h">
        <h3 id="contact-graph-h">
          Relationships ({detail.relationships.length}, {current} current)
        </h3>
        {detail.relationships.length === 0 ? (
          <p className="empty">No relationships recorded.</p>
        ) : (
          <>
            <RelationshipGraph name={party.name} relationships={detail.relationships} role={role} />
            <table className="contact__relationships">
              <caption className="visually-hidden">Relationships of {party.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Role</th>
                  <th scope="col">Valid</th>
                  <th scope="col">Authority</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {detail.relationships.map((r) => (
                  <tr key={r.id} className={r.active ? undefined : 'ended'}>
                    <td>
                      <a href={href('contacts', r.other.id)}>{r.other.name || 'unnamed'}</a>
                      {r.other.kind === 'organization' && <span className="muted"> (organization)</span>}
                    </td>
                    <td>{role(r)}</td>
                    <td>
                      {period(r)}
                      {!r.active && <span className="badge">ended</span>}
                    </td>
                    <td>{authorityWords(r.permissions)}</td>
                    <td>{r.notes.length > 0 ? <NoteList notes={r.notes} /> : <span className="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="contact-notes-h">
        <h3 id="contact-notes-h">Notes ({detail.notes.length})</h3>
        {detail.notes.length === 0 ? <p className="empty">No notes.</p> : <NoteList notes={detail.notes} />}
      </section>
    </article>
  );
}

function period(r: ContactRelationship): string {
  if (r.validFrom === undefined && r.validTo === undefined) return 'open-ended';
  if (r.validTo === undefined) return `since ${r.validFrom ?? ''}`;
  return `${r.validFrom ?? '…'} to ${r.validTo}`;
}

function NoteList(props: { notes: readonly ContactNote[] }): ReactNode {
  return (
    <ul className="contact__notes">
      {props.notes.map((n) => (
        <li key={n.id}>
          <span className="muted">
            {n.authoredAt} · {n.author || 'unknown author'} · {n.provenance.system}
          </span>
          <p>{n.text}</p>
        </li>
      ))}
    </ul>
  );
}

const W = 720;
const H = 380;
const short = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The contact in the middle, each related party once around them with its roles written inside
 * its box (two relationships to one person are one box); a party whose every relationship ended
 * is dashed. The table below says the same in words, with periods and authority.
 */
function RelationshipGraph(props: {
  name: string;
  relationships: readonly ContactRelationship[];
  role: (r: ContactRelationship) => string;
}): ReactNode {
  const others = new Map<string, { other: ContactRelationship['other']; roles: string[]; active: boolean }>();
  for (const r of props.relationships) {
    const o = others.get(r.other.id) ?? { other: r.other, roles: [], active: false };
    o.roles.push(`${props.role(r)}${r.active ? '' : ' (ended)'}`);
    o.active ||= r.active;
    others.set(r.other.id, o);
  }
  // Roles in a stable order (the API lists relationships in no promised order).
  const nodes = [...others.values()].map((o) => ({ ...o, roles: [...o.roles].sort() }));
  const cx = W / 2;
  const cy = H / 2;
  const summary = nodes.map((o) => `${o.other.name}, ${o.roles.join(' and ')}`).join('; ');
  return (
    <svg
      className="contact-graph"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Relationship graph of ${props.name}: ${summary}`}
    >
      {nodes.map((o, i) => {
        const a = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
        const x = cx + Math.cos(a) * (W / 2 - 105);
        const y = cy + Math.sin(a) * (H / 2 - 32);
        return (
          <g key={o.other.id} className={o.active ? 'edge' : 'edge edge--ended'}>
            <line x1={cx} y1={cy} x2={x} y2={y} />
            <a href={href('contacts', o.other.id)}>
              <rect x={x - 100} y={y - 24} width={200} height={48} rx={o.other.kind === 'organization' ? 2 : 14} />
              <text x={x} y={y - 5} textAnchor="middle" className="node__name">
                {short(o.other.name || 'unnamed', 26)}
              </text>
              <text x={x} y={y + 13} textAnchor="middle" className="node__role">
                {short(o.roles.join(', '), 32)}
              </text>
            </a>
          </g>
        );
      })}
      <g className="node--self">
        <rect x={cx - 105} y={cy - 18} width={210} height={36} rx={16} />
        <text x={cx} y={cy + 5} textAnchor="middle">
          {short(props.name, 26)}
        </text>
      </g>
    </svg>
  );
}
