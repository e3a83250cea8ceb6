-- The output port `customer_360`. The four input ports are tables named after them:
-- customers, store_sales, online_order_lines and point_events.
WITH as_of AS (
  -- Ages are computed as of the newest registration, not today's date, so that a rerun of
  -- the same data gives the same bands.
  SELECT year(max(registered_at)) AS year FROM customers
),
store AS (
  SELECT
    customer_id,
    count(DISTINCT receipt_id) AS receipts,
    sum(amount_eur) AS spend_eur,
    max(sold_at) AS last_at
  FROM store_sales
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
),
online AS (
  SELECT
    customer_id,
    count(DISTINCT order_id) AS orders,
    sum(amount_eur) AS spend_eur,
    max(placed_at) AS last_at
  FROM online_order_lines
  WHERE status <> 'cancelled'
  GROUP BY customer_id
),
points AS (
  SELECT
    customer_id,
    sum(points_delta) AS balance,
    coalesce(sum(points_delta) FILTER (WHERE points_delta > 0), 0) AS earned
  FROM point_events
  GROUP BY customer_id
)
SELECT
  c.customer_id,
  c.first_name,
  c.last_name,
  c.email,
  CASE
    WHEN c.birth_year IS NULL THEN 'unknown'
    WHEN a.year - c.birth_year < 25 THEN '18-24'
    WHEN a.year - c.birth_year < 35 THEN '25-34'
    WHEN a.year - c.birth_year < 45 THEN '35-44'
    WHEN a.year - c.birth_year < 55 THEN '45-54'
    WHEN a.year - c.birth_year < 65 THEN '55-64'
    ELSE '65+'
  END AS age_band,
  c.home_store_id,
  c.registered_at,
  c.marketing_opt_in,
  CAST(coalesce(s.receipts, 0) AS INTEGER) AS store_receipts,
  CAST(coalesce(o.orders, 0) AS INTEGER) AS online_orders,
  CAST(coalesce(s.spend_eur, 0) + coalesce(o.spend_eur, 0) AS DECIMAL(12, 2)) AS lifetime_spend_eur,
  -- greatest() skips NULLs: a customer who only buys online still has a last purchase.
  greatest(s.last_at, o.last_at) AS last_purchase_at,
  CASE
    WHEN s.customer_id IS NULL AND o.customer_id IS NULL THEN 'none'
    WHEN coalesce(o.spend_eur, 0) > coalesce(s.spend_eur, 0) THEN 'online'
    ELSE 'store'
  END AS preferred_channel,
  -- The till refuses a redemption larger than the balance; clamp what the ledger replays.
  CAST(greatest(coalesce(p.balance, 0), 0) AS INTEGER) AS points_balance,
  CASE
    WHEN coalesce(p.earned, 0) >= 1500 THEN 'gold'
    WHEN coalesce(p.earned, 0) >= 500 THEN 'silver'
    ELSE 'bronze'
  END AS loyalty_tier
FROM customers AS c
CROSS JOIN as_of AS a
LEFT JOIN store AS s ON s.customer_id = c.customer_id
LEFT JOIN online AS o ON o.customer_id = c.customer_id
LEFT JOIN points AS p ON p.customer_id = c.customer_id
ORDER BY c.customer_id
