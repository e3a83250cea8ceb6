import nodePath from 'node:path';

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
