/*
 * The Jinja of a dbt model's SQL, parsed — not matched with regexes over the text. A model's
 * `raw_code` is text with three kinds of tags: `{{ expression }}`, `{% statement %}` and
 * `{# comment #}` (each with `-` whitespace control), plus `{% raw %}…{% endraw %}` whose
 * content is literal. The import keeps what it can say in plain SQL — `ref()` and `source()`
 * become the table names the quantum reads, `{% if target.type == '…' %}` picks the DuckDB
 * branch (`target.name` the given target's, `is_incremental()` is false), `var()` with a
 * value in the project's vars (or its default) is that, `config()` is dbt's, comments drop — and names everything else as
 * not carried over.
 */

export type Call =
  | { readonly kind: 'ref'; readonly package?: string; readonly name: string; readonly version?: string }
  | { readonly kind: 'source'; readonly source: string; readonly table: string };

/** A tag the import cannot say in SQL: its text (shortened) and line. */
export interface Unsupported {
  readonly text: string;
  readonly line: number;
}

export interface RenderedSql {
  readonly sql: string;
  readonly unsupported: readonly Unsupported[];
  /** What the rendering took for granted (a target name, is_incremental(), a var's default), deduplicated. */
  readonly assumed: readonly string[];
  /** `config(...)` calls dropped (dbt's settings, not SQL). */
  readonly configs: number;
}

/** The table name for a ref() or source(), or why there is none (then the call is unsupported). */
export type Resolve = (call: Call) => { readonly table: string } | { readonly error: string };

export class JinjaSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expr'; readonly source: string; readonly line: number }
  | { readonly kind: 'if'; readonly branches: { readonly condition: string | undefined; readonly line: number; readonly body: Node[] }[] }
  | { readonly kind: 'tag'; readonly source: string; readonly line: number };

interface Tag {
  readonly type: 'expr' | 'stmt' | 'comment';
  readonly body: string;
  readonly start: number;
  readonly end: number;
  readonly trimBefore: boolean;
  readonly trimAfter: boolean;
}

const OPEN: Record<string, { type: Tag['type']; close: string }> = {
  '{{': { type: 'expr', close: '}}' },
  '{%': { type: 'stmt', close: '%}' },
  '{#': { type: 'comment', close: '#}' },
};

function lineAt(text: string, offset: number): number {
  return lines(text)(offset);
}

/** Line of an offset, by binary search over the newlines (a model's SQL may have thousands of tags). */
function lines(text: string): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
  return (offset) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((newlines[mid] ?? 0) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** The next tag from `from`: strings inside an expression or statement may hold the closing delimiter. */
function nextTag(text: string, from: number): Tag | undefined {
  for (let i = text.indexOf('{', from); i >= 0 && i < text.length - 1; i = text.indexOf('{', i + 1)) {
    const open = OPEN[text.slice(i, i + 2)];
    if (!open) continue;
    let j = i + 2;
    let quote: string | undefined;
    for (; j < text.length; j++) {
      const c = text[j];
      if (open.type !== 'comment' && quote !== undefined) {
        if (c === '\\') j++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (open.type !== 'comment' && (c === "'" || c === '"')) quote = c;
      else if (text.startsWith(open.close, j)) break;
    }
    if (j >= text.length) throw new JinjaSyntaxError(`"${text.slice(i, i + 2)}" is never closed with "${open.close}"`, lineAt(text, i));
    let body = text.slice(i + 2, j);
    const trimBefore = body.startsWith('-');
    const trimAfter = body.endsWith('-') && body.length > 1;
    if (trimBefore || body.startsWith('+')) body = body.slice(1);
    if (trimAfter || body.endsWith('+')) body = body.slice(0, -1);
    return { type: open.type, body: body.trim(), start: i, end: j + 2, trimBefore, trimAfter };
  }
  return undefined;
}

const ENDRAW = /\{%[-+]?\s*endraw\s*[-+]?%\}/g;

/** The template as a tree: text, expressions, if-blocks and other statements. */
export function parseTemplate(text: string): Node[] {
  const root: Node[] = [];
  const stack: { branches: { condition: string | undefined; line: number; body: Node[] }[]; line: number }[] = [];
  const body = (): Node[] => stack.at(-1)?.branches.at(-1)?.body ?? root;
  const lineOf = lines(text);
  let at = 0;
  let trimNext = false;
  const pushText = (chunk: string, trimStart: boolean, trimEnd: boolean): void => {
    let t = trimStart ? chunk.replace(/^\s+/, '') : chunk;
    if (trimEnd) t = t.replace(/\s+$/, '');
    if (t !== '') body().push({ kind: 'text', text: t });
  };
  for (let tag = nextTag(text, 0); tag; tag = nextTag(text, at)) {
    pushText(text.slice(at, tag.start), trimNext, tag.trimBefore);
    trimNext = tag.trimAfter;
    at = tag.end;
    const line = lineOf(tag.start);
    if (tag.type === 'comment') continue;
    if (tag.type === 'expr') {
      body().push({ kind: 'expr', source: tag.body, line });
      continue;
    }
    const [keyword = '', ...rest] = tag.body.split(/\s+/);
    const argument = rest.join(' ');
    if (keyword === 'raw') {
      ENDRAW.lastIndex = at;
      const end = ENDRAW.exec(text);
      if (!end) throw new JinjaSyntaxError('{% raw %} has no {% endraw %}', line);
      pushText(text.slice(at, end.index), trimNext, end[0].startsWith('{%-'));
      trimNext = end[0].endsWith('-%}');
      at = end.index + end[0].length;
    } else if (keyword === 'if') {
      const block = { branches: [{ condition: argument, line, body: [] as Node[] }], line };
      body().push({ kind: 'if', branches: block.branches });
      stack.push(block);
    } else if (keyword === 'elif' || keyword === 'else') {
      const block = stack.at(-1);
      if (!block) throw new JinjaSyntaxError(`{% ${keyword} %} outside an {% if %}`, line);
      block.branches.push({ condition: keyword === 'else' ? undefined : argument, line, body: [] });
    } else if (keyword === 'endif') {
      if (!stack.pop()) throw new JinjaSyntaxError('{% endif %} without an {% if %}', line);
    } else {
      body().push({ kind: 'tag', source: tag.body, line });
    }
  }
  if (stack.length > 0) throw new JinjaSyntaxError('{% if %} has no {% endif %}', stack.at(-1)?.line ?? 1);
  pushText(text.slice(at), trimNext, false);
  return root;
}

// ——— Expressions: the few shapes dbt SQL uses for tables, parsed into tokens. ———

type Token =
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'op'; readonly v: string };

// Sticky: matched at an offset without slicing, so a long expression is read in linear time.
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?/y;

function tokens(source: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let v = '';
      let j = i + 1;
      for (; j < source.length && source[j] !== c; j++) {
        if (source[j] === '\\') j++;
        v += source.charAt(j);
      }
      if (j >= source.length) return undefined;
      out.push({ t: 'str', v });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      NAME.lastIndex = i;
      const m = NAME.exec(source)?.[0] ?? c;
      out.push({ t: 'name', v: m });
      i += m.length;
    } else if (/[0-9]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(source)?.[0] ?? c;
      out.push({ t: 'num', v: m });
      i += m.length;
    } else if (source.startsWith('==', i) || source.startsWith('!=', i)) {
      out.push({ t: 'op', v: source.slice(i, i + 2) });
      i += 2;
    } else if ('(),=.'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
    } else {
      return undefined;
    }
  }
  return out;
}

interface ParsedCall {
  readonly fn: string;
  readonly args: readonly string[];
  readonly kwargs: ReadonlyMap<string, string>;
}

/** `name(literal, …, key=literal, …)` and nothing else; undefined for any other expression. */
function parseCall(source: string): ParsedCall | undefined {
  const toks = tokens(source);
  if (!toks || toks.length < 3) return undefined;
  const [fn, open] = toks;
  if (fn?.t !== 'name' || open?.t !== 'op' || open.v !== '(' || toks.at(-1)?.v !== ')') return undefined;
  const args: string[] = [];
  const kwargs = new Map<string, string>();
  let i = 2;
  while (i < toks.length - 1) {
    const tok = toks[i];
    const next = toks[i + 1];
    if (tok?.t === 'name' && next?.t === 'op' && next.v === '=') {
      const value = toks[i + 2];
      if (value?.t !== 'str' && value?.t !== 'num') return undefined;
      kwargs.set(tok.v, value.v);
      i += 3;
    } else if ((tok?.t === 'str' || tok?.t === 'num') && kwargs.size === 0) {
      args.push(tok.v);
      i += 1;
    } else {
      return undefined;
    }
    const sep = toks[i];
    if (i < toks.length - 1) {
      if (sep?.t !== 'op' || sep.v !== ',') return undefined;
      i++;
    }
  }
  return { fn: fn.v, args, kwargs };
}

/** ref('m'), ref('pkg', 'm'), ref('m', v=2) / version=2; source('s', 't'); undefined for anything else. */
export function tableCall(source: string): Call | 'config' | undefined {
  const call = parseCall(source);
  if (!call) return undefined;
  if (call.fn === 'config') return 'config';
  const version = call.kwargs.get('v') ?? call.kwargs.get('version');
  const known = [...call.kwargs.keys()].every((k) => k === 'v' || k === 'version' || k === 'package');
  if (call.fn === 'ref' && known && call.args.length >= 1 && call.args.length <= 2) {
    const [a = '', b] = call.args;
    const pkg = b === undefined ? call.kwargs.get('package') : a;
    return { kind: 'ref', name: b ?? a, ...(pkg === undefined ? {} : { package: pkg }), ...(version === undefined ? {} : { version }) };
  }
  if (call.fn === 'source' && call.kwargs.size === 0 && call.args.length === 2) {
    const [s = '', t = ''] = call.args;
    return { kind: 'source', source: s, table: t };
  }
  return undefined;
}

/** Where the model runs, for `{% if %}` on `target`: Quanta is DuckDB, and a laptop's target is conventionally `dev`. */
export interface Target {
  readonly type: string;
  readonly name: string;
}

/**
 * A condition the import can decide: `target.type` / `target.name` `==` / `!=` a string, and
 * `[not] is_incremental()` — false, since a quantum rebuilds its tables on every run (dbt's
 * first run, or `--full-refresh`). `assumed` says what was taken for granted, for a note.
 * Undefined for any other condition.
 */
export function targetCondition(condition: string, target: Target): { holds: boolean; assumed?: string } | undefined {
  const toks = tokens(condition);
  if (!toks) return undefined;
  const negated = toks[0]?.t === 'name' && toks[0].v === 'not';
  const rest = negated ? toks.slice(1) : toks;
  const flip = (r: { holds: boolean; assumed?: string }): { holds: boolean; assumed?: string } => (negated ? { ...r, holds: !r.holds } : r);
  if (rest.length === 3 && rest[0]?.v === 'is_incremental' && rest[1]?.v === '(' && rest[2]?.v === ')')
    return flip({ holds: false, assumed: 'is_incremental() is false: a quantum rebuilds its tables on every run' });
  if (rest.length !== 5) return undefined;
  const [a, dot, b, op, value] = rest;
  if (a?.v !== 'target' || dot?.v !== '.' || (b?.v !== 'type' && b?.v !== 'name') || value?.t !== 'str') return undefined;
  if (op?.v !== '==' && op?.v !== '!=') return undefined;
  const actual = b.v === 'type' ? target.type : target.name;
  const holds = op.v === '==' ? value.v === actual : value.v !== actual;
  return flip({ holds, ...(b.v === 'name' ? { assumed: `target.name is '${target.name}'` } : {}) });
}

/** `var('x')` / `var('x', default)` with a string or number default; undefined for any other expression. */
function varCall(source: string): { name: string; default?: string } | undefined {
  const call = parseCall(source);
  if (call?.fn !== 'var' || call.kwargs.size > 0 || call.args.length < 1 || call.args.length > 2) return undefined;
  const [name = '', value] = call.args;
  return { name, ...(value === undefined ? {} : { default: value }) };
}

/**
 * The model's SQL as DuckDB runs it: ref()/source() → `resolve`'s table names, `if
 * target.type` / `target.name` / `is_incremental()` decided for `target`, `var()` from `vars` or its default, comments and config() dropped; every other tag is
 * listed as unsupported (and left out of the SQL). Throws JinjaSyntaxError on broken Jinja.
 */
export function renderDbtSql(
  text: string,
  resolve: Resolve,
  target: Target = { type: 'duckdb', name: 'dev' },
  vars: ReadonlyMap<string, string> = new Map(),
): RenderedSql {
  const unsupported: Unsupported[] = [];
  const assumed = new Set<string>();
  let configs = 0;
  const short = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
  const render = (nodes: readonly Node[]): string =>
    nodes
      .map((node): string => {
        switch (node.kind) {
          case 'text':
            return node.text;
          case 'tag':
            unsupported.push({ text: `{% ${short(node.source)} %}`, line: node.line });
            return '';
          case 'expr': {
            const call = tableCall(node.source);
            if (call === 'config') {
              configs++;
              return '';
            }
            const variable = call === undefined ? varCall(node.source) : undefined;
            const value = variable && (vars.get(variable.name) ?? variable.default);
            if (variable && value !== undefined) {
              assumed.add(
                `var('${short(variable.name)}') is ${short(value)}${vars.has(variable.name) ? " (the project's vars)" : ' (its default: the project sets none)'}`,
              );
              return value;
            }
            const resolved = call && resolve(call);
            if (resolved && 'table' in resolved) return resolved.table;
            const why = resolved && 'error' in resolved ? ` (${resolved.error})` : '';
            unsupported.push({ text: `{{ ${short(node.source)} }}${why}`, line: node.line });
            return '';
          }
          case 'if': {
            for (const branch of node.branches) {
              if (branch.condition === undefined) return render(branch.body);
              const decided = targetCondition(branch.condition, target);
              if (decided === undefined) {
                unsupported.push({ text: `{% if ${short(branch.condition)} %}`, line: branch.line });
                return '';
              }
              if (decided.assumed !== undefined) assumed.add(decided.assumed);
              if (decided.holds) return render(branch.body);
            }
            return '';
          }
        }
      })
      .join('');
  const sql = render(parseTemplate(text));
  return { sql, unsupported, assumed: [...assumed], configs };
}
