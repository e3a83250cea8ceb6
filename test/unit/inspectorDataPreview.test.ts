import { DateDay, Decimal, makeData, makeVector, Table, tableToIPC, TimestampMicrosecond, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { decodePreview, formatDecimal, NULL_TEXT, visibleRows } from '../../renderer/src/inspector/dataPreview.ts';

/* The Data tab: Arrow IPC decoded, cells formatted on demand, and the row window of the virtualized table. */

/** Little-endian 128-bit two's complement words of an unscaled decimal. */
function decimalWords(values: readonly bigint[]): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  values.forEach((value, i) => {
    let v = BigInt.asUintN(128, value);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  });
  return words;
}

function sampleIpc(): Uint8Array {
  const day = Date.UTC(2026, 0, 5) / 86_400_000;
  const table = new Table({
    id: makeVector(new Int32Array([1, 2, 3])),
    amount: makeVector(makeData({ type: new Decimal(2, 10, 128), length: 3, data: decimalWords([12345n, -5n, 0n]) })),
    day: makeVector(makeData({ type: new DateDay(), length: 3, data: new Int32Array([day, day + 1, day + 2]) })),
    at: makeVector(
      makeData({
        type: new TimestampMicrosecond(),
        length: 3,
        data: new BigInt64Array([BigInt(Date.UTC(2026, 0, 5, 14, 3)) * 1000n, 1_500n, 0n]),
        // The third timestamp is NULL (bit 2 unset).
        nullBitmap: new Uint8Array([0b011]),
        nullCount: 1,
      }),
    ),
    share: makeVector(new Float64Array([0.1 + 0.2, 2, -1.5])),
    email: vectorFromArray(['a@example.com', 'NULL', null], new Utf8()),
  });
  return tableToIPC(table, 'stream');
}

describe('the data preview', () => {
  it('decodes Arrow IPC and formats each type as DuckDB would print it', () => {
    const preview = decodePreview(sampleIpc());
    expect(preview.rowCount).toBe(3);
    expect(preview.columns.map((c) => [c.name, c.numeric])).toEqual([
      ['id', true],
      ['amount', true],
      ['day', false],
      ['at', false],
      ['share', true],
      ['email', false],
    ]);
    expect(preview.columns[1]?.type).toBe('Decimal(10, 2)');
    const row = (r: number) => preview.columns.map((_, c) => preview.cell(r, c));
    expect(row(0)).toEqual(['1', '123.45', '2026-01-05', '2026-01-05 14:03:00', '0.3', 'a@example.com']);
    expect(row(1)).toEqual(['2', '-0.05', '2026-01-06', '1970-01-01 00:00:00.001', '2', 'NULL']);
    expect(row(2)).toEqual(['3', '0.00', '2026-01-07', NULL_TEXT, '-1.5', NULL_TEXT]);
  });

  it('tells a SQL NULL from the text “NULL”', () => {
    const preview = decodePreview(sampleIpc());
    expect([preview.isNull(1, 5), preview.isNull(2, 5), preview.isNull(2, 3), preview.isNull(0, 3)]).toEqual([false, true, true, false]);
  });

  it('gives an empty cell outside the table instead of throwing', () => {
    const preview = decodePreview(sampleIpc());
    expect([preview.cell(3, 0), preview.cell(-1, 0), preview.cell(0, 9)]).toEqual(['', '', '']);
  });

  it('refuses bytes that are not Arrow with an error (the Data tab words it)', () => {
    expect(() => decodePreview(new TextEncoder().encode('not arrow at all'))).toThrow();
  });

  it('places the decimal point by the scale, for small, negative and scale-0 values', () => {
    expect(formatDecimal('5', 2)).toBe('0.05');
    expect(formatDecimal('-12345', 3)).toBe('-12.345');
    expect(formatDecimal('42', 0)).toBe('42');
  });
});

describe('the virtualized table’s row window', () => {
  it('renders only the rows in view plus the overscan, for 120,000 rows anywhere in the scroll', () => {
    expect(visibleRows(0, 420, 28, 120_000, 8)).toEqual({ first: 0, last: 23 });
    const middle = visibleRows(60_000 * 28, 420, 28, 120_000, 8);
    expect(middle).toEqual({ first: 59_992, last: 60_023 });
    expect(middle.last - middle.first + 1).toBeLessThan(40);
    // Scrolled to the bottom: the last 15 rows are in view.
    expect(visibleRows(120_000 * 28 - 420, 420, 28, 120_000, 8)).toEqual({ first: 119_985 - 8, last: 119_999 });
  });

  it('renders nothing for an empty table and stays inside a short one', () => {
    expect(visibleRows(0, 420, 28, 0)).toEqual({ first: 0, last: -1 });
    expect(visibleRows(0, 420, 28, 3)).toEqual({ first: 0, last: 2 });
  });
});
