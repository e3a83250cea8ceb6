-- The output port `top_daily_podcasts` is the result of this query.
-- Input port: podcast_listeners.
WITH daily AS (
  SELECT
    day,
    podcast_id,
    count(DISTINCT listener_id) AS listeners,
    sum(plays) AS plays,
    sum(seconds_played) / 3600.0 AS listening_hours,
    avg(CASE WHEN tier NOT IN ('free', 'unknown') THEN 1.0 ELSE 0.0 END) AS paying_share,
    mode(age_band) AS top_age_band,
    mode(country) AS top_country,
    max(last_played_at) AS last_played_at
  FROM podcast_listeners
  GROUP BY day, podcast_id
),
ranked AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY day ORDER BY listeners DESC, listening_hours DESC, podcast_id) AS rank
  FROM daily
)
SELECT
  day,
  CAST(rank AS INTEGER) AS rank,
  podcast_id,
  CAST(listeners AS INTEGER) AS listeners,
  CAST(plays AS INTEGER) AS plays,
  CAST(listening_hours AS DECIMAL(10, 1)) AS listening_hours,
  CAST(paying_share AS DECIMAL(4, 3)) AS paying_share,
  top_age_band,
  top_country,
  last_played_at
FROM ranked
WHERE rank <= 10
ORDER BY day, rank
