import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { RANKING_FORMULA, type LiveUsage } from '../../../core/discovery/rank.ts';
import type { Mesh } from '../../../core/model/types.ts';
import { useCommands } from '../commands/useCommands.ts';
import type { Command } from '../commands/registry.ts';
import { filterChoices, marketCards, type MarketCard, type MarketFilters, type ProductRunFacts } from './marketModel.ts';
import { Stars } from './Stars.tsx';
import { useEscape } from './useEscape.ts';

export interface MarketplaceProps {
  readonly mesh: Mesh;
  readonly runs: readonly ProductRunFacts[];
  /** What this session's runs read, on top of the mesh's usage files. */
  readonly live?: LiveUsage;
  readonly query: string;
  readonly onQuery: (query: string) => void;
  readonly onOpen: (productId: string) => void;
  readonly onClose: () => void;
}

/**
 * The marketplace: every data product of the mesh as a ranked card, narrowed by a search and
 * filters. The search box has focus on open; ↑/↓ move through the cards, Enter opens the
 * product's page, Esc goes back to the canvas and `/` comes back to the search box.
 */
export function Marketplace({ mesh, runs, live, query, onQuery, onOpen, onClose }: MarketplaceProps) {
  const [filters, setFilters] = useState<MarketFilters>({});
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const choices = useMemo(() => filterChoices(mesh), [mesh]);
  const cards = useMemo(() => marketCards(mesh, query, filters, runs, live), [mesh, query, filters, runs, live]);
  const current = Math.min(active, Math.max(0, cards.length - 1));
  useEffect(() => search.current?.focus(), []);
  useEffect(() => setActive(0), [query, filters]);
  useEffect(() => {
    list.current?.querySelector<HTMLElement>(`[data-rank="${current + 1}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const commands = useMemo<Command[]>(
    () => [
      {
        id: 'marketplace-search',
        title: 'Search the marketplace',
        group: 'View',
        shortcuts: ['/'],
        keywords: 'find discover product',
        run: () => search.current?.select(),
      },
    ],
    [],
  );
  useCommands('marketplace', commands);

  const onKey = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive(Math.max(0, Math.min(cards.length - 1, current + step)));
    } else if (event.key === 'Enter' && event.target === search.current) {
      event.preventDefault();
      const card = cards[current];
      if (card) onOpen(card.id);
    } else if (event.key === 'Escape' && event.target === search.current) {
      // In the search box, Escape clears the query first, then goes back to the canvas.
      event.preventDefault();
      if (query !== '') onQuery('');
      else onClose();
    }
  };
  useEscape(onClose);
  const withRuns = runs.length > 0;
  const activeId = cards[current] ? `market-card-${cards[current].id}` : undefined;

  return (
    <section className="marketplace" aria-label="Marketplace" data-testid="marketplace" onKeyDown={onKey}>
      <header className="market-head">
        <div>
          <h2>Marketplace</h2>
          <p className="hint">
            {mesh.products.length} data product{mesh.products.length === 1 ? '' : 's'}, ranked by relevance × trust × use. ↑/↓ to move,
            Enter to open, Esc back to the canvas, / to search.
          </p>
          <details className="market-formula">
            <summary>How is this ranked?</summary>
            <p>{RANKING_FORMULA}</p>
          </details>
        </div>
        <button type="button" className="link-button" onClick={onClose}>
          Back to the canvas
        </button>
      </header>
      <div className="market-search">
        <input
          ref={search}
          type="search"
          role="combobox"
          aria-label="Search data products"
          aria-controls="market-results"
          aria-expanded="true"
          aria-autocomplete="list"
          {...(activeId ? { 'aria-activedescendant': activeId } : {})}
          placeholder="A column, a tag, an owner, a domain, “personal”…"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
      </div>
      <div className="market-filters" role="group" aria-label="Filters">
        <FilterSelect
          label="Domain"
          value={filters.domain}
          options={choices.domains.map((d) => ({ value: d.id, label: d.name }))}
          onChange={(domain) => setFilters(({ domain: _, ...rest }) => ({ ...rest, ...(domain ? { domain } : {}) }))}
        />
        <FilterSelect
          label="Archetype"
          value={filters.archetype}
          options={choices.archetypes.map((a) => ({ value: a, label: a }))}
          onChange={(archetype) =>
            setFilters(({ archetype: _, ...rest }) => ({
              ...rest,
              ...(archetype ? { archetype: archetype as MarketFilters['archetype'] & string } : {}),
            }))
          }
        />
        <FilterSelect
          label="Status"
          value={filters.status}
          options={choices.statuses.map((s) => ({ value: s, label: s }))}
          onChange={(status) => setFilters(({ status: _, ...rest }) => ({ ...rest, ...(status ? { status } : {}) }))}
        />
        <FilterSelect
          label="Personal data"
          value={filters.personal === undefined ? undefined : String(filters.personal)}
          options={[
            { value: 'true', label: 'has personal data' },
            { value: 'false', label: 'no personal data' },
          ]}
          onChange={(v) => setFilters(({ personal: _, ...rest }) => ({ ...rest, ...(v ? { personal: v === 'true' } : {}) }))}
        />
        {withRuns && (
          <FilterSelect
            label="SLA"
            value={filters.slaMet === undefined ? undefined : String(filters.slaMet)}
            options={[
              { value: 'true', label: 'SLA met' },
              { value: 'false', label: 'SLA missed' },
            ]}
            onChange={(v) => setFilters(({ slaMet: _, ...rest }) => ({ ...rest, ...(v ? { slaMet: v === 'true' } : {}) }))}
          />
        )}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">
        {cards.length} result{cards.length === 1 ? '' : 's'}
      </p>
      {cards.length === 0 ? (
        <p className="market-empty" data-testid="market-empty">
          No data product matches{query.trim() === '' ? ' these filters' : ` “${query.trim()}”`}.
        </p>
      ) : (
        <ol className="market-results" id="market-results" role="listbox" aria-label="Data products" ref={list}>
          {cards.map((card, i) => (
            <Card key={card.id} card={card} active={i === current} onOpen={() => onOpen(card.id)} onHover={() => setActive(i)} />
          ))}
        </ol>
      )}
    </section>
  );
}

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  readonly label: string;
  readonly value: string | undefined;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string | undefined) => void;
}) {
  return (
    <label className="market-filter">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Card({
  card,
  active,
  onOpen,
  onHover,
}: {
  readonly card: MarketCard;
  readonly active: boolean;
  readonly onOpen: () => void;
  readonly onHover: () => void;
}) {
  return (
    <li
      id={`market-card-${card.id}`}
      role="option"
      aria-selected={active}
      className={`market-card${active ? ' active' : ''}`}
      data-testid="market-card"
      data-product-id={card.id}
      data-rank={card.rank}
      onClick={onOpen}
      onMouseEnter={onHover}
    >
      <span className="market-rank" aria-hidden="true">
        {card.rank}
      </span>
      <div className="market-card-body">
        <div className="market-card-title">
          <strong className="market-name">{card.name}</strong>
          <span className={`fresh-badge fresh-${card.freshness.tone}`} data-testid="freshness">
            {card.freshness.text}
          </span>
        </div>
        <p className="market-meta">
          <span className="chip">{card.domain.name}</span>
          {card.owner && <span>owned by {card.owner.name}</span>}
          {card.archetype && <span>{card.archetype}</span>}
          {card.status && <span>{card.status}</span>}
          {card.personal && <span className="chip chip-personal">personal data</span>}
        </p>
        <p className="market-facts">
          <Stars mean={card.rating?.mean} count={card.rating?.count ?? 0} />
          <span>
            {card.consumers} consumer{card.consumers === 1 ? '' : 's'}
          </span>
        </p>
        {card.why !== '' && (
          <p className="market-why" data-testid="market-why">
            Matched: {card.why}
          </p>
        )}
        <p className="market-why-rank" title={card.whyRank} data-testid="why-rank">
          Rank: {card.whyRank}
        </p>
        {card.similar.map((s) => (
          <p key={s.product} className="market-similar" data-testid="similar">
            {s.moreUsed ? `Possible duplicate of ${s.name}, which is used more.` : `Possible duplicate: ${s.name} (used less).`}
          </p>
        ))}
      </div>
    </li>
  );
}
