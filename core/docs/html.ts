/*
 * HTML built from text a mesh controls: every interpolated value is escaped unless it is
 * already `Html` made here. There is no way to turn a plain string into `Html` from outside
 * this module but `html` itself, so a product name can only ever reach a page as text.
 */

const HTML_BRAND: unique symbol = Symbol('html');

export interface Html {
  readonly [HTML_BRAND]: string;
}

type Part = Html | string | number | boolean | undefined | null | readonly Part[];

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element or a double-quoted attribute value. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function trusted(text: string): Html {
  return { [HTML_BRAND]: text };
}

function isHtml(part: unknown): part is Html {
  return typeof part === 'object' && part !== null && HTML_BRAND in part;
}

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (isHtml(part)) return part[HTML_BRAND];
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeText(String(part as string | number | boolean));
}

/** A template whose values are escaped; arrays are joined; undefined, null and false render as nothing. */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return trusted(out);
}

export function toText(page: Html): string {
  return page[HTML_BRAND];
}
