import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { visibleRows, type Preview } from './dataPreview.ts';

const ROW_HEIGHT = 28;
const SAMPLE_ROWS = 50;

/**
 * A table that renders only the rows in view (plus a few either side): its body is as tall as
 * all rows, and the rendered ones are placed at their offset. Works the same for 30 rows or
 * 120,000; each cell is read from Arrow only when it is on screen.
 */
export function VirtualTable({
  preview,
  label,
  height = 420,
  flagged,
}: {
  readonly preview: Preview;
  readonly label: string;
  readonly height?: number;
  /** Rows to mark (by their number in the data, from 0), with what is wrong with each, in words. */
  readonly flagged?: ReadonlyMap<number, string> | undefined;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight);
    const observer = new ResizeObserver(() => setViewport(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // A new preview (another port or version) starts at the top.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [preview]);

  // Column widths from the header and the first rows, so they do not change while scrolling.
  const template = useMemo(() => {
    const widths = preview.columns.map((column, c) => {
      let longest = Math.max(column.name.length, column.type.length * 0.8);
      for (let r = 0; r < Math.min(SAMPLE_ROWS, preview.rowCount); r++) longest = Math.max(longest, preview.cell(r, c).length);
      return Math.round(Math.min(320, Math.max(90, longest * 8 + 24)));
    });
    return `64px ${widths.map((w) => `${w}px`).join(' ')}`;
  }, [preview]);
  const { first, last } = visibleRows(scrollTop, viewport, ROW_HEIGHT, preview.rowCount);
  const rows: number[] = [];
  for (let r = first; r <= last; r++) rows.push(r);

  return (
    <div
      className="virtual-table"
      ref={scroller}
      role="table"
      aria-label={label}
      aria-rowcount={preview.rowCount + 1}
      aria-colcount={preview.columns.length + 1}
      tabIndex={0}
      style={{ height }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="data-preview"
      data-row-count={preview.rowCount}
    >
      <div className="vt-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        <span role="columnheader" className="vt-rownum">
          #
        </span>
        {preview.columns.map((column) => (
          <span role="columnheader" key={column.name} className={column.numeric ? 'vt-numeric' : undefined} title={column.type}>
            {column.name}
            <small>{column.type}</small>
          </span>
        ))}
      </div>
      <div className="vt-body" role="rowgroup" style={{ height: preview.rowCount * ROW_HEIGHT }}>
        {rows.map((r) => {
          const number = preview.rowNumber?.(r) ?? r;
          const flag = flagged?.get(number);
          return (
            <div
              key={r}
              className={flag === undefined ? 'vt-row' : 'vt-row vt-flagged'}
              role="row"
              aria-rowindex={r + 2}
              data-row={number}
              data-failing={flag === undefined ? undefined : 'true'}
              style={{ gridTemplateColumns: template, transform: `translateY(${r * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
            >
              <span role="rowheader" className="vt-rownum" title={flag}>
                {number + 1}
                {flag !== undefined && <span className="inspector-sr-only"> (fails: {flag})</span>}
              </span>
              {preview.columns.map((column, c) => {
                const text = preview.cell(r, c);
                const classes = [column.numeric ? 'vt-numeric' : '', preview.isNull(r, c) ? 'vt-null' : ''].filter(Boolean).join(' ');
                return (
                  <span role="cell" key={column.name} className={classes || undefined}>
                    {text}
                  </span>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
