import type { ReactNode } from "react";

interface Column<T> {
  label: string;
  cell(row: T): ReactNode;
  /** Long free text (replies, patterns): wraps anywhere, even inside a word with no spaces. */
  wrap?: boolean;
  /** The row's buttons: on a phone they sit at the bottom of the card, never off-screen. */
  actions?: boolean;
}

/**
 * The portal's one table: a real table on wide screens; on a phone each row becomes a card with
 * the column names beside the values (styles.css, `.data-table`), so no page is wider than the
 * screen and Edit/Delete stay in reach.
 */
export function DataTable<T>(props: {
  columns: (Column<T> | false | null | undefined)[];
  rows: T[];
  rowKey(row: T): string;
  rowProps?(row: T): Record<string, string | undefined>;
  caption?: string;
}) {
  const columns = props.columns.filter((c): c is Column<T> => Boolean(c));
  return (
    <div className="table-wrap">
      <table className="data-table">
        {props.caption && <caption className="visually-hidden">{props.caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowProps?.(row)}>
              {columns.map((c) => (
                <td key={c.label} data-label={c.label} className={c.actions ? "actions" : c.wrap ? "wrap" : undefined}>
                  {c.actions ? <div className="row-buttons">{c.cell(row)}</div> : c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
