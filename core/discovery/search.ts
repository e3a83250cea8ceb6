import MiniSearch from 'minisearch';
import type { Archetype, Mesh } from '../model/types.ts';
import { productTexts, SEARCH_FIELDS, type ProductFacts, type SearchFacet, type SearchField } from './productText.ts';

/*
 * Discovery search (issue 16): full-text search over a mesh's products with MiniSearch — the
 * same function for the app and `quanta discover`. Relevance only: ranking by use and
 * satisfaction is a later layer on top of these scores.
 */

export interface SearchFilters {
  /** A domain id (or its shown name, any case). */
  readonly domain?: string;
  readonly archetype?: Archetype;
  /** The product's status or one of its output contracts' (`active`, `draft`, `deprecated`…), any case. */
  readonly status?: string;
  /** Only products with (true) or without (false) an output column classified as protected data. */
  readonly personal?: boolean;
}

export interface SearchOptions {
  readonly filters?: SearchFilters;
  /** At most this many results (default 20). */
  readonly limit?: number;
}

/** Why a result matched: one value of the product (a column, a tag, its purpose) and the indexed terms found in it. */
export interface SearchMatch {
  readonly field: SearchField;
  /** The why line's phrase, e.g. `column customer_email`, `tag personal`, `purpose "royalties"`. */
  readonly phrase: string;
  readonly terms: readonly string[];
  /** A word of the query itself matched, not only a prefix or a near spelling of one. */
  readonly exact: boolean;
}

export interface SearchResult {
  readonly product: string;
  readonly score: number;
  readonly matches: readonly SearchMatch[];
  /** One line made from `matches`, strongest field first. */
  readonly why: string;
}

/** Name and id first, then what a consumer looks for (columns, tags), then prose. */
export const FIELD_BOOSTS: Readonly<Record<SearchField, number>> = {
  name: 6,
  id: 6,
  tag: 4,
  column: 4,
  domain: 3,
  owner: 3,
  outputPort: 3,
  classification: 3,
  columnDescription: 1.5,
  inputPort: 1,
  description: 1,
};

/*
 * A query is typed (or pasted) by a person, a mesh string may be hostile: both are bounded
 * before MiniSearch sees them, so neither a long query nor a long word can make search slow.
 */
const MAX_QUERY_CHARS = 256;
const MAX_QUERY_TERMS = 16;
const MAX_TERM_CHARS = 64;
const DEFAULT_LIMIT = 20;
const MAX_WHY_PHRASES = 4;

/** Anything but letters, digits and the `_ - .` that join the words of ids and column names separates words. */
const SEPARATORS = /[^\p{L}\p{N}\p{M}\p{Pd}\p{Pc}.]+/u;
const JOINERS = /[-_.\p{Pd}\p{Pc}]+/u;

/** Each word whole and in its parts: `customer_email` → customer_email, customer, email. */
export function tokenize(text: string): string[] {
  return [...wordsOf(text).keys()];
}

/** The tokens of `text`, each with the word as written (`e-mail` for the token `e_mail`), in order. */
function wordsOf(text: string): Map<string, string> {
  const words = new Map<string, string>();
  for (const word of text.split(SEPARATORS)) {
    const parts = word.split(JOINERS).filter((p) => p !== '');
    const whole = parts.join('_');
    if (whole === '') continue;
    if (!words.has(whole)) words.set(whole, word.replace(/^[-_.]+|[-_.]+$/g, ''));
    if (parts.length > 1) for (const part of parts) if (!words.has(part)) words.set(part, part);
  }
  return words;
}

/** Words of prose too common to say anything about a product (ODPS purposes are English). */
const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from has in into is it its of on or per than that the their them they this to was were which with'.split(
    ' ',
  ),
);

function processTerm(term: string): string | null {
  const lower = term.toLowerCase().slice(0, MAX_TERM_CHARS);
  return lower === '' || STOP_WORDS.has(lower) ? null : lower;
}

interface Indexed {
  readonly search: MiniSearch<IndexedDocument>;
  readonly facts: ReadonlyMap<string, ProductFacts>;
  readonly facets: ReadonlyMap<string, readonly SearchFacet[]>;
}

type IndexedDocument = { readonly id: string } & Readonly<Record<SearchField, string>>;

/** A mesh is immutable: its index is built once, on the first search, and dropped with it. */
const indexes = new WeakMap<Mesh, Indexed>();

function indexOf(mesh: Mesh): Indexed {
  const known = indexes.get(mesh);
  if (known) return known;
  const texts = productTexts(mesh);
  const search = new MiniSearch<IndexedDocument>({
    fields: [...SEARCH_FIELDS],
    tokenize,
    processTerm,
    searchOptions: { tokenize, processTerm },
  });
  const facts = new Map<string, ProductFacts>();
  const facets = new Map<string, readonly SearchFacet[]>();
  for (const text of texts) {
    // Duplicate ids are a validation error of the mesh (reported there); search keeps the first.
    if (facts.has(text.facts.id)) continue;
    facts.set(text.facts.id, text.facts);
    facets.set(text.facts.id, text.facets);
    const document = Object.fromEntries(SEARCH_FIELDS.map((f) => [f, joined(text.facets, f)]));
    search.add({ ...document, id: text.facts.id } as IndexedDocument);
  }
  const indexed: Indexed = { search, facts, facets };
  indexes.set(mesh, indexed);
  return indexed;
}

function joined(facets: readonly SearchFacet[], field: SearchField): string {
  return facets
    .filter((f) => f.field === field)
    .map((f) => f.text)
    .join('\n');
}

/** The mesh's products that match `query`, best first; an empty query (or one with no words) finds nothing. */
export function searchProducts(mesh: Mesh, query: string, options: SearchOptions = {}): SearchResult[] {
  // Each word once: MiniSearch adds up the scores of repeated query terms.
  const terms = [...new Set(tokenize(query.slice(0, MAX_QUERY_CHARS)).map((t) => t.toLowerCase()))].slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return [];
  const { search, facts, facets } = indexOf(mesh);
  const queryTerms = new Set(terms.map((t) => processTerm(t) ?? ''));
  const keep = filterOf(options.filters);
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  const found = search.search(terms.join(' '), {
    // The terms are tokenized already; split again they would count twice (`customer_email` → its parts).
    tokenize: (text) => text.split(' '),
    boost: { ...FIELD_BOOSTS },
    prefix: (term) => term.length >= 2,
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    maxFuzzy: 2,
    filter: (result) => {
      const product = facts.get(String(result.id));
      return product !== undefined && keep(product);
    },
  });
  return found.slice(0, limit).map((result) => {
    const id = String(result.id);
    const matches = matchesOf(facets.get(id) ?? [], result.match, queryTerms);
    return { product: id, score: result.score, matches, why: whyOf(matches) };
  });
}

/** Which products pass `filters`, by id, without a query: the ranking's list for an empty query (core/discovery/rank.ts). */
export function productsMatching(mesh: Mesh, filters: SearchFilters | undefined): string[] {
  const keep = filterOf(filters);
  return [...indexOf(mesh).facts.values()].filter(keep).map((p) => p.id);
}

function filterOf(filters: SearchFilters | undefined): (product: ProductFacts) => boolean {
  const domain = filters?.domain?.trim().toLowerCase();
  const status = filters?.status?.trim().toLowerCase();
  return (p) =>
    (domain === undefined || p.domain.toLowerCase() === domain || p.domainName?.toLowerCase() === domain) &&
    (filters?.archetype === undefined || p.archetype === filters.archetype) &&
    (status === undefined || p.statuses.includes(status)) &&
    (filters?.personal === undefined || p.personal === filters.personal);
}

/** Phrases need the matched term as a quote in prose fields, where the label alone says little. */
const QUOTED: ReadonlySet<SearchField> = new Set(['description', 'columnDescription']);

/**
 * MiniSearch says which indexed terms matched in which fields; the facets say which value each
 * came from.
 */
function matchesOf(
  facets: readonly SearchFacet[],
  match: Readonly<Record<string, readonly string[]>>,
  queryTerms: ReadonlySet<string>,
): SearchMatch[] {
  const byField = new Map<string, string[]>();
  for (const [term, fields] of Object.entries(match)) for (const field of fields) byField.set(field, [...(byField.get(field) ?? []), term]);
  const matches: SearchMatch[] = [];
  for (const f of facets) {
    const terms = byField.get(f.field);
    if (terms === undefined) continue;
    const own = facetWords(f);
    const hit = terms.filter((t) => own.has(t));
    if (hit.length === 0) continue;
    const phrase = QUOTED.has(f.field)
      ? `${f.label} "${wholeWords(hit)
          .map((t) => own.get(t) ?? t)
          .join('", "')}"`
      : f.label;
    matches.push({ field: f.field, phrase, terms: hit, exact: hit.some((t) => queryTerms.has(t)) });
  }
  // More of the query's own letters first (`play_events` before `play`), then the stronger field.
  const exactness = (m: SearchMatch): number => m.terms.reduce((sum, t) => sum + (queryTerms.has(t) ? t.length : 0), 0);
  return matches.sort((a, b) => exactness(b) - exactness(a) || FIELD_BOOSTS[b.field] - FIELD_BOOSTS[a.field]);
}

/** A facet's words by indexed term, worked out once per facet: a description may be megabytes. */
const wordsByFacet = new WeakMap<SearchFacet, ReadonlyMap<string, string>>();

function facetWords(facet: SearchFacet): ReadonlyMap<string, string> {
  const known = wordsByFacet.get(facet);
  if (known) return known;
  const words = new Map([...wordsOf(facet.text)].map(([token, word]) => [processTerm(token) ?? '', word]));
  wordsByFacet.set(facet, words);
  return words;
}

/** `pay_per_stream` says what `pay`, `per` and `stream` would; a part is shown only without its whole. */
function wholeWords(terms: readonly string[]): string[] {
  return terms.filter((t) => !terms.some((whole) => whole !== t && whole.split('_').includes(t)));
}

function whyOf(matches: readonly SearchMatch[]): string {
  const phrases = [...new Set(matches.map((m) => m.phrase))];
  const shown = phrases.slice(0, MAX_WHY_PHRASES).join(', ');
  return phrases.length > MAX_WHY_PHRASES ? `${shown}, +${phrases.length - MAX_WHY_PHRASES} more` : shown;
}
