import { diagnostic, startOf, type Diagnostic, type SourcePosition } from '../diagnostics/diagnostic.ts';
import { MeshReadError, PathEscapeError } from '../fs/meshFileSystem.ts';

/**
 * Why a mesh file that is there could not be read, as a diagnostic. Every reason has its
 * own code, so a FIFO, a broken symlink or a link out of the folder is never mistaken for a
 * missing file — and never silently skipped.
 */
export function readFailure(path: string, error: unknown, at: SourcePosition = startOf(path)): Diagnostic {
  if (error instanceof PathEscapeError) {
    return diagnostic(
      'QUANTA_E031',
      at,
      `${path} is a symlink leading outside the mesh folder, so it is not read`,
      'Quanta reads only files inside the mesh folder. Replace the symlink with a copy of the file.',
    );
  }
  if (error instanceof MeshReadError) {
    switch (error.reason) {
      case 'not-regular':
        return diagnostic('QUANTA_E052', at, error.message);
      case 'broken-link':
        return diagnostic('QUANTA_E053', at, error.message);
      case 'too-large':
        return diagnostic('QUANTA_E006', at, `${error.message}; metadata files may be at most ${(error.limit ?? 0) / 1024 / 1024} MB`);
      case 'timeout':
        return diagnostic('QUANTA_E055', at, error.message);
      case 'missing':
      case 'unreadable':
        return diagnostic('QUANTA_E008', at, error.message);
    }
  }
  return diagnostic('QUANTA_E008', at, `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
}
