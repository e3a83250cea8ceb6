-- The output port `subscription_events` is the result of this query.
-- A cancellation ends a paid plan (the listener goes back to Free) and charges nothing.
SELECT
  CAST(e.event_id AS BIGINT) AS event_id,
  e.listener_id,
  e.event_type,
  e.plan,
  CAST(CASE WHEN e.event_type = 'cancelled' THEN 0 ELSE CAST(p.monthly_price_eur AS DECIMAL(6, 2)) END AS DECIMAL(6, 2)) AS amount_eur,
  CASE WHEN e.event_type = 'cancelled' THEN 'not-applicable' ELSE e.payment_status END AS payment_status,
  CASE WHEN e.event_type = 'cancelled' THEN NULL ELSE e.payment_method END AS payment_method,
  CAST(e.occurred_at AS TIMESTAMP) AS occurred_at
FROM billing_events AS e
JOIN plans AS p ON p.plan = e.plan
ORDER BY e.event_id
