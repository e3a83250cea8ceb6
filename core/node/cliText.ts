import nodePath from 'node:path';
import { UNSAFE_CHARACTERS } from '../model/ids.ts';

/** A mesh file as the user should see it: relative to where they ran the command, with `/`. */
export function displayPath(cwd: string, dir: string, file: string): string {
  const relative = nodePath.relative(cwd, nodePath.join(dir, file));
  return (relative === '' ? '.' : relative).split(nodePath.sep).join('/');
}

/** `1 policy`, `2 policies`, `3 products`. */
export function plural(n: number, word: string): string {
  if (n === 1) return `1 ${word}`;
  return `${n} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

// A whole escape sequence (CSI `ESC [ … final`, OSC/DCS/APC/PM strings up to BEL or ST, or
// ESC and one character), so no parameters are left behind as visible junk.
/* eslint-disable no-control-regex -- matching control characters is the point */
const ESCAPE_SEQUENCE =
  /\u001B\[[0-?]*[ -/]*[@-~]?|\u001B[\]PX^_][^\u0007\u001B]*(?:\u0007|\u001B\\)?|\u001B[\s\S]?|\u009B[0-?]*[ -/]*[@-~]?/g;
/* eslint-enable no-control-regex */
// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional controls (core/model/ids.ts).
const CONTROL = new RegExp(UNSAFE_CHARACTERS.source, 'g');
// The run progress line's own "return, clear line" (core/node/commands/runSession.ts), kept at the start of a write.
const PROGRESS_PREFIX = '\r\u001B[2K';

/**
 * Text from a mesh, made safe for a terminal: a name or message can carry escape sequences
 * (recolour, move the cursor, rewrite the title, hide earlier lines) or bidirectional
 * overrides (text that reads differently from what it is). Tab and newline stay.
 */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * The CLI's output streams with every write made terminal-safe: one place, so no printing
 * path can forget it. Quanta's own progress line control, at the start of a write, is kept.
 */
export function terminalSafeIo<T extends { readonly out: (text: string) => void; readonly err: (text: string) => void }>(io: T): T {
  const safe = (write: (text: string) => void) => (text: string) => {
    if (text.startsWith(PROGRESS_PREFIX)) write(PROGRESS_PREFIX + terminalSafe(text.slice(PROGRESS_PREFIX.length)));
    else write(terminalSafe(text));
  };
  return { ...io, out: safe(io.out), err: safe(io.err) };
}

/** Rows as aligned columns, two spaces apart; the columns in `rightAligned` (numbers) padded on the left. */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
