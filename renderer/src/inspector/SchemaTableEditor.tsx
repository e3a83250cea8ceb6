import { useRef, useState } from 'react';
import type { Diagnostic } from '../../../core/diagnostics/diagnostic.ts';
import type { MeshEdit } from '../../../core/edits/meshEdits.ts';
import type { YamlSourceFile } from '../../../core/yaml/sourceFile.ts';
import {
  addRowEdit,
  cellProblem,
  CLASSIFICATIONS,
  flagCellEdit,
  LOGICAL_TYPES,
  moveRowEdits,
  removeRowEdit,
  rowDiagnostics,
  rowPath,
  textCellEdit,
  type FlagColumn,
  type SchemaRow,
  type SchemaTable,
  type TextColumn,
} from './contractTable.ts';
import { DiagnosticNotes, InputProblem } from './DiagnosticNotes.tsx';
import { diagnosticsAt } from './fileDiagnostics.ts';

type OnEdit = (edit: MeshEdit, label: string, squashKey?: string) => void;

/** Each flag column: the field, its name and the short header that fits the inspector's width. */
const FLAGS: readonly (readonly [FlagColumn, string, string])[] = [
  ['required', 'Required', 'Req.'],
  ['unique', 'Unique', 'Uniq.'],
  ['primaryKey', 'Primary key', 'PK'],
];

/** One schema object of a contract as a table: a row per property, every change a file edit. */
export function SchemaTableEditor({
  file,
  table,
  diagnostics,
  onEdit,
}: {
  readonly file: YamlSourceFile;
  readonly table: SchemaTable;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
}) {
  const moves = useRef(0);
  const title = table.name || `schema ${table.index + 1}`;
  const rowFindings = table.rows.map((row) => rowDiagnostics(file, table, row, diagnostics));
  const tableLevel = diagnosticsAt(file, ['schema', table.index], diagnostics).filter(
    (d) => !rowFindings.some((found) => found.includes(d)),
  );
  const move = (row: SchemaRow, direction: -1 | 1) => {
    const key = `move:${file.path}:${table.index}:${++moves.current}`;
    for (const edit of moveRowEdits(file, table, row, direction)) onEdit(edit, `Move ${row.name} ${direction < 0 ? 'up' : 'down'}`, key);
  };
  return (
    <section className="schema-table" aria-label={`Schema of ${title}`} data-testid="schema-table" data-table={table.name}>
      <h3>{title}</h3>
      {/* Two lines per property, so every column fits the inspector's width without a sideways scroll:
          name, type and flags above; classification, description and the row's actions below. */}
      <table>
        <colgroup>
          <col className="col-name" />
          <col className="col-type" />
          {FLAGS.map(([column]) => (
            <col key={column} className="col-flag" />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Property</th>
            <th scope="col">Logical type</th>
            {FLAGS.map(([column, label, short]) => (
              <th scope="col" key={column} className="flag-cell">
                <abbr title={label}>{short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        {table.rows.map((row, i) => {
          const found = rowFindings[i] ?? [];
          const name = row.name || `property ${row.index + 1}`;
          const error = found.some((d) => d.severity === 'error') ? 'has-error' : undefined;
          return (
            <tbody key={row.index} data-testid="schema-row" data-property={row.name} className={error}>
              <tr className="schema-row-main">
                <td>
                  <TextCell file={file} table={table} row={row} column="name" label={`Name of ${name}`} onEdit={onEdit} />
                </td>
                <td>
                  <select
                    aria-label={`Logical type of ${name}`}
                    value={row.logicalType}
                    onChange={(e) => {
                      const edit = textCellEdit(file, table, row, 'logicalType', e.target.value);
                      if (edit) onEdit(edit, `Set the type of ${name}`);
                    }}
                  >
                    {[...new Set(['', ...LOGICAL_TYPES, row.logicalType])].map((t) => (
                      <option key={t} value={t}>
                        {t === '' ? '(none)' : t}
                      </option>
                    ))}
                  </select>
                </td>
                {FLAGS.map(([column, label]) => (
                  <td key={column} className="flag-cell">
                    <input
                      type="checkbox"
                      aria-label={`${label}: ${name}`}
                      checked={row[column]}
                      onChange={(e) => {
                        const edit = flagCellEdit(file, table, row, column, e.target.checked);
                        if (edit) onEdit(edit, `${e.target.checked ? 'Mark' : 'Unmark'} ${name} ${label.toLowerCase()}`);
                      }}
                    />
                  </td>
                ))}
              </tr>
              <tr className="schema-row-details">
                <td colSpan={2 + FLAGS.length}>
                  <div className="schema-row-more">
                    <span className="schema-cell schema-classification">
                      <span className="schema-cell-label" aria-hidden="true">
                        Classification
                      </span>
                      <TextCell
                        file={file}
                        table={table}
                        row={row}
                        column="classification"
                        label={`Classification of ${name}`}
                        onEdit={onEdit}
                        list="odcs-classifications"
                      />
                    </span>
                    <span className="schema-cell schema-description">
                      <span className="schema-cell-label" aria-hidden="true">
                        Description
                      </span>
                      <TextCell file={file} table={table} row={row} column="description" label={`Description of ${name}`} onEdit={onEdit} />
                    </span>
                    <span className="row-actions" role="group" aria-label={`Actions on ${name}`}>
                      <button type="button" aria-label={`Move ${name} up`} disabled={i === 0} onClick={() => move(row, -1)}>
                        ↑
                      </button>
                      <button
                        type="button"
                        aria-label={`Move ${name} down`}
                        disabled={i === table.rows.length - 1}
                        onClick={() => move(row, 1)}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        aria-label={`Remove ${name}`}
                        onClick={() => onEdit(removeRowEdit(file, table, row), `Remove ${name}`)}
                      >
                        ✕
                      </button>
                    </span>
                  </div>
                </td>
              </tr>
              {found.length > 0 && (
                <tr className="row-findings">
                  <td colSpan={2 + FLAGS.length}>
                    <DiagnosticNotes diagnostics={found} compact />
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
      </table>
      <datalist id="odcs-classifications">
        {CLASSIFICATIONS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <button type="button" className="add-row" onClick={() => onEdit(addRowEdit(file, table), `Add a property to ${title}`)}>
        Add property
      </button>
      <DiagnosticNotes diagnostics={tableLevel} />
    </section>
  );
}

/** A text cell: saved as the user types; a refused value (empty or duplicate name) stays in the cell with the reason. */
function TextCell({
  file,
  table,
  row,
  column,
  label,
  onEdit,
  list,
}: {
  readonly file: YamlSourceFile;
  readonly table: SchemaTable;
  readonly row: SchemaRow;
  readonly column: TextColumn;
  readonly label: string;
  readonly onEdit: OnEdit;
  readonly list?: string;
}) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const problem = draft === undefined ? undefined : cellProblem(table, row, column, draft);
  const problemId = `${file.path}:${table.index}:${row.index}:${column}:problem`;
  return (
    <>
      <input
        type="text"
        aria-label={label}
        value={draft ?? row[column]}
        list={list}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          const edit = textCellEdit(file, table, row, column, e.target.value);
          if (edit)
            onEdit(edit, `Edit ${column} of ${row.name}`, `field:${file.path}:${[...rowPath(table.index, row.index), column].join('.')}`);
        }}
        onBlur={() => {
          if (draft !== undefined && cellProblem(table, row, column, draft) === undefined) setDraft(undefined);
        }}
      />
      <InputProblem id={problemId} text={problem} />
    </>
  );
}
