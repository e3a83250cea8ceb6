-- The output port `store_sales`: the till export has one row per receipt with up to four
-- item slots; unfold the filled slots into receipt lines and price them from `price_list`.
WITH lines AS (
  SELECT receipt_id, 1 AS line_no, sku_1 AS sku, qty_1 AS quantity FROM till_receipts
  UNION ALL
  SELECT receipt_id, 2, sku_2, qty_2 FROM till_receipts WHERE sku_2 IS NOT NULL
  UNION ALL
  SELECT receipt_id, 3, sku_3, qty_3 FROM till_receipts WHERE sku_3 IS NOT NULL
  UNION ALL
  SELECT receipt_id, 4, sku_4, qty_4 FROM till_receipts WHERE sku_4 IS NOT NULL
)
SELECT
  CAST(r.receipt_id AS BIGINT) * 10 + l.line_no AS line_id,
  CAST(r.receipt_id AS BIGINT) AS receipt_id,
  CAST(l.line_no AS INTEGER) AS line_no,
  r.store_id,
  CAST(r.till_no AS INTEGER) AS till_no,
  CAST(r.sold_at AS TIMESTAMP) AS sold_at,
  r.customer_id,
  l.sku,
  CAST(l.quantity AS INTEGER) AS quantity,
  CAST(p.unit_price_eur AS DECIMAL(10, 2)) AS unit_price_eur,
  CAST(CAST(l.quantity AS INTEGER) * CAST(p.unit_price_eur AS DECIMAL(10, 2)) AS DECIMAL(12, 2)) AS amount_eur,
  r.payment_method
FROM lines AS l
JOIN till_receipts AS r ON r.receipt_id = l.receipt_id
JOIN price_list AS p ON p.sku = l.sku
ORDER BY line_id
