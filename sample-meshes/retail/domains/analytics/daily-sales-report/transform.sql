-- The output port `daily_sales`. Input ports: store_sales and online_order_lines.
WITH lines AS (
  SELECT CAST(sold_at AS DATE) AS day, store_id, 'store' AS channel,
         CAST(receipt_id AS VARCHAR) AS transaction_id, quantity, amount_eur
  FROM store_sales
  UNION ALL
  SELECT CAST(placed_at AS DATE), fulfilment_store_id, 'online',
         order_id, quantity, amount_eur
  FROM online_order_lines
  WHERE status <> 'cancelled'
)
SELECT
  day,
  store_id,
  channel,
  CAST(count(DISTINCT transaction_id) AS INTEGER) AS transactions,
  CAST(sum(quantity) AS INTEGER) AS units_sold,
  CAST(sum(amount_eur) AS DECIMAL(12, 2)) AS revenue_eur,
  CAST(sum(amount_eur) / count(DISTINCT transaction_id) AS DECIMAL(10, 2)) AS avg_basket_eur
FROM lines
GROUP BY day, store_id, channel
ORDER BY day, store_id, channel
