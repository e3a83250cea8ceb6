import { stringify } from 'yaml';
import type { GeneratorColumn } from '../core/model/types.ts';

/*
 * A TPC-H-like mesh, written as mesh files in memory. Source-aligned products publish the
 * TPC-H tables (geography = nation + region, parts, suppliers, customers, orders,
 * lineitem); an aggregate and several consumer-aligned products compute TPC-H-style
 * queries (Q1, Q3, Q5, Q6, Q10, a Q15-like supplier ranking, revenue by nation and segment).
 *
 * Source rows come from one of two deterministic methods, chosen by `sources`:
 *   - 'generator': quanta.yaml generator sources; each quantum generates its rows in JS
 *     with the runtime's generator (the product feature as it is).
 *   - 'sql': the source product's transform.sql generates the rows itself from range() and
 *     hash(), inside DuckDB; no rows cross from JS.
 * Either way the source transform then casts the raw columns to the published types with
 * the same SELECT list.
 */
export type SourceMode = 'generator' | 'sql';

/** Rows per table at scale 1 (TPC-H SF 1). */
export const BASE_ROWS = {
  customers: 150_000,
  suppliers: 10_000,
  parts: 200_000,
  orders: 1_500_000,
  lineitem: 6_000_000,
} as const;

export type TableName = keyof typeof BASE_ROWS;

export function rowsAtScale(scale: number): Record<TableName, number> {
  const rows = (n: number): number => Math.max(10, Math.round(n * scale));
  return {
    customers: rows(BASE_ROWS.customers),
    suppliers: rows(BASE_ROWS.suppliers),
    parts: rows(BASE_ROWS.parts),
    orders: rows(BASE_ROWS.orders),
    lineitem: rows(BASE_ROWS.lineitem),
  };
}

/** One raw source column: its generator spec and an equivalent DuckDB expression over the row index `i` (0-based). */
interface RawColumn {
  readonly gen: GeneratorColumn;
  readonly sql: string;
}

interface ContractColumnSpec {
  readonly name: string;
  readonly logicalType: 'integer' | 'number' | 'string' | 'date' | 'boolean';
  readonly physicalType: string;
  readonly required?: boolean;
  readonly primaryKey?: boolean;
}

interface PortSpec {
  readonly name: string;
  readonly columns: readonly ContractColumnSpec[];
}

interface SourceSpec {
  readonly name: string;
  readonly rows: number;
  readonly seed: number;
  readonly columns: readonly RawColumn[];
}

interface ProductSpec {
  readonly id: string;
  readonly name: string;
  readonly domain: DomainId;
  readonly archetype: 'source-aligned' | 'aggregate' | 'consumer-aligned';
  readonly purpose: string;
  readonly sources?: readonly SourceSpec[];
  /** Input port name → the output port it reads, as `<product>.<port>`. */
  readonly inputs?: readonly { readonly name: string; readonly from: string }[];
  readonly ports: readonly PortSpec[];
  /**
   * transform.sql. For source products it is given the raw relation to read per source:
   * the source's table (generator mode) or a CTE over range() (sql mode).
   */
  readonly transform: (from: (source: string) => string) => string;
}

const DOMAINS = {
  catalog: 'Catalog',
  supply: 'Supply',
  sales: 'Sales',
  finance: 'Finance',
} as const;
type DomainId = keyof typeof DOMAINS;

// ---- raw column helpers: the generator spec and the SQL twin side by side ----

const uniform = (name: string): string => `((hash(i, '${name}') % 1000000)::DOUBLE / 1000000)`;

function sequence(name: string, start = 1): RawColumn {
  return { gen: { name, type: 'sequence', start }, sql: `(i + ${start})` };
}
function integer(name: string, min: number, max: number): RawColumn {
  return { gen: { name, type: 'integer', min, max }, sql: `(${min} + (hash(i, '${name}') % ${max - min + 1})::BIGINT)` };
}
function decimal(name: string, min: number, max: number, scale = 2): RawColumn {
  return { gen: { name, type: 'decimal', min, max, scale }, sql: `round(${min} + ${uniform(name)} * ${max - min}, ${scale})` };
}
function choice(name: string, values: readonly string[], weights?: readonly number[]): RawColumn {
  const w = weights ?? values.map(() => 1);
  const total = w.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  const arms = values.slice(0, -1).map((v, k) => {
    cumulative += (w[k] ?? 0) / total;
    return `WHEN ${uniform(name)} < ${cumulative.toFixed(6)} THEN '${v}'`;
  });
  const sql = `CASE ${arms.join(' ')} ELSE '${values.at(-1) ?? ''}' END`;
  return { gen: { name, type: 'choice', values, ...(weights ? { weights } : {}) }, sql };
}
function timestamp(name: string, start: string, stepSeconds: number, jitterSeconds: number): RawColumn {
  return {
    gen: { name, type: 'timestamp', start, stepSeconds, jitterSeconds },
    sql: `(TIMESTAMP '${start.replace('T', ' ').replace('Z', '')}' + to_seconds(i * ${stepSeconds} + (hash(i, '${name}') % ${Math.max(1, jitterSeconds)})::BIGINT))`,
  };
}
function text(name: string, prefix: string, width: number): RawColumn {
  return { gen: { name, type: 'text', template: `${prefix}{i:${width}}` }, sql: `('${prefix}' || lpad((i + 1)::VARCHAR, ${width}, '0'))` };
}
/** A foreign key into a sequence column starting at 1 of `targetRows` rows. */
function reference(name: string, references: string, targetRows: number): RawColumn {
  return { gen: { name, type: 'reference', references }, sql: `(1 + (hash(i, '${name}') % ${targetRows})::BIGINT)` };
}

const NATIONS = [
  ['ALGERIA', 0],
  ['ARGENTINA', 1],
  ['BRAZIL', 1],
  ['CANADA', 1],
  ['EGYPT', 4],
  ['ETHIOPIA', 0],
  ['FRANCE', 3],
  ['GERMANY', 3],
  ['INDIA', 2],
  ['INDONESIA', 2],
  ['IRAN', 4],
  ['IRAQ', 4],
  ['JAPAN', 2],
  ['JORDAN', 4],
  ['KENYA', 0],
  ['MOROCCO', 0],
  ['MOZAMBIQUE', 0],
  ['PERU', 1],
  ['CHINA', 2],
  ['ROMANIA', 3],
  ['SAUDI ARABIA', 4],
  ['VIETNAM', 2],
  ['RUSSIA', 3],
  ['UNITED KINGDOM', 3],
  ['UNITED STATES', 1],
] as const;
const REGIONS = ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'] as const;
const SEGMENTS = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'] as const;
const DAY = 86_400;
/** TPC-H order dates run from 1992-01-01 for 2,406 days. */
const ORDER_DAYS = 2_406;

const sqlList = (values: readonly (string | number)[]): string =>
  `[${values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')}]`;

const int = (name: string, extra: Partial<ContractColumnSpec> = {}): ContractColumnSpec => ({
  name,
  logicalType: 'integer',
  physicalType: 'INTEGER',
  ...extra,
});
const key = (name: string): ContractColumnSpec => int(name, { required: true, primaryKey: true });
const num = (name: string, physicalType = 'DOUBLE'): ContractColumnSpec => ({ name, logicalType: 'number', physicalType });
const str = (name: string): ContractColumnSpec => ({ name, logicalType: 'string', physicalType: 'VARCHAR' });
const date = (name: string): ContractColumnSpec => ({ name, logicalType: 'date', physicalType: 'DATE' });

function products(rows: Record<TableName, number>): ProductSpec[] {
  const orderStep = Math.max(1, Math.floor((ORDER_DAYS * DAY) / rows.orders));
  const shipStep = Math.max(1, Math.floor(((ORDER_DAYS + 120) * DAY) / rows.lineitem));
  return [
    {
      id: 'geography',
      name: 'Geography',
      domain: 'catalog',
      archetype: 'source-aligned',
      purpose: 'The 25 TPC-H nations and their 5 regions.',
      sources: [
        { name: 'nation_keys', rows: NATIONS.length, seed: 1, columns: [sequence('n_nationkey', 0)] },
        { name: 'region_keys', rows: REGIONS.length, seed: 2, columns: [sequence('r_regionkey', 0)] },
      ],
      ports: [
        { name: 'nation', columns: [key('n_nationkey'), str('n_name'), int('n_regionkey', { required: true })] },
        { name: 'region', columns: [key('r_regionkey'), str('r_name')] },
      ],
      transform: (from) => `CREATE TABLE nation AS
SELECT k AS n_nationkey, ${sqlList(NATIONS.map((n) => n[0]))}[k + 1] AS n_name, ${sqlList(NATIONS.map((n) => n[1]))}[k + 1]::INTEGER AS n_regionkey
FROM (SELECT CAST(n_nationkey AS INTEGER) AS k FROM ${from('nation_keys')});

CREATE TABLE region AS
SELECT k AS r_regionkey, ${sqlList([...REGIONS])}[k + 1] AS r_name
FROM (SELECT CAST(r_regionkey AS INTEGER) AS k FROM ${from('region_keys')});
`,
    },
    {
      id: 'parts',
      name: 'Parts',
      domain: 'catalog',
      archetype: 'source-aligned',
      purpose: 'Every part the company sells.',
      sources: [
        {
          name: 'part_rows',
          rows: rows.parts,
          seed: 3,
          columns: [
            sequence('p_partkey'),
            text('p_name', 'part ', 8),
            choice('p_mfgr', ['Manufacturer#1', 'Manufacturer#2', 'Manufacturer#3', 'Manufacturer#4', 'Manufacturer#5']),
            choice('p_brand', ['Brand#11', 'Brand#12', 'Brand#23', 'Brand#34', 'Brand#45', 'Brand#51', 'Brand#55']),
            choice('p_type1', ['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO']),
            choice('p_type2', ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED']),
            choice('p_type3', ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER']),
            integer('p_size', 1, 50),
            decimal('p_retailprice', 900, 2100),
          ],
        },
      ],
      ports: [
        {
          name: 'part',
          columns: [key('p_partkey'), str('p_name'), str('p_mfgr'), str('p_brand'), str('p_type'), int('p_size'), num('p_retailprice')],
        },
      ],
      transform: (from) => `SELECT
  CAST(p_partkey AS INTEGER) AS p_partkey,
  p_name,
  p_mfgr,
  p_brand,
  p_type1 || ' ' || p_type2 || ' ' || p_type3 AS p_type,
  CAST(p_size AS INTEGER) AS p_size,
  CAST(p_retailprice AS DOUBLE) AS p_retailprice
FROM ${from('part_rows')}
`,
    },
    {
      id: 'suppliers',
      name: 'Suppliers',
      domain: 'supply',
      archetype: 'source-aligned',
      purpose: 'Every supplier, with its nation and account balance.',
      sources: [
        {
          name: 'supplier_rows',
          rows: rows.suppliers,
          seed: 4,
          columns: [
            sequence('s_suppkey'),
            text('s_name', 'Supplier#', 9),
            integer('s_nationkey', 0, 24),
            decimal('s_acctbal', -999.99, 9999.99),
          ],
        },
      ],
      ports: [{ name: 'supplier', columns: [key('s_suppkey'), str('s_name'), int('s_nationkey', { required: true }), num('s_acctbal')] }],
      transform: (from) => `SELECT
  CAST(s_suppkey AS INTEGER) AS s_suppkey,
  s_name,
  CAST(s_nationkey AS INTEGER) AS s_nationkey,
  CAST(s_acctbal AS DOUBLE) AS s_acctbal
FROM ${from('supplier_rows')}
`,
    },
    {
      id: 'customers',
      name: 'Customers',
      domain: 'sales',
      archetype: 'source-aligned',
      purpose: 'Every customer, with nation, market segment and balance.',
      sources: [
        {
          name: 'customer_rows',
          rows: rows.customers,
          seed: 5,
          columns: [
            sequence('c_custkey'),
            text('c_name', 'Customer#', 9),
            integer('c_nationkey', 0, 24),
            decimal('c_acctbal', -999.99, 9999.99),
            choice('c_mktsegment', SEGMENTS),
          ],
        },
      ],
      ports: [
        {
          name: 'customer',
          columns: [key('c_custkey'), str('c_name'), int('c_nationkey', { required: true }), num('c_acctbal'), str('c_mktsegment')],
        },
      ],
      transform: (from) => `SELECT
  CAST(c_custkey AS INTEGER) AS c_custkey,
  c_name,
  CAST(c_nationkey AS INTEGER) AS c_nationkey,
  CAST(c_acctbal AS DOUBLE) AS c_acctbal,
  c_mktsegment
FROM ${from('customer_rows')}
`,
    },
    {
      id: 'orders',
      name: 'Orders',
      domain: 'sales',
      archetype: 'source-aligned',
      purpose: 'Every order, one row per order.',
      sources: [
        {
          name: 'order_rows',
          rows: rows.orders,
          seed: 6,
          columns: [
            sequence('o_orderkey'),
            reference('o_custkey', 'customers/customer_rows.c_custkey', rows.customers),
            choice('o_orderstatus', ['F', 'O', 'P'], [49, 49, 2]),
            decimal('o_totalprice', 850, 550000),
            timestamp('o_orderdate', '1992-01-01T00:00:00Z', orderStep, orderStep),
            choice('o_orderpriority', ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW']),
          ],
        },
      ],
      ports: [
        {
          name: 'orders',
          columns: [
            key('o_orderkey'),
            int('o_custkey', { required: true }),
            str('o_orderstatus'),
            num('o_totalprice'),
            date('o_orderdate'),
            str('o_orderpriority'),
            int('o_shippriority'),
          ],
        },
      ],
      transform: (from) => `SELECT
  CAST(o_orderkey AS INTEGER) AS o_orderkey,
  CAST(o_custkey AS INTEGER) AS o_custkey,
  o_orderstatus,
  CAST(o_totalprice AS DOUBLE) AS o_totalprice,
  CAST(CAST(o_orderdate AS TIMESTAMP) AS DATE) AS o_orderdate,
  o_orderpriority,
  0::INTEGER AS o_shippriority
FROM ${from('order_rows')}
`,
    },
    {
      id: 'lineitem',
      name: 'Line items',
      domain: 'sales',
      archetype: 'source-aligned',
      purpose: 'Every order line: part, supplier, quantity, price, shipping.',
      sources: [
        {
          name: 'lineitem_rows',
          rows: rows.lineitem,
          seed: 7,
          columns: [
            reference('l_orderkey', 'orders/order_rows.o_orderkey', rows.orders),
            reference('l_partkey', 'parts/part_rows.p_partkey', rows.parts),
            reference('l_suppkey', 'suppliers/supplier_rows.s_suppkey', rows.suppliers),
            integer('l_linenumber', 1, 7),
            integer('l_quantity', 1, 50),
            decimal('l_extendedprice', 900, 105000),
            decimal('l_discount', 0, 0.1),
            decimal('l_tax', 0, 0.08),
            choice('l_returnflag', ['R', 'A', 'N'], [1, 1, 2]),
            choice('l_linestatus', ['O', 'F']),
            timestamp('l_shipdate', '1992-01-02T00:00:00Z', shipStep, 30 * DAY),
            choice('l_shipmode', ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB']),
          ],
        },
      ],
      ports: [
        {
          name: 'lineitem',
          columns: [
            int('l_orderkey', { required: true }),
            int('l_partkey', { required: true }),
            int('l_suppkey', { required: true }),
            int('l_linenumber'),
            num('l_quantity'),
            num('l_extendedprice'),
            num('l_discount'),
            num('l_tax'),
            str('l_returnflag'),
            str('l_linestatus'),
            date('l_shipdate'),
            str('l_shipmode'),
          ],
        },
      ],
      transform: (from) => `SELECT
  CAST(l_orderkey AS INTEGER) AS l_orderkey,
  CAST(l_partkey AS INTEGER) AS l_partkey,
  CAST(l_suppkey AS INTEGER) AS l_suppkey,
  CAST(l_linenumber AS INTEGER) AS l_linenumber,
  CAST(l_quantity AS DOUBLE) AS l_quantity,
  CAST(l_extendedprice AS DOUBLE) AS l_extendedprice,
  CAST(l_discount AS DOUBLE) AS l_discount,
  CAST(l_tax AS DOUBLE) AS l_tax,
  l_returnflag,
  l_linestatus,
  CAST(CAST(l_shipdate AS TIMESTAMP) AS DATE) AS l_shipdate,
  l_shipmode
FROM ${from('lineitem_rows')}
`,
    },
    {
      id: 'order-revenue',
      name: 'Order revenue',
      domain: 'sales',
      archetype: 'aggregate',
      purpose: 'Net revenue and line count per order (orders joined with their lines).',
      inputs: [
        { name: 'orders', from: 'orders.orders' },
        { name: 'lineitem', from: 'lineitem.lineitem' },
      ],
      ports: [
        {
          name: 'order_revenue',
          columns: [
            key('o_orderkey'),
            int('o_custkey'),
            date('o_orderdate'),
            num('revenue', 'DOUBLE'),
            int('lines', { physicalType: 'BIGINT' }),
          ],
        },
      ],
      transform: () => `SELECT
  o_orderkey,
  o_custkey,
  o_orderdate,
  sum(l_extendedprice * (1 - l_discount)) AS revenue,
  count(*) AS lines
FROM orders
JOIN lineitem ON l_orderkey = o_orderkey
GROUP BY o_orderkey, o_custkey, o_orderdate
`,
    },
    {
      id: 'pricing-summary',
      name: 'Pricing summary (Q1)',
      domain: 'finance',
      archetype: 'consumer-aligned',
      purpose: 'TPC-H Q1: quantities and prices of shipped lines by return flag and status.',
      inputs: [{ name: 'lineitem', from: 'lineitem.lineitem' }],
      ports: [
        {
          name: 'pricing_summary',
          columns: [
            str('l_returnflag'),
            str('l_linestatus'),
            num('sum_qty', 'DOUBLE'),
            num('sum_base_price', 'DOUBLE'),
            num('sum_disc_price', 'DOUBLE'),
            num('sum_charge', 'DOUBLE'),
            num('avg_qty', 'DOUBLE'),
            num('avg_price', 'DOUBLE'),
            num('avg_disc', 'DOUBLE'),
            int('count_order', { physicalType: 'BIGINT' }),
          ],
        },
      ],
      transform: () => `SELECT
  l_returnflag,
  l_linestatus,
  sum(l_quantity) AS sum_qty,
  sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty,
  avg(l_extendedprice) AS avg_price,
  avg(l_discount) AS avg_disc,
  count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL 90 DAY
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus
`,
    },
    {
      id: 'forecast-revenue-change',
      name: 'Forecast revenue change (Q6)',
      domain: 'finance',
      archetype: 'consumer-aligned',
      purpose: 'TPC-H Q6 per year: revenue a small discount change would have added.',
      inputs: [{ name: 'lineitem', from: 'lineitem.lineitem' }],
      ports: [{ name: 'forecast_revenue_change', columns: [int('ship_year', { required: true }), num('revenue', 'DOUBLE')] }],
      transform: () => `SELECT
  year(l_shipdate)::INTEGER AS ship_year,
  sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24
GROUP BY 1
ORDER BY 1
`,
    },
    {
      id: 'shipping-priority',
      name: 'Shipping priority (Q3)',
      domain: 'sales',
      archetype: 'consumer-aligned',
      purpose: 'TPC-H Q3: the unshipped BUILDING orders with the most revenue.',
      inputs: [
        { name: 'customer', from: 'customers.customer' },
        { name: 'orders', from: 'orders.orders' },
        { name: 'lineitem', from: 'lineitem.lineitem' },
      ],
      ports: [
        {
          name: 'shipping_priority',
          columns: [key('l_orderkey'), num('revenue', 'DOUBLE'), date('o_orderdate'), int('o_shippriority')],
        },
      ],
      transform: () => `SELECT
  l_orderkey,
  sum(l_extendedprice * (1 - l_discount)) AS revenue,
  o_orderdate,
  o_shippriority
FROM customer
JOIN orders ON c_custkey = o_custkey
JOIN lineitem ON l_orderkey = o_orderkey
WHERE c_mktsegment = 'BUILDING'
  AND o_orderdate < DATE '1995-03-15'
  AND l_shipdate > DATE '1995-03-15'
GROUP BY l_orderkey, o_orderdate, o_shippriority
ORDER BY revenue DESC, o_orderdate
LIMIT 100
`,
    },
    {
      id: 'local-supplier-volume',
      name: 'Local supplier volume (Q5)',
      domain: 'supply',
      archetype: 'consumer-aligned',
      purpose: 'TPC-H Q5: 1994 revenue in ASIA through suppliers of the customer’s own nation.',
      inputs: [
        { name: 'customer', from: 'customers.customer' },
        { name: 'orders', from: 'orders.orders' },
        { name: 'lineitem', from: 'lineitem.lineitem' },
        { name: 'supplier', from: 'suppliers.supplier' },
        { name: 'nation', from: 'geography.nation' },
        { name: 'region', from: 'geography.region' },
      ],
      ports: [{ name: 'local_supplier_volume', columns: [str('n_name'), num('revenue', 'DOUBLE')] }],
      transform: () => `SELECT
  n_name,
  sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM customer
JOIN orders ON c_custkey = o_custkey
JOIN lineitem ON l_orderkey = o_orderkey
JOIN supplier ON l_suppkey = s_suppkey AND c_nationkey = s_nationkey
JOIN nation ON s_nationkey = n_nationkey
JOIN region ON n_regionkey = r_regionkey
WHERE r_name = 'ASIA'
  AND o_orderdate >= DATE '1994-01-01'
  AND o_orderdate < DATE '1995-01-01'
GROUP BY n_name
ORDER BY revenue DESC
`,
    },
    {
      id: 'returned-items',
      name: 'Returned item reporting (Q10)',
      domain: 'sales',
      archetype: 'consumer-aligned',
      purpose: 'TPC-H Q10: the customers who returned the most in Q4 1993.',
      inputs: [
        { name: 'customer', from: 'customers.customer' },
        { name: 'orders', from: 'orders.orders' },
        { name: 'lineitem', from: 'lineitem.lineitem' },
        { name: 'nation', from: 'geography.nation' },
      ],
      ports: [
        {
          name: 'returned_items',
          columns: [key('c_custkey'), str('c_name'), num('revenue', 'DOUBLE'), num('c_acctbal'), str('n_name')],
        },
      ],
      transform: () => `SELECT
  c_custkey,
  c_name,
  sum(l_extendedprice * (1 - l_discount)) AS revenue,
  c_acctbal,
  n_name
FROM customer
JOIN orders ON c_custkey = o_custkey
JOIN lineitem ON l_orderkey = o_orderkey
JOIN nation ON c_nationkey = n_nationkey
WHERE o_orderdate >= DATE '1993-10-01'
  AND o_orderdate < DATE '1994-01-01'
  AND l_returnflag = 'R'
GROUP BY c_custkey, c_name, c_acctbal, n_name
ORDER BY revenue DESC, c_custkey
LIMIT 20
`,
    },
    {
      id: 'top-suppliers',
      name: 'Top suppliers (Q15-like)',
      domain: 'supply',
      archetype: 'consumer-aligned',
      purpose: 'Suppliers ranked by revenue shipped in each quarter of 1996.',
      inputs: [
        { name: 'lineitem', from: 'lineitem.lineitem' },
        { name: 'supplier', from: 'suppliers.supplier' },
      ],
      ports: [
        {
          name: 'top_suppliers',
          columns: [int('quarter', { required: true }), int('s_suppkey'), str('s_name'), num('total_revenue', 'DOUBLE'), int('rank')],
        },
      ],
      transform: () => `WITH revenue AS (
  SELECT quarter(l_shipdate)::INTEGER AS quarter, l_suppkey, sum(l_extendedprice * (1 - l_discount)) AS total_revenue
  FROM lineitem
  WHERE l_shipdate >= DATE '1996-01-01' AND l_shipdate < DATE '1997-01-01'
  GROUP BY 1, 2
)
SELECT quarter, s_suppkey, s_name, total_revenue, rank
FROM (
  SELECT quarter, l_suppkey, total_revenue,
         rank() OVER (PARTITION BY quarter ORDER BY total_revenue DESC)::INTEGER AS rank
  FROM revenue
) ranked
JOIN supplier ON s_suppkey = l_suppkey
WHERE rank <= 10
ORDER BY quarter, rank, s_suppkey
`,
    },
    {
      id: 'revenue-by-segment',
      name: 'Revenue by nation and segment',
      domain: 'finance',
      archetype: 'consumer-aligned',
      purpose: 'Net revenue per order year, customer nation and market segment.',
      inputs: [
        { name: 'order_revenue', from: 'order-revenue.order_revenue' },
        { name: 'customer', from: 'customers.customer' },
        { name: 'nation', from: 'geography.nation' },
      ],
      ports: [
        {
          name: 'revenue_by_segment',
          columns: [
            int('order_year', { required: true }),
            str('n_name'),
            str('c_mktsegment'),
            int('orders', { physicalType: 'BIGINT' }),
            num('revenue', 'DOUBLE'),
          ],
        },
      ],
      transform: () => `SELECT
  year(o_orderdate)::INTEGER AS order_year,
  n_name,
  c_mktsegment,
  count(*) AS orders,
  sum(revenue) AS revenue
FROM order_revenue
JOIN customer ON c_custkey = o_custkey
JOIN nation ON c_nationkey = n_nationkey
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
`,
    },
  ];
}

export interface TpchMesh {
  /** Mesh-relative path → file text. */
  readonly files: Record<string, string>;
  readonly rows: Record<TableName, number>;
  /** Rows of all source tables together. */
  readonly sourceRows: number;
  readonly products: number;
  readonly domains: number;
}

const CONTRACT_PREFIX = 'bench.tpch';

/** The mesh's files at a scale (1 = TPC-H SF 1 row counts). */
export function tpchMesh(scale: number, sources: SourceMode): TpchMesh {
  const rows = rowsAtScale(scale);
  const specs = products(rows);
  const files: Record<string, string> = {};
  const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
  files['mesh.yaml'] = yaml({
    apiVersion: 'quanta/v1',
    kind: 'Mesh',
    name: 'tpch-bench',
    title: `TPC-H-like benchmark mesh (scale ${scale})`,
    description: 'Generated by bench/tpchMesh.ts; never written to disk.',
    teams: Object.entries(DOMAINS).map(([id, name]) => ({ id: `${id}-team`, name })),
  });
  for (const [id, name] of Object.entries(DOMAINS)) {
    files[`domains/${id}/domain.yaml`] = yaml({ apiVersion: 'quanta/v1', kind: 'Domain', id, name, team: `${id}-team` });
  }
  const portContract = new Map<string, string>();
  for (const p of specs) for (const port of p.ports) portContract.set(`${p.id}.${port.name}`, `${CONTRACT_PREFIX}.${p.id}.${port.name}`);

  for (const p of specs) {
    const dir = `domains/${p.domain}/${p.id}`;
    const inputPorts = (p.inputs ?? []).map((input) => {
      const contractId = portContract.get(input.from);
      if (!contractId) throw new Error(`bench mesh: ${p.id} reads ${input.from}, which no product publishes`);
      return { name: input.name, contractId, version: '1.0.0' };
    });
    files[`${dir}/product.odps.yaml`] = yaml({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: p.id,
      name: p.name,
      domain: p.domain,
      status: 'active',
      version: '1.0.0',
      description: { purpose: p.purpose },
      team: { name: `${p.domain}-team` },
      ...(inputPorts.length > 0 ? { inputPorts } : {}),
      outputPorts: p.ports.map((port) => ({
        name: port.name,
        type: 'tables',
        version: '1.0.0',
        contractId: `${CONTRACT_PREFIX}.${p.id}.${port.name}`,
      })),
    });
    for (const port of p.ports) {
      files[`${dir}/${port.name}.odcs.yaml`] = yaml({
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: `${CONTRACT_PREFIX}.${p.id}.${port.name}`,
        name: port.name,
        version: '1.0.0',
        status: 'active',
        domain: p.domain,
        dataProduct: p.id,
        schema: [
          {
            name: port.name,
            physicalType: 'table',
            properties: port.columns.map((c) => ({
              name: c.name,
              logicalType: c.logicalType,
              physicalType: c.physicalType,
              ...(c.required ? { required: true } : {}),
              ...(c.primaryKey ? { primaryKey: true } : {}),
            })),
            quality: [{ metric: 'rowCount', mustBeGreaterThan: 0, severity: 'error' }],
          },
        ],
      });
    }
    const generatorSources = sources === 'generator' ? (p.sources ?? []) : [];
    files[`${dir}/quanta.yaml`] = yaml({
      apiVersion: 'quanta/v1',
      kind: 'QuantumSettings',
      archetype: p.archetype,
      ...(generatorSources.length > 0
        ? {
            sources: generatorSources.map((s) => ({
              name: s.name,
              generator: { rows: s.rows, seed: s.seed, columns: s.columns.map((c) => c.gen) },
            })),
          }
        : {}),
      schedule: p.archetype === 'source-aligned' ? { every: '1d' } : { onUpstreamPublish: true },
    });
    files[`${dir}/transform.sql`] = p.transform((name) => {
      if (sources === 'generator') return name;
      const source = p.sources?.find((s) => s.name === name);
      if (!source) throw new Error(`bench mesh: ${p.id} reads unknown source ${name}`);
      return `(SELECT ${source.columns.map((c) => `${c.sql} AS ${c.gen.name}`).join(', ')} FROM range(${source.rows}) AS r(i)) AS ${name}`;
    });
  }
  const sourceRows = specs.flatMap((p) => p.sources ?? []).reduce((sum, s) => sum + s.rows, 0);
  return { files, rows, sourceRows, products: specs.length, domains: Object.keys(DOMAINS).length };
}
