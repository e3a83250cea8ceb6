-- The output port `listener_music_features` is the result of this query.
-- Input ports: play_sessions, session_tracks, listener_profiles, tracks.
-- The main device is the listener's most frequent session device; among equally frequent ones
-- the first by name, so every engine picks the same (mode() leaves the pick among ties to the engine).
WITH main_devices AS (
  SELECT listener_id, device AS main_device
  FROM play_sessions
  WHERE device IS NOT NULL
  GROUP BY listener_id, device
  QUALIFY row_number() OVER (PARTITION BY listener_id ORDER BY count(*) DESC, device) = 1
),
sessions AS (
  SELECT
    listener_id,
    count(*) AS sessions,
    avg(duration_seconds) / 60.0 AS avg_session_minutes,
    avg(plays) AS avg_plays_per_session,
    sum(skips) / greatest(sum(plays), 1) AS skip_rate,
    sum(episode_plays) / greatest(sum(plays), 1) AS podcast_share,
    max(ended_at) AS last_listened_at
  FROM play_sessions
  GROUP BY listener_id
),
music AS (
  SELECT
    st.listener_id,
    sum(st.streams) AS track_streams,
    count(DISTINCT st.track_id) AS distinct_tracks,
    count(DISTINCT t.artist_id) AS distinct_artists,
    sum(CASE WHEN t.explicit THEN st.plays ELSE 0 END) / greatest(sum(st.plays), 1) AS explicit_share
  FROM session_tracks AS st
  JOIN tracks AS t ON t.track_id = st.track_id
  GROUP BY st.listener_id
),
genres AS (
  SELECT
    st.listener_id,
    t.genre_family,
    sum(st.plays) AS plays,
    sum(sum(st.plays)) OVER (PARTITION BY st.listener_id) AS all_plays
  FROM session_tracks AS st
  JOIN tracks AS t ON t.track_id = st.track_id
  GROUP BY st.listener_id, t.genre_family
),
top_genre AS (
  SELECT listener_id, genre_family AS top_genre_family, plays / all_plays AS top_genre_share
  FROM genres
  QUALIFY row_number() OVER (PARTITION BY listener_id ORDER BY plays DESC, genre_family) = 1
)
SELECT
  s.listener_id,
  coalesce(p.age_band, 'unknown') AS age_band,
  coalesce(p.country, 'unknown') AS country,
  coalesce(p.tier, 'unknown') AS tier,
  CAST(s.sessions AS INTEGER) AS sessions,
  CAST(s.avg_session_minutes AS DECIMAL(8, 2)) AS avg_session_minutes,
  CAST(s.avg_plays_per_session AS DECIMAL(8, 2)) AS avg_plays_per_session,
  CAST(s.skip_rate AS DECIMAL(5, 4)) AS skip_rate,
  CAST(s.podcast_share AS DECIMAL(5, 4)) AS podcast_share,
  CAST(coalesce(m.track_streams, 0) AS INTEGER) AS track_streams,
  CAST(coalesce(m.distinct_tracks, 0) AS INTEGER) AS distinct_tracks,
  CAST(coalesce(m.distinct_artists, 0) AS INTEGER) AS distinct_artists,
  CAST(coalesce(m.explicit_share, 0) AS DECIMAL(5, 4)) AS explicit_share,
  g.top_genre_family,
  CAST(g.top_genre_share AS DECIMAL(5, 4)) AS top_genre_share,
  d.main_device,
  s.last_listened_at
FROM sessions AS s
LEFT JOIN listener_profiles AS p ON p.listener_id = s.listener_id
LEFT JOIN music AS m ON m.listener_id = s.listener_id
LEFT JOIN top_genre AS g ON g.listener_id = s.listener_id
LEFT JOIN main_devices AS d ON d.listener_id = s.listener_id
ORDER BY s.listener_id
