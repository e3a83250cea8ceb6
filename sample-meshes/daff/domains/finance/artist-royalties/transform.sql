-- The output port `artist_royalties` is the result of this query.
-- Input ports: play_events, artist_profiles, artist_tracks, subscription_events.
WITH streams AS (
  SELECT
    CAST(date_trunc('month', e.played_at) AS DATE) AS period_start,
    t.artist_id,
    count(*) AS streams,
    max(e.played_at) AS last_stream_at
  FROM play_events AS e
  JOIN artist_tracks AS t ON t.track_id = e.track_id
  WHERE e.content_type = 'track' AND e.seconds_played >= 30
  GROUP BY ALL
),
periods AS (
  SELECT period_start, sum(streams) AS total_streams, max(last_stream_at) AS streams_through
  FROM streams
  GROUP BY period_start
),
pools AS (
  SELECT CAST(date_trunc('month', occurred_at) AS DATE) AS period_start, 0.52 * sum(amount_eur) AS pool_eur
  FROM subscription_events
  WHERE payment_status = 'paid'
  GROUP BY 1
),
rates AS (
  SELECT p.period_start, p.streams_through, coalesce(o.pool_eur, 0) / p.total_streams AS per_stream_eur
  FROM periods AS p
  LEFT JOIN pools AS o ON o.period_start = p.period_start
),
amounts AS (
  SELECT
    s.period_start,
    s.artist_id,
    a.artist_name,
    a.label,
    s.streams,
    r.per_stream_eur,
    CAST(s.streams * r.per_stream_eur AS DECIMAL(12, 2)) AS gross_eur,
    CAST(s.streams * r.per_stream_eur * a.royalty_rate AS DECIMAL(12, 2)) AS artist_eur,
    a.payout_verified,
    r.streams_through
  FROM streams AS s
  JOIN rates AS r ON r.period_start = s.period_start
  JOIN artist_profiles AS a ON a.artist_id = s.artist_id
)
SELECT
  period_start,
  artist_id,
  artist_name,
  label,
  CAST(streams AS INTEGER) AS streams,
  CAST(per_stream_eur AS DECIMAL(12, 6)) AS per_stream_rate_eur,
  gross_eur AS gross_royalty_eur,
  artist_eur AS artist_share_eur,
  CAST(gross_eur - artist_eur AS DECIMAL(12, 2)) AS label_share_eur,
  CASE WHEN payout_verified THEN 'payable' ELSE 'held' END AS payout_status,
  streams_through
FROM amounts
ORDER BY period_start, gross_royalty_eur DESC, artist_id
