import type { DataProduct, Domain } from '../../../core/model/types.ts';
import { useAppStore } from '../store/AppStoreProvider.tsx';
import { IDLE } from '../store/meshRuns.ts';
import { RunBadge, RunDetails } from './ProductRunStatus.tsx';

const COLOR = /^#[0-9a-f]{3,8}$/i;

/**
 * A domain and the data products it owns, with each product's run status. `domain` is
 * undefined for products whose domain.yaml is missing or broken.
 */
export function DomainBlock({
  folder,
  domain,
  products,
}: {
  readonly folder: string;
  readonly domain: Domain | undefined;
  readonly products: readonly DataProduct[];
}) {
  const accent = domain?.color !== undefined && COLOR.test(domain.color) ? domain.color : undefined;
  const headingId = `domain-${domain?.id ?? 'undeclared'}`;
  return (
    <section
      className="domain-block"
      data-testid="domain-node"
      data-domain-id={domain?.id ?? ''}
      aria-labelledby={headingId}
      style={accent ? { borderTopColor: accent } : undefined}
    >
      <h3 id={headingId}>{domain?.name ?? 'Products without a declared domain'}</h3>
      {domain && (
        <p className="domain-meta">
          <code>{domain.id}</code> · team {domain.team}
        </p>
      )}
      {domain?.description && <p className="domain-description">{domain.description}</p>}
      {products.length === 0 ? (
        <p className="empty">No data products yet.</p>
      ) : (
        <ul className="product-list" aria-label={`Data products of ${domain?.name ?? 'no domain'}`}>
          {products.map((product) => (
            <ProductRow key={product.id} folder={folder} product={product} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ProductRow({ folder, product }: { readonly folder: string; readonly product: DataProduct }) {
  const archetype = product.settings?.archetype;
  const run = useAppStore((s) => s.runs[folder]?.products[product.id]) ?? IDLE;
  return (
    <li className="product-row" data-testid="product-node" data-product-id={product.id} data-status={run.status}>
      <span className="product-name">{product.name}</span>
      <RunBadge state={run} />
      <span className="product-meta">
        <code className="product-id">{product.id}</code>
        <span className={`archetype archetype-${archetype ?? 'unknown'}`}>{archetype ?? 'no archetype'}</span>
      </span>
      <RunDetails state={run} />
    </li>
  );
}
