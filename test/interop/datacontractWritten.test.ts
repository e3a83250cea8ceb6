import { promises as fsp } from 'node:fs';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProposals, deriveContract } from '../../core/contracts/deriveContract.ts';
import { factsOfVersion } from '../../core/contracts/deriveFacts.ts';
import { applyChange, type MeshChange } from '../../core/edits/meshChanges.ts';
import { applyEdit, applyEdits, type MeshEdit } from '../../core/edits/meshEdits.ts';
import {
  addRuleEdit,
  draftOf,
  listRules,
  newDraft,
  replaceRuleEdit,
  ruleFromDraft,
  type RuleDraft,
  type RuleWhere,
} from '../../core/edits/qualityRules.ts';
import { analyzeImport, importedProduct } from '../../core/import/importFile.ts';
import { buildMesh } from '../../core/load/buildMesh.ts';
import type { MeshFiles } from '../../core/model/types.ts';
import type { YamlSourceFile } from '../../core/yaml/sourceFile.ts';
import { addRowEdit, schemaTables, textCellEdit } from '../../renderer/src/inspector/contractTable.ts';
import { zipMesh, unzipMesh } from '../../core/fs/zipMesh.ts';
import { listFiles, tempDir } from '../helpers.ts';
import {
  copiedMesh,
  datacontractTest,
  exportFailures,
  lintFailure,
  publishMesh,
  saveMesh,
  testFailure,
  toParquet,
  type PublishedPort,
} from './publishedData.ts';

/*
 * datacontract-cli agrees with every contract Quanta writes, not only the ones it ships: the
 * contracts of products made from each blueprint and from an imported file, contracts derived
 * from the published output (every proposal accepted), and contracts after the edits the app
 * makes (a column added in the schema table, the version bumped, a rule of each kind from the
 * Quality form, the domain renamed). Each goes through the same core code the app uses, is
 * saved to a copy of hello-mesh, run by Quanta, and its published data written as Parquet;
 * then `datacontract lint`, `test` and `export`. And `datacontract test` does fail on data
 * that breaks a contract, so the suite can fail.
 */

let dir: string;
let mesh: string;
/** The files as edited now, and as the mesh folder has them. */
let files: MeshFiles;
let saved: MeshFiles;
beforeAll(async () => {
  dir = await tempDir('datacontract-written');
  mesh = nodePath.join(dir, 'mesh');
  files = await copiedMesh('hello-mesh', mesh);
  saved = files;
});
afterAll(async () => {
  if (process.env['QUANTA_INTEROP_KEEP'] === undefined) await fsp.rm(dir, { recursive: true, force: true });
});

/** The edited files saved over the mesh folder, as the app saves them. */
async function save(next: MeshFiles): Promise<void> {
  await saveMesh(mesh, next, saved);
  files = next;
  saved = next;
}

/** Runs the mesh; every contracted port must publish (none of these products is refused). */
async function publishAll(label: string): Promise<PublishedPort[]> {
  const run = await publishMesh(mesh, dir, label);
  expect(run.unpublished.map((p) => `${p.product}.${p.port}`)).toEqual([]);
  return run.published;
}

function contractFile(path: string): YamlSourceFile {
  const file = files.get(path);
  if (!file || !('doc' in file)) throw new Error(`${path} is not a YAML file of the mesh`);
  return file;
}

function relative(port: PublishedPort): string {
  return nodePath.relative(mesh, port.contract).split(nodePath.sep).join('/');
}

function expectDatacontractAgrees(ports: readonly PublishedPort[]): void {
  expect(ports.length).toBeGreaterThan(0);
  expect(ports.flatMap((p) => lintFailure(p.contract, dir) ?? [])).toEqual([]);
  expect(ports.flatMap((p) => testFailure(p.tested, dir) ?? [])).toEqual([]);
  expect(ports.flatMap((p) => exportFailures(p.contract, dir))).toEqual([]);
}

const BLUEPRINTS: readonly MeshChange[] = [
  { kind: 'createProduct', domain: 'sales', id: 'shop-events', name: 'Shop events', archetype: 'source-aligned' },
  {
    kind: 'createProduct',
    domain: 'finance',
    id: 'order-ledger',
    name: 'Order ledger',
    archetype: 'aggregate',
    description: 'Every order, as finance books it.',
    upstreams: [
      { productId: 'orders', port: 'orders' },
      { productId: 'daily-revenue', port: 'daily_revenue' },
    ],
  },
  {
    kind: 'createProduct',
    domain: 'finance',
    id: 'revenue-report',
    name: 'Revenue report',
    archetype: 'consumer-aligned',
    upstreams: [{ productId: 'daily-revenue', port: 'daily_revenue' }],
  },
  { kind: 'createProduct', domain: 'finance', id: 'budget', name: 'Budget', archetype: 'consumer-aligned' },
  { kind: 'createProduct', domain: 'finance', id: 'forecast', name: 'Forecast', archetype: 'aggregate' },
];
const IMPORTED = 'refunds';
const REFUNDS_CSV = [
  'refund_id,order_id,refunded_on,amount_eur,reason,note',
  ...Array.from(
    { length: 40 },
    (_, i) =>
      `${i + 1},${100 + i},2026-11-${String((i % 28) + 1).padStart(2, '0')},${(i * 3.25).toFixed(2)},${['damaged', 'late', 'unwanted'][i % 3]},${i % 4 === 0 ? '' : `note ${i}`}`,
  ),
].join('\n');

describe.sequential('the contracts Quanta writes', () => {
  let published: PublishedPort[] = [];

  it('of a product from each blueprint and of an imported file pass datacontract lint, test and export', async () => {
    let next: MeshFiles = files;
    for (const change of BLUEPRINTS) next = applyChange(next, change);
    const imported = importedProduct(buildMesh(next).mesh, {
      analysis: analyzeImport('refunds.csv', new TextEncoder().encode(`${REFUNDS_CSV}\n`)),
      domain: 'finance',
      id: IMPORTED,
      name: 'Refunds',
    });
    next = new Map([...next, ...imported.files]);
    for (const [path, bytes] of imported.seeds) {
      await fsp.mkdir(nodePath.dirname(nodePath.join(mesh, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(mesh, path), bytes);
    }
    await save(next);
    published = await publishAll('blueprints');
    const made = new Set([...BLUEPRINTS.map((c) => (c.kind === 'createProduct' ? c.id : '')), IMPORTED]);
    const fresh = published.filter((p) => made.has(p.product));
    expect(fresh.map((p) => p.product).sort()).toEqual([...made].sort());
    expectDatacontractAgrees(fresh);
  });

  it('derived from the published output, every proposal accepted, pass datacontract lint, test and export', async () => {
    let next: MeshFiles = files;
    let accepted = 0;
    for (const port of published) {
      const file = contractFile(relative(port));
      const facts = factsOfVersion(port.version);
      if ('error' in facts) throw new Error(facts.error);
      const derivation = deriveContract(file, port.port, facts.facts);
      if ('error' in derivation) throw new Error(derivation.error);
      accepted += derivation.proposals.length;
      const derived = applyProposals(file, derivation, new Set(derivation.proposals.map((p) => p.id)));
      next = applyEdit(next, { kind: 'setText', file: file.path, text: derived.text });
    }
    // Something to derive: hello-mesh's own contracts are tight, the new products' are not.
    expect(accepted).toBeGreaterThan(0);
    await save(next);
    published = await publishAll('derived');
    expectDatacontractAgrees(published);
  });

  it('after the edits the app makes — a column added, the version bumped, a rule of each kind, the domain renamed — pass datacontract lint, test and export', async () => {
    const budget = published.find((p) => p.product === 'budget');
    if (!budget) throw new Error('the budget product did not publish');
    const path = relative(budget);
    const productPath = path.replace(/[^/]+$/, 'product.odps.yaml');
    const transformPath = path.replace(/[^/]+$/, 'transform.sql');
    // The schema table: a new row, renamed, typed; the transform produces it.
    let next = applyEdit(files, addRowEdit(contractFile(path), tableOf(contractFile(path))));
    files = next;
    const added = tableOf(contractFile(path));
    const row = added.rows[added.rows.length - 1];
    if (!row) throw new Error('no row was added');
    next = applyEdits(next, [
      must(textCellEdit(contractFile(path), added, row, 'name', 'note')),
      must(textCellEdit(contractFile(path), added, row, 'description', 'How the item stands.')),
    ]);
    const transform = next.get(transformPath)?.text ?? '';
    next = applyEdit(next, {
      kind: 'setText',
      file: transformPath,
      text: transform.replace(/\n$/, '').replace(/TIMESTAMP '2026-11-01 00:00:00' AS updated_at/, "$&,\n  'ok' AS note\n"),
    });
    // A new version, in the contract and on the port.
    next = applyEdits(next, [
      { kind: 'setField', file: path, path: ['version'], value: '0.2.0' },
      { kind: 'setField', file: productPath, path: ['outputPorts', 0, 'version'], value: '0.2.0' },
      { kind: 'setField', file: productPath, path: ['version'], value: '0.2.0' },
    ]);
    files = next;
    // The Quality form: a rule of each kind, as its drafts write them, and the blueprint's row count rule edited.
    // One rule per metric and place: datacontract-cli 1.2 keys its checks by table, column and metric, so a second
    // rule of the same metric on the same column collides there ("Duplicate column name …"; docs/datacontract.md).
    const column = (name: string): RuleWhere => ({
      table: 0,
      property: tableOf(contractFile(path)).rows.findIndex((r) => r.name === name),
    });
    const table: RuleWhere = { table: 0 };
    const rules: [RuleWhere, Partial<RuleDraft>][] = [
      [column('item_id'), { kind: 'nullValues', operator: 'mustBe', value: '0' }],
      [column('item_id'), { kind: 'duplicateValues', operator: 'mustBe', value: '0' }],
      [column('label'), { kind: 'missingValues', missingValues: ['', 'n/a'], operator: 'mustBe', value: '0' }],
      [column('label'), { kind: 'invalidValues', pattern: '^[a-z]+$' }],
      [column('note'), { kind: 'invalidValues', validValues: ['ok', 'late'] }],
      [column('note'), { kind: 'nullValues', operator: 'mustBeLessThan', value: '50', unit: 'percent', severity: 'warning' }],
      [table, { kind: 'duplicateValues', properties: ['item_id', 'label'], operator: 'mustBe', value: '0' }],
      [table, { kind: 'sql', query: 'SELECT count(*) FROM {table} WHERE amount < 0', operator: 'mustBe', value: '0' }],
      [column('amount'), { kind: 'sql', query: 'SELECT count(*) FROM {table} WHERE {column} IS NULL', operator: 'mustBe', value: '0' }],
    ];
    for (const [where, fields] of rules) {
      const draft = { ...newDraft(where, 'budget'), ...fields };
      files = applyEdit(files, addRuleEdit(contractFile(path), where, ruleFromDraft(draft)));
    }
    const rowCount = listRules(contractFile(path)).find((r) => r.rule['metric'] === 'rowCount');
    const rowCountDraft = rowCount && draftOf(rowCount.rule, rowCount.where);
    if (!rowCount || !rowCountDraft) throw new Error('the blueprint wrote no row count rule');
    files = applyEdit(
      files,
      must(
        replaceRuleEdit(
          contractFile(path),
          rowCount,
          ruleFromDraft({ ...rowCountDraft, operator: 'mustBeBetween', value: '1', high: '1000' }, rowCount.rule),
        ),
      ),
    );
    // The domain renamed: its folder moves and every contract id in it follows.
    await save(applyChange(files, { kind: 'renameDomain', domainId: 'finance', name: 'Money', newId: 'money' }));
    // The imported product's seed moves with its folder (the app moves the whole folder).
    await fsp.mkdir(nodePath.join(mesh, 'domains', 'money', IMPORTED, 'data'), { recursive: true });
    await fsp.rename(
      nodePath.join(mesh, 'domains', 'finance', IMPORTED, 'data', 'refunds.csv'),
      nodePath.join(mesh, 'domains', 'money', IMPORTED, 'data', 'refunds.csv'),
    );
    await fsp.rm(nodePath.join(mesh, 'domains', 'finance'), { recursive: true, force: true });
    published = await publishAll('edited');
    const edited = published.find((p) => p.product === 'budget');
    expect(edited?.contract).toContain(`${nodePath.sep}money${nodePath.sep}`);
    expect(edited?.version.columns?.map((c) => c.name)).toContain('note');
    expectDatacontractAgrees(published.filter((p) => p.contract.includes(`${nodePath.sep}money${nodePath.sep}`)));
  });

  it('in the mesh exported as a .zip pass datacontract lint and test unchanged, byte for byte', async () => {
    // Export .zip packs the files as they are (renderer/src/workspace/exportMesh.ts → zipMesh).
    const everything = new Map<string, Uint8Array>();
    for (const path of await listFiles(mesh)) everything.set(path, new Uint8Array(await fsp.readFile(nodePath.join(mesh, path))));
    const unzipped = unzipMesh(zipMesh(everything, 'hello'), 'hello.zip');
    const out = nodePath.join(dir, 'unzipped');
    for (const [path, bytes] of unzipped) {
      await fsp.mkdir(nodePath.dirname(nodePath.join(out, path)), { recursive: true });
      await fsp.writeFile(nodePath.join(out, path), bytes);
    }
    const contracts = [...unzipped.keys()].filter((p) => p.endsWith('.odcs.yaml'));
    expect(contracts.length).toBe(published.length);
    const changed = contracts.filter((p) => Buffer.compare(Buffer.from(unzipped.get(p) ?? []), Buffer.from(everything.get(p) ?? [])) !== 0);
    expect(changed).toEqual([]);
    expect(contracts.flatMap((p) => lintFailure(nodePath.join(out, p), dir) ?? [])).toEqual([]);
    // The unzipped mesh runs and its contracts pass against what it publishes.
    const run = await publishMesh(out, dir, 'unzipped');
    expect(run.unpublished).toEqual([]);
    expect(run.published.flatMap((p) => testFailure(p.tested, dir) ?? [])).toEqual([]);
  });

  it('fail datacontract test on data that breaks them: a NULL in a required column, a text where a number is promised, a key twice', async () => {
    const orders = published.find((p) => p.product === 'orders');
    if (!orders) throw new Error('orders did not publish');
    const cases: Record<string, { rows: string; columns?: Record<string, string>; says: RegExp }> = {
      // NULL as toParquet.py reads it (\N).
      'a NULL in a required column': { rows: '1,2026-11-01 10:00:00,\\N,12.50', says: /customer_email has no missing values/ },
      'a text where a number is promised': {
        rows: '1,2026-11-01 10:00:00,a@example.org,twelve',
        columns: { amount_eur: 'VARCHAR' },
        says: /Could not convert string "twelve" to DECIMAL/,
      },
      'a primary key twice': {
        rows: '1,2026-11-01 10:00:00,a@example.org,1.00\n1,2026-11-01 11:00:00,b@example.org,2.00',
        says: /order_id has no duplicate values/,
      },
    };
    const unexplained: string[] = [];
    for (const [label, broken] of Object.entries(cases)) {
      const base = nodePath.join(dir, `broken.${label.replace(/\W+/g, '-')}`);
      await fsp.writeFile(`${base}.csv`, `order_id,ordered_at,customer_email,amount_eur\n${broken.rows}\n`);
      toParquet([
        {
          csv: `${base}.csv`,
          columns: {
            order_id: 'INTEGER',
            ordered_at: 'TIMESTAMP',
            customer_email: 'VARCHAR',
            amount_eur: 'DECIMAL(10,2)',
            ...broken.columns,
          },
          parquet: `${base}.parquet`,
          contract: orders.contract,
          out: `${base}.odcs.yaml`,
        },
      ]);
      const test = datacontractTest(`${base}.odcs.yaml`, dir);
      // Failed, and for the reason broken in: a failed check names it.
      const failed = test.notPassed.filter((c) => !c.startsWith('warning ')).join('\n');
      if (test.status === 0 || !broken.says.test(failed))
        unexplained.push(`${label} (exit ${test.status}): ${failed}\n${test.output.slice(-1500)}`);
    }
    expect(unexplained).toEqual([]);
    // The same contract passes on the data Quanta published, so it is the data that fails.
    expect(testFailure(orders.tested, dir)).toBeUndefined();
  });
});

function tableOf(file: YamlSourceFile) {
  const table = schemaTables(file)?.[0];
  if (!table) throw new Error(`${file.path} has no schema table`);
  return table;
}

function must(edit: MeshEdit | undefined): MeshEdit {
  if (!edit) throw new Error('the edit was refused');
  return edit;
}
