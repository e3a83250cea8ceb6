-- The output port `podcast_listeners` is the result of this query.
-- Input ports: play_events, listener_profiles. Days are UTC calendar days.
SELECT
  CAST(e.played_at AS DATE) AS day,
  e.podcast_id,
  e.listener_id,
  CAST(count(DISTINCT e.episode_number) AS INTEGER) AS episodes,
  CAST(count(*) AS INTEGER) AS plays,
  CAST(count(*) FILTER (WHERE e.action = 'play') AS INTEGER) AS completed_plays,
  CAST(sum(e.seconds_played) AS INTEGER) AS seconds_played,
  max(e.played_at) AS last_played_at,
  coalesce(p.age_band, 'unknown') AS age_band,
  coalesce(p.country, 'unknown') AS country,
  coalesce(p.tier, 'unknown') AS tier
FROM play_events AS e
LEFT JOIN listener_profiles AS p ON p.listener_id = e.listener_id
WHERE e.content_type = 'episode'
GROUP BY ALL
ORDER BY day, e.podcast_id, e.listener_id
