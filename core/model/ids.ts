/**
 * Ids that Quanta uses as names — folder names, file names, table names in SQL, keys in
 * layout.yaml — follow one pattern (README, "Ids"): lowercase letters, digits, `-`, `_` and
 * `.`, starting with a letter or digit, at most 64 characters. So an id can never be a path
 * (`../../finance/daily-revenue`), hide text with bidirectional overrides, or carry terminal
 * escapes into `quanta` output.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const MAX_ID_LENGTH = 64;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Why an id is refused, in words; undefined when it is fine. */
export function idProblem(id: string): string | undefined {
  if (isValidId(id)) return undefined;
  if (id.length === 0) return 'it is empty';
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long (at most ${MAX_ID_LENGTH})`;
  if (/[/\\]/.test(id)) return 'it contains a path separator';
  if (hasUnsafeCharacters(id)) return 'it contains control or bidirectional-override characters';
  if (/[A-Z]/.test(id)) return 'it contains uppercase letters';
  if (!/^[a-z0-9]/.test(id)) return 'it must start with a lowercase letter or a digit';
  return 'only lowercase letters, digits, "-", "_" and "." are allowed';
}

/**
 * Characters that change how a terminal or a text view shows what follows: C0 controls
 * except tab and newline, DEL, C1 controls (0x80–0x9F, including the 8-bit CSI), and the
 * Unicode bidirectional controls (LRE…RLO, LRI…PDI, LRM/RLM/ALM) that can make text read
 * differently from what it is.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_CHARACTERS.test(text);
}

/** `U+202E` for the first unsafe character, to name it in a message. */
export function firstUnsafeCharacter(text: string): string | undefined {
  const match = UNSAFE_CHARACTERS.exec(text);
  return match ? `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}
