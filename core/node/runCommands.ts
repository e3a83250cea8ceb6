import nodePath from 'node:path';
import { DataType, util, type Table } from 'apache-arrow';
import { LineageGraph } from '../lineage/lineageGraph.ts';
import type { Mesh } from '../model/types.ts';
import { MeshRuntime } from '../run/meshRuntime.ts';
import type { MeshRunReport, ProductRun, QuantumHost, RuntimeEvent } from '../run/runTypes.ts';
import { evaluatePolicies, type GovernanceReport } from '../governance/policy/evaluate.ts';
import { policyCheckResults } from '../governance/policy/policyChecks.ts';
import { resolvePolicies } from '../governance/policy/policies.ts';
import { QuantumCatalogEngine } from './catalogEngine.ts';
import { NodeFileSystem } from './nodeFileSystem.ts';

/*
 * `quanta run` and `quanta query`: the mesh running in quanta, as a table for people or
 * one JSON object for scripts. The quantum host (worker threads) is handed in by the
 * entry point, because core/ may not import workers/.
 */
export interface RunIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Live progress on stderr (a terminal only). */
  readonly progress?: boolean;
}

export interface RunSession {
  readonly runtime: MeshRuntime;
  readonly reports: readonly MeshRunReport[];
  /** Products that were refused or failed at any tick. */
  readonly troubled: ReadonlySet<string>;
}

/** Runs the mesh once at tick 0, then `ticks` more ticks of simulated time. */
export async function runMeshFor(mesh: Mesh, dir: string, host: QuantumHost, ticks: number, io: RunIo): Promise<RunSession> {
  const fs = new NodeFileSystem(dir);
  const progress = io.progress ? new Progress(io.err) : undefined;
  const governance = await governanceOf(mesh, host);
  const runtime = new MeshRuntime(mesh, {
    host,
    readFile: (path) => fs.readFile(path),
    now: () => performance.now(),
    onEvent: (event) => progress?.update(event),
    ...(governance ? { policyChecks: policyCheckResults(governance) } : {}),
  });
  const reports: MeshRunReport[] = [];
  const troubled = new Set<string>();
  const note = (report: MeshRunReport): void => {
    reports.push(report);
    for (const p of report.products) if (!p.skipped && (p.status === 'refused' || p.status === 'failed')) troubled.add(p.product);
  };
  try {
    note(await runtime.runAll());
    for (const report of await runtime.advance(ticks)) note(report);
  } finally {
    progress?.done();
  }
  return { runtime, reports, troubled };
}

/**
 * The mesh's policies, evaluated on its model before it runs: a blocking violation then
 * refuses that product's publish (policies over run data are `quanta check --run`'s job).
 * Undefined when the mesh uses no policy.
 */
async function governanceOf(mesh: Mesh, host: QuantumHost): Promise<GovernanceReport | undefined> {
  if (resolvePolicies(mesh).policies.length === 0) return undefined;
  const engine = new QuantumCatalogEngine(host);
  try {
    return await evaluatePolicies(mesh, engine);
  } finally {
    engine.release();
  }
}

class Progress {
  readonly #write: (text: string) => void;
  #tick = 0;
  #running = new Set<string>();
  #done = 0;
  #total = 0;

  constructor(write: (text: string) => void) {
    this.#write = write;
  }

  update(event: RuntimeEvent): void {
    if (event.type === 'tick') this.#tick = event.tick;
    else if (event.type === 'started') this.#running.add(event.product);
    else {
      this.#running.delete(event.run.product);
      this.#done = event.done;
      this.#total = event.total;
    }
    const running = [...this.#running].join(', ');
    const line = `tick ${this.#tick}: ${this.#done}/${this.#total} products${running ? ` — running ${running}` : ''}`;
    this.#write(`\r\x1b[2K${line.slice(0, 110)}`);
  }

  done(): void {
    this.#write('\r\x1b[2K');
  }
}

export function formatRunTable(session: RunSession, meshName: string): string {
  const last = session.reports.at(-1);
  if (!last) return '';
  const { runtime } = session;
  const domainOf = new Map(runtime.mesh.products.map((p) => [p.id, p.domain]));
  const header = ['product', 'domain', 'status', 'version', 'rows', 'checks', 'duration', 'last run'];
  const order = runOrder(runtime.mesh);
  const products = [...last.products].sort((a, b) => (order.get(a.product) ?? 0) - (order.get(b.product) ?? 0));
  const rows = products.map((p) => [
    p.product,
    domainOf.get(p.product) ?? '',
    p.status,
    String(p.version),
    p.rows.toLocaleString('en-US'),
    checksSummary(p),
    `${(p.durationMs / 1000).toFixed(2)} s`,
    p.status === 'idle' ? 'never' : `tick ${p.tick}`,
  ]);
  const lines = [
    `${meshName} — tick ${last.tick} (${last.simulatedAt}), ${runtime.mesh.products.length} products, ${session.reports.length} pass${session.reports.length === 1 ? '' : 'es'}`,
    '',
    ...alignColumns([header, ...rows], new Set([3, 4, 6])),
    '',
  ];
  for (const p of products) lines.push(...explain(p));
  const counts = new Map<string, number>();
  for (const p of last.products) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const ok = session.troubled.size === 0;
  lines.push(`${ok ? '✓' : '✗'} ${summary}${ok ? '' : `; refused or failed during the run: ${[...session.troubled].join(', ')}`}`);
  return `${lines.join('\n')}\n`;
}

/** Products in lineage order (upstream first), then by id. */
function runOrder(mesh: Mesh): Map<string, number> {
  const { order } = new LineageGraph(mesh.products).topologicalOrder();
  return new Map(order.map((id, i) => [id, i]));
}

function checksSummary(p: ProductRun): string {
  if (p.checks.length === 0) return '—';
  const passed = p.checks.filter((c) => c.passed).length;
  return `${passed}/${p.checks.length} passed`;
}

function explain(p: ProductRun): string[] {
  const out: string[] = [];
  const where = (file?: string, line?: number): string => (file ? `${file}${line ? `:${line}` : ''}: ` : '');
  if (p.problem && (p.status === 'failed' || p.status === 'refused' || p.status === 'stale')) {
    out.push(`${p.product} ${p.status}: ${where(p.problem.file, p.problem.line)}${p.problem.message}`);
  }
  const failedChecks = p.checks.filter((check) => !check.passed);
  if (out.length === 0 && failedChecks.length > 0) out.push(`${p.product}:`);
  for (const c of failedChecks) {
    out.push(`  ${c.file}:${c.line}:${c.column} ${c.severity}: ${c.message}`);
  }
  // Only a product that has published runs on a last good version; one that never did just waits.
  if (p.staleBecause?.length && p.version > 0)
    out.push(`  ${p.product} is stale: it serves version ${p.version}, built on the last good version of ${p.staleBecause.join(', ')}`);
  if (out.length > 0) out.push('');
  return out;
}

export function runJson(session: RunSession, meshName: string): object {
  const last = session.reports.at(-1);
  const domainOf = new Map(session.runtime.mesh.products.map((p) => [p.id, p.domain]));
  return {
    mesh: meshName,
    tick: last?.tick ?? 0,
    simulatedAt: last?.simulatedAt,
    ok: session.troubled.size === 0,
    troubled: [...session.troubled],
    products: (last?.products ?? []).map((p) => ({
      id: p.product,
      domain: domainOf.get(p.product),
      status: p.status,
      version: p.version,
      rows: p.rows,
      durationMs: Math.round(p.durationMs),
      checks: p.checks.map((c) => ({
        id: c.id,
        port: c.port,
        severity: c.severity,
        passed: c.passed,
        message: c.message,
        file: c.file,
        line: c.line,
        column: c.column,
      })),
      ports: (session.runtime.mesh.products.find((x) => x.id === p.product)?.outputPorts ?? []).map((port) => {
        const v = session.runtime.latestVersion(p.product, port.name);
        return v
          ? {
              port: port.name,
              version: v.version,
              rows: v.rows,
              bytes: v.bytes,
              hash: v.hash,
              simulatedAt: v.simulatedAt,
              freshness: v.freshness,
              durationMs: Math.round(v.durationMs),
              columns: v.profile.map((c) => ({
                name: c.name,
                nullShare: Number(c.nullShare.toFixed(4)),
                distinct: c.distinct,
                // false: `distinct` is an estimate (a port above a million rows)
                distinctExact: c.distinctExact !== false,
              })),
            }
          : { port: port.name, version: 0 };
      }),
      ...(p.problem ? { problem: p.problem } : {}),
      ...(p.staleBecause ? { staleBecause: p.staleBecause } : {}),
      ...(p.skipped ? { skipped: p.skipped } : {}),
    })),
  };
}

/** An Arrow table as aligned text, at most `limit` rows. */
export function formatTable(table: Table, limit: number): string {
  const names = table.schema.fields.map((f) => f.name);
  const shown = Math.min(limit, table.numRows);
  const rows: string[][] = [];
  for (let r = 0; r < shown; r++) {
    rows.push(names.map((_, c) => formatValue(table.getChildAt(c)?.get(r), table.schema.fields[c]?.type)));
  }
  const numeric = new Set(table.schema.fields.flatMap((f, i) => (/^(Int|Uint|Float|Decimal)/.test(f.type.toString()) ? [i] : [])));
  const lines = alignColumns([names, ...rows], numeric);
  const more = table.numRows - shown;
  lines.push(`(${table.numRows.toLocaleString('en-US')} row${table.numRows === 1 ? '' : 's'}${more > 0 ? `, first ${shown} shown` : ''})`);
  return `${lines.join('\n')}\n`;
}

export function tableJson(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, c) => {
      const value = table.getChildAt(c)?.get(r);
      row[f.name] = jsonValue(value, f.type);
    });
    out.push(row);
  }
  return out;
}

function jsonValue(value: unknown, type: DataType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type && DataType.isDecimal(type)) {
    const text = decimalText(value, type.scale);
    return Math.abs(Number(text)) < Number.MAX_SAFE_INTEGER / 10 ** type.scale ? Number(text) : text;
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (type && DataType.isTimestamp(type) && typeof value === 'number') return new Date(value).toISOString();
  if (type && DataType.isDate(type) && (typeof value === 'number' || value instanceof Date)) {
    return new Date(value).toISOString().slice(0, 10);
  }
  if (typeof value === 'object') return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  return value;
}

/** An Arrow decimal (a 128-bit integer scaled by 10^scale) as exact decimal text. */
function decimalText(value: unknown, scale: number): string {
  const unscaled = typeof value === 'bigint' ? value : util.bigNumToBigInt(value as Parameters<typeof util.bigNumToBigInt>[0]);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${negative ? '-' : ''}${whole}`;
}

function formatValue(value: unknown, type: DataType | undefined): string {
  if (value !== null && value !== undefined && type && DataType.isDecimal(type)) return decimalText(value, type.scale);
  const v = jsonValue(value, type);
  if (v === null) return 'NULL';
  if (typeof v === 'string') return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function alignColumns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function meshNameOf(mesh: Mesh, dir: string): string {
  return mesh.manifest?.name ?? nodePath.basename(dir);
}
