-- The output port `top_daily_podcasts` is the result of this query.
-- Input port: podcast_listeners.
-- The top age band and country of a podcast's day are the most frequent among its listener
-- rows; among equally frequent ones the first by value, so every engine picks the same
-- (mode() leaves the pick among ties to the engine).
WITH top_age_bands AS (
  SELECT day, podcast_id, age_band AS top_age_band
  FROM podcast_listeners
  WHERE age_band IS NOT NULL
  GROUP BY day, podcast_id, age_band
  QUALIFY row_number() OVER (PARTITION BY day, podcast_id ORDER BY count(*) DESC, age_band) = 1
),
top_countries AS (
  SELECT day, podcast_id, country AS top_country
  FROM podcast_listeners
  WHERE country IS NOT NULL
  GROUP BY day, podcast_id, country
  QUALIFY row_number() OVER (PARTITION BY day, podcast_id ORDER BY count(*) DESC, country) = 1
),
daily AS (
  SELECT
    day,
    podcast_id,
    count(DISTINCT listener_id) AS listeners,
    sum(plays) AS plays,
    sum(seconds_played) / 3600.0 AS listening_hours,
    avg(CASE WHEN tier NOT IN ('free', 'unknown') THEN 1.0 ELSE 0.0 END) AS paying_share,
    max(last_played_at) AS last_played_at
  FROM podcast_listeners
  GROUP BY day, podcast_id
),
ranked AS (
  SELECT
    d.*,
    a.top_age_band,
    c.top_country,
    row_number() OVER (PARTITION BY d.day ORDER BY d.listeners DESC, d.listening_hours DESC, d.podcast_id) AS rank
  FROM daily AS d
  LEFT JOIN top_age_bands AS a ON a.day = d.day AND a.podcast_id = d.podcast_id
  LEFT JOIN top_countries AS c ON c.day = d.day AND c.podcast_id = d.podcast_id
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
