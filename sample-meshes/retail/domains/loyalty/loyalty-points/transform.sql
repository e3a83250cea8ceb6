-- The output port `point_events`: the ledger with a signed points_delta, so that a balance
-- is a plain sum.
SELECT
  CAST(event_id AS BIGINT) AS event_id,
  customer_id,
  CAST(event_at AS TIMESTAMP) AS event_at,
  event_type,
  CASE
    WHEN event_type IN ('earn', 'bonus') THEN CAST(points AS INTEGER)
    ELSE -CAST(points AS INTEGER)
  END AS points_delta,
  channel
FROM rewards_ledger
ORDER BY event_id
