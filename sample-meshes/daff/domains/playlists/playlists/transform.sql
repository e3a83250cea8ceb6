-- Two output ports: `playlists` and `playlist_tracks`.
-- Editorial playlists come from the editors' file, user playlists from the app.
CREATE TABLE playlist_tracks AS
WITH entries AS (
  SELECT playlist_id, track_id, CAST(added_at AS TIMESTAMP) AS added_at
  FROM editorial_entries
  UNION ALL
  SELECT e.playlist_id, e.track_id,
         CAST(p.created_at AS TIMESTAMP) + to_seconds(CAST(e.seconds_after_creation AS BIGINT)) AS added_at
  FROM user_entries AS e
  JOIN user_playlists AS p ON p.playlist_id = e.playlist_id
)
SELECT
  playlist_id,
  CAST(row_number() OVER (PARTITION BY playlist_id ORDER BY added_at, track_id) AS INTEGER) AS position,
  track_id,
  added_at
FROM entries
ORDER BY playlist_id, position;

CREATE TABLE playlists AS
WITH all_playlists AS (
  SELECT
    playlist_id,
    name,
    'editorial' AS kind,
    curator,
    CAST(NULL AS VARCHAR) AS owner_listener_id,
    TRUE AS is_public,
    CAST(created_at AS TIMESTAMP) AS created_at
  FROM editorial_playlists
  UNION ALL
  SELECT
    playlist_id,
    name,
    'user' AS kind,
    CAST(NULL AS VARCHAR) AS curator,
    owner_listener_id,
    CAST(is_public AS BOOLEAN) AS is_public,
    CAST(created_at AS TIMESTAMP) AS created_at
  FROM user_playlists
)
SELECT
  p.playlist_id,
  p.name,
  p.kind,
  p.curator,
  p.owner_listener_id,
  p.is_public,
  p.created_at,
  CAST(count(t.track_id) AS INTEGER) AS track_count,
  max(t.added_at) AS last_added_at
FROM all_playlists AS p
LEFT JOIN playlist_tracks AS t ON t.playlist_id = p.playlist_id
GROUP BY ALL
ORDER BY p.playlist_id;
