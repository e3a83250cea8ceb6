import { changedFiles } from '../model/changedFiles.ts';
import type { DataProduct, Mesh, OutputPort } from '../model/types.ts';
import type { YamlSourceFile } from '../yaml/sourceFile.ts';
import { diffContracts, type ContractDiff } from './diff/contractDiff.ts';
import { consumersInMesh, impactOnConsumers, type ConsumerImpact } from './diff/diffConsumers.ts';
import type { ContractChange } from './diff/diffRules.ts';
import { evaluatePolicies, type CatalogEngine, type GovernanceReport, type Violation } from './policy/evaluate.ts';

/** One output port whose contract the draft changes, and what that does to each reader. */
export interface ContractImpact {
  readonly productId: string;
  readonly port: string;
  readonly contractId: string;
  readonly diff: ContractDiff;
  /** Every product reading the contract in the baseline, broken or not. */
  readonly consumers: readonly ConsumerImpact[];
}

/** A product the draft breaks, and why, in plain words. */
export interface BrokenProduct {
  readonly productId: string;
  readonly reasons: readonly string[];
}

export interface WhatIfReport {
  readonly changedFiles: readonly string[];
  readonly contracts: readonly ContractImpact[];
  /** Products whose input the draft breaks: a change they read, or an upstream that is gone. */
  readonly broken: readonly BrokenProduct[];
  /** Products downstream of a broken one: they would run on stale data. */
  readonly affected: readonly string[];
  /** Policy results on the baseline and on the draft (when an engine was given). */
  readonly policies?: {
    readonly before: GovernanceReport;
    readonly after: GovernanceReport;
    readonly introduced: readonly Violation[];
    readonly resolved: readonly Violation[];
  };
}

/**
 * What a draft would do if it were applied, without applying it: the contract changes of
 * every output port (judged per consumer on the columns its SQL reads), consumers whose
 * upstream disappears, everything downstream of those, and — with a catalog engine — the
 * policy violations before and after.
 */
export async function whatIf(baseline: Mesh, draft: Mesh, engine?: CatalogEngine): Promise<WhatIfReport> {
  const report = draftImpact(baseline, draft);
  if (!engine) return report;
  const before = await evaluatePolicies(baseline, engine);
  const after = await evaluatePolicies(draft, engine);
  const key = (v: Violation) => `${v.policy}|${v.product ?? ''}|${v.port ?? ''}|${v.column ?? ''}|${v.message}`;
  const all = (r: GovernanceReport) => r.policies.flatMap((p) => p.violations);
  const beforeKeys = new Set(all(before).map(key));
  const afterKeys = new Set(all(after).map(key));
  return {
    ...report,
    policies: {
      before,
      after,
      introduced: all(after).filter((v) => !beforeKeys.has(key(v))),
      resolved: all(before).filter((v) => !afterKeys.has(key(v))),
    },
  };
}

/** The part of what-if that needs no quantum: contract changes, broken consumers, downstream. Fast enough to run on every edit. */
export function draftImpact(baseline: Mesh, draft: Mesh): WhatIfReport {
  const contracts: ContractImpact[] = [];
  const reasons = new Map<string, string[]>();
  const broke = (productId: string, reason: string) => reasons.set(productId, [...(reasons.get(productId) ?? []), reason]);

  for (const before of baseline.products) {
    const after = draft.products.find((p) => p.id === before.id);
    for (const port of before.outputPorts) {
      const contract = port.contract;
      if (!contract) continue;
      const next = after?.outputPorts.find((p) => p.name === port.name);
      const readers = consumersInMesh(baseline, contract.id, columnsOf(port)).filter((c) => c.productId !== before.id);
      if (!next?.contract) {
        for (const reader of readers) {
          broke(reader.productId, after ? `${before.id}.${port.name} no longer has a contract` : `${before.id} is deleted`);
        }
        continue;
      }
      const from = yamlOf(baseline, contract.file);
      const to = yamlOf(draft, next.contract.file);
      if (!from || !to || from.text === to.text) continue;
      const diff = diffContracts(from, to, { lenient: true }); // the mesh validation reports schema problems
      const consumers = impactOnConsumers(diff, readers);
      contracts.push({ productId: before.id, port: port.name, contractId: contract.id, diff, consumers });
      for (const impact of consumers.filter((c) => c.broken)) {
        broke(impact.productId, `${describe(impact.breaking)} in ${contract.id} (${before.id}.${port.name})`);
      }
    }
  }

  const broken = [...reasons]
    .map(([productId, why]) => ({ productId, reasons: why }))
    .sort((a, b) => a.productId.localeCompare(b.productId));
  const affected = downstreamOf(
    baseline,
    broken.map((b) => b.productId),
  );

  return { changedFiles: changedFiles(draft.files, baseline.files), contracts, broken, affected };
}

function columnsOf(port: OutputPort): string[] {
  return port.contract?.tables.flatMap((t) => t.columns.map((c) => c.name)) ?? [];
}

function yamlOf(mesh: Mesh, path: string): YamlSourceFile | undefined {
  const file = mesh.files.get(path);
  return file && 'doc' in file ? file : undefined;
}

function describe(changes: readonly ContractChange[]): string {
  const first = changes[0];
  if (!first) return 'a breaking change';
  const where = first.property ? ` ${first.property}` : '';
  return changes.length === 1 ? `${first.ruleId}${where}` : `${first.ruleId}${where} and ${changes.length - 1} more breaking change(s)`;
}

/** Products reading (transitively) from any of `roots`, the roots excluded, in a stable order. */
function downstreamOf(mesh: Mesh, roots: readonly string[]): string[] {
  const readersOf = new Map<string, DataProduct[]>();
  for (const producer of mesh.products) {
    const ids = new Set(producer.outputPorts.flatMap((p) => (p.contract ? [p.contract.id] : [])));
    readersOf.set(
      producer.id,
      mesh.products.filter((p) => p.id !== producer.id && p.inputPorts.some((i) => ids.has(i.contractId))),
    );
  }
  const seen = new Set(roots);
  const out: string[] = [];
  const queue = [...roots];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const reader of readersOf.get(id) ?? []) {
      if (seen.has(reader.id)) continue;
      seen.add(reader.id);
      out.push(reader.id);
      queue.push(reader.id);
    }
  }
  return out.sort();
}
