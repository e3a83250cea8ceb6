import type { PortPage, ProductPage } from '../discovery/productPage.ts';
import { html, type Html } from './html.ts';
import { chip, empty, table } from './layout.ts';
import { anchorAt, productLink, statusTone, type PortSample, type ProductContext } from './pageContext.ts';

/*
 * One output port on its product's page: the contract, the schema table, the quality rules
 * with their latest results, the SLAs with what was measured, the published versions with
 * their contract changes, sample rows, and who reads it.
 */

export function outputPort(p: ProductPage, o: PortPage, index: number, context: ProductContext): Html {
  const anchor = anchorAt(p, index);
  const readers = p.consumers.filter((c) => c.port === o.name);
  return html`<article class="port" id="${anchor}">
    <header class="port-head">
      <h3><code>${o.name}</code></h3>
      <p class="chips">
        ${o.contractVersion ? chip(`contract v${o.contractVersion}`, 'info') : ''}${o.contractStatus ? chip(o.contractStatus, statusTone(o.contractStatus)) : ''}${o.contractId ? '' : chip('no contract', 'bad')}
      </p>
    </header>
    ${o.description ? html`<p>${o.description}</p>` : ''}
    ${o.contractId ? html`<p class="muted small">Contract <code>${o.contractId}</code>${o.contractFile ? html` · <code>${o.contractFile}</code>` : ''} · read as <code>"${p.id}".${o.name}</code></p>` : ''}
    <h4>Schema</h4>
    ${o.columns.length === 0 ? empty('No schema in the contract.') : schema(o)}
    <h4>Quality rules</h4>
    ${
      o.quality.length === 0
        ? empty('No quality rules.')
        : table(
            ['Rule', 'Severity', 'Latest result'],
            o.quality.map((q) => [
              q.text,
              q.severity ?? '—',
              q.latest
                ? result(q.latest, q.severity)
                : context.ran
                  ? html`<span class="muted">not measured</span>`
                  : html`<span class="muted">not run</span>`,
            ]),
          )
    }
    <h4>Service levels</h4>
    ${
      o.slas.length === 0
        ? empty('No SLAs (slaProperties).')
        : table(
            ['Property', 'Promised', 'Measured'],
            o.slas.map((s) => [
              s.property,
              s.value,
              s.measured === undefined
                ? html`<span class="muted">—</span>`
                : html`${s.measured} ${s.met === undefined ? '' : chip(s.met ? 'met' : 'late', s.met ? 'good' : 'bad')}`,
            ]),
          )
    }
    <h4>Versions</h4>
    ${
      o.versions.length === 0
        ? empty(context.ran ? 'Not published in this run.' : 'No run: versions appear when the docs are made with a run.')
        : table(
            ['Version', 'Published', 'Rows', 'Contract', 'Contract changes'],
            [...o.versions].reverse().map((v) => [
              String(v.version),
              v.at === undefined ? '—' : shortTime(v.at),
              v.rows === undefined ? '—' : v.rows.toLocaleString('en'),
              v.contractVersion ?? '—',
              v.contractChanges.length === 0
                ? html`<span class="muted">none</span>`
                : html`<ul class="changes">
                    ${v.contractChanges.map((c) => html`<li>${c}</li>`)}
                  </ul>`,
            ]),
          )
    }
    <h4>Sample rows</h4>
    ${sample(
      context.samples.find((s) => s.product === p.id && s.port === o.name),
      context.ran,
    )}
    <h4>Read by</h4>
    ${
      readers.length === 0
        ? empty('No product reads this port.')
        : html`<ul class="links">
            ${readers.map((c) => html`<li>${productLink(context, c.product)} <span class="muted">as</span> <code>${c.via}</code></li>`)}
          </ul>`
    }
  </article>`;
}

function schema(o: PortPage): Html {
  const tables = [...new Set(o.columns.map((c) => c.table))];
  return html`${tables.map((t) => {
    const columns = o.columns.filter((c) => c.table === t);
    return html`${tables.length > 1 || t !== o.name ? html`<p class="table-name">Table <code>${t}</code></p>` : ''}${table(
      ['Column', 'Type', 'Required', 'Key', 'Classification', 'Description'],
      columns.map((c) => [
        html`<code>${c.name}</code>`,
        html`${c.type ?? ''}${c.logicalType ? html` <span class="muted">${c.logicalType}</span>` : ''}`,
        c.required ? html`<span class="yes">required</span>` : html`<span class="muted">optional</span>`,
        html`${c.primaryKey ? chip('primary key', 'info') : ''}${c.unique ? chip('unique') : ''}`,
        c.classification ? chip(c.classification, c.classification === 'public' || c.classification === 'internal' ? 'plain' : 'warn') : '',
        c.description ?? '',
      ]),
      'schema',
    )}`;
  })}`;
}

function result(latest: { passed: boolean; detail?: string }, severity: string | undefined): Html {
  const warning = severity === 'warning' || severity === 'info';
  return html`${chip(latest.passed ? 'passed' : 'failed', latest.passed ? 'good' : warning ? 'warn' : 'bad')}${latest.detail ? html` <span class="muted small">${latest.detail}</span>` : ''}`;
}

function sample(s: PortSample | undefined, ran: boolean): Html {
  if (!s) return empty(ran ? 'No sample: the port was not published.' : 'No run: sample rows appear when the docs are made with a run.');
  if ('unavailable' in s) return empty(s.unavailable);
  const masked = new Set(s.masked);
  return html`${s.masked.length > 0 ? html`<p class="muted small">As a reader with no purposes sees it: ${s.masked.join(', ')} masked.</p>` : ''}${table(
    s.columns.map((c) => (masked.has(c) ? `${c} (masked)` : c)),
    s.rows.map((r) => r.map((v) => v)),
    'sample',
    `Sample rows of ${s.port}`,
  )}`;
}

/** `2026-11-01T00:00:00.000Z` → `2026-11-01 00:00` (simulated time, UTC). */
function shortTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}
