/*
 * The `format` of an ODCS string property as a regular expression DuckDB (RE2) can run,
 * and the JDK DateTimeFormatter patterns ODCS uses for dates as strftime. The regexes follow
 * the JSON Schema format definitions (RFC 5322 simplified for email, RFC 4122 for uuid, RFC
 * 3986 for uri, RFC 1123 for hostname, RFC 3339 for date-time); RE2 has no lookaround, so
 * each is written without it.
 */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(${H16}:${H16}|${IPV4})`;
// RFC 4291's nine shapes of an IPv6 address (with :: standing for a run of zero groups).
const IPV6 = [
  `(${H16}:){6}${LS32}`,
  `::(${H16}:){5}${LS32}`,
  `(${H16})?::(${H16}:){4}${LS32}`,
  `((${H16}:){0,1}${H16})?::(${H16}:){3}${LS32}`,
  `((${H16}:){0,2}${H16})?::(${H16}:){2}${LS32}`,
  `((${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `((${H16}:){0,4}${H16})?::${LS32}`,
  `((${H16}:){0,5}${H16})?::${H16}`,
  `((${H16}:){0,6}${H16})?::`,
]
  .map((shape) => `(${shape})`)
  .join('|');
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

const FORMATS: Record<string, string | undefined> = {
  email: '[^@\\s]+@[^@\\s]+\\.[^@\\s]+',
  uuid: '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}',
  uri: '[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*',
  hostname: `${LABEL}(\\.${LABEL})*\\.?`,
  ipv4: IPV4,
  ipv6: IPV6,
  date: '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])',
  time: '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?',
  'date-time':
    '[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])',
  byte: '([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?',
  // These describe how a value is used or stored; any text is one.
  password: undefined,
  binary: undefined,
};

/** The whole-value regex of a string format; undefined when the format constrains nothing; the reason when it is unknown. */
export function formatRegex(format: string): string | undefined | { reason: string } {
  if (!(format in FORMATS)) {
    return { reason: `"${format}" is not a format Quanta knows (${Object.keys(FORMATS).join(', ')}); it is not enforced` };
  }
  return FORMATS[format];
}

/** JDK DateTimeFormatter letters and their strftime equivalents, longest first. */
const JDK_FIELDS: readonly (readonly [string, string])[] = [
  ['yyyy', '%Y'],
  ['uuuu', '%Y'],
  ['yy', '%y'],
  ['MMMM', '%B'],
  ['MMM', '%b'],
  ['MM', '%m'],
  ['dd', '%d'],
  ['EEEE', '%A'],
  ['EEE', '%a'],
  ['HH', '%H'],
  ['hh', '%I'],
  ['mm', '%M'],
  ['ss', '%S'],
  ['SSSSSS', '%f'],
  ['SSS', '%g'],
  ['a', '%p'],
  ['XXX', '%z'],
  ['xxx', '%z'],
  ['Z', '%z'],
];

/** A JDK pattern (`yyyy-MM-dd'T'HH:mm:ss`) as a strftime format for try_strptime, or why it cannot be. */
export function jdkToStrftime(pattern: string): string | { reason: string } {
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] ?? '';
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) return { reason: `the format "${pattern}" has an unclosed quote` };
      out += end === i + 1 ? "'" : pattern.slice(i + 1, end).replace(/%/g, '%%');
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      const field = JDK_FIELDS.find(([letters]) => pattern.startsWith(letters, i));
      if (!field) {
        let run = 1;
        while (pattern[i + run] === ch) run++;
        return { reason: `the format "${pattern}" uses "${ch.repeat(run)}", which Quanta cannot check` };
      }
      out += field[1];
      i += field[0].length;
      continue;
    }
    out += ch === '%' ? '%%' : ch;
    i++;
  }
  return out;
}
