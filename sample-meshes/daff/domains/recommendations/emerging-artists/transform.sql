-- The output port `emerging_artists` is the result of this query.
-- Input ports: play_events, artist_profiles, artist_tracks.
-- The window is the seven days before the latest play; growth compares the plays of its
-- last three days with those of the four days before, per day.
WITH window_end AS (
  SELECT max(played_at) AS ends_at FROM play_events
),
streams AS (
  SELECT
    t.artist_id,
    e.listener_id,
    e.played_at > w.ends_at - INTERVAL 3 DAY AS is_recent
  FROM play_events AS e
  JOIN artist_tracks AS t ON t.track_id = e.track_id
  CROSS JOIN window_end AS w
  WHERE e.content_type = 'track'
    AND e.seconds_played >= 30
    AND e.played_at > w.ends_at - INTERVAL 7 DAY
),
per_artist AS (
  SELECT
    artist_id,
    count(*) AS streams,
    count(DISTINCT listener_id) AS listeners,
    count(*) FILTER (WHERE is_recent) / 3.0 AS recent_per_day,
    count(*) FILTER (WHERE NOT is_recent) / 4.0 AS earlier_per_day
  FROM streams
  GROUP BY artist_id
),
ranked AS (
  SELECT
    p.*,
    s.streams,
    s.listeners,
    s.recent_per_day / nullif(s.earlier_per_day, 0) AS growth,
    row_number() OVER (ORDER BY s.listeners DESC, s.streams DESC, p.artist_id) AS rank
  FROM artist_profiles AS p
  JOIN per_artist AS s ON s.artist_id = p.artist_id
  CROSS JOIN window_end AS w
  WHERE p.onboarded_at > w.ends_at - INTERVAL 365 DAY
)
SELECT
  CAST(r.rank AS INTEGER) AS rank,
  r.artist_id,
  r.artist_name,
  r.primary_genre,
  r.country,
  r.label,
  r.onboarded_at,
  CAST(r.streams AS INTEGER) AS streams_7d,
  CAST(r.listeners AS INTEGER) AS listeners_7d,
  CAST(r.growth AS DECIMAL(6, 2)) AS growth_ratio,
  w.ends_at AS window_end
FROM ranked AS r
CROSS JOIN window_end AS w
WHERE r.rank <= 25
ORDER BY r.rank
