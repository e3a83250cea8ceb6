import { useMemo, useState, type Ref } from 'react';

export interface SearchableProduct {
  readonly id: string;
  readonly name: string;
}

/** Products whose id or name contains the query, ignoring case; an exact id comes first. */
export function findProducts(products: readonly SearchableProduct[], query: string): SearchableProduct[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const hits = products.filter((p) => p.id.toLowerCase().includes(q) || p.name.toLowerCase().includes(q));
  return hits.sort((a, b) => Number(b.id.toLowerCase() === q) - Number(a.id.toLowerCase() === q));
}

/** The canvas's search box: type part of a product's name or id, Enter goes to the first match. */
export function CanvasSearch({
  products,
  onFocusProduct,
  inputRef,
}: {
  readonly products: readonly SearchableProduct[];
  readonly onFocusProduct: (productId: string) => void;
  readonly inputRef: Ref<HTMLInputElement>;
}) {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => findProducts(products, query), [products, query]);
  const first = matches[0];
  return (
    <div className="canvas-search">
      <input
        ref={inputRef}
        type="search"
        aria-label="Find a data product"
        aria-describedby="canvas-search-hint"
        placeholder="Find a product (Ctrl+F)"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && first) {
            event.preventDefault();
            onFocusProduct(first.id);
          } else if (event.key === 'Escape') setQuery('');
        }}
      />
      <span id="canvas-search-hint" className="canvas-search-hint" aria-live="polite">
        {query.trim() === ''
          ? ''
          : first
            ? `${matches.length === 1 ? '1 match' : `${matches.length} matches`}; Enter shows ${first.name}`
            : 'No product matches'}
      </span>
    </div>
  );
}
