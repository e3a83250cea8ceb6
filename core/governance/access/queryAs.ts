import { closingQuote } from '../../sql/splitStatements.ts';
import { quoteIdent } from '../../contracts/contractChecks.ts';
import type { ContractColumn, Mesh } from '../../model/types.ts';
import type { PortExposure } from '../../run/portExposure.ts';
import type { QuantumError, QueryOutcome } from '../../run/quantumProtocol.ts';
export { loadExposedPorts, RAW_SCHEMA, type PortExposure } from '../../run/portExposure.ts';
import { decideAccess, portColumns, type AccessDecision, type AccessRequest } from './access.ts';

/*
 * A query run *as* a persona. The SQL addresses output ports as `"<product>".<port>`, as
 * `quanta query` does. Each referenced port is decided by access.ts; if any is denied the
 * query does not run and the error names persona, product, port and reason. Otherwise the
 * runtime exposes only the referenced ports, each as a table whose classified columns are
 * already masked, and drops the raw data before the persona's SQL runs.
 *
 * Enforcement is by exposure, not by parsing: a port the reference scan missed is simply
 * not there (the query fails to bind), so an odd spelling can never read unmasked data, and
 * the audit log lists everything the query could read.
 */

/** What queryAs needs of a running mesh; MeshRuntime satisfies it once `query` takes the hook. */
export interface QueryTarget {
  readonly mesh: Mesh;
  /** Simulated now, ISO: the time of audit entries. */
  simulatedAt(): string;
  latestVersion(product: string, port: string): { readonly version: number } | undefined;
  query(sql: string, options: PortExposure): Promise<QueryOutcome>;
}

export interface PortReference {
  readonly product: string;
  readonly port: string;
}

export interface AuditEntry {
  readonly kind: 'query' | 'request';
  /** Simulated time. */
  readonly at: string;
  readonly persona: string;
  readonly product: string;
  readonly port: string;
  readonly purpose?: string;
  readonly decision: 'allowed' | 'denied';
  readonly reason: string;
  readonly columnsMasked: readonly string[];
  /** The port version the query read. */
  readonly version?: number;
  /** True when the query ran and returned data from this port. */
  readonly read: boolean;
  readonly sql?: string;
}

/** Reads of one port by one persona, in the shape of the governance catalog's `usage` rows. */
export interface PortUsage {
  readonly productId: string;
  readonly port: string;
  readonly personaId: string;
  readonly queries: number;
  readonly lastAt?: string;
}

/** Who read what, and who was refused: append-only, entries frozen. */
export class AuditLog {
  readonly #entries: AuditEntry[] = [];

  append(entry: AuditEntry): void {
    this.#entries.push(Object.freeze({ ...entry, columnsMasked: Object.freeze([...entry.columnsMasked]) }));
  }

  /** Records a decided access request (see access.ts `requestAccess`). */
  recordRequest(request: AccessRequest): void {
    this.append({ ...entryOf('request', request.decision, request.at), read: false });
  }

  get entries(): readonly AuditEntry[] {
    return [...this.#entries];
  }

  /** Successful reads per port and persona, for the catalog's `usage` table and the scorecard. */
  usage(): PortUsage[] {
    const byKey = new Map<string, { productId: string; port: string; personaId: string; queries: number; lastAt: string }>();
    for (const e of this.#entries) {
      if (!e.read) continue;
      const key = `${e.product}\u0000${e.port}\u0000${e.persona}`;
      const seen = byKey.get(key);
      if (seen) {
        seen.queries++;
        if (e.at > seen.lastAt) seen.lastAt = e.at;
      } else byKey.set(key, { productId: e.product, port: e.port, personaId: e.persona, queries: 1, lastAt: e.at });
    }
    return [...byKey.values()];
  }
}

export type QueryAsOutcome =
  | {
      readonly ok: true;
      readonly ipc: Uint8Array;
      readonly rows: number;
      readonly decisions: readonly AccessDecision[];
    }
  | {
      readonly ok: false;
      readonly error: QuantumError | { readonly kind: 'denied'; readonly message: string };
      readonly decisions: readonly AccessDecision[];
    };

export interface QueryAsOptions {
  /** The purpose the persona reads for; without it every purpose the persona holds counts. */
  readonly purpose?: string;
  readonly audit?: AuditLog;
}

/** Runs `sql` as `personaId`: denied ports stop it with a clear error, classified columns come back masked. */
export async function queryAs(target: QueryTarget, personaId: string, sql: string, options: QueryAsOptions = {}): Promise<QueryAsOutcome> {
  const { mesh } = target;
  const at = target.simulatedAt();
  const persona = mesh.manifest?.personas.find((p) => p.id === personaId);
  if (!persona) {
    const known = mesh.manifest?.personas.map((p) => p.id).join(', ') || 'none';
    return {
      ok: false,
      error: { kind: 'denied', message: `mesh.yaml declares no persona "${personaId}" (personas: ${known})` },
      decisions: [],
    };
  }
  const decisions = portReferences(sql, mesh).map((r) => decideAccess(mesh, personaId, r.product, r.port, options.purpose));
  const log = (read: boolean, versions?: ReadonlyMap<string, number>): void => {
    for (const d of decisions) {
      const version = versions?.get(`${d.product}/${d.port}`);
      options.audit?.append({ ...entryOf('query', d, at), read: read && d.allowed, sql, ...(version === undefined ? {} : { version }) });
    }
  };

  const denied = decisions.filter((d) => !d.allowed);
  if (denied.length > 0) {
    log(false);
    const message = denied.map((d) => `${personaId} may not read "${d.product}".${d.port}: ${d.reason}`).join('\n');
    return { ok: false, error: { kind: 'denied', message }, decisions };
  }
  const versions = new Map<string, number>();
  for (const d of decisions) {
    const version = target.latestVersion(d.product, d.port)?.version;
    if (version === undefined) {
      log(false);
      return {
        ok: false,
        error: { kind: 'input', message: `"${d.product}".${d.port} has no published version yet: run the mesh first` },
        decisions,
      };
    }
    versions.set(`${d.product}/${d.port}`, version);
  }

  const allowed = new Map(decisions.map((d) => [`${d.product}/${d.port}`, d]));
  const outcome = await target.query(sql, {
    exposePort: (product, port, source) => {
      const decision = allowed.get(`${product}/${port}`);
      return decision ? maskedSelect(mesh, decision, source) : undefined;
    },
  });
  log(outcome.ok, versions);
  return outcome.ok ? { ...outcome, decisions } : { ok: false, error: outcome.error, decisions };
}

/**
 * How a masked column reads. Text (ODCS logicalType `string`) becomes `'***'`; every other
 * type becomes NULL of the column's own type. Nulls stay nulls, so completeness can still be
 * judged. The column keeps its name and type, so a query written for the clear data still
 * binds and runs. Not a hash: a deterministic hash of an e-mail or a birth date is reversed
 * with a dictionary, and joining on it would link people across products, which is what
 * purpose limitation forbids. Products share pseudonymous keys (`customer_id`) for joins.
 */
export function maskExpression(column: ContractColumn): string {
  const name = quoteIdent(column.name);
  return column.logicalType === 'string' ? `CASE WHEN ${name} IS NULL THEN NULL ELSE '***' END` : `CASE WHEN false THEN ${name} END`;
}

/** The SELECT exposing a port to a persona: the masked columns replaced, the rest as published. */
export function maskedSelect(mesh: Mesh, decision: AccessDecision, source: string): string {
  const port = mesh.products.find((p) => p.id === decision.product)?.outputPorts.find((p) => p.name === decision.port);
  const masked = new Set(decision.maskedColumns.map((m) => m.column));
  const columns = port ? portColumns(port).filter((c) => masked.has(c.name)) : [];
  if (columns.length === 0) return `SELECT * FROM ${source}`;
  return `SELECT * REPLACE (${columns.map((c) => `${maskExpression(c)} AS ${quoteIdent(c.name)}`).join(', ')}) FROM ${source}`;
}

/**
 * The output ports a SQL text names as `"<product>".<port>` (quoted or bare, any case, also
 * inside longer names such as `"<product>".<port>.<column>`), each once, in order of first
 * appearance. Strings, comments and dollar-quoted text are skipped. A table alias named like
 * a product followed by a column named like one of its ports also counts: that errs on the
 * side of deciding (and auditing) a port the query may not read.
 */
export function portReferences(sql: string, mesh: Mesh): PortReference[] {
  const ports = new Map<string, { product: string; ports: Map<string, string> }>();
  for (const p of mesh.products)
    ports.set(p.id.toLowerCase(), { product: p.id, ports: new Map(p.outputPorts.map((o) => [o.name.toLowerCase(), o.name])) });
  const found = new Map<string, PortReference>();
  for (const chain of identifierChains(sql)) {
    for (let i = 0; i + 1 < chain.length; i++) {
      const product = ports.get((chain[i] as string).toLowerCase());
      const port = product?.ports.get((chain[i + 1] as string).toLowerCase());
      if (product && port) found.set(`${product.product}/${port}`, { product: product.product, port });
    }
  }
  return [...found.values()];
}

/** Dotted identifier chains (`a.b.c`, quotes removed) of a SQL text, outside strings and comments. */
function identifierChains(sql: string): string[][] {
  const chains: string[][] = [];
  let chain: string[] = [];
  let afterDot = false;
  const end = (): void => {
    if (chain.length > 1) chains.push(chain);
    chain = [];
    afterDot = false;
  };
  const ident = (name: string): void => {
    if (!afterDot) end();
    chain.push(name);
    afterDot = false;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (rest.startsWith('/*')) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'") {
      end();
      i = closingQuote(sql, i, "'");
    } else if (c === '"') {
      const stop = closingQuote(sql, i, '"');
      ident(sql.slice(i + 1, stop - 1).replace(/""/g, '"'));
      i = stop;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(rest)) {
      end();
      const tag = (/^\$[A-Za-z_]*\$/.exec(rest) as RegExpExecArray)[0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const word = (/^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(rest) as RegExpExecArray)[0];
      ident(word);
      i += word.length;
    } else if (c === '.' && chain.length > 0 && !afterDot) {
      afterDot = true;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      end();
      i += /^\d/.test(c) ? (/^[\d.eE_]+/.exec(rest) as RegExpExecArray)[0].length : 1;
    }
  }
  end();
  return chains;
}

function entryOf(kind: AuditEntry['kind'], d: AccessDecision, at: string): Omit<AuditEntry, 'read'> {
  return {
    kind,
    at,
    persona: d.persona,
    product: d.product,
    port: d.port,
    ...(d.purpose === undefined ? {} : { purpose: d.purpose }),
    decision: d.allowed ? 'allowed' : 'denied',
    reason: d.reason,
    columnsMasked: d.maskedColumns.map((m) => m.column),
  };
}
