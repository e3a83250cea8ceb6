/*
 * The palette's filter: every character of the query, in order, somewhere in the text
 * ("rnal" finds "Run all"). Matches at the start of a word and runs of consecutive characters
 * score higher, so the command the user means comes first.
 */
export function fuzzyScore(query: string, text: string): number | undefined {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  let score = 0;
  let at = 0;
  let previous = -2;
  for (const char of q) {
    if (char === ' ') continue;
    const found = t.indexOf(char, at);
    if (found < 0) return undefined;
    const wordStart = found === 0 || /[\s\-_/:.(]/.test(t[found - 1] ?? '');
    score += 1 + (wordStart ? 3 : 0) + (found === previous + 1 ? 2 : 0);
    previous = found;
    at = found + 1;
  }
  // Shorter texts first among equal matches: "Run all" before "Run all, then tick".
  return score - t.length / 100;
}

/**
 * The items that match, best first; the registry's order among equals. `fields`: the texts to
 * search, most important first (the title, then keywords): a match in the title wins.
 */
export function fuzzyFilter<T>(items: readonly T[], query: string, fields: (item: T) => readonly string[]): T[] {
  if (query.trim() === '') return [...items];
  const scoreOf = (item: T): number | undefined => {
    let best: number | undefined;
    fields(item).forEach((text, rank) => {
      const score = fuzzyScore(query, text);
      if (score !== undefined && (best === undefined || score - rank * 5 > best)) best = score - rank * 5;
    });
    return best;
  };
  return items
    .map((item, index) => ({ item, index, score: scoreOf(item) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== undefined)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.item);
}
