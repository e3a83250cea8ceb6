import { useId, useMemo, useState, type FormEvent } from 'react';
import type { Fault } from '../../../core/run/faults.ts';
import type { DataProduct, Mesh } from '../../../core/model/types.ts';
import { useAppStore, useAppStoreApi } from '../store/AppStoreProvider.tsx';
import { faultText } from '../store/runsSlice.ts';
import { selectDocumentKey, selectFaults } from '../store/selectors.ts';
import { faultKinds, tablesOf, type FaultKind } from './faultForm.ts';

/**
 * Break a product on purpose (a trainer's tool): drop or rename a column it reads, spike its
 * nulls, hold its sources back, crash its quantum. A fault hits at the product's next run;
 * the faults in force are listed here and badged on the canvas until removed.
 */
export function FaultsTab({ mesh, product }: { readonly mesh: Mesh; readonly product: DataProduct }) {
  const store = useAppStoreApi();
  const key = useAppStore(selectDocumentKey);
  const all = useAppStore(selectFaults(key));
  const mine = all.filter((f) => f.fault.product === product.id);
  const tables = useMemo(() => tablesOf(mesh, product), [mesh, product]);
  const [kind, setKind] = useState<FaultKind>(tables.length > 0 ? 'dropColumn' : 'delaySource');
  const [table, setTable] = useState(tables[0]?.name ?? '');
  const [column, setColumn] = useState('');
  const [to, setTo] = useState('');
  const [percent, setPercent] = useState('50');
  const [ticks, setTicks] = useState('2');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  const needsTable = kind === 'dropColumn' || kind === 'renameColumn' || kind === 'nullSpike';
  const columns = tables.find((t) => t.name === table)?.columns ?? [];

  const fault = (): Fault => {
    switch (kind) {
      case 'dropColumn':
        return { kind, product: product.id, table, column: column.trim() };
      case 'renameColumn':
        return { kind, product: product.id, table, column: column.trim(), to: to.trim() };
      case 'nullSpike': {
        const share = Number(percent) / 100;
        return { kind, product: product.id, table, column: column.trim(), share };
      }
      case 'delaySource':
        return { kind, product: product.id, ticks: Number(ticks) };
      case 'crash':
        return { kind, product: product.id };
    }
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const next = fault();
    setBusy(true);
    try {
      setProblem(await store.getState().injectFault(next));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="faults-tab" data-testid="faults-tab">
      <p className="form-help">
        Break {product.name} on purpose and watch what its contract and its consumers do. A fault hits at the product&apos;s next run; table
        faults stay until removed.
      </p>
      <form className="fault-form" onSubmit={(e) => void onSubmit(e)} aria-label={`Inject a fault into ${product.name}`}>
        <div className="form-row">
          <label htmlFor={`${id}-kind`}>Fault</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as FaultKind)}>
            {faultKinds(tables.length > 0).map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
          <p className="form-help">{faultKinds(true).find((k) => k.kind === kind)?.help}</p>
        </div>
        {needsTable && (
          <>
            <div className="form-row">
              <label htmlFor={`${id}-table`}>Table</label>
              <select id={`${id}-table`} value={table} onChange={(e) => setTable(e.target.value)}>
                {tables.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.name} ({t.what})
                  </option>
                ))}
              </select>
            </div>
            <div className="form-row">
              <label htmlFor={`${id}-column`}>Column</label>
              <input
                id={`${id}-column`}
                list={`${id}-columns`}
                value={column}
                required
                autoComplete="off"
                onChange={(e) => setColumn(e.target.value)}
              />
              <datalist id={`${id}-columns`}>
                {columns.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </div>
          </>
        )}
        {kind === 'renameColumn' && (
          <div className="form-row">
            <label htmlFor={`${id}-to`}>New name</label>
            <input id={`${id}-to`} value={to} required autoComplete="off" onChange={(e) => setTo(e.target.value)} />
          </div>
        )}
        {kind === 'nullSpike' && (
          <div className="form-row">
            <label htmlFor={`${id}-share`}>Rows NULL (%)</label>
            <input id={`${id}-share`} type="number" min={1} max={100} value={percent} onChange={(e) => setPercent(e.target.value)} />
          </div>
        )}
        {kind === 'delaySource' && (
          <div className="form-row">
            <label htmlFor={`${id}-ticks`}>Late by (ticks)</label>
            <input id={`${id}-ticks`} type="number" min={1} max={1000} value={ticks} onChange={(e) => setTicks(e.target.value)} />
          </div>
        )}
        {problem && (
          <p className="input-problem" role="alert">
            {problem}
          </p>
        )}
        <div className="fault-actions">
          <button type="submit" className="primary" disabled={busy}>
            Inject fault
          </button>
        </div>
      </form>
      <h3 className="fault-list-title">In force on {product.name}</h3>
      {mine.length === 0 ? (
        <p className="empty">No fault. The product runs as written.</p>
      ) : (
        <ul className="fault-list" aria-label={`Faults in force on ${product.name}`}>
          {mine.map((f, index) => (
            <li key={`${f.fault.kind}-${index}`} className="fault-item" data-testid="active-fault" data-kind={f.fault.kind}>
              <span>
                {faultText(f.fault)}
                {f.until !== undefined && <span className="fault-until"> (until tick {f.until})</span>}
              </span>
              <button type="button" className="link-button" onClick={() => void store.getState().removeFault(f)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {all.length > mine.length && (
        <p className="form-help">
          {all.length - mine.length} more in force on other products.{' '}
          <button type="button" className="link-button" onClick={() => void store.getState().clearFaults()}>
            Remove every fault
          </button>
        </p>
      )}
    </div>
  );
}
