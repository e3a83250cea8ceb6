import { useEffect, useRef } from 'react';
import { problemWords, type ProblemItem, type ProductProblems } from './problems.ts';

/**
 * The canvas's problem list: one button saying how many problems the mesh has, opening a list
 * of them by product — why its last run published nothing fresh, its policy violations, its
 * files' diagnostics, each with its file and line. A product's name selects it on the canvas.
 * The cards show only a count, so a problem never grows a card nor hides its neighbours.
 */
export function ProblemList({
  groups,
  open,
  focused,
  onToggle,
  onSelectProduct,
}: {
  readonly groups: readonly ProductProblems[];
  readonly open: boolean;
  /** The product whose badge was pressed: scrolled into view and marked. */
  readonly focused: string | undefined;
  readonly onToggle: () => void;
  readonly onSelectProduct: (productId: string) => void;
}) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!open || focused === undefined) return;
    list.current?.querySelector(`[data-product-id="${CSS.escape(focused)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, focused]);
  const total = groups.reduce((n, g) => n + g.count, 0);
  if (total === 0) return null;
  const errors = groups.some((g) => g.severity === 'error');
  return (
    <div className="canvas-problems">
      <button
        type="button"
        className={`canvas-problems-toggle canvas-problems-${errors ? 'error' : 'warning'}`}
        aria-expanded={open}
        aria-controls="canvas-problem-list"
        onClick={onToggle}
      >
        <span aria-hidden="true">⚠ </span>
        {problemWords(total)}
      </button>
      {open && (
        <ol
          className="canvas-problem-list"
          id="canvas-problem-list"
          aria-label="Problems by product"
          data-testid="canvas-problems"
          ref={list}
        >
          {groups.map((group) => (
            <li
              key={group.productId ?? '\u0000mesh'}
              className={`problem-group${group.productId !== undefined && group.productId === focused ? ' problem-group-focused' : ''}`}
              data-testid="problem-group"
              data-product-id={group.productId ?? ''}
            >
              <h3 className="problem-group-title">
                {group.productId === undefined ? (
                  group.name
                ) : (
                  <button type="button" className="link-button" onClick={() => onSelectProduct(group.productId as string)}>
                    {group.name}
                  </button>
                )}{' '}
                <span className={`problem-count problem-count-${group.severity}`}>{group.count}</span>
              </h3>
              {group.run.length > 0 && (
                <ul className={`run-problems run-problems-${group.runStatus ?? 'idle'}`} aria-label="Last run">
                  {group.run.map((line, i) => (
                    <li key={i}>
                      {line.text}
                      {line.where && <code className="run-where"> {line.where}</code>}
                    </li>
                  ))}
                </ul>
              )}
              <Items items={group.policies} label="Policy violations" kind="policy" />
              <Items items={group.diagnostics} label="Diagnostics" kind="diagnostic" />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Items({ items, label, kind }: { readonly items: readonly ProblemItem[]; readonly label: string; readonly kind: string }) {
  if (items.length === 0) return null;
  return (
    <ul className={`problem-items problem-items-${kind}`} aria-label={label}>
      {items.map((item, i) => (
        <li key={i} className={`problem-${item.severity}`}>
          {item.text}
          {item.where && <code className="run-where"> {item.where}</code>}
        </li>
      ))}
    </ul>
  );
}
