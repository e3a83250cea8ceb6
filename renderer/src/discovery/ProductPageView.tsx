import { useEffect, useRef, type ReactNode } from 'react';
import type { Mesh } from '../../../core/model/types.ts';
import type { ProductPage, PortPage } from './pageModel.ts';
import { FeedbackForm, type FeedbackDraft } from './FeedbackForm.tsx';
import { SampleRows, type SampleRowsSource } from './SampleRows.tsx';
import type { MarketCard } from './marketModel.ts';
import { Stars } from './Stars.tsx';
import { useEscape } from './useEscape.ts';

export interface ProductPageViewProps {
  readonly mesh: Mesh;
  readonly page: ProductPage;
  /** The product's place in the marketplace's default list, when it has one. */
  readonly rank?: { readonly rank: number; readonly of: number; readonly whyRank: string };
  /** Products whose output columns overlap this one's strongly (possible duplicates). */
  readonly similar?: MarketCard['similar'];
  readonly samples: SampleRowsSource;
  readonly onOpenProduct: (productId: string) => void;
  readonly onBack: () => void;
  /** Adds one feedback entry through the document's edits; resolves with why it was refused, or undefined. */
  readonly onFeedback: ((draft: FeedbackDraft) => string | undefined) | undefined;
}

/**
 * A data product's page (the discovery port): read-only, everything a consumer needs to decide
 * whether to use it — what it is for, each output port's contract and schema, its quality
 * rules and SLAs with the latest results, lineage both ways, consumers, versions, sample
 * rows masked for a persona, the scorecard, and the consumers' feedback with a form to add one.
 */
export function ProductPageView({ mesh, page, rank, similar = [], samples, onOpenProduct, onBack, onFeedback }: ProductPageViewProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [page.id]);
  const names = new Map(mesh.products.map((p) => [p.id, p.name]));
  const teams = new Map((mesh.manifest?.teams ?? []).map((t) => [t.id, t.name || t.id]));
  const personas = new Map((mesh.manifest?.personas ?? []).map((p) => [p.id, p.name || p.id]));
  const who = (e: { readonly team?: string; readonly persona?: string }): string =>
    e.team !== undefined ? (teams.get(e.team) ?? e.team) : (personas.get(e.persona ?? '') ?? e.persona ?? '');

  useEscape(onBack);
  const chip = (id: string) => (
    <li key={id}>
      <button type="button" className="lineage-chip" data-testid="lineage-chip" data-product-id={id} onClick={() => onOpenProduct(id)}>
        {names.get(id) ?? id}
      </button>
    </li>
  );
  return (
    <article className="product-page" aria-labelledby="product-page-title" data-testid="product-page" data-product-id={page.id}>
      <nav className="product-page-nav" aria-label="Product page">
        <button type="button" className="link-button" onClick={onBack}>
          ← Marketplace
        </button>
      </nav>
      <header className="product-page-head">
        <p className="product-page-kicker">
          {page.domain.name} · {page.archetype}
          {page.owner ? ` · owned by ${page.owner.name}` : ''}
        </p>
        <h2 id="product-page-title" tabIndex={-1} ref={heading}>
          {page.name}
        </h2>
        <p className="product-page-badges">
          {page.status && <span className={`chip chip-status chip-${page.status}`}>{page.status}</span>}
          {page.version && <span className="chip">v{page.version}</span>}
          {page.tags.map((t) => (
            <span key={t} className="chip chip-tag">
              #{t}
            </span>
          ))}
          <Stars mean={page.feedback.mean} count={page.feedback.count} />
          {rank && (
            <span className="chip" title={rank.whyRank} data-testid="page-rank" data-rank={rank.rank}>
              #{rank.rank} of {rank.of} in the marketplace
            </span>
          )}
        </p>
        <code className="product-page-id">{page.id}</code>
        {similar.map((s) => (
          <p key={s.product} className="market-similar" data-testid="page-similar" data-product-id={s.product}>
            Possible duplicate of{' '}
            <button type="button" className="link-button" onClick={() => onOpenProduct(s.product)}>
              {s.name}
            </button>
            {s.moreUsed ? ', which is used more.' : ' (used less).'}
          </p>
        ))}
      </header>

      <Section title="About">
        {page.description.purpose || page.description.usage || page.description.limitations ? (
          <dl className="product-about">
            {page.description.purpose && <Prose term="Purpose" text={page.description.purpose} />}
            {page.description.usage && <Prose term="Usage" text={page.description.usage} />}
            {page.description.limitations && <Prose term="Limitations" text={page.description.limitations} />}
          </dl>
        ) : (
          <p className="hint">The product describes no purpose, usage or limitations yet.</p>
        )}
      </Section>

      {page.outputs.map((port) => (
        <PortSection key={port.name} port={port} />
      ))}

      <Section title="Lineage">
        <div className="lineage-columns">
          <div>
            <h4>Upstream (reads from)</h4>
            {page.upstream.length === 0 ? (
              <p className="hint">None: a source.</p>
            ) : (
              <ul className="chip-list">{page.upstream.map(chip)}</ul>
            )}
          </div>
          <div>
            <h4>Downstream (read by)</h4>
            {page.downstream.length === 0 ? (
              <p className="hint">No product reads it yet.</p>
            ) : (
              <ul className="chip-list">{page.downstream.map(chip)}</ul>
            )}
          </div>
        </div>
        {page.inputs.length > 0 && (
          <table className="page-table">
            <caption>Input ports</caption>
            <thead>
              <tr>
                <th scope="col">Port</th>
                <th scope="col">Contract</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {page.inputs.map((i) => (
                <tr key={i.port}>
                  <td>{i.port}</td>
                  <td>
                    <code>{i.contractId}</code>
                    {i.version ? ` v${i.version}` : ''}
                  </td>
                  <td>
                    {i.upstream
                      ? `${names.get(i.upstream.product) ?? i.upstream.product} / ${i.upstream.port}`
                      : 'not published in this mesh'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title="Consumers">
        {page.consumers.length === 0 ? (
          <p className="hint">No consumer product reads its ports yet.</p>
        ) : (
          <ul className="page-list" data-testid="consumers">
            {page.consumers.map((c) => (
              <li key={`${c.product}/${c.via}`}>
                <button type="button" className="link-button" onClick={() => onOpenProduct(c.product)}>
                  {names.get(c.product) ?? c.product}
                </button>{' '}
                reads <code>{c.port}</code> as <code>{c.via}</code>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title="Sample rows">
        <SampleRows mesh={mesh} product={page.id} ports={page.outputs.map((p) => p.name)} source={samples} />
      </Section>

      <Section title={`Scorecard: ${page.scorecard.score}/100`}>
        <ul className="page-scorecard" data-testid="page-scorecard">
          {page.scorecard.characteristics.map((c) => (
            <li key={c.characteristic} title={c.reasons.map((r) => r.text).join('; ')}>
              <span>{c.title}</span>
              <span className="score-bar" aria-hidden="true">
                <span style={{ width: `${c.score}%` }} />
              </span>
              <span className="score-value">{c.score}</span>
            </li>
          ))}
        </ul>
      </Section>

      <Section title="Feedback">
        {page.feedback.entries.length === 0 ? (
          <p className="hint">No feedback yet: be the first consumer to say how it serves you.</p>
        ) : (
          <ul className="feedback-list" data-testid="feedback-list">
            {page.feedback.entries.map((e, i) => (
              <li key={`${i}:${e.index}`} data-testid="feedback-entry">
                <Stars mean={e.rating} count={1} single /> <strong>{who(e)}</strong>
                {e.port ? (
                  <>
                    {' '}
                    on <code>{e.port}</code>
                  </>
                ) : null}{' '}
                <span className="hint">{e.date}</span>
                {e.comment && <p>{e.comment}</p>}
              </li>
            ))}
          </ul>
        )}
        {onFeedback ? (
          <FeedbackForm mesh={mesh} product={page.id} ports={page.outputs.map((p) => p.name)} onSubmit={onFeedback} />
        ) : (
          <p className="hint">Feedback cannot be added to this mesh here.</p>
        )}
      </Section>
    </article>
  );
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <section className="page-section" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Prose({ term, text }: { readonly term: string; readonly text: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{text}</dd>
    </>
  );
}

function PortSection({ port }: { readonly port: PortPage }) {
  return (
    <section className="page-section page-port" aria-label={`Output port ${port.name}`} data-testid="page-port" data-port={port.name}>
      <h3>
        Output port <code>{port.name}</code>
        {port.contractVersion && <span className="chip">contract v{port.contractVersion}</span>}
        {port.contractStatus && <span className="chip">{port.contractStatus}</span>}
      </h3>
      {port.description && <p>{port.description}</p>}
      {port.contractId && (
        <p className="hint">
          Contract <code>{port.contractId}</code>
          {port.contractFile ? (
            <>
              {' '}
              in <code>{port.contractFile}</code>
            </>
          ) : null}
        </p>
      )}
      {port.columns.length === 0 ? (
        <p className="hint">No contract schema: consumers cannot rely on its columns.</p>
      ) : (
        <div className="page-table-wrap">
          <table className="page-table" data-testid="page-schema">
            <caption>Schema</caption>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Rules</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {port.columns.map((c) => (
                <tr key={`${c.table}.${c.name}`} data-column={c.name}>
                  <th scope="row">
                    <code>{c.name}</code>
                  </th>
                  <td>
                    {c.logicalType ?? ''}
                    {c.type ? <span className="hint"> {c.type}</span> : null}
                  </td>
                  <td>
                    <span className="column-chips">
                      {c.primaryKey && <span className="chip chip-key">key</span>}
                      {c.required && <span className="chip">required</span>}
                      {c.unique && <span className="chip">unique</span>}
                      {c.classification && (
                        <span className={`chip ${c.classification === 'public' || c.classification === 'internal' ? '' : 'chip-personal'}`}>
                          {c.classification}
                        </span>
                      )}
                    </span>
                  </td>
                  <td>{c.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="port-columns">
        <div>
          <h4>Quality rules</h4>
          {port.quality.length === 0 ? (
            <p className="hint">No quality rules.</p>
          ) : (
            <ul className="page-list quality-list" data-testid="page-quality">
              {port.quality.map((q) => (
                <li key={q.rule} className={q.latest ? (q.latest.passed ? 'rule-passed' : 'rule-failed') : ''} title={q.latest?.detail}>
                  <span className="rule-mark">{q.latest ? (q.latest.passed ? '✓' : '✗') : '·'}</span>
                  <span className="visually-hidden">{q.latest ? (q.latest.passed ? 'passed: ' : 'failed: ') : 'not run yet: '}</span>
                  {q.text}
                  {q.severity && q.severity !== 'error' ? <span className="hint"> ({q.severity})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h4>SLAs</h4>
          {port.slas.length === 0 ? (
            <p className="hint">No service levels promised.</p>
          ) : (
            <ul className="page-list" data-testid="page-slas">
              {port.slas.map((s) => (
                <li key={s.property}>
                  <strong>{s.property}</strong> {s.value}
                  {s.measured !== undefined && (
                    <span className={`fresh-badge ${s.met ? 'fresh-fresh' : 'fresh-late'}`}>
                      measured {s.measured}
                      {s.met === undefined ? '' : s.met ? ', met' : ', missed'}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      <h4>Versions</h4>
      {port.versions.length === 0 ? (
        <p className="hint">Not published yet in this session: run the mesh to see its versions.</p>
      ) : (
        <ul className="page-list" data-testid="page-versions">
          {port.versions.map((v) => (
            <li key={v.version}>
              <strong>v{v.version}</strong>
              {v.at ? ` at ${v.at}` : ''}
              {v.rows === undefined ? '' : `, ${v.rows.toLocaleString('en')} rows`}
              {v.contractVersion ? `, contract ${v.contractVersion}` : ''}
              {v.contractChanges.length > 0 && <span>: {v.contractChanges.join('; ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
