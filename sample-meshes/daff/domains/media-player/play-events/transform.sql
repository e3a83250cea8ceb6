-- The output port `play_events` is the result of this query.
-- The player logs each play with its app session; the session gives listener, device,
-- country and start time. A skip ends before 30 seconds, a stop part-way through, a play
-- lasts the whole track or episode. played_at is the session start plus what was played
-- before in that session.
WITH plays AS (
  SELECT
    CAST(e.event_id AS BIGINT) AS event_id,
    CAST(floor(CAST(e.app_session_id AS DOUBLE)) AS BIGINT) AS app_session_id,
    e.content_type,
    CASE WHEN e.content_type = 'track' THEN e.track_id END AS track_id,
    CASE WHEN e.content_type = 'episode' THEN e.podcast_id END AS podcast_id,
    CASE WHEN e.content_type = 'episode' THEN CAST(e.episode_number AS INTEGER) END AS episode_number,
    e.action,
    CAST(CASE
      WHEN e.action = 'skip' THEN CAST(e.skip_seconds AS INTEGER)
      ELSE CAST(CASE WHEN e.content_type = 'episode' THEN e.episode_seconds ELSE e.track_seconds END AS INTEGER)
        * (CASE WHEN e.action = 'stop' THEN 0.6 ELSE 1 END)
    END AS INTEGER) AS seconds_played
  FROM player_events AS e
)
SELECT
  p.event_id,
  p.app_session_id,
  s.listener_id,
  CAST(s.started_at AS TIMESTAMP)
    + to_seconds(CAST(coalesce(sum(p.seconds_played) OVER (
        PARTITION BY p.app_session_id ORDER BY p.event_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT)) AS played_at,
  p.content_type,
  p.track_id,
  p.podcast_id,
  p.episode_number,
  p.action,
  p.seconds_played,
  s.device,
  s.country
FROM plays AS p
JOIN app_sessions AS s ON CAST(s.app_session_id AS BIGINT) = p.app_session_id
ORDER BY p.event_id
