import { useRef } from 'react';
import type { Diagnostic } from '../../../../core/diagnostics/diagnostic.ts';
import type { PortVersion } from '../../../../core/run/runTypes.ts';
import type { YamlSourceFile } from '../../../../core/yaml/sourceFile.ts';
import type { OnEdit } from '../contractViewProps.ts';
import { DiagnosticNotes } from '../DiagnosticNotes.tsx';
import { diagnosticsAt } from '../fileDiagnostics.ts';
import {
  addSlaEdit,
  elementOptions,
  isFreshness,
  measureFreshness,
  removeSlaEdit,
  SLA_PROPERTIES,
  SLA_UNITS,
  slaFieldEdit,
  slaInfo,
  slaPath,
  slaProblem,
  slaPropertyEdits,
  slaRows,
  type SlaRow,
} from './slaTerms.ts';
import { inputId, TermInput } from './TermInput.tsx';

/** The contract's `slaProperties`: a row per promise, freshness measured against the newest published version. */
export function SlaPropertiesForm({
  file,
  diagnostics,
  onEdit,
  published,
  simulatedNow,
}: {
  readonly file: YamlSourceFile;
  readonly diagnostics: readonly Diagnostic[];
  readonly onEdit: OnEdit;
  readonly published: PortVersion | undefined;
  readonly simulatedNow: string | undefined;
}) {
  const steps = useRef(0);
  const rows = slaRows(file);
  const elements = elementOptions(file);
  const rowLabel = (row: SlaRow) => {
    const name = row.property || `SLA ${row.index + 1}`;
    return rows.filter((r) => r.property === row.property).length > 1 ? `${name} (row ${row.index + 1})` : name;
  };
  const findings = diagnosticsAt(file, ['slaProperties'], diagnostics);
  return (
    <section className="terms-section" aria-labelledby="terms-sla-heading" data-testid="sla-properties">
      <h3 id="terms-sla-heading">SLA properties</h3>
      <p className="terms-intro">
        What the port promises its consumers (ODCS <code>slaProperties</code>). Quanta checks <code>latency</code> (freshness) on every run:
        a version older than the promise is published with a warning.
      </p>
      {rows.length === 0 ? (
        <p className="inspector-empty">
          This contract promises nothing yet. Add a freshness SLA so consumers can tell late data from no data.
        </p>
      ) : (
        <ul className="terms-list">
          {rows.map((row) => {
            const name = rowLabel(row);
            const info = slaInfo(row.property);
            const id = `${file.path}:${slaPath(row.index).join('.')}`;
            const field = (f: 'value' | 'description') => (
              <TermInput
                id={`${id}.${f}`}
                value={row[f]}
                label={`${f === 'value' ? 'Value' : 'Description'} of ${name}`}
                problem={(input) => slaProblem(row, f, input)}
                edit={(input) => slaFieldEdit(file, row, f, input)}
                onEdit={onEdit}
                editLabel={`Edit the ${f} of SLA ${row.property}`}
                disabled={!row.editable}
              />
            );
            const rowFindings = diagnosticsAt(file, slaPath(row.index), diagnostics);
            return (
              <li key={row.index} className="terms-card" data-testid="sla-row" data-property={row.property}>
                <div className="terms-card-head">
                  <label className="terms-field">
                    <span>Property</span>
                    <select
                      aria-label={`Property of ${name}`}
                      value={row.property}
                      disabled={!row.editable}
                      onChange={(e) => {
                        const key = `sla-property:${file.path}:${row.index}:${++steps.current}`;
                        for (const edit of slaPropertyEdits(file, row, e.target.value))
                          onEdit(edit, `Make SLA ${row.property} ${e.target.value}`, key);
                      }}
                    >
                      {[...new Set([row.property, ...SLA_PROPERTIES.map((p) => p.property)])].map((p) => (
                        <option key={p} value={p}>
                          {p}
                        </option>
                      ))}
                    </select>
                  </label>
                  <div className="terms-field terms-value">
                    <label htmlFor={inputId(`${id}.value`)}>Value</label>
                    {field('value')}
                  </div>
                  <label className="terms-field terms-unit">
                    <span>Unit</span>
                    <select
                      aria-label={`Unit of ${name}`}
                      value={row.unit}
                      disabled={!row.editable}
                      onChange={(e) => {
                        const edit = slaFieldEdit(file, row, 'unit', e.target.value);
                        if (edit) onEdit(edit, `Set the unit of SLA ${row.property}`);
                      }}
                    >
                      {unitOptions(row).map(([unit, label]) => (
                        <option key={unit} value={unit} disabled={unit !== row.unit && slaProblem(row, 'unit', unit) !== undefined}>
                          {label}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    className="terms-remove"
                    aria-label={`Remove ${name}`}
                    title={`Remove ${name}`}
                    onClick={() => onEdit(removeSlaEdit(file, row), `Remove SLA ${row.property}`)}
                  >
                    ✕
                  </button>
                </div>
                <p className="terms-meaning">{info?.meaning ?? 'A property of your own (ODCS allows any).'}</p>
                <div className="terms-grid">
                  <label className="terms-field">
                    <span>Element</span>
                    <select
                      aria-label={`Element of ${name}`}
                      value={row.element}
                      disabled={!row.editable}
                      onChange={(e) => {
                        const edit = slaFieldEdit(file, row, 'element', e.target.value);
                        if (edit) onEdit(edit, `Set the element of SLA ${row.property}`);
                      }}
                    >
                      {[...new Set(['', ...elements, row.element])].map((element) => (
                        <option key={element} value={element}>
                          {element === '' ? '(the whole port)' : element}
                        </option>
                      ))}
                    </select>
                  </label>
                  <div className="terms-field">
                    <label htmlFor={inputId(`${id}.description`)}>Description</label>
                    {field('description')}
                  </div>
                </div>
                {isFreshness(row.property) && <Measured row={row} published={published} simulatedNow={simulatedNow} />}
                <DiagnosticNotes diagnostics={rowFindings} compact />
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="add-row" onClick={() => onEdit(addSlaEdit(file), 'Add an SLA property')}>
        Add SLA property
      </button>
      <DiagnosticNotes diagnostics={findings.filter((d) => !rows.some((r) => diagnosticsAt(file, slaPath(r.index), [d]).length > 0))} />
    </section>
  );
}

function unitOptions(row: SlaRow): (readonly [string, string])[] {
  const known = SLA_UNITS.map(([unit, label]) => [unit, `${unit} (${label})`] as const);
  const current = row.unit === '' || SLA_UNITS.some(([u]) => u === row.unit) ? [] : [[row.unit, row.unit] as const];
  const none = slaInfo(row.property)?.kind === 'duration' ? '(none: days)' : '(none)';
  return [['', none], ...known, ...current];
}

function Measured({
  row,
  published,
  simulatedNow,
}: {
  readonly row: SlaRow;
  readonly published: PortVersion | undefined;
  readonly simulatedNow: string | undefined;
}) {
  const measure = measureFreshness(row, published, simulatedNow);
  if (!measure)
    return (
      <p className="terms-measured terms-muted">
        Measured: {published ? 'the value is not a duration' : 'nothing yet — run the product to measure its freshness'}.
      </p>
    );
  return (
    <p className={`terms-measured ${measure.met ? 'terms-met' : 'terms-missed'}`} data-testid="sla-measured" data-met={measure.met}>
      Measured: <strong>{measure.met ? 'met' : 'missed'}</strong> — {measure.text.replace(/^(met|missed): /, '')}.
    </p>
  );
}
