/**
 * @module One dashboard chart as a <figure>: a caption that says what is counted, the chart (hidden
 * from assistive technology: the table below says the same), and the same numbers as a table that
 * is visually hidden until "Show as table" is pressed. With no data, an empty state instead of a
 * blank chart.
 */
import { useId, useState, type ReactNode } from 'react';

/** Series colours: each at least 3:1 against white (WCAG 1.4.11) and told apart by name and pattern too. */
export const seriesColours = ['#0a58b5', '#b3261e', '#1e6b35', '#7a4f00', '#5b3f9e'] as const;
export const colour = (i: number): string => seriesColours[i % seriesColours.length] ?? '#0a58b5';

export interface TableSpec {
  readonly caption: string;
  readonly columns: readonly string[];
  /** The first cell of a row is its header. */
  readonly rows: readonly (readonly (string | number)[])[];
}

export function ChartFigure(props: {
  readonly title: string;
  /** What is counted, over what, and how: read with the chart. */
  readonly description: string;
  readonly empty: boolean;
  readonly emptyText: string;
  readonly table: TableSpec;
  readonly children: ReactNode;
}): ReactNode {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  return (
    <figure className="panel chart">
      <figcaption>
        <h2>{props.title}</h2>
        <p className="help">{props.description}</p>
      </figcaption>
      {props.empty ? (
        <p className="empty">{props.emptyText}</p>
      ) : (
        <>
          <div className="chart__plot" aria-hidden="true">
            {props.children}
          </div>
          <button
            type="button"
            className="link"
            aria-expanded={showTable}
            aria-controls={tableId}
            onClick={() => setShowTable((v) => !v)}
          >
            {showTable ? 'Hide table' : 'Show as table'}
          </button>
          <div id={tableId} className={showTable ? 'chart__table' : 'visually-hidden'}>
            <table className="data">
              <caption>{props.table.caption}</caption>
              <thead>
                <tr>
                  {props.table.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.table.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) =>
                      j === 0 ? (
                        <th key={j} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={j}>{cell}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}

/** 0.333 → "33.3%"; null → "—". */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toString()}%`;
}

/** 1.5 → "1.5 h"; null → "—". */
export function hoursText(h: number | null): string {
  return h === null ? '—' : `${h.toString()} h`;
}
