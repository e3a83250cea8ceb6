import type { RowsPreview } from './sourcePreview.ts';

/** A few rows of a source as a plain table (NULL styled apart from the text "NULL"). */
export function PreviewTable({
  preview,
  label,
  testId,
}: {
  readonly preview: RowsPreview;
  readonly label: string;
  readonly testId: string;
}) {
  if (preview.rows.length === 0) return <p className="form-help">It makes no rows: set rows above 0.</p>;
  return (
    <div className="sources-preview-scroll" tabIndex={0} role="region" aria-label={label}>
      <table className="sources-preview-table" data-testid={testId} data-row-count={preview.rows.length}>
        <thead>
          <tr>
            {preview.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => (
                <td key={c} className={preview.nulls[r]?.[c] ? 'is-null' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
