-- The output port `demand_features`. Input ports: store_sales, online_order_lines (orders
-- domain), stock_levels and items (inventory domain).
WITH sales AS (
  SELECT CAST(sold_at AS DATE) AS day, store_id, sku,
         quantity AS units_store, 0 AS units_online, amount_eur
  FROM store_sales
  UNION ALL
  -- Online demand lands on the store that picks the order.
  SELECT CAST(placed_at AS DATE), fulfilment_store_id, sku,
         0, quantity, amount_eur
  FROM online_order_lines
  WHERE status <> 'cancelled'
),
daily AS (
  SELECT day, store_id, sku,
         sum(units_store) AS units_store,
         sum(units_online) AS units_online,
         sum(amount_eur) AS revenue_eur
  FROM sales
  GROUP BY day, store_id, sku
),
-- A dense grid: every day with sales x every store x every item, so that days without
-- sales are rows with 0 units rather than missing rows.
grid AS (
  SELECT d.day, s.store_id, i.sku, i.category, i.perishable
  FROM (SELECT DISTINCT day FROM daily) AS d
  CROSS JOIN (SELECT DISTINCT store_id FROM daily) AS s
  CROSS JOIN items AS i
),
last_count AS (
  SELECT CAST(counted_at AS DATE) AS day, store_id, sku,
         arg_max(units_on_hand, counted_at) AS units_on_hand
  FROM stock_levels
  GROUP BY CAST(counted_at AS DATE), store_id, sku
)
SELECT
  g.day,
  g.store_id,
  g.sku,
  g.category,
  g.perishable,
  CAST(isodow(g.day) AS INTEGER) AS day_of_week,
  isodow(g.day) >= 6 AS is_weekend,
  CAST(coalesce(d.units_store, 0) AS INTEGER) AS units_sold_store,
  CAST(coalesce(d.units_online, 0) AS INTEGER) AS units_sold_online,
  CAST(coalesce(d.units_store, 0) + coalesce(d.units_online, 0) AS INTEGER) AS units_sold,
  CAST(coalesce(d.revenue_eur, 0) AS DECIMAL(12, 2)) AS revenue_eur,
  CAST(avg(coalesce(d.units_store, 0) + coalesce(d.units_online, 0)) OVER (
    PARTITION BY g.store_id, g.sku ORDER BY g.day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW
  ) AS DECIMAL(10, 2)) AS units_sold_7d_avg,
  CAST(c.units_on_hand AS INTEGER) AS units_on_hand
FROM grid AS g
LEFT JOIN daily AS d ON d.day = g.day AND d.store_id = g.store_id AND d.sku = g.sku
LEFT JOIN last_count AS c ON c.day = g.day AND c.store_id = g.store_id AND c.sku = g.sku
ORDER BY g.day, g.store_id, g.sku
