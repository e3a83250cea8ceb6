/**
 * Personal-data guesses for "Derive contract from output": e-mail, phone, name, address and
 * birth date, by the column's name and by the shape of its values. A guess is a proposal the
 * user confirms, never a verdict: a name alone is enough to ask, values must mostly match.
 */
export interface PersonalGuess {
  readonly kind: 'e-mail' | 'phone' | 'name' | 'address' | 'birth date';
  readonly reason: string;
}

const BY_NAME: readonly [PersonalGuess['kind'], RegExp][] = [
  ['e-mail', /(^|_)e_?mail(_|$)|^email|mail_?address/i],
  ['phone', /(^|_)(phone|mobile|telephone|tel|fax|msisdn)(_|$)|phone/i],
  ['birth date', /birth|(^|_)dob(_|$)|birthday/i],
  ['address', /(^|_)(address|address_line_?\d|street|postcode|postal_code|zip|zip_code|house_number)$/i],
  [
    'name',
    /(^|_)(first|last|full|given|family|middle|sur|maiden)_?name(_|$)|^surname$|(^|_)(customer|person|user|contact|employee|patient|member|client|holder)_name$/i,
  ],
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[\d\s().\-/]{7,20}$/;
/** Dates and times match PHONE's characters; they are not phone numbers. */
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/;
const STREET =
  /^\d+[a-z]?\s+\S.*\b(street|st|road|rd|avenue|ave|lane|ln|way|drive|dr|boulevard|blvd|strasse|straße|str|weg|platz|rue|via)\b\.?$|^\S.*\b(strasse|straße|str\.|weg|platz|gasse)\s*\d+[a-z]?$/i;

/** Share of sampled values that must match a value pattern. */
const MATCH_SHARE = 0.8;

export function personalDataGuess(column: string, sample: readonly string[]): PersonalGuess | undefined {
  const byValue = valueGuess(sample);
  if (byValue) return byValue;
  for (const [kind, pattern] of BY_NAME) {
    if (pattern.test(column)) return { kind, reason: `the name “${column}” suggests ${article(kind)} ${kind}` };
  }
  return undefined;
}

function valueGuess(sample: readonly string[]): PersonalGuess | undefined {
  if (sample.length === 0) return undefined;
  const share = (test: (v: string) => boolean) => sample.filter(test).length / sample.length;
  const shown = `${sample.length} sampled value${sample.length === 1 ? '' : 's'}`;
  const email = share((v) => EMAIL.test(v.trim()));
  if (email >= MATCH_SHARE) return { kind: 'e-mail', reason: `${percent(email)} of ${shown} look like e-mail addresses` };
  const phone = share(
    (v) => PHONE.test(v.trim()) && !DATE_LIKE.test(v.trim()) && (v.match(/\d/g)?.length ?? 0) >= 7 && /[\s+().\-/]/.test(v.trim()),
  );
  if (phone >= MATCH_SHARE) return { kind: 'phone', reason: `${percent(phone)} of ${shown} look like phone numbers` };
  const street = share((v) => STREET.test(v.trim()));
  if (street >= MATCH_SHARE) return { kind: 'address', reason: `${percent(street)} of ${shown} look like street addresses` };
  return undefined;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function article(kind: string): string {
  return /^[aeiou]/i.test(kind) ? 'an' : 'a';
}
