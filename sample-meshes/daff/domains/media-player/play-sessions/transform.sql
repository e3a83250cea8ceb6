-- Two output ports: `play_sessions` and `session_tracks`. Input port: play_events.
-- A new session starts when a listener's play begins more than 30 minutes after the end of
-- their previous play.
CREATE TABLE play_sessions AS
WITH ordered AS (
  SELECT
    *,
    played_at + to_seconds(CAST(seconds_played AS BIGINT)) AS ended_at,
    lag(played_at + to_seconds(CAST(seconds_played AS BIGINT)))
      OVER (PARTITION BY listener_id ORDER BY played_at, event_id) AS previous_end
  FROM play_events
),
numbered AS (
  SELECT
    *,
    sum(CASE WHEN previous_end IS NULL OR played_at > previous_end + INTERVAL 30 MINUTE THEN 1 ELSE 0 END)
      OVER (PARTITION BY listener_id ORDER BY played_at, event_id) AS session_number
  FROM ordered
)
SELECT
  listener_id || '-' || strftime(min(played_at), '%Y%m%dT%H%M%S') AS session_id,
  listener_id,
  min(played_at) AS started_at,
  max(ended_at) AS ended_at,
  CAST(date_diff('second', min(played_at), max(ended_at)) AS INTEGER) AS duration_seconds,
  CAST(count(*) AS INTEGER) AS plays,
  CAST(count(*) FILTER (WHERE content_type = 'track') AS INTEGER) AS track_plays,
  CAST(count(*) FILTER (WHERE content_type = 'episode') AS INTEGER) AS episode_plays,
  CAST(count(*) FILTER (WHERE action = 'skip') AS INTEGER) AS skips,
  CAST(sum(seconds_played) AS INTEGER) AS seconds_played,
  arg_min(device, played_at) AS device,
  arg_min(country, played_at) AS country
FROM numbered
GROUP BY listener_id, session_number
ORDER BY started_at, listener_id;

-- A play belongs to the session of its listener that spans its start.
CREATE TABLE session_tracks AS
SELECT
  s.session_id,
  s.listener_id,
  e.track_id,
  CAST(count(*) AS INTEGER) AS plays,
  CAST(count(*) FILTER (WHERE e.seconds_played >= 30) AS INTEGER) AS streams,
  CAST(count(*) FILTER (WHERE e.action = 'skip') AS INTEGER) AS skips,
  CAST(sum(e.seconds_played) AS INTEGER) AS seconds_played,
  max(e.played_at) AS last_played_at
FROM play_events AS e
JOIN play_sessions AS s
  ON s.listener_id = e.listener_id AND e.played_at BETWEEN s.started_at AND s.ended_at
WHERE e.content_type = 'track'
GROUP BY s.session_id, s.listener_id, e.track_id
ORDER BY s.session_id, e.track_id;
