import type { DiagnosticCode } from '../../core/diagnostics/codes.ts';

/*
 * The cases of the bad-input corpus (badInput.test.ts): per folder of test/fixtures/broken/,
 * the one error it must give, where, and what its message names.
 */
export const DAILY_REVENUE = 'domains/finance/daily-revenue/product.odps.yaml';
export const DAILY_REVENUE_CONTRACT = 'domains/finance/daily-revenue/daily_revenue.odcs.yaml';
export const ORDERS_SETTINGS = 'domains/sales/orders/quanta.yaml';
export const SCENARIO = 'scenarios/revenue-check.scenario.yaml';

export interface BadInputCase {
  /** Folder under test/fixtures/broken/. */
  readonly fixture: string;
  readonly code: DiagnosticCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Must match the message: it names the offending key, value or file. */
  readonly message?: RegExp;
  /** What is broken, for the test name. */
  readonly what: string;
}

export const cases: readonly BadInputCase[] = [
  // Reading and YAML syntax
  {
    fixture: 'yaml-unclosed-bracket',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 9, // tags: [finance, revenue  ← the unclosed `[`
    column: 7,
    message: /\]/,
    what: 'a flow sequence whose [ is never closed',
  },
  {
    fixture: 'yaml-unclosed-quote',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 5, // name: "Daily revenue  ← the opening quote
    column: 7,
    message: /quote/i,
    what: 'a double quote that is never closed',
  },
  {
    fixture: 'yaml-bad-indentation',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 15, // `   contractId:` ← indented 3 spaces instead of 4
    column: 4,
    message: /indent/i,
    what: 'a list item key indented one space too little',
  },
  {
    fixture: 'yaml-over-indented-key',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 5, // `  name: Daily revenue` ← a top-level key indented by 2
    column: 3,
    message: /indent/i,
    what: 'a top-level key indented by two spaces',
  },
  {
    fixture: 'yaml-tab-indentation',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 12, // `\tname: finance-team` ← the tab
    column: 1,
    message: /tab/i,
    what: 'a key indented with a tab',
  },
  {
    fixture: 'yaml-dedented-nested-key',
    code: 'QUANTA_E007',
    file: DAILY_REVENUE,
    line: 12, // `name: finance-team` ← lost its indentation, repeats the top-level `name`
    column: 1,
    message: /\bname\b/,
    what: 'a nested key that lost its indentation and repeats a top-level key',
  },
  {
    fixture: 'yaml-duplicate-key',
    code: 'QUANTA_E007',
    file: DAILY_REVENUE,
    line: 9, // the second `status:`
    column: 1,
    message: /\bstatus\b/,
    what: 'a key that appears twice in a mapping',
  },
  {
    fixture: 'yaml-multiple-documents',
    code: 'QUANTA_E001',
    file: DAILY_REVENUE,
    line: 17, // the stray `---`
    column: 1,
    message: /more than one YAML document/,
    what: 'a stray --- that starts a second YAML document',
  },
  {
    fixture: 'empty-product-file',
    code: 'QUANTA_E002',
    file: DAILY_REVENUE,
    line: 1,
    column: 1,
    message: /product\.odps\.yaml is empty/,
    what: 'a product file of 0 bytes',
  },
  {
    fixture: 'comments-only-product-file',
    code: 'QUANTA_E002',
    file: DAILY_REVENUE,
    line: 1,
    column: 1,
    message: /product\.odps\.yaml is empty/,
    what: 'a product file that holds only comments',
  },
  {
    fixture: 'binary-garbage-product-file',
    code: 'QUANTA_E003',
    file: DAILY_REVENUE,
    line: 3, // the NUL byte
    column: 8,
    message: /NUL/,
    what: 'a product file of random bytes with a NUL byte',
  },
  {
    fixture: 'binary-garbage-high-bytes',
    code: 'QUANTA_E003',
    file: DAILY_REVENUE,
    line: 1, // the first byte, 0x89, is already not UTF-8
    column: 1,
    message: /UTF-8/,
    what: 'a product file of fully random bytes',
  },
  {
    fixture: 'invalid-utf8',
    code: 'QUANTA_E003',
    file: DAILY_REVENUE,
    line: 5, // name: Daily revenue (caf\xE9) ← the Windows-1252 é
    column: 25,
    message: /UTF-8/,
    what: 'a Windows-1252 byte in an otherwise valid file',
  },
  {
    fixture: 'top-level-list',
    code: 'QUANTA_E004',
    file: DAILY_REVENUE,
    line: 2, // the first `- ` after the comment line
    column: 1,
    message: /found a list/,
    what: 'a product file whose top level is a list',
  },
  {
    fixture: 'missing-mesh-yaml',
    code: 'QUANTA_E005',
    file: 'mesh.yaml',
    line: 1,
    column: 1,
    message: /mesh\.yaml/,
    what: 'a folder without mesh.yaml',
  },

  // Structure (JSON Schemas)
  {
    fixture: 'odps-missing-status',
    code: 'QUANTA_E010',
    file: DAILY_REVENUE,
    line: 2, // the top-level mapping, which lacks the field
    column: 1,
    message: /"status"/,
    what: 'a product without the required status',
  },
  {
    fixture: 'odcs-missing-version',
    code: 'QUANTA_E010',
    file: DAILY_REVENUE_CONTRACT,
    line: 1, // the top-level mapping, which lacks the field
    column: 1,
    message: /"version"/,
    what: 'a contract without the required version',
  },
  {
    fixture: 'odcs-version-number',
    code: 'QUANTA_E011',
    file: DAILY_REVENUE_CONTRACT,
    line: 5, // version: 1
    column: 10,
    message: /"version" must be a string, found a number/,
    what: 'a contract version written as a number',
  },
  {
    fixture: 'odps-input-ports-string',
    code: 'QUANTA_E011',
    file: DAILY_REVENUE,
    line: 13, // inputPorts: orders
    column: 13,
    message: /"inputPorts" must be an array/,
    what: 'inputPorts written as a string instead of a list',
  },
  {
    fixture: 'odps-kind-typo',
    code: 'QUANTA_E012',
    file: DAILY_REVENUE,
    line: 3, // kind: DataProduk
    column: 7,
    message: /"kind"/,
    what: 'a misspelt kind',
  },
  {
    fixture: 'archetype-typo',
    code: 'QUANTA_E012',
    file: ORDERS_SETTINGS,
    line: 3, // archetype: source-aligend
    column: 12,
    message: /"archetype"/,
    what: 'a misspelt archetype',
  },

  // References and identity
  {
    fixture: 'duplicate-product-id',
    code: 'QUANTA_E020',
    file: 'domains/sales/daily-revenue/product.odps.yaml',
    line: 4, // id: daily-revenue (the second product, in sorted folder order)
    column: 5,
    message: /"daily-revenue"/,
    what: 'two product folders with the same product id',
  },
  {
    fixture: 'duplicate-team-id',
    code: 'QUANTA_E020',
    file: 'mesh.yaml',
    line: 16, // the second `- id: sales-team`
    column: 9,
    message: /"sales-team"/,
    what: 'a team declared twice in mesh.yaml',
  },
  {
    fixture: 'duplicate-persona-id',
    code: 'QUANTA_E020',
    file: 'mesh.yaml',
    line: 24, // the second `- id: finance-analyst`
    column: 9,
    message: /"finance-analyst"/,
    what: 'a persona declared twice in mesh.yaml',
  },
  {
    fixture: 'unknown-contract',
    code: 'QUANTA_E021',
    file: DAILY_REVENUE,
    line: 15, // contractId: hello.sales.order
    column: 17,
    message: /"hello\.sales\.order"/,
    what: 'an input port naming an unknown contract',
  },
  {
    fixture: 'unknown-contract-version',
    code: 'QUANTA_E022',
    file: DAILY_REVENUE,
    line: 16, // version: 2.0.0
    column: 14,
    message: /version 2\.0\.0/,
    what: 'an input port naming a contract version nobody publishes',
  },
  {
    fixture: 'policy-unknown-domain',
    code: 'QUANTA_E023',
    file: 'policies/personal-data-classified.policy.yaml',
    line: 6, // scope: domain:marketing
    column: 8,
    message: /"marketing"/,
    what: 'a policy scoped to an unknown domain',
  },
  {
    fixture: 'unknown-team',
    code: 'QUANTA_E024',
    file: DAILY_REVENUE,
    line: 12, // team.name: financ-team
    column: 9,
    message: /"financ-team"/,
    what: 'a product owned by an undeclared team',
  },
  {
    fixture: 'unknown-domain-team',
    code: 'QUANTA_E024',
    file: 'domains/sales/domain.yaml',
    line: 5, // team: shop-team
    column: 7,
    message: /"shop-team"/,
    what: 'a domain owned by an undeclared team',
  },
  {
    fixture: 'unknown-persona-team',
    code: 'QUANTA_E024',
    file: 'mesh.yaml',
    line: 19, // team: controlling
    column: 11,
    message: /"controlling"/,
    what: 'a persona in an undeclared team',
  },
  {
    fixture: 'scenario-unknown-persona',
    code: 'QUANTA_E025',
    file: SCENARIO,
    line: 5, // persona: auditor
    column: 10,
    message: /"auditor"/,
    what: 'a scenario run as an undeclared persona',
  },
  {
    fixture: 'scenario-unknown-product',
    code: 'QUANTA_E040',
    file: SCENARIO,
    line: 9, // run: daily-revenu
    column: 14,
    message: /"daily-revenu"/,
    what: 'a scenario step naming an unknown product',
  },
  {
    fixture: 'domain-id-mismatch',
    code: 'QUANTA_E026',
    file: 'domains/finance/domain.yaml',
    line: 3, // id: fiance
    column: 5,
    message: /"fiance"/,
    what: 'a domain id that does not match its folder',
  },
  {
    fixture: 'product-domain-mismatch',
    code: 'QUANTA_E026',
    file: DAILY_REVENUE,
    line: 6, // domain: sales
    column: 9,
    message: /"sales"/,
    what: 'a product whose domain does not match its folder',
  },
  {
    fixture: 'output-port-without-contract',
    code: 'QUANTA_E027',
    file: DAILY_REVENUE,
    line: 18, // - name: daily_revenue
    column: 11,
    message: /daily_revenue\.odcs\.yaml/,
    what: 'an output port without its contract file',
  },
  {
    fixture: 'contract-id-mismatch',
    code: 'QUANTA_E028',
    file: DAILY_REVENUE,
    line: 22, // contractId: hello.finance.daily-revenue (the contract file says revenue-per-day)
    column: 17,
    message: /"hello\.finance\.revenue-per-day"/,
    what: 'an output port whose contractId differs from its contract file',
  },
  {
    fixture: 'contract-version-mismatch',
    code: 'QUANTA_E028',
    file: DAILY_REVENUE,
    line: 21, // version: 1.0.0 (the contract file says 1.1.0)
    column: 14,
    message: /1\.1\.0/,
    what: 'an output port whose version differs from its contract file',
  },
  {
    fixture: 'missing-quanta-yaml',
    code: 'QUANTA_E029',
    file: 'domains/finance/daily-revenue/quanta.yaml',
    line: 1,
    column: 1,
    message: /quanta\.yaml/,
    what: 'a product without quanta.yaml',
  },
  {
    fixture: 'missing-transform-sql',
    code: 'QUANTA_E029',
    file: 'domains/finance/daily-revenue/transform.sql',
    line: 1,
    column: 1,
    message: /transform\.sql/,
    what: 'a product with input ports but no transform.sql',
  },
  {
    fixture: 'domain-folder-without-domain-yaml',
    code: 'QUANTA_E029',
    file: 'domains/sales/domain.yaml',
    line: 1,
    column: 1,
    message: /domains\/sales/,
    what: 'a domain folder without domain.yaml',
  },
  {
    fixture: 'lineage-cycle',
    code: 'QUANTA_E030',
    file: DAILY_REVENUE,
    line: 15, // contractId: hello.sales.orders, the edge orders → daily-revenue that closes the loop
    column: 17,
    message: /daily-revenue → orders → daily-revenue/,
    what: 'two products that read each other',
  },
  {
    fixture: 'lineage-self-cycle',
    code: 'QUANTA_E030',
    file: DAILY_REVENUE,
    line: 18, // contractId of input port `yesterday`, the product's own contract
    column: 17,
    message: /daily-revenue → daily-revenue/,
    what: 'a product that reads its own output',
  },
  {
    fixture: 'duplicate-input-port-name',
    code: 'QUANTA_E033',
    file: DAILY_REVENUE,
    line: 17, // the second `- name: orders`
    column: 11,
    message: /"orders"/,
    what: 'two input ports with the same name',
  },
  {
    fixture: 'duplicate-contract-publisher',
    code: 'QUANTA_E035',
    file: DAILY_REVENUE,
    line: 27, // contractId of the second output port, revenue_by_day
    column: 17,
    message: /hello\.finance\.daily-revenue/,
    what: 'two output ports publishing the same contract id and version',
  },

  // Seed files and sources
  {
    fixture: 'seed-path-escapes',
    code: 'QUANTA_E031',
    file: ORDERS_SETTINGS,
    line: 7, // file: ../../../../etc/passwd
    column: 11,
    message: /"\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd"/,
    what: 'a seed path that climbs out of the mesh folder',
  },
  {
    fixture: 'seed-absolute-path',
    code: 'QUANTA_E031',
    file: ORDERS_SETTINGS,
    line: 7, // file: /etc/passwd
    column: 11,
    message: /"\/etc\/passwd"/,
    what: 'an absolute seed path',
  },
  {
    fixture: 'seed-file-missing',
    code: 'QUANTA_E032',
    file: ORDERS_SETTINGS,
    line: 7, // file: data/order.csv
    column: 11,
    message: /"data\/order\.csv"/,
    what: 'a seed file that does not exist',
  },
  {
    fixture: 'duplicate-source-name',
    code: 'QUANTA_E033',
    file: ORDERS_SETTINGS,
    line: 8, // the second `- name: orders_csv`
    column: 11,
    message: /"orders_csv"/,
    what: 'two sources with the same name',
  },
  {
    fixture: 'generator-unknown-source',
    code: 'QUANTA_E034',
    file: ORDERS_SETTINGS,
    line: 18, // references: customers.order_id
    column: 23,
    message: /customers\.order_id/,
    what: 'a generated column referencing an unknown source',
  },
];
